"""The ``cementwatch`` command line: every verb, its JSON contracts, and its handling of bad input.

Most tests drive ``cementwatch.cli.main`` in-process with click's ``CliRunner`` (stdout and stderr
apart); ``TestConsoleScript`` runs the installed entry point in a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata, resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import cementwatch
from cementwatch.assess import assess as run_assess
from cementwatch.assess.risk import RiskInputs, estimate_risk
from cementwatch.case import parse_case
from cementwatch.cli import EXAMPLE, main
from cementwatch.evidence import load_evidence

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "fixtures" / "cases"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
CONTRACTS = Path(os.environ.get("CEMENTWATCH_SHARED", ROOT.parent / "shared")) / "contracts"
RULES_YAML = ROOT / "src" / "cementwatch" / "evidence" / "data" / "rules.yaml"

EXPECTED: dict[str, dict[str, str]] = yaml.safe_load((CASES / "expected.yaml").read_text(encoding="utf-8"))
FIXTURE_NAMES = sorted(EXPECTED)
UNEVENTFUL = CASES / "kyphoplasty-l1-uneventful.case.json"
FORAMINAL = CASES / "l4-foraminal-right-ehl-4.case.json"

# A table wide enough that rich never shortens an id; the default (not a terminal) is 80 columns.
WIDE = {"COLUMNS": "250"}


def case_file(name: str) -> Path:
    return CASES / f"{name}.case.json"


def fixture_data(path: Path = UNEVENTFUL) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def flat(text: str) -> str:
    """Collapse rich's line wrapping (and a panel's side borders) so wrapped sentences can be searched."""
    return " ".join(text.replace("│", " ").split())


def json_lines(text: str) -> list[dict[str, Any]]:
    """Parse JSON Lines strictly: every line one JSON object, no blank lines."""
    lines = text.splitlines()
    assert lines, "no output"
    objects = [json.loads(line) for line in lines]
    assert all(isinstance(obj, dict) for obj in objects)
    return objects


def invoke(args: list[str], **kwargs: Any) -> Result:
    return CliRunner().invoke(main, args, **kwargs)


def assert_bad_input(result: Result, *fragments: str) -> str:
    """Exit 2, one line on stderr starting with ``cementwatch:`` and holding every fragment; no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    message = result.stderr
    assert message.endswith("\n")
    assert len(message.splitlines()) == 1, message
    assert message.startswith("cementwatch: ")
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


# ------------------------------------------------------------------------------------------------
# contracts


@pytest.fixture(scope="module")
def case_schema() -> dict[str, Any]:
    if not (CONTRACTS / "case.schema.json").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared contracts are required in CI and are missing at {CONTRACTS}")
        pytest.skip(f"shared contracts not found at {CONTRACTS}")
    schema: dict[str, Any] = json.loads((CONTRACTS / "case.schema.json").read_text(encoding="utf-8"))
    return schema


