"""The bundled literature dataset (48 published cases + 5 seeds): faithful to the CSV, blanks blank
(except the reviewed ``deficits_from_notes``), citations kept, valid against the contract, free text
in the project's own words, and triaged sanely.

Tests that need ``../shared`` skip without it locally and fail under ``CI=true`` (``require_shared``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from cementwatch import assess
from cementwatch.case import Case, DeficitKind, Status
from cementwatch.registry import literature
from cementwatch.registry.literature import build_literature, dump_jsonl, literature_cases
from cementwatch.registry.literature_csv import LiteratureError, row_to_case, split
from tests.conftest import ROOT, require_shared

DATASET = ROOT / "src" / "cementwatch" / "registry" / "data" / "literature.jsonl"
TEXT = ROOT / "src" / "cementwatch" / "registry" / "data" / "literature-text.yaml"
SEED_IDS = [f"seed-00{n}" for n in range(5)]
# The reviewed deficits that a row's own CSV notes state but its presenting_deficits column leaves out.
REVIEWED_FROM_NOTES = {
    "PC008": ["cauda_equina"],
    "PC025": ["ileus"],
    "PC031": ["hypoxemia"],
    "PC033": ["hypotension"],
    "PC049": ["arrhythmia"],
    "PC062": ["arrhythmia", "hypotension", "hypoxemia"],
}
CODED_FROM_NOTES = "coded from the source's own notes"


def _from_notes() -> dict[str, list[str]]:
    """``deficits_from_notes`` per case id, as written in literature-text.yaml."""
    text: dict[str, dict[str, Any]] = yaml.safe_load(TEXT.read_text(encoding="utf-8"))
    return {
        case_id: entry["deficits_from_notes"]
        for case_id, entry in text.items()
        if "deficits_from_notes" in entry
    }


def _csv_rows() -> list[dict[str, str]]:
    path = require_shared() / "data" / "published-cases.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _csv_rows()


@pytest.fixture(scope="module")
def built() -> list[Case]:
    shared = require_shared()
    return build_literature(shared / "data" / "published-cases.csv", shared / "seeds")


@pytest.fixture(scope="module")
def by_id() -> dict[str, Case]:
    cases = literature_cases()
    return {case.citation.case_id: case for case in cases if case.citation and case.citation.case_id}


# --- the committed file ------------------------------------------------------------------------
def test_the_bundled_file_holds_53_cases_one_per_line() -> None:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 53
    assert len(literature_cases()) == 53


def test_the_committed_file_equals_a_fresh_build(built: list[Case]) -> None:
    assert DATASET.read_text(encoding="utf-8") == dump_jsonl(built), (
        "stale: run python -m cementwatch.registry.literature build"
    )


def test_build_check_command(tmp_path: Path) -> None:
    shared = str(require_shared())
    assert literature.main(["build", "--check", "--shared", shared]) == 0
    out = tmp_path / "literature.jsonl"
    assert literature.main(["build", "--check", "--shared", shared, "--out", str(out)]) == 1
    assert literature.main(["build", "--shared", shared, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == DATASET.read_text(encoding="utf-8")
    assert literature.main(["build", "--shared", str(tmp_path / "nowhere")]) == 2


def test_literature_cases_are_copies() -> None:
    first = literature_cases()
    first[0].notes = "changed"
    first[0].leaks.clear()
    again = literature_cases()[0]
    assert again.notes != "changed"
    assert again.leaks


def test_every_case_validates_against_the_contract(case_validator: Draft202012Validator) -> None:
    for case in literature_cases():
        errors = [e.message for e in case_validator.iter_errors(case.to_json_dict())]
        assert errors == [], case.source


# --- faithful to the CSV -----------------------------------------------------------------------
def test_every_csv_row_is_in_the_dataset_once_with_its_citation(
    rows: list[dict[str, str]], by_id: dict[str, Case]
) -> None:
    ids = [case.citation.case_id for case in literature_cases() if case.citation]
    assert len(rows) == 48
    for row in rows:
        assert ids.count(row["case_id"]) == 1, row["case_id"]
        case = by_id[row["case_id"]]
        assert case.source == f"literature:{row['case_id']}"
        assert case.citation is not None
        assert case.citation.text.startswith(row["citation"])
        cell = row["pmid_or_doi_or_url"]
        ref = case.citation.ref
        assert ref is not None
        bare = ref.split(":", 1)[1] if ref.startswith(("doi:", "pmid:")) else ref
        assert bare.lower() in cell.lower()
        if cell != ref:
            assert cell in case.citation.text  # a cell with several identifiers is kept whole
    assert ids[48:] == SEED_IDS


Getter = Callable[[Case], Any]
FIELDS: dict[str, Getter] = {
    "age": lambda c: c.patient.age,
    "sex": lambda c: c.patient.sex,
    "indication": lambda c: c.procedures[0].indication,
    "treated_levels": lambda c: c.procedures[0].levels,
    "approach": lambda c: c.procedures[0].approach,
    "cement": lambda c: c.procedures[0].cement_material,
    "cement_volume_ml": lambda c: c.procedures[0].cement_volume_ml,
    "leak_locations": lambda c: c.leaks,
    "leak_levels": lambda c: [level for leak in c.leaks for level in leak.levels],
    "onset_after_procedure_days": lambda c: c.timeline.symptom_onset_days,
    "presenting_deficits": lambda c: c.findings.deficits,
    "worst_motor_grade_mrc": lambda c: c.findings.motor_grades,
    "asia_grade": lambda c: c.findings.asia_grade,
    "imaging": lambda c: c.imaging,
    "treatment": lambda c: c.treatments,
    "time_to_surgery_days": lambda c: [c.timeline.treatment_days] + [t.day for t in c.treatments],
    "followup_days": lambda c: c.timeline.followup_days,
    "outcome": lambda c: c.outcome.status,
    "outcome_detail": lambda c: c.outcome.detail,
}
# Columns whose every value maps to a case value: a filled cell must give a filled field.
TOTAL = set(FIELDS) - {"imaging", "treatment", "followup_days"}


def _blank(value: Any) -> bool:
    if isinstance(value, list):
        return all(_blank(item) for item in value)
    return value is None


@pytest.mark.parametrize("column", sorted(FIELDS))
def test_blanks_stay_blank(column: str, rows: list[dict[str, str]], by_id: dict[str, Case]) -> None:
    from_notes = _from_notes()
    for row in rows:
        case = by_id[row["case_id"]]
        value = FIELDS[column](case)
        if column == "presenting_deficits":  # the one exception: the reviewed deficits_from_notes
            value = [
                d for d in case.findings.deficits if d.kind.value not in from_notes.get(row["case_id"], [])
            ]
        if not row[column]:
            assert _blank(value), f"{row['case_id']}.{column}: blank in the CSV, {value!r} in the case"
        elif column in TOTAL:
            assert not _blank(value), f"{row['case_id']}.{column}: {row[column]!r} in the CSV was lost"


def test_blank_columns_across_the_whole_csv_give_no_values(rows: list[dict[str, str]]) -> None:
    # approach and asia_grade are empty in every row: nothing in the dataset may claim otherwise
    assert not any(row["approach"] or row["asia_grade"] for row in rows)
    for case in literature_cases()[:48]:
        assert case.procedures[0].approach is None and case.findings.asia_grade is None
        assert all(leak.detected_by is None for leak in case.leaks)  # the CSV has no detection modality


def test_every_leak_location_and_deficit_is_represented(
    rows: list[dict[str, str]], by_id: dict[str, Case]
) -> None:
    seen_locations, seen_deficits = set(), set()
    for row in rows:
        case = by_id[row["case_id"]]
        locations = set(split(row["leak_locations"]))
        assert {leak.location.value for leak in case.leaks} == locations, row["case_id"]
        assert all(leak.status is Status.PRESENT for leak in case.leaks)
        deficits = {d.replace(" ", "_") for d in split(row["presenting_deficits"])}
        deficits |= set(_from_notes().get(row["case_id"], []))
        assert {d.kind.value for d in case.findings.deficits} == deficits, row["case_id"]
        seen_locations |= locations
        seen_deficits |= deficits
    assert "cardiac" in seen_locations and "intradural" in seen_locations
    assert seen_deficits <= {kind.value for kind in DeficitKind}


def test_deficits_from_notes_are_the_reviewed_valid_kinds_and_are_coded(
    rows: list[dict[str, str]], by_id: dict[str, Case]
) -> None:
    from_notes = _from_notes()
    assert from_notes == REVIEWED_FROM_NOTES  # a change here is a clinical decision: review it
    kinds = {kind.value for kind in DeficitKind}
    column = {row["case_id"]: split(row["presenting_deficits"]) for row in rows}
    for case_id, listed in from_notes.items():
        assert set(listed) <= kinds, case_id
        assert len(set(listed)) == len(listed), case_id
        assert not {v.replace("_", " ") for v in listed} & set(column[case_id]), case_id  # not already coded
        case = by_id[case_id]
        present = {d.kind.value for d in case.findings.deficits if d.status is Status.PRESENT}
        assert set(listed) <= present, case_id
        notes = case.notes or ""
        assert CODED_FROM_NOTES in notes, case_id
        assert all(v.replace("_", " ") in notes.split(CODED_FROM_NOTES, 1)[1] for v in listed), case_id
        assert "no deficit is coded" not in notes.lower(), case_id
    for case_id, case in by_id.items():
        if case_id not in from_notes:
            assert CODED_FROM_NOTES not in (case.notes or ""), case_id


def test_presentations_without_a_codable_deficit_stay_uncoded_and_say_so(by_id: dict[str, Case]) -> None:
    # PC017: a "severe neurological deficit" of no stated type; PC057: stroke, which has no DeficitKind
    for case_id in ("PC017", "PC057"):
        case = by_id[case_id]
        assert case.findings.deficits == [], case_id
        assert "no deficit is coded" in (case.notes or "").lower(), case_id
        assert case_id not in _from_notes()
    assert "stroke" in (by_id["PC057"].notes or "")


def test_deficits_from_notes_are_checked(rows: list[dict[str, str]]) -> None:
    row = next(row for row in rows if row["case_id"] == "PC025")  # presenting_deficits: paraparesis
    text: dict[str, Any] = {"notes": "A note.", "detail": "A detail."}
    case = row_to_case(row, {**text, "deficits_from_notes": ["ileus"]})
    assert [d.kind.value for d in case.findings.deficits] == ["paraparesis", "ileus"]
    for listed, message in [
        (["stroke"], "not a DeficitKind"),
        (["paraparesis"], "already coded"),
        (["ileus", "ileus"], "already coded"),
        ([], "non-empty list"),
        ("ileus", "non-empty list"),
    ]:
        with pytest.raises(LiteratureError, match=message):
            row_to_case(row, {**text, "deficits_from_notes": listed})
    with pytest.raises(LiteratureError, match="unknown keys"):
        row_to_case(row, {**text, "deficit_from_notes": ["ileus"]})


def test_the_row_with_several_leaks_and_levels_is_split_by_location(by_id: dict[str, Case]) -> None:
    levels = {leak.location.value: leak.levels for leak in by_id["PC007"].leaks}
    assert levels == {"foraminal": ["T11", "L1"], "epidural": ["L1"]}


def test_days_are_counted_from_the_procedure(by_id: dict[str, Case]) -> None:
    pc011 = by_id["PC011"]
    assert pc011.timeline.treatment_days == 3
    assert [t.day for t in pc011.treatments] == [3]
    # follow-up counted from an undated operation cannot be placed on the timeline
    assert by_id["PC007"].timeline.followup_days is None
    assert "no follow-up day is set" in (by_id["PC007"].notes or "")
    assert by_id["PC046"].timeline.followup_days == 10  # onset day 0, no operation


def test_unmapped_values_are_named_in_the_notes(by_id: dict[str, Case]) -> None:
    assert "IV fluids, vasopressors" in (by_id["PC033"].notes or "")
    assert "ultrasound" in (by_id["PC033"].notes or "")


def test_an_unknown_csv_value_fails_the_build(rows: list[dict[str, str]]) -> None:
    text = {"notes": "A note.", "detail": "A detail."}
    for column, value in [
        ("treatment", "acupuncture"),
        ("leak_locations", "retroperitoneal"),
        ("presenting_deficits", "tinnitus"),
        ("imaging", "PET"),
        ("outcome", "stable"),
        ("procedure", "sacroplasty"),
        ("detected_when", "late"),
    ]:
        row = {**rows[1], column: value}
        with pytest.raises(LiteratureError, match=column):
            row_to_case(row, text)


def test_an_unknown_csv_column_fails_the_build(tmp_path: Path) -> None:
    source = require_shared() / "data" / "published-cases.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    (tmp_path / "data.csv").write_text(lines[0] + ",extra\n" + "\n".join(lines[1:]), encoding="utf-8")
    with pytest.raises(LiteratureError, match="columns"):
        build_literature(tmp_path / "data.csv", require_shared() / "seeds")


# --- the seeds ---------------------------------------------------------------------------------
def test_the_seeds_are_present_with_citations(by_id: dict[str, Case]) -> None:
    for seed in SEED_IDS:
        case = by_id[seed]
        assert case.source == f"literature:{seed}"
        assert case.citation is not None and case.citation.text
        assert case.notes and "Seed document" in case.notes
    citations = {seed: by_id[seed].citation for seed in SEED_IDS}
    assert all(citation is not None and citation.case_id == seed for seed, citation in citations.items())
    assert by_id["seed-002"].to_json_dict()["citation"]["ref"] == "doi:10.31579/2768-2757/038"
    seed_003 = by_id["seed-003"].to_json_dict()["citation"]
    assert seed_003["ref"] == "doi:10.12998/wjcc.v12.i10.1837" and seed_003["text"].startswith("Mao Z")
    forum = by_id["seed-004"]
    assert forum.citation is not None and "forum post" in forum.citation.text
    assert "no author" in forum.citation.text and forum.citation.ref is None
    assert "NOT A PUBLISHED CASE REPORT" in (forum.notes or "")


def test_no_seed_wording_rides_along_in_evidence_spans() -> None:
    for case in literature_cases():
        items: list[Any] = [*case.procedures, *case.leaks, *case.findings.deficits, *case.imaging]
        items += [*case.findings.motor_grades, *case.treatments, case.patient, case.outcome]
        spans = [span for item in items for span in item.evidence]
        assert spans == [], case.source


# --- own words ---------------------------------------------------------------------------------
def _ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _prose(case: Case) -> list[str]:
    citation = case.citation.text if case.citation else ""
    citation = re.sub(r"doi:\s*\S+|PMID:?\s*\d+|https?://\S+", " ", citation, flags=re.IGNORECASE)
    return [t for t in (case.notes, case.outcome.detail, citation) if t]


def test_no_free_text_copies_eight_words_of_the_csv_or_the_seeds(rows: list[dict[str, str]]) -> None:
    sources = [row[c] for row in rows for c in ("notes", "outcome_detail")]
    sources += [p.read_text(encoding="utf-8") for p in sorted((require_shared() / "seeds").glob("*.txt"))]
    assert len(sources) == 48 * 2 + 5
    copied: set[tuple[str, ...]] = set()
    for source in sources:
        copied |= _ngrams(source)
    for case in literature_cases():
        for text in _prose(case):
            shared = _ngrams(text) & copied
            assert not shared, f"{case.source} copies: {' '.join(sorted(shared)[0])}"


def test_the_copy_check_catches_a_copy(rows: list[dict[str, str]]) -> None:
    note = next(row["notes"] for row in rows if len(row["notes"].split()) > 12)
    lifted = "In short: " + " ".join(note.split()[2:11]) + " and so on."
    sources = [row["notes"] for row in rows]
    assert any(_ngrams(lifted) & _ngrams(source) for source in sources)
    assert literature.copied_runs([lifted], sources)


def test_free_text_is_short() -> None:
    for case in literature_cases():
        assert case.notes and len(case.notes.split()) <= 120, case.source
        assert case.outcome.detail is None or len(case.outcome.detail.split()) <= 30, case.source


# --- data and triage together ------------------------------------------------------------------
CORD = {DeficitKind.PARAPLEGIA, DeficitKind.PARAPARESIS, DeficitKind.BLADDER_DYSFUNCTION}


def test_every_case_is_assessed_and_cord_deficits_are_emergencies() -> None:
    cord_cases = 0
    for case in literature_cases():
        assessment = assess(case)
        kinds = {d.kind for d in case.findings.deficits if d.status is Status.PRESENT}
        if kinds & CORD:
            cord_cases += 1
            assert assessment.urgency.value == "emergency", case.source
    assert cord_cases >= 6  # PC005, PC015, PC023, PC025, seed-000, seed-003


def test_an_intraoperative_collapse_coded_from_the_notes_is_an_emergency(by_id: dict[str, Case]) -> None:
    # PC062: arrhythmia, 65/30 mmHg and SpO2 91% during injection; blank deficits column, stated in its notes
    assert assess(by_id["PC062"]).urgency.value == "emergency"
