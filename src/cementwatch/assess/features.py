"""What the similarity compares, read once from a :class:`~cementwatch.case.Case`. Pure.

A :class:`Profile` holds eight features (docs/prognosis.md): leak location, deficit severity,
cardiorespiratory symptoms, procedure, level region, onset, decompression and its delay. ``None`` is
a missing value: the record says nothing about it (no leak item at all, no finding at all, no
treatment at all). A record whose leaks are all absent has the leak value ``("none",)``.

Conventions (those of the triage): a leak or deficit the record calls *possible* counts as present.
:func:`summary` words the same reading as one plain line for the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cementwatch.case import Case, DeficitKind, LeakLocation, Side, Status, TreatmentKind, TreatmentStatus
from cementwatch.levels import ALL_LEVELS

__all__ = ["DECOMPRESSIVE", "DELAYS", "LEAK_CLASS", "NO_LEAK", "REGIONS", "SEVERITY_RANGE", "Profile"]
__all__ += ["decompression", "profile", "summary"]

L = LeakLocation
# Worst first, three to a class: canal leaks decide the neurological outcome, then embolic, then local.
_WORST_FIRST = "intradural epidural foraminal cardiac pulmonary venous other paravertebral intradiscal"
_LEAK_ORDER_ALL: Final = tuple(L(name) for name in _WORST_FIRST.split())
LEAK_CLASS: Final = {
    loc.value: ("canal", "embolic", "local")[i // 3] for i, loc in enumerate(_LEAK_ORDER_ALL)
}
NO_LEAK: Final = "none"  # leaks recorded, all absent

D = DeficitKind
#: Neurological severity: 0 none, 1 back pain only, 2 radicular pain or sensory loss, 3 weakness of a
#: limb or root, 4 paraparesis, 5 paraplegia; sphincter dysfunction adds half a step (at least 3.5).
_STEP: Final = {D.BACK_PAIN: 1, D.RADICULAR_PAIN: 2, D.SENSORY_DEFICIT: 2, D.MOTOR_WEAKNESS: 3}
_STEP.update({D.MONOPARESIS: 3, D.PARAPARESIS: 4, D.PARAPLEGIA: 5})
_SPHINCTER: Final = frozenset({D.BLADDER_DYSFUNCTION, D.BOWEL_DYSFUNCTION, D.CAUDA_EQUINA})
_ASIA: Final = {"A": 5, "B": 5, "C": 4, "D": 4}  # A/B: no motor function below the level
SEVERITY_RANGE: Final = 5.5
_WORDS = "back pain only|radicular pain or sensory loss|limb weakness|paraparesis|paraplegia"
_STEP_WORDS: Final = ("no neurological or cardiorespiratory symptoms", *_WORDS.split("|"))
_SYMPTOMS: Final = frozenset({D.DYSPNEA, D.CHEST_PAIN, D.HYPOXEMIA})
_HAEMODYNAMIC: Final = frozenset({D.HYPOTENSION, D.ARRHYTHMIA})

#: Regions by the neural element at risk: cervical cord; thoracic cord in the narrow thoracic canal
#: (T1-T10); conus medullaris at the thoracolumbar junction (T11-L1); cauda equina (L2-L5); sacrum.
REGIONS: Final = ("cervical", "thoracic", "thoracolumbar", "lumbar", "sacral")
_REGION_OF: Final = {lv: 0 if lv[0] == "C" and lv != "Co" else 4 for lv in ALL_LEVELS if lv[0] in "CS"}
_REGION_OF.update({f"T{n}": 1 for n in range(1, 11)} | {"T11": 2, "T12": 2, "L1": 2})
_REGION_OF.update({f"L{n}": 3 for n in range(2, 6)})
_LEVEL_INDEX: Final = {level: i for i, level in enumerate(ALL_LEVELS)}

#: The registry's decompressive operations and the delay bins of ``cementwatch stats``.
T = TreatmentKind
_OPS = "laminectomy hemilaminectomy foraminotomy durotomy decompression cement_removal corpectomy"
DECOMPRESSIVE: Final = frozenset(T(name) for name in _OPS.split())
DELAYS: Final = ("same day", "1–2 days", "3–30 days", "> 30 days")
_ACTIVE: Final = (Status.PRESENT, Status.POSSIBLE)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the similarity compares (docs/prognosis.md). ``None`` is a missing value."""

    leak_location: tuple[str, ...] | None  # active leak locations worst first; ("none",) if all absent
    deficit_severity: float | None  # 0-5.5 (_STEP)
    cardiorespiratory: int | None  # 0 none, 1 dyspnoea/chest pain/hypoxaemia, 2 hypotension/arrhythmia
    procedure: str | None
    level_region: int | None  # index into REGIONS
    onset: str | None  # "immediate" (day <= 1) or "delayed"
    decompression: bool | None
    decompression_delay: int | None  # index into DELAYS


def decompression(case: Case) -> tuple[bool, float | None]:
    """Whether a decompressive operation was done, and its first day (registry definition)."""
    done = [t for t in case.treatments if t.kind in DECOMPRESSIVE and t.status is TreatmentStatus.DONE]
    days = [t.day for t in done if t.day is not None]
    return bool(done), min(days) if days else (case.timeline.treatment_days if done else None)


