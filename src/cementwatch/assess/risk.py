"""Pre-procedure leakage risk: ``estimate_risk(RiskInputs) -> RiskEstimate``.

Method (also stated in every estimate and in ``evidence/data/risk.yaml``): take the range of
published any-leak rates per vertebra for the procedure, indication and detection method; move it on
the log-odds scale by the pooled odds ratio of each factor present, assuming independence; the low
end uses the lowest base rate and each odds ratio's lower 95% limit, the high end the highest rate
and the upper limits. The result is a range, never a single falsely precise number. Factors without
a usable pooled odds ratio are shown with their evidence but not computed.
"""

from __future__ import annotations

import math
from statistics import fmean
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cementwatch.case import Approach, Indication, ProcedureKind, Viscosity
from cementwatch.evidence import EvidenceBase, load_evidence
from cementwatch.evidence.model import FigureStatus
from cementwatch.evidence.risk_model import BaseRate
from cementwatch.levels import normalise_levels, region

__all__ = ["RiskEstimate", "RiskInputs", "estimate_risk"]

NEOPLASTIC = frozenset({Indication.METASTATIC, Indication.MYELOMA})


class RiskInputs(BaseModel):
    """What is known before the procedure. ``None`` means not known (the factor is not applied)."""

    model_config = ConfigDict(extra="forbid")

    procedure: Literal[ProcedureKind.VERTEBROPLASTY, ProcedureKind.KYPHOPLASTY]
    indication: Indication | None = None
    levels: list[str] = Field(default_factory=list)
    cortical_disruption: bool | None = None
    posterior_wall_defect: bool | None = None
    cleft: bool | None = None
    viscosity: Viscosity | None = None
    volume_ml: Annotated[float, Field(ge=0, le=30, allow_inf_nan=False)] | None = None
    bmd_t_score: Annotated[float, Field(ge=-8, le=6, allow_inf_nan=False)] | None = None
    n_levels: Annotated[int, Field(ge=1, le=30)] | None = None
    approach: Approach | None = None
    detection: Literal["radiograph", "ct"] = "radiograph"

    @field_validator("levels", mode="before")
    @classmethod
    def _levels(cls, value: object) -> object:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return value  # the list[str] type reports the shape error
        return normalise_levels(value)

    @property
    def level_count(self) -> int | None:
        return len(self.levels) or self.n_levels


class Range(BaseModel):
    low: float
    high: float
    central: float | None = None

    def percent(self) -> str:
        """The range first; the middle only as a pointer inside it."""
        lo, hi = _pct(self.low), _pct(self.high)
        if lo == hi:
            return lo
        middle = f" (middle about {_pct(self.central)})" if self.central is not None else ""
        return f"{lo}–{hi}{middle}"


class Driver(BaseModel):
    factor: str
    label: str
    present: bool | None
    odds_ratio: float
    ci: list[float] | None
    figure: str
    sources: list[str]


class Note(BaseModel):
    factor: str
    text: str
    sources: list[str]


class PreventionStep(BaseModel):
    id: str
    text: str
    sources: list[str]
    any_leak_if_done: Range | None = None


class RiskEstimate(BaseModel):
    schema_: Literal["cementwatch.risk/1"] = Field(default="cementwatch.risk/1", alias="schema")
    inputs: RiskInputs
    any_leak: Range
    base: str
    base_figures: list[str]
    per: str
    caveats: list[str]
    drivers: list[Driver]
    other_factors: list[Note]
    canal_leak: Note
    embolism: Note
    embolism_symptomatic: Range | None
    prevention: list[PreventionStep]
    not_given: list[str]
    method: str
    limits: list[str]
    disclaimer: str

    model_config = ConfigDict(populate_by_name=True)


