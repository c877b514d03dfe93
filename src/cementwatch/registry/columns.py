"""What the registry indexes about a case: its normalised columns and child rows. Pure.

These are derived from the case JSON on every store and never edited by hand; the case JSON stays
the truth. The definitions here are the ones ``cementwatch registry list`` filters on:

- ``procedure``: the kind of the first current (non-historical) augmentation.
- ``deficit_severity``: an ordinal of the worst *present* deficit — 0 none, 1 pain only
  (back or radicular pain), 2 sensory deficit, 3 motor weakness or monoparesis, 4 paraparesis, cauda
  equina, bladder or bowel dysfunction, 5 paraplegia (or ASIA A/B, or a motor grade of 0–1).
- ``decompression_days``: days from the index procedure to the first *done* decompressive surgery
  (the surgery's own day, else ``timeline.treatment_days``); empty when there was none or no day is
  known. ``cementwatch stats`` bins outcomes by the same number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cementwatch.case import Case, DeficitKind, Status, TreatmentKind, TreatmentStatus

__all__ = ["DECOMPRESSIVE", "Indexed", "decompression_day", "deficit_severity", "index_case"]

DECOMPRESSIVE = frozenset(
    {
        TreatmentKind.LAMINECTOMY,
        TreatmentKind.HEMILAMINECTOMY,
        TreatmentKind.FORAMINOTOMY,
        TreatmentKind.DUROTOMY,
        TreatmentKind.DECOMPRESSION,
        TreatmentKind.CEMENT_REMOVAL,
        TreatmentKind.CORPECTOMY,
    }
)

_SEVERITY = {
    DeficitKind.BACK_PAIN: 1,
    DeficitKind.RADICULAR_PAIN: 1,
    DeficitKind.SENSORY_DEFICIT: 2,
    DeficitKind.MOTOR_WEAKNESS: 3,
    DeficitKind.MONOPARESIS: 3,
    DeficitKind.PARAPARESIS: 4,
    DeficitKind.CAUDA_EQUINA: 4,
    DeficitKind.BLADDER_DYSFUNCTION: 4,
    DeficitKind.BOWEL_DYSFUNCTION: 4,
    DeficitKind.PARAPLEGIA: 5,
}


def deficit_severity(case: Case) -> int:
    """0 (no neurological deficit) to 5 (paraplegia); see the module docstring."""
    worst = max(
        (_SEVERITY.get(d.kind, 0) for d in case.findings.deficits if d.status is Status.PRESENT), default=0
    )
    if case.findings.asia_grade in ("A", "B"):
        worst = 5
    elif case.findings.asia_grade in ("C", "D"):
        worst = max(worst, 3)
    grades = [g.grade for g in case.findings.motor_grades]
    if grades and min(grades) <= 1:
        worst = max(worst, 4 if min(grades) == 1 else 5)
    elif grades and min(grades) <= 4:
        worst = max(worst, 3)
    return worst


def decompression_day(case: Case) -> float | None:
    """Days from the index procedure to the first done decompressive surgery, if known."""
    done = [t for t in case.treatments if t.kind in DECOMPRESSIVE and t.status is TreatmentStatus.DONE]
    if not done:
        return None
    days = [t.day for t in done if t.day is not None]
    if days:
        return min(days)
    return case.timeline.treatment_days


@dataclass(frozen=True)
class Indexed:
    """The ``cases`` columns and child rows (without ``case_id``) of one case."""

    columns: dict[str, Any]
    leaks: list[dict[str, Any]] = field(default_factory=list)
    deficits: list[dict[str, Any]] = field(default_factory=list)
    treatments: list[dict[str, Any]] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)


def index_case(case: Case, *, urgency: str | None) -> Indexed:
    current = [p for p in case.procedures if not p.historical]
    index = current[0] if current else None
    citation = case.citation
    columns = {
        "urgency": urgency,
        "procedure": index.kind.value if index else None,
        "indication": index.indication.value if index and index.indication else None,
        "age": case.patient.age,
        "sex": case.patient.sex.value if case.patient.sex else None,
        "deficit_severity": deficit_severity(case),
        "onset_days": case.timeline.symptom_onset_days,
        "presentation_days": case.timeline.presentation_days,
        "decompression_days": decompression_day(case),
        "followup_days": case.timeline.followup_days,
        "outcome": case.outcome.status.value if case.outcome.status else None,
        "citation": citation.text if citation else None,
        "citation_ref": citation.ref[:256] if citation and citation.ref else None,
    }
    levels = {(level, "procedure") for p in current for level in p.levels}
    levels |= {
        (level, "leak") for leak in case.leaks if leak.status is not Status.ABSENT for level in leak.levels
    }
    return Indexed(
        columns=columns,
        leaks=sorted(
            ({"location": k.location.value, "status": k.status.value} for k in case.leaks),
            key=lambda r: (r["location"], r["status"]),
        ),
        deficits=[{"kind": d.kind.value, "status": d.status.value} for d in case.findings.deficits],
        treatments=[{"kind": t.kind.value, "status": t.status.value, "day": t.day} for t in case.treatments],
        levels=[{"level": level, "role": role} for level, role in sorted(levels)],
    )