def _neuro(case: Case) -> tuple[int, bool]:
    """The neurological step before sphincter dysfunction (_STEP), and whether the sphincters fail."""
    findings = case.findings
    active = {d.kind for d in findings.deficits if d.status in _ACTIVE}
    step = max([_STEP.get(kind, 0) for kind in active] + [_ASIA.get(findings.asia_grade or "", 0)])
    weak = [g for g in findings.motor_grades if g.grade < 5]
    if weak:
        step = max(step, 3)
        left = [g.grade for g in weak if g.side in (Side.LEFT, Side.BILATERAL)]
        right = [g.grade for g in weak if g.side in (Side.RIGHT, Side.BILATERAL)]
        if left and right:  # weakness on both sides: a cord or cauda equina picture
            step = max(step, 5 if max(min(left), min(right)) == 0 else 4)
    return step, bool(active & _SPHINCTER)


def _severity(case: Case) -> float:
    step, sphincter = _neuro(case)
    return max(step, 3) + 0.5 if sphincter else float(step)


def profile(case: Case) -> Profile:
    """The features of one case (module docstring, docs/prognosis.md)."""
    active = [leak for leak in case.leaks if leak.status in _ACTIVE]
    locations = tuple(loc for loc in _LEAK_ORDER_ALL if any(leak.location is loc for leak in active))
    findings = case.findings
    recorded = bool(findings.deficits or findings.motor_grades or findings.asia_grade)
    kinds = {d.kind for d in findings.deficits if d.status in _ACTIVE}
    cardio = 2 if kinds & _HAEMODYNAMIC else 1 if kinds & _SYMPTOMS else 0
    current = [p for p in case.procedures if not p.historical] or case.procedures
    # The region of the worst leak, else of the index procedure; its most cranial level.
    levels = [
        level for leak in active if locations and leak.location is locations[0] for level in leak.levels
    ]
    levels = levels or [level for p in current[:1] for level in p.levels]
    top = min(levels, key=_LEVEL_INDEX.__getitem__) if levels else None
    onset = case.timeline.symptom_onset_days
    decompressed, day = decompression(case)
    delay = None
    if decompressed and day is not None and day >= 0:
        delay = 0 if day < 1 else 1 if day <= 2 else 2 if day <= 30 else 3
    return Profile(
        leak_location=tuple(loc.value for loc in locations) or ((NO_LEAK,) if case.leaks else None),
        deficit_severity=_severity(case) if recorded else None,
        cardiorespiratory=cardio if recorded else None,
        procedure=current[0].kind.value if current else None,
        level_region=_REGION_OF.get(top) if top else None,
        onset=None if onset is None else "immediate" if onset <= 1 else "delayed",
        decompression=decompressed if case.treatments else None,
        decompression_delay=delay,
    )


def _label(value: str) -> str:
    return value.replace("_", " ")


def summary(case: Case) -> str:
    """One line in plain words: procedure, leak, deficit, onset, treatment, outcome."""
    recorded = profile(case).deficit_severity is not None
    current = [proc for proc in case.procedures if not proc.historical] or case.procedures
    parts = [_label(current[0].kind.value).capitalize() if current else "Augmentation not described"]
    active = [leak for leak in case.leaks if leak.status in _ACTIVE]
    where = [loc.value for loc in _LEAK_ORDER_ALL if any(leak.location is loc for leak in active)]
    levels = sorted({lv for leak in active for lv in leak.levels}, key=_LEVEL_INDEX.__getitem__)
    if where:
        parts.append(" and ".join(where) + " cement" + (f" at {', '.join(levels)}" if levels else ""))
    else:
        parts.append("no leak seen" if case.leaks else "leak not described")
    if not recorded:
        parts.append("deficits not described")
    else:
        step, sphincter = _neuro(case)
        kinds = {d.kind for d in case.findings.deficits if d.status in _ACTIVE}
        words = [_label(d.value) for d in DeficitKind if d in kinds and _STEP.get(d) == step == 2]
        neuro = [" and ".join(words) or _STEP_WORDS[step]] if step or not sphincter else []
        neuro = [w.removesuffix(" only") for w in neuro] if sphincter else neuro
        neuro += ["sphincter dysfunction"] if sphincter else []
        grades = [g.grade for g in case.findings.motor_grades if g.grade < 5]
        neuro[-1] += f" (worst MRC {min(grades)}/5)" if grades else ""
        cardio = [_label(d.value) for d in DeficitKind if d in kinds and d in _SYMPTOMS | _HAEMODYNAMIC]
        parts.append(", ".join([*neuro, *cardio] if step or sphincter or not cardio else cardio))
    onset = case.timeline.symptom_onset_days
    if onset is not None:
        parts.append(f"onset day {onset:g}")
    decompressed, day = decompression(case)
    done = [_label(t.kind.value) for t in case.treatments if t.status is TreatmentStatus.DONE]
    if decompressed:
        parts.append(f"decompressed day {day:g}" if day is not None else "decompressed (day not given)")
    elif done:
        parts.append("treated with " + ", ".join(done[:2]).replace("conservative", "conservative care"))
    status = case.outcome.status
    parts.append(f"outcome: {_label(status.value)}" if status else "outcome not reported")
    return "; ".join(parts)