def _pct(p: float | None) -> str:
    if p is None:
        return "?"
    return f"{p * 100:.1f}%" if 0 < p < 0.01 else f"{p * 100:.0f}%"


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _choose_base(inputs: RiskInputs, book_rates: list[BaseRate]) -> tuple[BaseRate, list[str]]:
    kind = inputs.indication
    wanted = "myeloma" if kind is Indication.MYELOMA else "neoplastic" if kind in NEOPLASTIC else None
    notes: list[str] = []
    same = [b for b in book_rates if b.procedure == inputs.procedure.value]
    for indication, detection in (
        (wanted, inputs.detection),
        (wanted, None),
        (None, inputs.detection),
    ):
        for rate in same:
            if rate.indication == indication and detection in (None, rate.detection):
                if indication != wanted:
                    notes.append(f"no {wanted} {inputs.procedure.value} series: the general rate is used")
                if rate.detection != inputs.detection:
                    notes.append(
                        f"no {inputs.detection}-detected rate for this group: the "
                        f"{rate.detection}-detected rate is shown, and CT finds more"
                    )
                return rate, notes
    general = next(b for b in same if b.indication is None and b.detection == "radiograph")
    if wanted is not None:
        notes.append(f"no {wanted} {inputs.procedure.value} series: the general rate is used")
    notes.append(f"no {inputs.detection}-detected {inputs.procedure.value} rate: radiograph rate shown")
    return general, notes


def _wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _base_span(evidence: EvidenceBase, rate: BaseRate) -> tuple[float, float, list[float]]:
    """Lowest and highest base rate; a single series spans its own 95% interval where known."""
    figures = [evidence.figure(f) for f in rate.figures]
    base = [f.value for f in figures if f.value is not None]
    if len(figures) == 1:
        only = figures[0]
        if only.ci:
            return only.ci[0], only.ci[1], base
        if only.numerator is not None and only.denominator:
            low, high = _wilson(only.numerator, only.denominator)
            return low, high, base
    return min(base), max(base), base


def _any_leak(evidence: EvidenceBase, rate: BaseRate, factors: list[tuple[float, float, float]]) -> Range:
    lowest, highest, base = _base_span(evidence, rate)
    low = _logit(lowest) + sum(math.log(lo) for _, lo, _ in factors)
    high = _logit(highest) + sum(math.log(hi) for _, _, hi in factors)
    mid = fmean(_logit(v) for v in base) + sum(math.log(odds) for odds, _, _ in factors)
    return Range(low=_expit(low), high=_expit(high), central=_expit(mid))


