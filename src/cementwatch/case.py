"""The clinical case: the ``cementwatch.case/1`` contract as pydantic models.

One ``Case`` is one patient's episode after vertebral augmentation, as a document tells it: the
augmentation(s), where cement leaked, what the examination found, the imaging, what was done for the
leak, the timeline in days from the index procedure (day 0), and the outcome. Every item may carry
``evidence``: the character spans of the source text it was read from.

The vocabularies are closed enums, exactly those of ``contracts/case.schema.json``. Levels are
normalised on the way in (``D12`` → ``T12``; ``T10-L2`` → T10…L2); an impossible level is an error
naming its path, e.g. ``procedures[0].levels[1]: 'L9' is not a vertebra``.

Extra properties are kept (the contract allows them). Project extensions defined here:
``Leak.central`` (pulmonary cement in a central artery), ``Case.warnings`` (what a reader could not do),
``Case.citation`` and ``Case.notes`` (literature cases), ``Outcome.detail``.

Pure: no I/O. ``load_case``/``parse_case`` take text or data, never paths.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from cementwatch.levels import LevelError, normalise_levels

__all__ = [
    "SCHEMA_ID",
    "Approach",
    "Case",
    "CaseError",
    "CementMaterial",
    "Citation",
    "Deficit",
    "DeficitKind",
    "DetectedBy",
    "Findings",
    "Imaging",
    "Indication",
    "Leak",
    "LeakLocation",
    "Modality",
    "MotorGrade",
    "Outcome",
    "OutcomeStatus",
    "Patient",
    "Procedure",
    "ProcedureKind",
    "Route",
    "Sex",
    "Side",
    "Span",
    "Status",
    "Timeline",
    "Treatment",
    "TreatmentKind",
    "TreatmentStatus",
    "Viscosity",
    "parse_case",
    "unknown_fields",
]

SCHEMA_ID: Final = "cementwatch.case/1"


class ProcedureKind(StrEnum):
    VERTEBROPLASTY = "vertebroplasty"
    KYPHOPLASTY = "kyphoplasty"
    OTHER_AUGMENTATION = "other_augmentation"


class Indication(StrEnum):
    OSTEOPOROTIC = "osteoporotic"
    METASTATIC = "metastatic"
    MYELOMA = "myeloma"
    HEMANGIOMA = "hemangioma"
    TRAUMATIC = "traumatic"
    OTHER = "other"


class Approach(StrEnum):
    UNILATERAL = "unilateral"
    BILATERAL = "bilateral"


class CementMaterial(StrEnum):
    PMMA = "pmma"
    CALCIUM_PHOSPHATE = "calcium_phosphate"
    OTHER = "other"


class Viscosity(StrEnum):
    HIGH = "high"
    LOW = "low"


class LeakLocation(StrEnum):
    INTRADURAL = "intradural"
    EPIDURAL = "epidural"
    FORAMINAL = "foraminal"
    INTRADISCAL = "intradiscal"
    PARAVERTEBRAL = "paravertebral"
    VENOUS = "venous"
    PULMONARY = "pulmonary"
    CARDIAC = "cardiac"
    OTHER = "other"


class Status(StrEnum):
    """Whether the document asserts a leak or a deficit, denies it, or hedges."""

    PRESENT = "present"
    ABSENT = "absent"
    POSSIBLE = "possible"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"


class Route(StrEnum):
    """Yeom 2003: B basivertebral vein, S segmental vein, C cortical defect."""

    B = "B"
    S = "S"
    C = "C"


class DetectedBy(StrEnum):
    FLUOROSCOPY = "fluoroscopy"
    RADIOGRAPH = "radiograph"
    CT = "ct"
    MRI = "mri"
    CT_MYELOGRAPHY = "ct_myelography"
    CT_ANGIOGRAPHY = "ct_angiography"
    ECHOCARDIOGRAPHY = "echocardiography"
    SURGERY = "surgery"


class DeficitKind(StrEnum):
    BACK_PAIN = "back_pain"
    RADICULAR_PAIN = "radicular_pain"
    SENSORY_DEFICIT = "sensory_deficit"
    MOTOR_WEAKNESS = "motor_weakness"
    MONOPARESIS = "monoparesis"
    PARAPARESIS = "paraparesis"
    PARAPLEGIA = "paraplegia"
    BLADDER_DYSFUNCTION = "bladder_dysfunction"
    BOWEL_DYSFUNCTION = "bowel_dysfunction"
    CAUDA_EQUINA = "cauda_equina"
    ILEUS = "ileus"
    DYSPNEA = "dyspnea"
    CHEST_PAIN = "chest_pain"
    HYPOXEMIA = "hypoxemia"
    HYPOTENSION = "hypotension"
    ARRHYTHMIA = "arrhythmia"


class Modality(StrEnum):
    RADIOGRAPH = "radiograph"
    FLUOROSCOPY = "fluoroscopy"
    CT = "ct"
    MRI = "mri"
    CT_MYELOGRAPHY = "ct_myelography"
    CT_ANGIOGRAPHY = "ct_angiography"
    ECHOCARDIOGRAPHY = "echocardiography"


class TreatmentKind(StrEnum):
    CONSERVATIVE = "conservative"
    ANALGESICS = "analgesics"
    PHYSIOTHERAPY = "physiotherapy"
    REHABILITATION = "rehabilitation"
    STEROIDS = "steroids"
    NERVE_BLOCK = "nerve_block"
    ANTICOAGULATION = "anticoagulation"
    ANTIPLATELET = "antiplatelet"
    OXYGEN = "oxygen"
    LAMINECTOMY = "laminectomy"
    HEMILAMINECTOMY = "hemilaminectomy"
    FORAMINOTOMY = "foraminotomy"
    DUROTOMY = "durotomy"
    DECOMPRESSION = "decompression"
    CEMENT_REMOVAL = "cement_removal"
    CORPECTOMY = "corpectomy"
    INSTRUMENTED_FUSION = "instrumented_fusion"
    EMBOLECTOMY = "embolectomy"
    ENDOVASCULAR_RETRIEVAL = "endovascular_retrieval"
    CARDIAC_SURGERY = "cardiac_surgery"
    RADIOTHERAPY = "radiotherapy"


class TreatmentStatus(StrEnum):
    DONE = "done"
    PLANNED = "planned"
    RECOMMENDED = "recommended"
    DECLINED = "declined"
    ABSENT = "absent"


class OutcomeStatus(StrEnum):
    FULL_RECOVERY = "full_recovery"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"
    DIED = "died"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


def _check_levels(value: Any) -> Any:
    """Expand and normalise a list of level texts; errors carry the item's index."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return value  # let the list[str] type report the shape error
    try:
        return normalise_levels(value)
    except LevelError as error:
        raise PydanticCustomError(
            "vertebra_level",
            "{value} is not a vertebra",
            {"value": repr(error.value), "index": error.index},
        ) from None


