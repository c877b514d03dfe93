"""Export and import: JSON Lines is lossless, CSV round-trips what its columns hold, bad records are named."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cementwatch.case import parse_case
from cementwatch.cli import main
from cementwatch.registry.exchange import (
    CSV_COLUMNS,
    BadRecord,
    case_from_row,
    case_to_row,
    read_csv,
    read_jsonl,
)
from cementwatch.registry.store import Registry
from tests.conftest import CASES, ROOT, SEEDS

PATHS = sorted(CASES.glob("*.json")) + sorted(SEEDS.glob("*.case.json"))


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_a_csv_row_reads_back_to_the_same_row(path: Path) -> None:
    case = parse_case(path.read_text(encoding="utf-8"))
    row = case_to_row(case)
    again = case_to_row(
        case_from_row(
            {k: v for k, v in row.items() if k not in ("registry_id", "urgency", "decompression_days")}
        )
    )
    assert again == row


def test_jsonl_export_then_import_gives_the_same_cases(registry_url: str, tmp_path: Path) -> None:
    with Registry(registry_url) as source:
        for path in PATHS:
            source.add(parse_case(path.read_text(encoding="utf-8")))
    out = tmp_path / "cases.jsonl"
    _cli("registry", "export", "--db", registry_url, "--out", str(out))
    target = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    _cli("registry", "import", str(out), "--db", target)
    with Registry(registry_url) as a, Registry(target) as b:
        first = sorted(json.dumps(s.case.to_json_dict(), sort_keys=True) for s in a.cases())
        second = sorted(json.dumps(s.case.to_json_dict(), sort_keys=True) for s in b.cases())
    assert first == second and len(first) == len(PATHS)


def test_csv_export_has_the_documented_columns_and_imports(registry_url: str, tmp_path: Path) -> None:
    with Registry(registry_url) as registry:
        for path in PATHS:
            registry.add(parse_case(path.read_text(encoding="utf-8")))
    out = tmp_path / "cases.csv"
    _cli("registry", "export", "--format", "csv", "--db", registry_url, "--out", str(out))
    with out.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(PATHS) and list(rows[0]) == list(CSV_COLUMNS)
    assert all(row["urgency"] in ("emergency", "urgent", "routine", "none") for row in rows)
    copy = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    _cli("registry", "import", str(out), "--db", copy)
    with Registry(copy) as registry:
        assert registry.count() == len(PATHS)


def test_the_csv_columns_are_documented() -> None:
    text = (ROOT / "docs" / "registry.md").read_text(encoding="utf-8")
    for column in CSV_COLUMNS:
        assert f"`{column}`" in text


def test_a_bad_jsonl_line_is_named_and_the_rest_go_in() -> None:
    good = parse_case((CASES / "l1-intradural-left-monoparesis-ungraded.case.json").read_text()).to_json()
    stream = io.StringIO(
        f'{good}\nnot json\n\n{{"leaks": [{{"location": "brain", "status": "present"}}]}}\n{good}\n'
    )
    records = list(read_jsonl(stream, "in.jsonl"))
    assert [type(r).__name__ for r in records] == ["Case", "BadRecord", "BadRecord", "Case"]
    assert str(records[1]).startswith("in.jsonl:2: not JSON")
    assert str(records[2]).startswith("in.jsonl:4: leaks[0].location")


def test_a_bad_csv_row_is_named() -> None:
    header = ",".join(CSV_COLUMNS)
    blank = "," * (len(CSV_COLUMNS) - 1)
    stream = io.StringIO(f"{header}\n{blank}\n" + blank.replace(",", ",", 0) + "\n")
    bad = io.StringIO(f"{header}\n" + ",".join("x" if c == "age" else "" for c in CSV_COLUMNS) + "\n")
    assert all(not isinstance(r, BadRecord) for r in read_csv(stream, "a.csv"))
    (record,) = list(read_csv(bad, "b.csv"))
    assert isinstance(record, BadRecord) and str(record) == "b.csv:2: age: 'x' is not a number"
    unknown = io.StringIO("age,colour\n60,blue\n")
    (record,) = list(read_csv(unknown, "c.csv"))
    assert "unknown column(s): colour" in str(record)


def test_import_reports_bad_lines_and_keeps_the_good(tmp_path: Path) -> None:
    good = parse_case((CASES / "l1-intradural-left-monoparesis-ungraded.case.json").read_text()).to_json()
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{good}\n{{broken\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    result = CliRunner().invoke(
        main, ["registry", "import", str(path), str(tmp_path / "missing.jsonl"), "--db", url]
    )
    assert result.exit_code == 2
    assert "imported 1, already in the registry 0, failed 2" in result.output
    assert f"{path}:2: not JSON" in result.output and "missing.jsonl: cannot read" in result.output


def test_fhir_export_then_import_gives_the_same_cases(registry_url: str, tmp_path: Path) -> None:
    from cementwatch.registry.fhir import check_bundle

    with Registry(registry_url) as source:
        for path in PATHS:
            source.add(parse_case(path.read_text(encoding="utf-8")))
    out = tmp_path / "bundles.ndjson"
    _cli("registry", "export", "--format", "fhir", "--db", registry_url, "--out", str(out))
    bundles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(bundles) == len(PATHS) and all(check_bundle(b) == [] for b in bundles)
    target = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    _cli("registry", "import", str(out), "--db", target)
    with Registry(registry_url) as a, Registry(target) as b:
        first = sorted(json.dumps(s.case.to_json_dict(), sort_keys=True) for s in a.cases())
        second = sorted(json.dumps(s.case.to_json_dict(), sort_keys=True) for s in b.cases())
    assert first == second
