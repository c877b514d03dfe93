"""One row of ``shared/data/published-cases.csv`` → one :class:`Case`. Pure: no I/O.

Contract:

- Every cell is mapped through an explicit table below. A value that no table lists raises
  :class:`LiteratureError` naming the row, the column and the table to extend: a new CSV value fails
  the build instead of vanishing. A table entry of ``None`` means "known, deliberately not coded"
  (the case vocabulary has no term for it); such values are listed in the case's ``notes``.
- Blanks stay blank: an empty cell gives ``None`` or an empty list, never a guessed value. The one
  reviewed exception: deficits that the row's own ``notes`` column states plainly but its
  ``presenting_deficits`` column leaves out are listed by hand under ``deficits_from_notes`` in
  ``data/literature-text.yaml`` (DeficitKind values). They are added as present deficits and the case's
  notes say they were coded from the source's notes. An unknown kind, or one the column already
  codes, raises :class:`LiteratureError`.
- Days are counted from the index procedure (the contract's day 0). ``time_to_surgery_days`` is
  counted from the procedure (the CSV's own note on PC011 says so) and becomes
  ``timeline.treatment_days`` and the ``day`` of every surgical treatment. ``followup_days`` is
  counted from the treatment of the leak (PC007: 16 days after surgery; PC054 and PC064:
  postoperative days), so it becomes ``timeline.followup_days`` only when that treatment's day is
  known: the surgery day when given, else day 0 for a row with onset on day 0 and no surgery.
- Free text (``notes``, ``outcome.detail``) never comes from the CSV: it is written by hand in
  ``data/literature-text.yaml`` and passed in as ``text`` (keys: :data:`TEXT_KEYS`).
"""

from __future__ import annotations

import re
from typing import Any, Final

from cementwatch.case import (
    Case,
    DeficitKind,
    Indication,
    LeakLocation,
    Modality,
    OutcomeStatus,
    ProcedureKind,
    TreatmentKind,
)

__all__ = [
    "COLUMNS",
    "FROM_NOTES",
    "LEAK_LEVELS_BY_LOCATION",
    "TEXT_KEYS",
    "LiteratureError",
    "citation_ref",
    "row_to_case",
    "split",
]

COLUMNS: Final = [
    *("case_id", "citation", "pmid_or_doi_or_url", "age", "sex", "indication", "procedure"),
    *("treated_levels", "approach", "cement", "cement_volume_ml", "leak_locations", "leak_levels"),
    *("detected_when", "onset_after_procedure_days", "presenting_deficits", "worst_motor_grade_mrc"),
    *("asia_grade", "imaging", "treatment", "time_to_surgery_days", "followup_days", "outcome"),
    *("outcome_detail", "notes"),
]