@pytest.fixture(scope="module")
def case_validator(case_schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(case_schema)
    return Draft202012Validator(case_schema)


@pytest.fixture(scope="module")
def assessment_validator(case_schema: dict[str, Any]) -> Draft202012Validator:
    assessment = json.loads((CONTRACTS / "assessment.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(assessment)
    case = Resource.from_contents(case_schema)
    # The contract's ids are relative URIs: {"$ref": "cementwatch.case/1"} inside the schema whose
    # $id is "cementwatch.assessment/1" resolves (RFC 3986) to "cementwatch.assessment/cementwatch.case/1",
    # so the case schema is registered under its own $id and under that resolved form.
    registry: Registry[Any] = Registry().with_resources(
        [(case_schema["$id"], case), (urljoin(assessment["$id"], case_schema["$id"]), case)]
    )
    return Draft202012Validator(assessment, registry=registry)


def test_assessment_validator_checks_the_embedded_case(
    assessment_validator: Draft202012Validator,
) -> None:
    """The $ref to the case schema is really followed: a bad embedded case is an error."""
    data = json.loads(invoke(["assess", "--format", "json", str(UNEVENTFUL)]).stdout)
    assert list(assessment_validator.iter_errors(data)) == []
    data["case"]["procedures"][0]["kind"] = "bogus"
    errors = list(assessment_validator.iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["case", "procedures", 0, "kind"]]


# ------------------------------------------------------------------------------------------------
# assess


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_assess_text_card_shows_urgency_and_rule_ids(name: str) -> None:
    path = case_file(name)
    expected = run_assess(parse_case(path.read_text(encoding="utf-8")))
    assert expected.urgency.value == EXPECTED[name]["urgency"]

    result = invoke(["assess", str(path)])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    assert f" {EXPECTED[name]['urgency'].upper()} " in out
    # the title names the case's source (rich shortens a long title to the 80-column panel)
    assert f"CementWatch triage — fixture {name}"[:74] in out
    assert expected.reasons
    for reason in expected.reasons:
        assert reason.rule in out
    assert "Decision support, not a diagnosis" in flat(out)


def test_assess_json_is_one_valid_object_per_case(
    assessment_validator: Draft202012Validator, case_validator: Draft202012Validator
) -> None:
    paths = [case_file(name) for name in FIXTURE_NAMES] + sorted(SEEDS.glob("*.case.json"))
    assert len(paths) > 40

    result = invoke(["assess", "--format", "json", *map(str, paths)])

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    objects = json_lines(result.stdout)
    assert len(objects) == len(paths)
    for path, obj in zip(paths, objects, strict=True):
        assert list(assessment_validator.iter_errors(obj)) == [], path
        assert list(case_validator.iter_errors(obj["case"])) == [], path
        assert obj["schema"] == "cementwatch.assessment/1"
        assert obj["case"]["source"] == fixture_data(path)["source"]
        name = path.name.removesuffix(".case.json")
        if name in EXPECTED:
            assert obj["urgency"] == EXPECTED[name]["urgency"], name
        assert all(reason["sources"] for reason in obj["reasons"])


def test_assess_json_equals_the_library_result() -> None:
    from cementwatch.registry.literature import literature_cases

    case = parse_case(FORAMINAL.read_text(encoding="utf-8"))
    result = invoke(["assess", "--format", "json", str(FORAMINAL)])
    expected = run_assess(case, similar_cases=literature_cases())
    assert expected.prognosis is not None
    assert json_lines(result.stdout) == [json.loads(expected.to_json())]
    alone = invoke(["assess", "--format", "json", "--similar", "none", str(FORAMINAL)])
    assert json_lines(alone.stdout) == [json.loads(run_assess(case).to_json())]


def test_assess_can_take_similar_cases_from_the_registry(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    assert invoke(["registry", "load-literature", "--db", url]).exit_code == 0
    from_registry = invoke(
        ["assess", "--format", "json", "--similar", "registry", "--db", url, str(FORAMINAL)]
    )
    from_bundle = invoke(["assess", "--format", "json", str(FORAMINAL)])
    assert from_registry.exit_code == 0, from_registry.output
    assert (
        json_lines(from_registry.stdout)[0]["prognosis"]["matches"]
        == json_lines(from_bundle.stdout)[0]["prognosis"]["matches"]
    )


def test_assess_several_paths_give_lines_in_order() -> None:
    paths = [str(FORAMINAL), str(UNEVENTFUL), str(FORAMINAL)]
    result = invoke(["assess", "--format", "json", *paths])
    assert result.exit_code == 0
    objects = json_lines(result.stdout)
    assert [o["urgency"] for o in objects] == ["emergency", "none", "emergency"]
    assert [o["case"]["source"] for o in objects] == [
        "fixture l4-foraminal-right-ehl-4",
        "fixture kyphoplasty-l1-uneventful",
        "fixture l4-foraminal-right-ehl-4",
    ]


def test_assess_no_case_leaves_the_case_out(assessment_validator: Draft202012Validator) -> None:
    with_case = json_lines(invoke(["assess", "--format", "json", str(FORAMINAL)]).stdout)[0]
    result = invoke(["assess", "--format", "json", "--no-case", str(FORAMINAL)])
    assert result.exit_code == 0
    [obj] = json_lines(result.stdout)
    assert "case" not in obj
    assert list(assessment_validator.iter_errors(obj)) == []
    assert obj == {k: v for k, v in with_case.items() if k != "case"}


def test_assess_example(assessment_validator: Draft202012Validator) -> None:
    text = resources.files("cementwatch").joinpath(EXAMPLE).read_text(encoding="utf-8")
    expected = run_assess(parse_case(text))
    assert expected.urgency.value == "emergency"

    card = invoke(["assess", "--example"])
    assert card.exit_code == 0, card.output
    assert " EMERGENCY " in card.stdout
    assert "CementWatch triage — example: made-up case, late weakness" in card.stdout
    for reason in expected.reasons:
        assert reason.rule in card.stdout

    data = invoke(["assess", "--example", "--format", "json"])
    assert data.exit_code == 0
    [obj] = json_lines(data.stdout)
    assert list(assessment_validator.iter_errors(obj)) == []
    assert obj["urgency"] == "emergency"
    assert obj["case"]["source"] == "example: made-up case, late weakness after L1 vertebroplasty"


def test_assess_reads_standard_input(case_validator: Draft202012Validator) -> None:
    text = FORAMINAL.read_text(encoding="utf-8")
    result = invoke(["assess", "--format", "json", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    [obj] = json_lines(result.stdout)
    assert obj["urgency"] == "emergency"
    assert obj["case"] == json.loads(parse_case(text).to_json())
    assert obj["case"]["source"] == "fixture l4-foraminal-right-ehl-4"
    assert list(case_validator.iter_errors(obj["case"])) == []

    card = invoke(["assess", "-"], input=text)
    assert card.exit_code == 0
    assert " EMERGENCY " in card.stdout
    assert "leak.canal-with-deficit" in card.stdout


def test_assess_without_paths_is_bad_input() -> None:
    assert_bad_input(invoke(["assess"]), "name at least one case file")


def _case_with(**changes: Any) -> bytes:
    data = fixture_data()
    for dotted, value in changes.items():
        target: Any = data
        *parents, last = dotted.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return json.dumps(data).encode()


BAD_FILES: dict[str, tuple[str, bytes | None, list[str]]] = {
    # id: (file name, content (None: nothing is created), fragments the message must hold)
    "missing": ("absent.case.json", None, ["no such file"]),
    "unsupported-type": ("scan.xyz", b"L1 vertebroplasty, cement in the canal", ["unsupported file type"]),
    "empty-note": ("empty.txt", b"   \n", ["empty document"]),
    "binary-note": ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", ["binary"]),
    "invalid-json": ("broken.case.json", b'{"schema": "cementwatch.case/1", ', ["not JSON"]),
    "bad-level": (
        "l9.case.json",
        _case_with(procedures__0__levels=["T12", "L9"]),
        ["procedures[0].levels[1]: 'L9' is not a vertebra"],
    ),
    "unknown-enum": (
        "enum.case.json",
        _case_with(leaks=[{"location": "spinal", "status": "present"}]),
        ["leaks[0].location: Input should be 'intradural'"],
    ),
    "unknown-enum-status": (
        "status.case.json",
        _case_with(leaks=[{"location": "epidural", "status": "maybe"}]),
        ["leaks[0].status: Input should be 'present', 'absent' or 'possible'"],
    ),
    "wrong-schema": (
        "v2.case.json",
        _case_with(schema="cementwatch.case/2"),
        ["schema: expected 'cementwatch.case/1', got 'cementwatch.case/2'"],
    ),
    "json-array": ("list.case.json", b"[1, 2]", ["a case is a JSON object"]),
    "empty": ("empty.case.json", b"", ["not JSON: Expecting value at line 1"]),
    "binary": ("scan.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", ["not UTF-8 text"]),
    "nul-bytes": ("zeros.json", b"\x00" * 64, ["not JSON"]),
    "latin-1": ("latin.case.json", '{"source": "Müller, Sécurité"}'.encode("latin-1"), ["not UTF-8 text"]),
}


@pytest.mark.parametrize(("name", "content", "fragments"), BAD_FILES.values(), ids=list(BAD_FILES))
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_assess_bad_input_is_one_line_exit_2(
    tmp_path: Path, name: str, content: bytes | None, fragments: list[str], fmt: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    result = invoke(["assess", "--format", fmt, str(path)])

    message = assert_bad_input(result, f"cementwatch: {path}: ", *fragments)
    assert result.stdout == ""
    assert "Traceback" not in message


def test_assess_folder_is_bad_input(tmp_path: Path) -> None:
    folder = tmp_path / "cases.json"
    folder.mkdir()
    result = invoke(["assess", str(folder)])
    assert_bad_input(result, f"{folder}: is a folder")
    assert result.stdout == ""


def test_assess_batch_with_one_bad_file_still_prints_the_good_one(tmp_path: Path) -> None:
    bad = tmp_path / "l9.case.json"
    bad.write_bytes(_case_with(procedures__0__levels=["T12", "L9"]))

    result = invoke(["assess", "--format", "json", str(bad), str(FORAMINAL)])

    assert_bad_input(result, f"{bad}: procedures[0].levels[1]: 'L9' is not a vertebra")
    [obj] = json_lines(result.stdout)
    assert obj["urgency"] == "emergency"
    assert obj["case"]["source"] == "fixture l4-foraminal-right-ehl-4"

    card = invoke(["assess", str(UNEVENTFUL), str(tmp_path / "gone.json")])
    assert_bad_input(card, f"{tmp_path / 'gone.json'}: no such file")
    assert " NONE " in card.stdout
    assert "none.no-leak-no-symptoms" in card.stdout


def test_assess_reports_every_bad_file_on_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"{")
    (tmp_path / "b.json").write_bytes(b"\xff")
    result = invoke(["assess", str(tmp_path / "a.json"), str(UNEVENTFUL), str(tmp_path / "b.json")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"cementwatch: {tmp_path / 'a.json'}: not JSON: Expecting property name enclosed in double quotes "
        "at line 1",
        f"cementwatch: {tmp_path / 'b.json'}: not UTF-8 text",
    ]
    assert " NONE " in result.stdout


def test_assess_bad_standard_input() -> None:
    result = invoke(["assess", "-"], input="{not json")
    assert_bad_input(result, "<stdin>: not JSON")


def test_assess_invalid_utf8_on_standard_input_is_bad_input() -> None:
    result = invoke(["assess", "-"], input=b'{"source": "caf\xe9"}')
    assert_bad_input(result, "<stdin>: not UTF-8 text")


def test_assess_deeply_nested_json_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "deep.case.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    assert_bad_input(invoke(["assess", str(path)]), str(path))


# ------------------------------------------------------------------------------------------------
# validate


def test_validate_ok_files() -> None:
    paths = [str(case_file(name)) for name in FIXTURE_NAMES]
    result = invoke(["validate", *paths])
    assert result.exit_code == 0, result.output
    oks = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
    assert oks == [f"ok       {path}" for path in paths]


def test_validate_bad_file_names_each_problem(tmp_path: Path) -> None:
    data = fixture_data()
    data["procedures"][0]["levels"] = ["T12", "L9"]
    data["leaks"] = [{"location": "spinal", "status": "present"}]
    data["patient"]["age"] = 130
    bad = tmp_path / "bad.case.json"
    bad.write_text(json.dumps(data), encoding="utf-8")

    result = invoke(["validate", str(bad), str(UNEVENTFUL)])

    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"invalid  {bad}"
    problems = [line.strip() for line in lines[1:] if line.startswith("  ") and "note:" not in line]
    assert sorted(p.split(":")[0] for p in problems) == [
        "leaks[0].location",
        "patient.age",
        "procedures[0].levels[1]",
    ]
    assert "  procedures[0].levels[1]: 'L9' is not a vertebra" in lines
    assert "  patient.age: Input should be less than or equal to 120" in lines
    assert f"ok       {UNEVENTFUL}" in lines
    assert "Traceback" not in result.output


def test_validate_unreadable_files_are_invalid(tmp_path: Path) -> None:
    result = invoke(["validate", str(tmp_path / "none.json"), str(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"invalid  {tmp_path / 'none.json'}",
        f"  {tmp_path / 'none.json'}: no such file",
        f"invalid  {tmp_path}",
        f"  {tmp_path}: is a folder; name the case files",
    ]


def test_validate_notes_unknown_properties(tmp_path: Path) -> None:
    data = fixture_data()
    data["procedures"][0]["levle"] = ["L1"]
    path = tmp_path / "typo.case.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    result = invoke(["validate", str(path)])

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"ok       {path}",
        "  note: summary is not a field of cementwatch.case/1 (kept)",
        "  note: procedures[0].levle is not a field of cementwatch.case/1 (kept)",
    ]


def test_validate_json_lines(tmp_path: Path) -> None:
    data = fixture_data()
    data["procedures"][0]["levels"] = ["T12", "L9"]
    bad = tmp_path / "bad.case.json"
    bad.write_text(json.dumps(data), encoding="utf-8")

    result = invoke(["validate", "--format", "json", str(UNEVENTFUL), str(bad)])

    assert result.exit_code == 2
    assert json_lines(result.stdout) == [
        {"file": str(UNEVENTFUL), "valid": True, "problems": [], "unknown_fields": ["summary"]},
        {
            "file": str(bad),
            "valid": False,
            "problems": ["procedures[0].levels[1]: 'L9' is not a vertebra"],
            "unknown_fields": [],
        },
    ]


def test_validate_needs_a_path() -> None:
    result = invoke(["validate"])
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.stderr


# ------------------------------------------------------------------------------------------------
# risk

RISK_ARGS = ["risk", "--procedure", "vertebroplasty", "--levels", "T12,L1", "--cortical-disruption"]


def test_risk_text_card() -> None:
    estimate = estimate_risk(
        RiskInputs(procedure="vertebroplasty", levels=["T12", "L1"], cortical_disruption=True)
    )
    result = invoke(RISK_ARGS)
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert re.search(r"Any cement leak: \d+%–\d+%", out)
    assert f"Any cement leak: {estimate.any_leak.percent()}" in out
    assert "CementWatch leakage risk — vertebroplasty at T12, L1" in out
    assert "cortical disruption yes (applied) 5.56 (1.84–16.81) zhan2017" in out
    assert "Method: " + flat(estimate.method) in out
    assert out.count("Limit: ") == len(estimate.limits)
    assert estimate.caveats
    for caveat in estimate.caveats:
        assert "Caveat: " + flat(caveat) in out
    assert "Not given (not applied): indication, posterior-wall defect" in out


def test_risk_json() -> None:
    result = invoke([*RISK_ARGS, "--viscosity", "low", "--volume", "5", "--format", "json"])
    assert result.exit_code == 0, result.output
    [obj] = json_lines(result.stdout)
    expected = estimate_risk(
        RiskInputs(
            procedure="vertebroplasty",
            levels=["T12", "L1"],
            cortical_disruption=True,
            viscosity="low",
            volume_ml=5.0,
        )
    )
    assert obj["schema"] == "cementwatch.risk/1"
    assert obj == json.loads(expected.model_dump_json(by_alias=True))
    assert obj["inputs"]["levels"] == ["T12", "L1"]
    assert obj["inputs"]["detection"] == "radiograph"
    assert 0 < obj["any_leak"]["low"] <= obj["any_leak"]["central"] <= obj["any_leak"]["high"] < 1
    assert obj["embolism_symptomatic"] == {"low": 0.0011, "high": 0.0011, "central": None}


def test_risk_level_range_is_expanded() -> None:
    result = invoke(["risk", "--procedure", "kyphoplasty", "--levels", "T10-L2", "--format", "json"])
    [obj] = json_lines(result.stdout)
    assert obj["inputs"]["levels"] == ["T10", "T11", "T12", "L1", "L2"]
    assert "Three or more levels: OR 2.412 for pulmonary cement." in obj["embolism"]["text"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--levels", "T13"], ["risk: --levels: 'T13' is not a vertebra"]),
        (["--levels", "T12,L9"], ["'L9' is not a vertebra"]),
        (["--volume", "-1"], ["risk: --volume: Input should be greater than or equal to 0"]),
        (["--volume", "31"], ["risk: --volume: Input should be less than or equal to 30"]),
        (["--bmd", "-9"], ["risk: --bmd: Input should be greater than or equal to -8"]),
        (["--n-levels", "0"], ["risk: --n-levels: Input should be greater than or equal to 1"]),
    ],
    ids=["T13", "L9", "volume-negative", "volume-too-large", "bmd", "n-levels"],
)
def test_risk_bad_input(args: list[str], fragments: list[str]) -> None:
    result = invoke(["risk", "--procedure", "vertebroplasty", *args])
    assert_bad_input(result, *fragments)
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["risk"],
        ["risk", "--procedure", "other_augmentation"],
        ["risk", "--procedure", "vertebroplasty", "--volume", "lots"],
        ["risk", "--procedure", "vertebroplasty", "--detection", "mri"],
    ],
    ids=["no-procedure", "bad-procedure", "volume-not-a-number", "bad-detection"],
)
def test_risk_usage_errors(args: list[str]) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Error:" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


# ------------------------------------------------------------------------------------------------
# evidence and rules


def test_evidence_lists_sources() -> None:
    base = load_evidence()
    result = invoke(["evidence"], env=WIDE)
    assert result.exit_code == 0
    assert "Sources" in result.stdout
    for source_id in ("zhan2017", "hulme2006", "sidhu2013", "nice-ipg12"):
        assert re.search(rf"│ {re.escape(source_id)} +│", result.stdout), source_id
    assert "PMID 28192270" in result.stdout
    ids_shown = re.findall(r"^│ ([a-z0-9][a-z0-9.\-]*) +│", result.stdout, flags=re.MULTILINE)
    assert ids_shown == list(base.sources)


def test_evidence_lists_figures() -> None:
    base = load_evidence()
    result = invoke(["evidence", "--figures"], env=WIDE)
    assert result.exit_code == 0
    assert "Figures" in result.stdout
    ids_shown = re.findall(r"^│ ([a-z0-9][a-z0-9.\-]*) +│", result.stdout, flags=re.MULTILINE)
    assert ids_shown == list(base.figures)
    assert "unverified" in result.stdout
    assert "or-cortical-disruption-zhan2017" in result.stdout


def test_evidence_source_detail() -> None:
    base = load_evidence()
    source = base.sources["zhan2017"]
    result = invoke(["evidence", "zhan2017"])
    assert result.exit_code == 0
    out = flat(result.stdout)
    assert flat(source.citation) in out
    assert "meta_analysis · PMID 28192270" in out
    assert "citation verified" in out
    cited = base.cited_by("zhan2017")
    assert "or-cortical-disruption-zhan2017" in cited["figures"]
    assert "cited by figures: " + ", ".join(cited["figures"]) in out


def test_evidence_figure_detail() -> None:
    result = invoke(["evidence", "or-cleft-zhan2017"])
    assert result.exit_code == 0
    assert flat(result.stdout) == (
        "Intravertebral cleft and leakage (pooled) odds ratio 1.4 CI 1.09–1.78 · verified sources: zhan2017"
    )


def test_evidence_rule_detail() -> None:
    rule = load_evidence().rules["deficit.motor-severe"]
    result = invoke(["evidence", "deficit.motor-severe"])
    assert result.exit_code == 0
    out = flat(result.stdout)
    assert out.startswith(f"{rule.title} (emergency)")
    assert flat(rule.statement) in out
    assert out.endswith("sources: " + ", ".join(rule.sources))


def test_evidence_scale_detail() -> None:
    result = invoke(["evidence", "mrc"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Medical Research Council muscle strength scale")
    assert "sources: mrc1976" in lines[0]
    assert "      0  no contraction: No contraction." in lines
    assert "      5  normal: Normal power." in lines
    assert "note: Sub-grades 4-, 4 and 4+" in result.stdout


def test_evidence_unknown_id() -> None:
    result = invoke(["evidence", "zhan2018"])
    assert_bad_input(result, "evidence: no source, figure, rule or scale has the id 'zhan2018'")
    assert result.stdout == ""


def test_evidence_json_lines() -> None:
    base = load_evidence()
    sources = json_lines(invoke(["evidence", "--format", "json"]).stdout)
    assert [s["id"] for s in sources] == list(base.sources)
    assert sources[1] == json.loads(base.sources[sources[1]["id"]].model_dump_json(by_alias=True))

    figures = json_lines(invoke(["evidence", "--figures", "--format", "json"]).stdout)
    assert [f["id"] for f in figures] == list(base.figures)
    assert {f["status"] for f in figures} == {"verified", "unverified", "inconsistent"}

    [one] = json_lines(invoke(["evidence", "zhan2017", "--format", "json"]).stdout)
    assert one["id"] == "zhan2017"
    assert one["pmid"] == "28192270"
    assert one["cited_by"] == base.cited_by("zhan2017")

    [rule] = json_lines(invoke(["evidence", "leak.cardiac", "--format", "json"]).stdout)
    assert rule["id"] == "leak.cardiac"
    assert rule["urgency"] == "emergency"
    assert "cited_by" not in rule

    [scale] = json_lines(invoke(["evidence", "asia", "--format", "json"]).stdout)
    assert [g["grade"] for g in scale["grades"]] == ["A", "B", "C", "D", "E"]


def _rules_yaml() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = yaml.safe_load(RULES_YAML.read_text(encoding="utf-8"))["rules"]
    return rules


def test_rules_lists_every_rule_id() -> None:
    rules = _rules_yaml()
    assert len(rules) >= 20
    result = invoke(["rules"], env=WIDE)
    assert result.exit_code == 0
    ids_shown = re.findall(r"^│ ([a-z][a-z.\-]+) +│", result.stdout, flags=re.MULTILINE)
    assert ids_shown == [r["id"] for r in rules]
    assert "rule book " in result.stdout


def test_rules_ids_are_whole_at_default_width() -> None:
    result = invoke(["rules"], env={"COLUMNS": "80"})
    for rule in _rules_yaml():
        assert rule["id"] in result.stdout


def test_rules_json_lines() -> None:
    rules = _rules_yaml()
    objects = json_lines(invoke(["rules", "--format", "json"]).stdout)
    assert [o["id"] for o in objects] == [r["id"] for r in rules]
    for obj, rule in zip(objects, rules, strict=True):
        assert set(obj) >= {"id", "urgency", "statement", "sources"}
        assert obj["urgency"] == rule["urgency"]
        assert obj["statement"] == rule["statement"]
        assert obj["sources"] == rule["sources"]
        assert obj["sources"]


# ------------------------------------------------------------------------------------------------
# help and version


@pytest.mark.parametrize("name", sorted(main.commands))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help(name: str, flag: str) -> None:
    command = main.commands[name]
    assert command.help
    result = invoke([name, flag])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {name} [OPTIONS]")
    assert flat(command.help.split("\n\n")[0]) in flat(result.stdout)
    if name not in ("rules", "ingest", "registry"):
        assert "--format [text|json]" in result.stdout


def test_main_help_lists_every_command() -> None:
    assert set(main.commands) == {
        "assess",
        "validate",
        "risk",
        "evidence",
        "rules",
        "extract",
        "eval",
        "ingest",
        "registry",
        "stats",
    }
    result = invoke(["--help"])
    assert result.exit_code == 0
    assert "Decision support, not a diagnosis" in result.stdout
    for name in main.commands:
        assert re.search(rf"^  {name} ", result.stdout, flags=re.MULTILINE), name


def test_version() -> None:
    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"cementwatch, version {cementwatch.__version__}\n"
    assert cementwatch.__version__ == metadata.version("cementwatch")


# ------------------------------------------------------------------------------------------------
# the installed console script


@pytest.fixture(scope="module")
def script() -> Path:
    """The ``cementwatch`` console script of the environment running the tests."""
    path = Path(sys.executable).parent / "cementwatch"
    if not path.exists():
        pytest.fail(f"the console script is not installed next to {sys.executable}")
    return path


class TestConsoleScript:
    """The real entry point, as a user runs it."""

    def run(self, script: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *args],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    def test_assess_json(self, script: Path, assessment_validator: Draft202012Validator) -> None:
        done = self.run(script, "assess", "--format", "json", str(FORAMINAL), str(UNEVENTFUL))
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        objects = json_lines(done.stdout)
        assert [o["urgency"] for o in objects] == ["emergency", "none"]
        for obj in objects:
            assert list(assessment_validator.iter_errors(obj)) == []

    def test_standard_input_and_text_card(self, script: Path) -> None:
        done = self.run(script, "assess", "-", stdin=FORAMINAL.read_text(encoding="utf-8"))
        assert done.returncode == 0, done.stderr
        assert " EMERGENCY " in done.stdout
        assert "leak.canal-with-deficit" in done.stdout

    def test_bad_input_exits_2_without_traceback(self, script: Path, tmp_path: Path) -> None:
        bad = tmp_path / "l9.case.json"
        bad.write_bytes(_case_with(procedures__0__levels=["T12", "L9"]))
        done = self.run(script, "assess", str(bad), str(UNEVENTFUL))
        assert done.returncode == 2
        assert done.stderr == f"cementwatch: {bad}: procedures[0].levels[1]: 'L9' is not a vertebra\n"
        assert " NONE " in done.stdout
        assert "Traceback" not in done.stdout + done.stderr

        risk = self.run(script, "risk", "--procedure", "vertebroplasty", "--levels", "T13")
        assert risk.returncode == 2
        assert risk.stderr == "cementwatch: risk: --levels: 'T13' is not a vertebra\n"

    def _head_1(self, script: Path) -> tuple[bytes, bytes, int]:
        """``cementwatch assess --format json ... | head -1``: first line, stderr, exit code."""
        # far more output than a pipe buffer holds, so the writer must meet the closed pipe
        paths = [str(case_file(name)) for name in FIXTURE_NAMES] * 10
        with subprocess.Popen(
            [str(script), "assess", "--format", "json", *paths],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            first = process.stdout.readline()
            process.stdout.close()
            stderr = process.stderr.read()
            return first, stderr, process.wait(timeout=60)

    def test_reader_closing_the_pipe_early_is_quiet(self, script: Path) -> None:
        first, stderr, returncode = self._head_1(script)
        assert json.loads(first)["schema"] == "cementwatch.assessment/1"
        assert stderr == b""
        assert returncode in (0, 1)

    def test_reader_closing_the_pipe_early_is_not_an_error(self, script: Path) -> None:
        _, _, returncode = self._head_1(script)
        assert returncode == 0

    def test_version(self, script: Path) -> None:
        done = self.run(script, "--version")
        assert done.returncode == 0
        assert done.stdout.strip() == f"cementwatch, version {cementwatch.__version__}"


def test_assess_reads_a_clinical_note(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(
        "CT lumbar spine after L1 vertebroplasty: cement extends into the spinal canal at L1.\n"
        "Examination: new weakness of both legs, hip flexion 2/5 bilaterally. Unable to pass urine.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["assess", str(note), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["urgency"] == "emergency"
    case = data["case"]
    assert case["source"] == str(note)
    assert {leak["location"] for leak in case["leaks"]} == {"epidural"}
    for leak in case["leaks"]:
        for span in leak["evidence"]:
            assert note.read_text(encoding="utf-8")[span["start"] : span["end"]] == span["text"]


def test_extract_prints_one_case_per_document_and_goes_on_after_a_bad_one(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kyphoplasty at T12. No evidence of cement leakage.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Note\nVertebroplasty L2; small disc leak of cement.", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(tmp_path)])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(c["source"]).name for c in lines] == ["a.txt", "b.md"]
    assert lines[0]["procedures"][0]["kind"] == "kyphoplasty"
    assert lines[1]["leaks"][0]["location"] == "intradiscal"
    assert "c.txt" in result.stderr and "empty document" in result.stderr
