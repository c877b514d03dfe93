"""The case model: contract fidelity, level normalisation, errors that name the path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cementwatch.case import Case, CaseError, LeakLocation, parse_case, unknown_fields
from tests.conftest import CASES, SEEDS, load_json

ALL_CASE_FILES = sorted(CASES.glob("*.case.json")) + sorted(SEEDS.glob("*.case.json"))


def test_there_are_enough_fixtures() -> None:
    assert len(list(SEEDS.glob("*.case.json"))) == 5
    assert len(list(CASES.glob("*.case.json"))) >= 25


@pytest.mark.parametrize("path", ALL_CASE_FILES, ids=lambda p: p.name)
def test_every_fixture_loads_and_its_json_out_validates(path: Path, case_validator) -> None:
    case = parse_case(path.read_text(encoding="utf-8"), where=path.name)
    out = case.to_json_dict()
    errors = sorted(case_validator.iter_errors(out), key=str)
    assert not errors, errors[0].message if errors else ""
    assert out["schema"] == "cementwatch.case/1"


@pytest.mark.parametrize("path", ALL_CASE_FILES, ids=lambda p: p.name)
def test_round_trip_loses_nothing(path: Path) -> None:
    case = parse_case(path.read_text(encoding="utf-8"))
    again = parse_case(case.to_json())
    assert again.to_json_dict() == case.to_json_dict()
    original = load_json(path)
    # every key the fixture gave is still there (extras like "summary" included)
    assert set(original) <= set(case.to_json_dict())


def test_minimal_case_fills_the_required_sections(case_validator) -> None:
    out = parse_case("{}").to_json_dict()
    assert not list(case_validator.iter_errors(out))
    assert out["leaks"] == [] and out["findings"]["deficits"] == []


def test_levels_are_normalised_on_the_way_in() -> None:
    case = parse_case(
        {
            "procedures": [{"kind": "kyphoplasty", "levels": ["D12", "Th11", "T10-L2"]}],
            "leaks": [{"location": "epidural", "status": "present", "levels": ["L3-4"]}],
            "treatments": [{"kind": "laminectomy", "status": "done", "levels": ["T 12"]}],
        }
    )
    assert case.procedures[0].levels == ["T10", "T11", "T12", "L1", "L2"]
    assert case.leaks[0].levels == ["L3", "L4"]
    assert case.treatments[0].levels == ["T12"]


def test_impossible_level_error_names_the_path() -> None:
    with pytest.raises(CaseError) as error:
        parse_case({"procedures": [{"kind": "vertebroplasty", "levels": ["T12", "L9"]}]}, where="a.json")
    assert error.value.problems == ["procedures[0].levels[1]: 'L9' is not a vertebra"]
    assert str(error.value).startswith("a.json: ")


def test_every_problem_is_reported_with_its_path() -> None:
    bad = {
        "patient": {"age": 130, "sex": "f"},
        "leaks": [{"location": "lung", "status": "present"}, {"location": "epidural"}],
        "findings": {"motor_grades": [{"grade": 6}]},
        "treatments": [{"kind": "laminectomy", "status": "done", "levels": ["T13"]}],
    }
    with pytest.raises(CaseError) as error:
        parse_case(bad)
    paths = [p.split(":")[0] for p in error.value.problems]
    assert paths == [
        "patient.age",
        "patient.sex",
        "leaks[0].location",
        "leaks[1].status",
        "findings.motor_grades[0].grade",
        "treatments[0].levels[0]",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "a case is a JSON object"),
        ('{"schema": "other/9"}', "schema: expected 'cementwatch.case/1'"),
        (
            {"patient": {"evidence": [{"start": 9, "end": 3}]}},
            "patient.evidence[0].end: end 3 is before start 9",
        ),
    ],
)
def test_bad_documents_get_clear_errors(data: object, message: str) -> None:
    with pytest.raises(CaseError) as error:
        parse_case(data)  # type: ignore[arg-type]
    assert message in str(error.value)


def test_extra_properties_are_kept_and_reported() -> None:
    case = parse_case({"summary": "x", "procedures": [{"kind": "kyphoplasty", "levels": [], "sid": "l"}]})
    assert case.to_json_dict()["summary"] == "x"
    assert case.to_json_dict()["procedures"][0]["sid"] == "l"
    assert unknown_fields(case) == ["summary", "procedures[0].sid"]


def test_vocabularies_equal_the_contract(shared: Path) -> None:
    schema = json.loads((shared / "contracts" / "case.schema.json").read_text())
    locations = schema["properties"]["leaks"]["items"]["properties"]["location"]["enum"]
    assert [x.value for x in LeakLocation] == locations
    deficit = schema["properties"]["findings"]["properties"]["deficits"]["items"]["properties"]["kind"]
    from cementwatch.case import DeficitKind, TreatmentKind

    assert [x.value for x in DeficitKind] == deficit["enum"]
    treatment = schema["properties"]["treatments"]["items"]["properties"]["kind"]["enum"]
    assert [x.value for x in TreatmentKind] == treatment


def test_bundled_contract_copies_match_shared(shared: Path) -> None:
    bundled = Path(__file__).resolve().parents[1] / "src" / "cementwatch" / "contracts"
    for name in ("case.schema.json", "assessment.schema.json"):
        assert json.loads((bundled / name).read_text()) == json.loads(
            (shared / "contracts" / name).read_text()
        )


def test_case_model_is_pure() -> None:
    """case.py must not do I/O: no open(), no pathlib."""
    source = (Path(__file__).resolve().parents[1] / "src" / "cementwatch" / "case.py").read_text()
    assert "open(" not in source and "pathlib" not in source
    assert isinstance(parse_case("{}"), Case)