T = TreatmentKind
PROCEDURE: Final[dict[str, ProcedureKind]] = {
    "PVP": ProcedureKind.VERTEBROPLASTY,
    "PKP": ProcedureKind.KYPHOPLASTY,
    "other": ProcedureKind.OTHER_AUGMENTATION,
}
INDICATION: Final[dict[str, Indication]] = {i.value: i for i in Indication}
SEX: Final = {"F": "female", "M": "male"}
APPROACH: Final = {"unilateral": "unilateral", "bilateral": "bilateral"}
CEMENT: Final = {"PMMA": "pmma", "calcium phosphate": "calcium_phosphate", "other": "other"}
LEAK_LOCATION: Final[dict[str, LeakLocation]] = {loc.value: loc for loc in LeakLocation}
DEFICIT: Final[dict[str, DeficitKind]] = {k.value.replace("_", " "): k for k in DeficitKind}
# The keys an entry of data/literature-text.yaml may have; FROM_NOTES lists DeficitKind values.
FROM_NOTES: Final = "deficits_from_notes"
TEXT_KEYS: Final = frozenset({"notes", "detail", FROM_NOTES})
ASIA: Final = {g: g for g in "ABCDE"}
IMAGING: Final[dict[str, Modality | None]] = {
    "CT": Modality.CT,
    "MRI": Modality.MRI,
    "X-ray": Modality.RADIOGRAPH,
    "echocardiography": Modality.ECHOCARDIOGRAPHY,
    "CT angiography": Modality.CT_ANGIOGRAPHY,
    # no modality in the case vocabulary:
    "ultrasound": None,  # vascular or point-of-care; not necessarily echocardiography
    "V/Q scan": None,
    "ECG": None,
    "coronary angiography": None,
}
TREATMENT: Final[dict[str, TreatmentKind | None]] = {
    "instrumentation/fusion": T.INSTRUMENTED_FUSION,
    "laminectomy": T.LAMINECTOMY,
    "durotomy": T.DUROTOMY,
    "decompression": T.DECOMPRESSION,
    "conservative": T.CONSERVATIVE,
    "steroids": T.STEROIDS,
    "oxygen": T.OXYGEN,
    "anticoagulation": T.ANTICOAGULATION,
    "antiplatelet": T.ANTIPLATELET,
    "cardiac surgery": T.CARDIAC_SURGERY,
    "embolectomy": T.EMBOLECTOMY,
    "endovascular retrieval": T.ENDOVASCULAR_RETRIEVAL,
    # no treatment kind in the case vocabulary:
    "IV fluids": None,
    "vasopressors": None,
    "inotropes": None,
    "antiarrhythmics": None,
    "non-invasive ventilation": None,  # ventilatory support, not supplemental oxygen alone
    "pericardiocentesis": None,
    "wedge resection": None,  # lung resection, not an embolectomy
}
SURGICAL: Final = frozenset(
    {T.LAMINECTOMY, T.HEMILAMINECTOMY, T.FORAMINOTOMY, T.DUROTOMY, T.DECOMPRESSION, T.CEMENT_REMOVAL}
    | {T.CORPECTOMY, T.INSTRUMENTED_FUSION, T.EMBOLECTOMY, T.ENDOVASCULAR_RETRIEVAL, T.CARDIAC_SURGERY}
)
OUTCOME: Final[dict[str, OutcomeStatus]] = {
    "full recovery": OutcomeStatus.FULL_RECOVERY,
    "partial recovery": OutcomeStatus.IMPROVED,
    "improved": OutcomeStatus.IMPROVED,
    "no change": OutcomeStatus.UNCHANGED,
    "worse": OutcomeStatus.WORSE,
    "death": OutcomeStatus.DIED,
}
# The case has no field for when the leak was recognised: it goes into the notes.
DETECTED_WHEN: Final = {
    "intraoperative": "during the procedure",
    "immediate": "right after the procedure",
    "delayed": "some time after the procedure",
}
# A row naming several leak locations and levels does not say which level is whose. Each such row is
# split by hand here from its notes column; a new one fails the build until it is added.
LEAK_LEVELS_BY_LOCATION: Final[dict[str, dict[str, list[str]]]] = {
    # notes: foraminal cement at T11 and L1, canal stenosis at L1 coded epidural
    "PC007": {"foraminal": ["T11", "L1"], "epidural": ["L1"]},
}


class LiteratureError(ValueError):
    """A CSV row the converter cannot map faithfully."""


def split(cell: str) -> list[str]:
    """A multi-valued cell (``a;b``) as its stripped, non-empty items."""
    return [item.strip() for item in re.split(r"[;,]", cell) if item.strip()]


def _lookup(table: dict[str, Any], name: str, value: str, case_id: str) -> Any:
    if value not in table:
        raise LiteratureError(
            f"{case_id}: column {name}: unknown value {value!r}; add it to the {name} mapping "
            f"in cementwatch/registry/literature_csv.py"
        )
    return table[value]


def _number(cell: str, name: str, case_id: str) -> float | None:
    if not cell.strip():
        return None
    try:
        return float(cell)
    except ValueError:
        raise LiteratureError(f"{case_id}: column {name}: not a number: {cell!r}") from None


def _integer(cell: str, name: str, case_id: str) -> int | None:
    value = _number(cell, name, case_id)
    if value is not None and not value.is_integer():
        raise LiteratureError(f"{case_id}: column {name}: not a whole number: {cell!r}")
    return None if value is None else int(value)


