"""The shape of ``risk.yaml``: which figures make the pre-procedure leakage estimate.

The arithmetic is in ``assess/risk.py``; which base rates, odds ratios, qualitative factors and
prevention steps it uses, and their wording, are data here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from cementwatch.evidence.model import Id, SourceIds

FigureIds = Annotated[list[Id], Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BaseRate(_Strict):
    """Any-leak rate per vertebra for one procedure, indication and detection method."""

    procedure: Literal["vertebroplasty", "kyphoplasty"]
    indication: Literal["neoplastic", "myeloma"] | None
    detection: Literal["radiograph", "ct"]
    label: str
    figures: FigureIds


class OddsFactor(_Strict):
    """A risk factor applied on the log-odds scale with its pooled odds ratio."""

    id: Literal["cortical_disruption", "low_viscosity", "cleft"]
    label: str
    figure: Id


class Qualitative(_Strict):
    """A factor the evidence names but does not quantify well enough to compute with."""

    id: Literal["posterior_wall_defect", "volume", "bmd", "approach", "levels", "neoplastic", "thoracic"]
    text: str
    sources: SourceIds
    figures: list[Id] = Field(default_factory=list)


class CanalRisk(_Strict):
    indication: Literal["osteoporotic", "neoplastic"]
    text: str
    figures: FigureIds


class VolumeBand(_Strict):
    """Volumes up to ``max_ml`` (inclusive when ``inclusive``); ``None``: the open top band."""

    max_ml: float | None
    inclusive: bool
    figure: Id

    def holds(self, volume_ml: float) -> bool:
        if self.max_ml is None:
            return True
        return volume_ml <= self.max_ml if self.inclusive else volume_ml < self.max_ml


class Embolism(_Strict):
    text: str
    ct_figures: FigureIds
    symptomatic_by_volume: Annotated[list[VolumeBand], Field(min_length=1)]
    volume_note: str
    three_levels_figure: Id
    modifiers_text: str
    sources: SourceIds


class Prevention(_Strict):
    id: Id
    when: Literal[
        "always",
        "vertebroplasty",
        "low_viscosity",
        "neoplastic",
        "myeloma",
        "posterior_wall_defect",
    ]
    text: str
    sources: SourceIds
    figures: list[Id] = Field(default_factory=list)


class RiskBook(_Strict):
    schema_: Literal["cementwatch.evidence.risk/1"] = Field(alias="schema")
    method: str
    limits: Annotated[list[str], Field(min_length=1)]
    base_rates: Annotated[list[BaseRate], Field(min_length=2)]
    odds_factors: list[OddsFactor]
    qualitative: list[Qualitative]
    canal: list[CanalRisk]
    embolism: Embolism
    prevention: list[Prevention]

    def cited_sources(self) -> Iterator[tuple[str, list[str]]]:
        for q in self.qualitative:
            yield f"risk.yaml qualitative {q.id}", q.sources
        yield "risk.yaml embolism", self.embolism.sources
        for p in self.prevention:
            yield f"risk.yaml prevention {p.id}", p.sources

    def cited_figures(self) -> Iterator[tuple[str, str]]:
        for b in self.base_rates:
            for f in b.figures:
                yield f"risk.yaml base rate {b.procedure}/{b.detection}", f
        for o in self.odds_factors:
            yield f"risk.yaml factor {o.id}", o.figure
        for q in self.qualitative:
            for f in q.figures:
                yield f"risk.yaml qualitative {q.id}", f
        for c in self.canal:
            for f in c.figures:
                yield f"risk.yaml canal {c.indication}", f
        for f in self.embolism.ct_figures:
            yield "risk.yaml embolism", f
        for band in self.embolism.symptomatic_by_volume:
            yield "risk.yaml embolism volume band", band.figure
        yield "risk.yaml embolism", self.embolism.three_levels_figure
        for p in self.prevention:
            for f in p.figures:
                yield f"risk.yaml prevention {p.id}", f
