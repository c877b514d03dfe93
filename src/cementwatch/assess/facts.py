"""What the triage rules look at, derived once from a :class:`~cementwatch.case.Case`.

Conventions that make the answer cautious rather than hopeful:

- a deficit or leak the record calls *possible* counts as present (it is listed in ``missing``);
- an MRC grade below 5 counts as weakness even when no weakness item was recorded;
- the worst motor grade is the lowest one recorded, whichever side or muscle;
- an ASIA grade of A to D records a spinal cord injury: it counts as a cord syndrome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from cementwatch.case import (
    Case,
    DeficitKind,
    DetectedBy,
    Leak,
    LeakLocation,
    Modality,
    Status,
    Treatment,
    TreatmentStatus,
)
from cementwatch.levels import region

D = DeficitKind
MOTOR = frozenset({D.MOTOR_WEAKNESS, D.MONOPARESIS})
CORD = frozenset({D.PARAPARESIS, D.PARAPLEGIA})
SPHINCTER = frozenset({D.BLADDER_DYSFUNCTION, D.BOWEL_DYSFUNCTION, D.CAUDA_EQUINA})
ROOT = frozenset({D.RADICULAR_PAIN, D.SENSORY_DEFICIT})
CARDIORESPIRATORY = frozenset({D.DYSPNEA, D.CHEST_PAIN, D.HYPOXEMIA, D.HYPOTENSION, D.ARRHYTHMIA})
NEUROLOGICAL = MOTOR | CORD | SPHINCTER | ROOT
CANAL = frozenset({LeakLocation.EPIDURAL, LeakLocation.FORAMINAL})
CT_LIKE = frozenset({Modality.CT, Modality.CT_MYELOGRAPHY})
PLAIN = frozenset({Modality.RADIOGRAPH, Modality.FLUOROSCOPY})
_ACTIVE = (Status.PRESENT, Status.POSSIBLE)


def label(value: str) -> str:
    """``bladder_dysfunction`` → ``bladder dysfunction``."""
    return value.replace("_", " ")


@dataclass(frozen=True)
class Facts:
    case: Case
    late_after_days: int  # the rule book's threshold for a late presentation
    active: dict[DeficitKind, Status] = field(init=False)
    recorded: frozenset[DeficitKind] = field(init=False)

    def __post_init__(self) -> None:
        active: dict[DeficitKind, Status] = {}
        for deficit in self.case.findings.deficits:
            if deficit.status in _ACTIVE and active.get(deficit.kind) is not Status.PRESENT:
                active[deficit.kind] = deficit.status
        object.__setattr__(self, "active", active)
        object.__setattr__(self, "recorded", frozenset(d.kind for d in self.case.findings.deficits))

    # --- deficits ---------------------------------------------------------------------------
    def deficits(self, kinds: frozenset[DeficitKind]) -> list[DeficitKind]:
        """Active (present or possible) deficits of these kinds, in vocabulary order."""
        return [kind for kind in DeficitKind if kind in kinds and kind in self.active]

    @cached_property
    def worst_grade(self) -> int | None:
        grades = [g.grade for g in self.case.findings.motor_grades]
        return min(grades) if grades else None

    @cached_property
    def asia_impaired(self) -> str | None:
        """The ASIA grade when it records impairment (A-D); E and none are not impairment."""
        grade = self.case.findings.asia_grade
        return grade if grade in ("A", "B", "C", "D") else None

    @cached_property
    def cord(self) -> bool:
        return bool(self.deficits(CORD)) or self.asia_impaired is not None

    @cached_property
    def motor(self) -> bool:
        """Weakness of any kind: a recorded weakness, any grade below 5, or ASIA A-D."""
        graded_weak = self.worst_grade is not None and self.worst_grade < 5
        return bool(self.deficits(MOTOR | CORD)) or graded_weak or self.asia_impaired is not None

    @cached_property
    def progressive(self) -> bool | None:
        flags = [
            d.progressive
            for d in self.case.findings.deficits
            if d.kind in NEUROLOGICAL and d.status in _ACTIVE
        ]
        if any(flag is True for flag in flags):
            return True
        return False if flags and all(flag is False for flag in flags) else None

    @cached_property
    def neuro_exam_recorded(self) -> bool:
        findings = self.case.findings
        return bool(self.recorded & NEUROLOGICAL or findings.motor_grades or findings.asia_grade)

    @cached_property
    def symptomatic(self) -> bool:
        """Any active neurological or cardiorespiratory deficit, or ileus."""
        return bool(self.deficits(NEUROLOGICAL | CARDIORESPIRATORY | {D.ILEUS})) or self.motor

    # --- leaks ------------------------------------------------------------------------------
    def leaks(self, *locations: LeakLocation) -> list[Leak]:
        """Active (present or possible) leaks at these locations."""
        return [leak for leak in self.case.leaks if leak.location in locations and leak.status in _ACTIVE]

    @cached_property
    def any_leak(self) -> list[Leak]:
        return self.leaks(*LeakLocation)

    def leak_levels(self, leaks: list[Leak]) -> list[str]:
        """Levels of these leaks; when none is given, the index procedure's levels."""
        levels = [level for leak in leaks for level in leak.levels]
        return levels or self.treated_levels

    @cached_property
    def treated_levels(self) -> list[str]:
        current = [p for p in self.case.procedures if not p.historical] or self.case.procedures
        return [level for p in current[:1] for level in p.levels]

    def thoracic(self, leaks: list[Leak]) -> bool:
        return any(region(level) == "thoracic" for level in self.leak_levels(leaks))

    # --- imaging and treatment ----------------------------------------------------------------
    @cached_property
    def modalities(self) -> set[Modality]:
        return {image.modality for image in self.case.imaging}

    @cached_property
    def ct_done(self) -> bool:
        """CT after the symptoms began (or undated), or a leak found on CT or at surgery."""
        onset = self.case.timeline.symptom_onset_days
        for image in self.case.imaging:
            if image.modality in CT_LIKE and (onset is None or image.day is None or image.day >= onset):
                return True
        found = {DetectedBy.CT, DetectedBy.CT_MYELOGRAPHY, DetectedBy.SURGERY}
        return any(leak.detected_by in found for leak in self.any_leak)

    @cached_property
    def plain_negative(self) -> bool:
        """A leak ruled out on radiograph or fluoroscopy, or only plain imaging and no leak seen."""
        ruled_out = any(
            leak.status is Status.ABSENT
            and leak.detected_by in (DetectedBy.RADIOGRAPH, DetectedBy.FLUOROSCOPY)
            for leak in self.case.leaks
        )
        only_plain = bool(self.modalities) and self.modalities <= PLAIN and not self.any_leak
        return ruled_out or only_plain

    @cached_property
    def done(self) -> list[Treatment]:
        return [t for t in self.case.treatments if t.status is TreatmentStatus.DONE]
