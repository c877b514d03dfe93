"""The shapes of the evidence data files, with strict keys.

Every file under ``evidence/data`` is one of these documents. An unknown key, a missing key or a
value outside a vocabulary is a load error naming the file and the path, so a clinician editing a
rule file finds out at once (medspaCy's ``_ALLOWED_KEYS`` habit).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from cementwatch.case import LeakLocation

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
SourceIds = Annotated[list[Id], Field(min_length=1)]
Pair = Annotated[list[float], Field(min_length=2, max_length=2)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceKind(StrEnum):
    META_ANALYSIS = "meta_analysis"
    SYSTEMATIC_REVIEW = "systematic_review"
    COHORT = "cohort"
    CASE_SERIES = "case_series"
    CASE_REPORT = "case_report"
    GUIDELINE = "guideline"
    SCALE = "scale"
    BENCH = "bench"
    SEED = "seed"
    OTHER = "other"


class Source(_Strict):
    id: Id
    citation: str
    pmid: str | None
    doi: str | None
    url: str | None
    kind: SourceKind
    citation_verified: bool
    supports: str

    @property
    def locator(self) -> str:
        """The best way to find it: PMID, then DOI, then URL."""
        if self.pmid:
            return f"PMID {self.pmid}"
        if self.doi:
            return f"doi:{self.doi}"
        return self.url or ""


class FigureStatus(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    INCONSISTENT = "inconsistent"


class Figure(_Strict):
    id: Id
    topic: Literal[
        "leak_incidence",
        "detection",
        "canal_leak",
        "symptomatic_leak",
        "embolism",
        "risk_factor",
        "prevention",
        "outcome",
        "presentation",
    ]
    statement: str
    value: float | None
    unit: Literal["proportion", "odds_ratio", "relative_risk", "mean_difference_ml", "count", "ml"]
    ci: Pair | None
    range: Pair | None
    numerator: int | None
    denominator: int | None
    per: Literal["vertebra", "patient", "procedure"] | None
    procedure: Literal["vertebroplasty", "kyphoplasty", "any"] | None
    indication: Literal["osteoporotic", "metastatic", "myeloma", "mixed"] | None
    detection: Literal["ct", "radiograph", "fluoroscopy", "dictation", "mixed"] | None
    sources: SourceIds
    status: FigureStatus
    caveat: str | None

    @property
    def usable(self) -> bool:
        """May this figure be shown as fact? Unverified figures may not; inconsistent ones
        may, but only with their caveat."""
        return self.status is not FigureStatus.UNVERIFIED


class Grade(_Strict):
    grade: str
    label: str
    definition: str


class Scale(_Strict):
    id: Id
    name: str
    sources: SourceIds
    note: str | None
    grades: Annotated[list[Grade], Field(min_length=2)]


class Route(_Strict):
    id: Literal["B", "S", "C"]
    name: str
    description: str
    sources: SourceIds


class LocationSignificance(_Strict):
    location: LeakLocation
    label: str
    significance: str
    danger: Literal["high", "moderate", "low"]
    sources: SourceIds


class Urgency(StrEnum):
    """Ordered: none < routine < urgent < emergency."""

    NONE = "none"
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Urgency.NONE: 0, Urgency.ROUTINE: 1, Urgency.URGENT: 2, Urgency.EMERGENCY: 3}


class Rule(_Strict):
    """A triage rule's clinical content. Its condition is code in ``assess/triage.py``."""

    id: Id
    urgency: Urgency | None  # None: the rule explains or qualifies, it sets no level
    title: str
    statement: str
    sources: SourceIds


class ActionText(_Strict):
    code: Id
    text: str
    sources: SourceIds


class MissingText(_Strict):
    id: Id
    text: str


class PatientText(_Strict):
    """Plain-language wording for the patient, per urgency, plus the red flags."""

    urgency: Urgency
    text: str


class RuleBook(_Strict):
    schema_: Literal["cementwatch.evidence.rules/1"] = Field(alias="schema")
    version: str
    review: str
    late_after_days: Annotated[int, Field(ge=1)]
    disclaimer: str
    rules: list[Rule]
    actions: list[ActionText]
    missing: list[MissingText]
    patient: list[PatientText]
    red_flags: Annotated[list[str], Field(min_length=1)]


class SourcesFile(_Strict):
    schema_: Literal["cementwatch.evidence.sources/1"] = Field(alias="schema")
    sources: list[Source]


class FiguresFile(_Strict):
    schema_: Literal["cementwatch.evidence.figures/1"] = Field(alias="schema")
    figures: list[Figure]


class ScalesFile(_Strict):
    schema_: Literal["cementwatch.evidence.scales/1"] = Field(alias="schema")
    scales: list[Scale]


class ClassificationFile(_Strict):
    schema_: Literal["cementwatch.evidence.classification/1"] = Field(alias="schema")
    routes: list[Route]
    locations: list[LocationSignificance]