class _Model(BaseModel):
    # validate_assignment: a reader setting `procedure.indication = "metastatic"` gets the enum,
    # and an impossible value fails at once.
    model_config = ConfigDict(
        extra="allow", use_enum_values=False, validate_default=True, validate_assignment=True
    )


class Span(_Model):
    """Where in the source text an item was read: ``text[start:end]``."""

    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    text: str | None = None

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: int, info: ValidationInfo) -> int:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"end {end} is before start {start}")
        return end


class Patient(_Model):
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    age_range: Annotated[list[int], Field(min_length=2, max_length=2)] | None = None
    sex: Sex | None = None
    evidence: list[Span] = Field(default_factory=list)


class Procedure(_Model):
    """One vertebral augmentation. The index procedure comes first."""

    kind: ProcedureKind
    levels: list[str] = Field(default_factory=list)
    indication: Indication | None = None
    approach: Approach | None = None
    cement_material: CementMaterial | None = None
    cement_viscosity: Viscosity | None = None
    cement_volume_ml: Annotated[float, Field(ge=0)] | None = None
    historical: bool = False
    evidence: list[Span] = Field(default_factory=list)

    _levels = field_validator("levels", mode="before")(_check_levels)


class Leak(_Model):
    location: LeakLocation
    status: Status
    levels: list[str] = Field(default_factory=list)
    side: Side | None = None
    route: Route | None = None
    detected_by: DetectedBy | None = None
    central: bool | None = Field(
        default=None,
        description="project extension: pulmonary cement in a central (True) or peripheral "
        "(False) artery; None when the document does not say",
    )
    evidence: list[Span] = Field(default_factory=list)

    _levels = field_validator("levels", mode="before")(_check_levels)


class Deficit(_Model):
    kind: DeficitKind
    status: Status
    side: Side | None = None
    progressive: bool | None = None
    evidence: list[Span] = Field(default_factory=list)


class MotorGrade(_Model):
    """An MRC grade (0–5) for one muscle group, with the common +/- sub-grade."""

    grade: Annotated[int, Field(ge=0, le=5)]
    muscle: str | None = None
    side: Side | None = None
    modifier: Literal["+", "-"] | None = None
    evidence: list[Span] = Field(default_factory=list)


