"""Wording families: does the reader generalise across the many ways one finding is written?

The cases are short snippets in ``data/wording_families.yaml``, grouped by family (motor grades in
every notation, functional and lay weakness, sensory and sphincter wordings, radicular and back
pain, cardiopulmonary signs, relative and calendar days, outcomes, cement volumes, leak wordings).
Each entry lists only what its snippet states, following the annotation conventions of
``tests/corpus/README.md``; the test checks just those expectations.

An entry marked ``known_gap: true`` is a wording the reader gets wrong today. It runs as a strict
xfail, so a reader change that fixes it fails the run (XPASS) until the mark is removed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from cementwatch.case import Case, DeficitKind, LeakLocation, OutcomeStatus, ProcedureKind, Status
from cementwatch.read import read_case

DATA = Path(__file__).parent / "data" / "wording_families.yaml"

DEFICIT_KEYS = ("deficits_present", "deficits_absent", "deficits_not_present")
LEAK_KEYS = ("leaks_present", "leaks_absent", "leaks_possible", "leaks_not_present")
DAY_KEYS = {
    "onset_days": "symptom_onset_days",
    "presentation_days": "presentation_days",
    "treatment_days": "treatment_days",
}
EXPECTATION_KEYS = {
    *DEFICIT_KEYS,
    *LEAK_KEYS,
    *DAY_KEYS,
    "worst_motor_grade",
    "outcome",
    "cement_volume_ml",
    "procedure_kinds",
}
KEYS = {"family", "text", "known_gap", *EXPECTATION_KEYS}
VOLUME_TOLERANCE_ML = 0.1


def load_entries() -> list[dict[str, Any]]:
    entries = yaml.safe_load(DATA.read_text(encoding="utf-8"))["cases"]
    assert isinstance(entries, list)
    return entries


ENTRIES = load_entries()


def entry_ids(entries: list[dict[str, Any]]) -> list[str]:
    """``family-NN``, numbered within each family from 01, so failures group by family."""
    seen: Counter[str] = Counter()
    ids = []
    for entry in entries:
        seen[entry["family"]] += 1
        ids.append(f"{entry['family']}-{seen[entry['family']]:02d}")
    return ids


def params() -> list[Any]:
    out = []
    for entry, name in zip(ENTRIES, entry_ids(ENTRIES), strict=True):
        marks = []
        if entry.get("known_gap"):
            marks.append(pytest.mark.xfail(strict=True, reason="known gap in the reader's wording coverage"))
        out.append(pytest.param(entry, id=name, marks=marks))
    return out


# --- reading a case -------------------------------------------------------------------------------


def deficits_with(case: Case, status: Status) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status is status}


def leaks_with(case: Case, status: Status) -> set[str]:
    return {leak.location.value for leak in case.leaks if leak.status is status}


def worst_grade(case: Case) -> int | None:
    grades = [g.grade for g in case.findings.motor_grades]
    return min(grades) if grades else None


def mismatches(entry: dict[str, Any], case: Case) -> list[str]:
    """Every listed expectation the reading does not meet, one line each."""
    problems: list[str] = []
    for prefix, read in (("deficits", deficits_with), ("leaks", leaks_with)):
        present, absent, possible = (read(case, s) for s in (Status.PRESENT, Status.ABSENT, Status.POSSIBLE))
        for item in entry.get(f"{prefix}_present", []):
            if item not in present:
                problems.append(f"{prefix}_present: {item} not read as present")
        for item in entry.get(f"{prefix}_absent", []):
            if item in present:
                problems.append(f"{prefix}_absent: {item} read as present (contradiction)")
            elif item not in absent:
                problems.append(f"{prefix}_absent: {item} not read as absent")
        for item in entry.get(f"{prefix}_possible", []):
            if item not in possible:
                problems.append(f"{prefix}_possible: {item} not read as possible")
        for item in entry.get(f"{prefix}_not_present", []):
            if item in present:
                problems.append(f"{prefix}_not_present: {item} read as present")
    if "worst_motor_grade" in entry and worst_grade(case) != entry["worst_motor_grade"]:
        problems.append(f"worst_motor_grade: expected {entry['worst_motor_grade']}, got {worst_grade(case)}")
    for key, attribute in DAY_KEYS.items():
        if key in entry:
            low, high = entry[key]
            got = getattr(case.timeline, attribute)
            if got is None or not low <= got <= high:
                problems.append(f"{key}: expected [{low}, {high}], got {got}")
    if "outcome" in entry:
        accepted = entry["outcome"] if isinstance(entry["outcome"], list) else [entry["outcome"]]
        got_outcome = case.outcome.status.value if case.outcome.status else None
        if got_outcome not in accepted:
            problems.append(f"outcome: expected {'/'.join(accepted)}, got {got_outcome}")
    if "cement_volume_ml" in entry:
        volume = case.procedures[0].cement_volume_ml if case.procedures else None
        if volume is None or abs(volume - entry["cement_volume_ml"]) > VOLUME_TOLERANCE_ML + 1e-9:
            problems.append(f"cement_volume_ml: expected {entry['cement_volume_ml']}, got {volume}")
    kinds = {p.kind.value for p in case.procedures}
    for kind in entry.get("procedure_kinds", []):
        if kind not in kinds:
            problems.append(f"procedure_kinds: {kind} not read (got {sorted(kinds)})")
    return problems


@pytest.mark.parametrize("entry", params())
def test_wording_family(entry: dict[str, Any]) -> None:
    problems = mismatches(entry, read_case(entry["text"]))
    assert not problems, f"{entry['text']!r}\n  " + "\n  ".join(problems)


# a snippet that names its index augmentation plainly (added after the first run, when 12 snippets
# lost theirs to a negation aimed at a finding: "has not passed urine since the vertebroplasty")
NAMED_PROCEDURE = re.compile(r"\b(?:vertebroplasty|kyphoplasty|pvp|pkp|bkp)\b", re.I)
DENIED_PROCEDURE = re.compile(r"\b(?:no|not|never|without)\b[^.]{0,25}\b(?:vertebroplasty|kyphoplasty)", re.I)


NAMED = [e for e in ENTRIES if NAMED_PROCEDURE.search(e["text"]) and not DENIED_PROCEDURE.search(e["text"])]


@pytest.mark.parametrize("entry", NAMED, ids=lambda e: e["text"][:40])
def test_the_named_index_procedure_is_read(entry: dict[str, Any]) -> None:
    """Whatever else a snippet says, the augmentation it names is read (snippets with a negation near
    the name are left to the reader's negation tests)."""
    assert read_case(entry["text"]).procedures, entry["text"]


# --- the data file itself -------------------------------------------------------------------------


def test_the_data_file_is_well_formed() -> None:
    vocab = {
        "deficits": {k.value for k in DeficitKind},
        "leaks": {k.value for k in LeakLocation},
    }
    outcomes = {k.value for k in OutcomeStatus}
    kinds = {k.value for k in ProcedureKind}
    texts: Counter[str] = Counter(entry["text"] for entry in ENTRIES)
    assert not [t for t, n in texts.items() if n > 1], "duplicate texts"
    for entry, name in zip(ENTRIES, entry_ids(ENTRIES), strict=True):
        assert set(entry) <= KEYS, f"{name}: unknown keys {set(entry) - KEYS}"
        assert isinstance(entry["text"], str) and entry["text"].strip(), name
        assert set(entry) & EXPECTATION_KEYS, f"{name}: no expectation"
        assert entry.get("known_gap", False) in (True, False), name
        for prefix, allowed in vocab.items():
            lists = {key: set(entry.get(key, [])) for key in entry if key.startswith(prefix + "_")}
            for key, items in lists.items():
                assert items <= allowed, f"{name}: {key} has {items - allowed}"
            present = lists.get(f"{prefix}_present", set())
            assert not present & lists.get(f"{prefix}_absent", set()), f"{name}: present and absent"
            assert not present & lists.get(f"{prefix}_not_present", set()), f"{name}: present and not"
        for key in DAY_KEYS:
            if key in entry:
                low, high = entry[key]
                assert 0 <= low <= high, f"{name}: {key} {entry[key]}"
        if "outcome" in entry:
            accepted = entry["outcome"] if isinstance(entry["outcome"], list) else [entry["outcome"]]
            assert set(accepted) <= outcomes, f"{name}: outcome {accepted}"
        if "worst_motor_grade" in entry:
            assert entry["worst_motor_grade"] in range(6), name
        assert set(entry.get("procedure_kinds", [])) <= kinds, name
    assert 200 <= len(ENTRIES) <= 320
