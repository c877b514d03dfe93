"""What the registry indexes about a case: its normalised columns and child rows. Pure.

These are derived from the case JSON on every store and never edited by hand; the case JSON stays
the truth. The definitions here are the ones ``cementwatch registry list`` filters on:

- ``procedure``: the kind of the first current (non-historical) augmentation.
- ``deficit_severity``: the neurological severity that similar cases are compared on
  (``assess.features``, docs/prognosis.md): 0 none, 1 back pain only, 2 radicular pain or sensory
  loss, 3 limb weakness, 4 paraparesis, 5 paraplegia, sphincter dysfunction half a step more;
  empty when the record has no findings.
- ``decompression_days``: days from the index procedure to the first *done* decompressive surgery
  (the surgery's own day, else ``timeline.treatment_days``); empty when there was none or no day is
  known. ``cementwatch stats`` and the similarity bin by the same number (``assess.features``).
- ``profile``: the similarity's eight features (``assess.features.Profile``) as compact JSON, so that
  ``Registry.similar`` can rank a large registry without parsing every case.
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass, field, fields
from typing import Any

from cementwatch.assess.features import DECOMPRESSIVE, Profile, decompression, profile
from cementwatch.case import Case, Status

__all__ = ["DECOMPRESSIVE", "Indexed", "decompression_day", "deficit_severity", "index_case"]
__all__ += ["profile_from_json", "profile_json"]

_PROFILE_FIELDS = tuple(f.name for f in fields(Profile))


def profile_json(case: Case) -> str:
    """The case's similarity profile as a compact JSON array, in ``Profile`` field order."""
    return json.dumps(astuple(profile(case)), separators=(",", ":"))


def profile_from_json(text: str) -> Profile:
    """The inverse of :func:`profile_json`."""
    values = json.loads(text)
    if not isinstance(values, list) or len(values) != len(_PROFILE_FIELDS):
        raise ValueError(f"not a stored profile: {text[:80]!r}")
    named = dict(zip(_PROFILE_FIELDS, values, strict=True))
    if named["leak_location"] is not None:
        named["leak_location"] = tuple(named["leak_location"])
    return Profile(**named)


def deficit_severity(case: Case) -> float | None:
    """The similarity's neurological severity (``assess.features``): 0 none … 5 paraplegia, sphincter
    dysfunction half a step more; None when the record has no findings at all."""
    return profile(case).deficit_severity


def decompression_day(case: Case) -> float | None:
    """Days from the index procedure to the first done decompressive surgery, if known."""
    return decompression(case)[1]


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
        "profile": profile_json(case),
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