class Findings(_Model):
    deficits: list[Deficit] = Field(default_factory=list)
    motor_grades: list[MotorGrade] = Field(default_factory=list)
    asia_grade: Literal["A", "B", "C", "D", "E"] | None = None
    pain_nrs: Annotated[float, Field(ge=0, le=10)] | None = None


class Imaging(_Model):
    modality: Modality
    day: float | None = None
    evidence: list[Span] = Field(default_factory=list)


class Treatment(_Model):
    """What was done, planned, recommended, declined or explicitly not done for the leak."""

    kind: TreatmentKind
    status: TreatmentStatus
    levels: list[str] = Field(default_factory=list)
    day: float | None = None
    evidence: list[Span] = Field(default_factory=list)

    _levels = field_validator("levels", mode="before")(_check_levels)


class Timeline(_Model):
    """Days from the index augmentation (day 0)."""

    symptom_onset_days: float | None = None
    presentation_days: float | None = None
    treatment_days: float | None = None
    followup_days: float | None = None


class Outcome(_Model):
    status: OutcomeStatus | None = None
    detail: str | None = Field(default=None, description="extension: the outcome in a few words")
    evidence: list[Span] = Field(default_factory=list)


class Citation(_Model):
    """Extension: where a published case was reported (literature cases only)."""

    text: str = Field(description="author, year, journal, as a reader would cite it")
    ref: str | None = Field(default=None, description="pmid:…, doi:… or a URL")
    case_id: str | None = Field(default=None, description="the case's id in its source dataset, e.g. PC005")


class Case(_Model):
    """One patient's episode after vertebral augmentation (``cementwatch.case/1``)."""

    schema_: Literal["cementwatch.case/1"] = Field(default=SCHEMA_ID, alias="schema")
    source: str | None = None
    patient: Patient = Field(default_factory=lambda: Patient())
    procedures: list[Procedure] = Field(default_factory=list)
    leaks: list[Leak] = Field(default_factory=list)
    findings: Findings = Field(default_factory=lambda: Findings())
    imaging: list[Imaging] = Field(default_factory=list)
    treatments: list[Treatment] = Field(default_factory=list)
    timeline: Timeline = Field(default_factory=lambda: Timeline())
    outcome: Outcome = Field(default_factory=lambda: Outcome())
    warnings: list[str] = Field(default_factory=list)
    citation: Citation | None = None
    notes: str | None = Field(default=None, description="extension: free-text remarks, never read by rules")

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's JSON shape (enums as strings, ``schema`` key, extras kept)."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_json_dict(), indent=indent, ensure_ascii=False)


class CaseError(ValueError):
    """A case that does not fit the contract. ``problems`` are ``path: message`` lines."""

    def __init__(self, problems: list[str], *, where: str | None = None) -> None:
        self.problems = problems
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(problems))


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(case)"


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        if item["type"] == "vertebra_level" and item.get("ctx", {}).get("index") is not None:
            loc = (*loc, item["ctx"]["index"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] in ("enum", "literal_error"):
            message += f" (got {item['input']!r})"
        problems.append(f"{_path(loc)}: {message}")
    return problems


def parse_case(data: str | bytes | dict[str, Any], *, where: str | None = None) -> Case:
    """Validate JSON text or a decoded object into a :class:`Case`.

    Raises :class:`CaseError` naming every problem by its path in the document.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise CaseError([f"not JSON: {error.msg} at line {error.lineno}"], where=where) from None
        except RecursionError:
            raise CaseError(["not JSON: nested too deeply"], where=where) from None
    if not isinstance(data, dict):
        raise CaseError(["(case): a case is a JSON object"], where=where)
    if data.get("schema", SCHEMA_ID) != SCHEMA_ID:
        raise CaseError([f"schema: expected {SCHEMA_ID!r}, got {data.get('schema')!r}"], where=where)
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        raise CaseError(_problems(error), where=where) from None


def unknown_fields(case: Case) -> list[str]:
    """Paths of properties the contract does not name (kept, but often a typo)."""
    found: list[str] = []

    def walk(model: BaseModel, path: str) -> None:
        for key in model.model_extra or {}:
            found.append(f"{path}.{key}" if path else key)
        for name in type(model).model_fields:
            value = getattr(model, name)
            key = "schema" if name == "schema_" else name
            where = f"{path}.{key}" if path else key
            if isinstance(value, BaseModel):
                walk(value, where)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, BaseModel):
                        walk(item, f"{where}[{i}]")

    walk(case, "")
    return found