def citation_ref(cell: str) -> str | None:
    """The first of doi, PMID and URL in a ``pmid_or_doi_or_url`` cell, as ``doi:…``/``pmid:…``/URL."""
    if doi := re.search(r"doi:\s*(10\.[^\s;)]+)", cell, re.IGNORECASE):
        return f"doi:{doi.group(1)}"
    if pmid := re.search(r"PMID:?\s*(\d+)", cell, re.IGNORECASE):
        return f"pmid:{pmid.group(1)}"
    if url := re.search(r"https?://[^\s;]+", cell):
        return url.group(0)
    return None


def _citation(row: dict[str, str]) -> dict[str, Any]:
    cell = row["pmid_or_doi_or_url"].strip()
    ref = citation_ref(cell)
    text = row["citation"].strip()
    if cell and cell != ref:  # more than the one identifier: keep the whole cell in the citation
        text = f"{text} [{cell}]"
    return {"text": text, "ref": ref, "case_id": row["case_id"]}


def _leaks(row: dict[str, str], case_id: str) -> list[dict[str, Any]]:
    locations = [_lookup(LEAK_LOCATION, "leak_locations", v, case_id) for v in split(row["leak_locations"])]
    levels = split(row["leak_levels"])
    by_location: dict[str, list[str]] = {}
    if levels and len(locations) > 1:
        if case_id not in LEAK_LEVELS_BY_LOCATION:
            raise LiteratureError(
                f"{case_id}: leak_levels {levels} with several locations; say which level is whose in "
                "LEAK_LEVELS_BY_LOCATION"
            )
        by_location = LEAK_LEVELS_BY_LOCATION[case_id]
        named = {level for split_levels in by_location.values() for level in split_levels}
        if set(by_location) != {loc.value for loc in locations} or named != set(levels):
            raise LiteratureError(f"{case_id}: LEAK_LEVELS_BY_LOCATION does not match the row's leaks")
    elif levels and not locations:
        raise LiteratureError(f"{case_id}: leak levels {levels} without a leak location")
    elif levels:
        by_location = {loc.value: levels for loc in locations}
    return [
        {"location": loc, "status": "present", "levels": by_location.get(loc.value, [])} for loc in locations
    ]


def _treatments(
    row: dict[str, str], case_id: str, day: float | None
) -> tuple[list[dict[str, Any]], list[str]]:
    done, uncoded = [], []
    for value in split(row["treatment"]):
        kind = _lookup(TREATMENT, "treatment", value, case_id)
        if kind is None:
            uncoded.append(value)
        else:
            done.append({"kind": kind, "status": "done", "day": day if kind in SURGICAL else None})
    return done, uncoded


def _deficits(
    row: dict[str, str], text: dict[str, Any], case_id: str
) -> tuple[list[DeficitKind], list[DeficitKind]]:
    """The deficits of the CSV column, and those added from the row's notes (``deficits_from_notes``)."""
    from_column = [
        _lookup(DEFICIT, "presenting_deficits", v, case_id) for v in split(row["presenting_deficits"])
    ]
    listed = text.get(FROM_NOTES, [])
    if not isinstance(listed, list) or (FROM_NOTES in text and not listed):
        raise LiteratureError(f"{case_id}: {FROM_NOTES} must be a non-empty list (data/literature-text.yaml)")
    from_notes = []
    for value in listed:
        try:
            kind = DeficitKind(value)
        except ValueError:
            raise LiteratureError(f"{case_id}: {FROM_NOTES}: {value!r} is not a DeficitKind value") from None
        if kind in from_column or kind in from_notes:
            raise LiteratureError(f"{case_id}: {FROM_NOTES}: {value!r} is already coded")
        from_notes.append(kind)
    return from_column, from_notes


def _followup(row: dict[str, str], case_id: str, surgical: bool) -> float | None:
    """``followup_days`` counted from the treatment, converted to days from the procedure if possible."""
    followup = _number(row["followup_days"], "followup_days", case_id)
    surgery = _number(row["time_to_surgery_days"], "time_to_surgery_days", case_id)
    onset = _number(row["onset_after_procedure_days"], "onset_after_procedure_days", case_id)
    if followup is None:
        return None
    if surgery is not None:
        return surgery + followup
    if onset == 0 and not surgical:
        return followup
    return None