def estimate_risk(inputs: RiskInputs, *, evidence: EvidenceBase | None = None) -> RiskEstimate:
    """Estimate the chance of any leak, and describe canal-leak and embolism risk, before a procedure."""
    evidence = evidence or load_evidence()
    book = evidence.risk
    rate, base_notes = _choose_base(inputs, list(book.base_rates))
    present = {
        "cortical_disruption": inputs.cortical_disruption,
        "low_viscosity": None if inputs.viscosity is None else inputs.viscosity is Viscosity.LOW,
        "cleft": inputs.cleft,
    }
    drivers: list[Driver] = []
    applied: dict[str, tuple[float, float, float]] = {}
    for factor in book.odds_factors:
        figure = evidence.figure(factor.figure)
        assert figure.value is not None and figure.ci is not None, factor.figure
        if present[factor.id]:
            applied[factor.id] = (figure.value, figure.ci[0], figure.ci[1])
        drivers.append(
            Driver(
                factor=factor.id,
                label=factor.label,
                present=present[factor.id],
                odds_ratio=figure.value,
                ci=list(figure.ci),
                figure=figure.id,
                sources=list(figure.sources),
            )
        )
    any_leak = _any_leak(evidence, rate, list(applied.values()))
    neoplastic = inputs.indication in NEOPLASTIC
    thoracic = any(region(level) == "thoracic" for level in inputs.levels)
    qualitative_when = {
        "posterior_wall_defect": inputs.posterior_wall_defect is True,
        "volume": inputs.volume_ml is not None,
        "bmd": inputs.bmd_t_score is not None and inputs.bmd_t_score <= -2.5,
        "approach": inputs.approach is not None,
        "levels": (inputs.level_count or 0) >= 3,
        "neoplastic": neoplastic,
        "thoracic": thoracic,
    }
    other = [
        Note(factor=q.id, text=q.text.strip(), sources=list(q.sources))
        for q in book.qualitative
        if qualitative_when[q.id]
    ]
    canal = next(c for c in book.canal if c.indication == ("neoplastic" if neoplastic else "osteoporotic"))
    canal_sources = sorted({s for f in canal.figures for s in evidence.figure(f).sources})
    embolism = book.embolism
    symptomatic = None
    if inputs.volume_ml is not None:
        band = next(b for b in embolism.symptomatic_by_volume if b.holds(inputs.volume_ml))
        value = evidence.figure(band.figure).value or 0.0
        symptomatic = Range(low=value, high=value)
    embolism_text = embolism.text.strip()
    if (inputs.level_count or 0) >= 3:
        odds = evidence.figure(embolism.three_levels_figure)
        embolism_text += f" Three or more levels: OR {odds.value:g} for pulmonary cement."
    embolism_text += " " + embolism.modifiers_text.strip()
    if symptomatic is not None:
        embolism_text += " " + embolism.volume_note.strip()

    prevention = _prevention(inputs, evidence, rate, applied, neoplastic)
    not_given = [
        name
        for name, value in (
            ("indication", inputs.indication),
            ("levels", inputs.levels or inputs.n_levels),
            ("cortical disruption", inputs.cortical_disruption),
            ("posterior-wall defect", inputs.posterior_wall_defect),
            ("intravertebral cleft", inputs.cleft),
            ("cement viscosity", inputs.viscosity),
            ("planned volume per level", inputs.volume_ml),
        )
        if value is None or value == []
    ]
    used = [*rate.figures, *canal.figures]
    if symptomatic is not None:
        used.append(band.figure)
    caveats = [
        f"{figure.id}: {figure.caveat}"
        for figure in (evidence.figure(f) for f in dict.fromkeys(used))
        if figure.status is FigureStatus.INCONSISTENT and figure.caveat
    ]
    stated = {evidence.figure(f).per for f in rate.figures}
    known = sorted(unit for unit in stated if unit is not None)
    per = " or ".join(known) or "unstated unit"
    if None in stated and known:
        per += " (some studies do not state the unit)"
    elif len(known) > 1:
        per += " (the studies differ)"
    lowest, highest, _ = _base_span(evidence, rate)
    if lowest == highest:
        base_notes.append("one small series only: no range can be given")
    return RiskEstimate(
        inputs=inputs,
        any_leak=any_leak,
        base=rate.label + ("; " + "; ".join(base_notes) if base_notes else ""),
        base_figures=list(rate.figures),
        per=per,
        caveats=caveats,
        drivers=drivers,
        other_factors=other,
        canal_leak=Note(factor="canal", text=canal.text.strip(), sources=canal_sources),
        embolism=Note(factor="embolism", text=embolism_text, sources=list(embolism.sources)),
        embolism_symptomatic=symptomatic,
        prevention=prevention,
        not_given=not_given,
        method=book.method.strip(),
        limits=[limit.strip() for limit in book.limits],
        disclaimer=evidence.rulebook.disclaimer.strip(),
    )


def _prevention(
    inputs: RiskInputs,
    evidence: EvidenceBase,
    rate: BaseRate,
    applied: dict[str, tuple[float, float, float]],
    neoplastic: bool,
) -> list[PreventionStep]:
    when = {
        "always": True,
        "vertebroplasty": inputs.procedure is ProcedureKind.VERTEBROPLASTY,
        "low_viscosity": inputs.viscosity is Viscosity.LOW,
        "neoplastic": neoplastic,
        "myeloma": inputs.indication is Indication.MYELOMA,
        "posterior_wall_defect": inputs.posterior_wall_defect is True,
    }
    steps = []
    for step in evidence.risk.prevention:
        if not when[step.when]:
            continue
        if_done = None
        if step.id == "high-viscosity" and "low_viscosity" in applied:
            rest = [v for k, v in applied.items() if k != "low_viscosity"]
            if_done = _any_leak(evidence, rate, rest)
        elif step.id == "prefer-kyphoplasty":
            other = inputs.model_copy(update={"procedure": ProcedureKind.KYPHOPLASTY})
            kyphoplasty_rate, _ = _choose_base(other, list(evidence.risk.base_rates))
            same_group = (kyphoplasty_rate.detection, kyphoplasty_rate.indication) == (
                rate.detection,
                rate.indication,
            )
            if same_group:  # compare like with like only
                if_done = _any_leak(evidence, kyphoplasty_rate, list(applied.values()))
        steps.append(
            PreventionStep(
                id=step.id,
                text=step.text.strip(),
                sources=list(step.sources),
                any_leak_if_done=if_done,
            )
        )
    return steps