def row_to_case(row: dict[str, str], text: dict[str, Any]) -> Case:
    """The case for one CSV row; ``text`` holds its hand-written ``notes``, ``detail`` and
    ``deficits_from_notes``."""
    row = {key: (value or "").strip() for key, value in row.items()}
    case_id = row["case_id"]
    if unknown := sorted(set(text) - TEXT_KEYS):
        raise LiteratureError(f"{case_id}: unknown keys {unknown} in data/literature-text.yaml")
    if not text.get("notes") or bool(text.get("detail")) != bool(row["outcome_detail"]):
        raise LiteratureError(
            f"{case_id}: the hand-written text needs notes, and an outcome detail exactly when the CSV "
            "has one (data/literature-text.yaml)"
        )
    surgery_day = _number(row["time_to_surgery_days"], "time_to_surgery_days", case_id)
    treatments, uncoded = _treatments(row, case_id, surgery_day)
    surgical = any(t["kind"] in SURGICAL for t in treatments)
    if surgery_day is not None and not surgical:
        raise LiteratureError(f"{case_id}: time_to_surgery_days without a surgical treatment")
    imaging = [_lookup(IMAGING, "imaging", v, case_id) for v in split(row["imaging"])]
    uncoded_imaging = [v for v, m in zip(split(row["imaging"]), imaging, strict=True) if m is None]
    grade = _integer(row["worst_motor_grade_mrc"], "worst_motor_grade_mrc", case_id)
    followup = _followup(row, case_id, surgical)
    when = (
        _lookup(DETECTED_WHEN, "detected_when", row["detected_when"], case_id)
        if row["detected_when"]
        else None
    )

    from_column, from_notes = _deficits(row, text, case_id)

    notes = [text["notes"]]
    if from_notes:
        named = ", ".join(kind.value.replace("_", " ") for kind in from_notes)
        noun = "Deficit" if len(from_notes) == 1 else "Deficits"
        column = "not in its deficits column" if from_column else "its deficits column is blank"
        notes.append(f"{noun} coded from the source's own notes ({column}): {named}.")
    if when:
        notes.append(f"Leak recognised {when}.")
    if uncoded_imaging:
        notes.append(f"Imaging outside the case vocabulary: {', '.join(uncoded_imaging)}.")
    if uncoded:
        notes.append(f"Treatment outside the case vocabulary: {', '.join(uncoded)}.")
    if row["followup_days"] and followup is None:
        notes.append(
            f"Follow-up given as {row['followup_days']} days after the treatment, whose day is unknown; "
            "no follow-up day is set."
        )
    data: dict[str, Any] = {
        "source": f"literature:{case_id}",
        "patient": {
            "age": _integer(row["age"], "age", case_id),
            "sex": _lookup(SEX, "sex", row["sex"], case_id) if row["sex"] else None,
        },
        "procedures": [
            {
                "kind": _lookup(PROCEDURE, "procedure", row["procedure"], case_id),
                "levels": split(row["treated_levels"]),
                "indication": _lookup(INDICATION, "indication", row["indication"], case_id)
                if row["indication"]
                else None,
                "approach": _lookup(APPROACH, "approach", row["approach"], case_id)
                if row["approach"]
                else None,
                "cement_material": _lookup(CEMENT, "cement", row["cement"], case_id)
                if row["cement"]
                else None,
                "cement_volume_ml": _number(row["cement_volume_ml"], "cement_volume_ml", case_id),
            }
        ],
        "leaks": _leaks(row, case_id),
        "findings": {
            "deficits": [{"kind": kind, "status": "present"} for kind in from_column + from_notes],
            "motor_grades": [] if grade is None else [{"grade": grade}],
            "asia_grade": _lookup(ASIA, "asia_grade", row["asia_grade"], case_id)
            if row["asia_grade"]
            else None,
        },
        "imaging": [{"modality": m} for m in dict.fromkeys(imaging) if m is not None],
        "treatments": treatments,
        "timeline": {
            "symptom_onset_days": _number(
                row["onset_after_procedure_days"], "onset_after_procedure_days", case_id
            ),
            "treatment_days": surgery_day,
            "followup_days": followup,
        },
        "outcome": {
            "status": _lookup(OUTCOME, "outcome", row["outcome"], case_id) if row["outcome"] else None,
            "detail": text.get("detail"),
        },
        "citation": _citation(row),
        "notes": " ".join(notes),
    }
    return Case.model_validate(data)
