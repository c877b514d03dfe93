"""Triage: ``assess(case) -> Assessment``.

Each rule is a function of the case's :class:`Facts`, registered under the id of its entry in
``evidence/data/rules.yaml``; the entry holds the rule's urgency, statement and sources. A rule that
fires returns a :class:`Hit`: what in this case fired it, and which actions it suggests.

The urgency is the highest level among the rules that fired: the worst presentation the case
describes. Qualifier rules (no urgency of their own) explain and never lower it. What the record
says was already done (a decompression on day 90) is reported but does not lower the urgency: a
case report is triaged as its patient should have been at presentation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cementwatch.assess.facts import (
    CANAL,
    CARDIORESPIRATORY,
    CORD,
    MOTOR,
    ROOT,
    SPHINCTER,
    Facts,
    label,
)
from cementwatch.case import DeficitKind, Leak, LeakLocation, Status

L = LeakLocation


@dataclass(frozen=True)
class Hit:
    detail: str
    actions: tuple[str, ...] = ()
    short: str | None = None  # for the headline, when the detail is long


RuleFn = Callable[[Facts], Hit | None]
RULES: dict[str, RuleFn] = {}


def rule(rule_id: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = fn
        return fn

    return register


def _kinds(kinds: list[DeficitKind], facts: Facts) -> str:
    return ", ".join(label(k) + (" (suspected)" if facts.active[k] is Status.POSSIBLE else "") for k in kinds)


def _where(leaks: list[Leak], facts: Facts) -> str:
    locations = sorted({label(leak.location) for leak in leaks})
    levels = facts.leak_levels(leaks)
    hedge = " (possible)" if all(leak.status is Status.POSSIBLE for leak in leaks) else ""
    at = f" at {', '.join(dict.fromkeys(levels))}" if levels else ""
    return f"{' and '.join(locations)} cement{at}{hedge}"


def _ct(facts: Facts, action: str) -> tuple[str, ...]:
    return () if facts.ct_done else (action,)


_NEURO_EMERGENCY = ("spine-surgery-now", "ct-now", "mri-neural", "decompress", "differentials")


# --- neurological presentations ------------------------------------------------------------
@rule("deficit.cord-or-cauda")
def _cord(facts: Facts) -> Hit | None:
    if not facts.cord:
        return None
    parts = [_kinds(facts.deficits(CORD), facts)] if facts.deficits(CORD) else []
    if facts.asia_impaired:
        parts.append(f"ASIA grade {facts.asia_impaired}")
    return Hit(", ".join(parts), _NEURO_EMERGENCY)


@rule("deficit.sphincter")
def _sphincter(facts: Facts) -> Hit | None:
    kinds = facts.deficits(SPHINCTER)
    return Hit(_kinds(kinds, facts), _NEURO_EMERGENCY) if kinds else None


def _grade_text(facts: Facts) -> str:
    grade = facts.worst_grade
    if grade is None or grade == 5:
        return "ungraded weakness"
    return f"weakness graded {grade}/5"


@rule("deficit.motor-severe")
def _motor_severe(facts: Facts) -> Hit | None:
    if not facts.motor or facts.cord:
        return None  # paraparesis, paraplegia and ASIA A-D have their own rule
    grade = facts.worst_grade
    ungraded = grade is None or grade == 5  # a weakness recorded beside only grade 5 is ungraded
    if ungraded or (grade is not None and grade <= 3) or facts.progressive:
        detail = _grade_text(facts) + (", progressive" if facts.progressive else "")
        return Hit(detail, _NEURO_EMERGENCY)
    return None


@rule("deficit.motor-mild")
def _motor_mild(facts: Facts) -> Hit | None:
    grade = facts.worst_grade
    if facts.motor and grade == 4 and not facts.progressive and not facts.cord:
        course = "not progressing" if facts.progressive is False else "course not recorded"
        return Hit(
            f"mild weakness graded 4/5, {course}",
            (*_ct(facts, "ct-within-72h"), "specialist-review", "serial-neuro", "differentials"),
        )
    return None


@rule("deficit.radicular")
def _radicular(facts: Facts) -> Hit | None:
    kinds = facts.deficits(ROOT)
    if not kinds or facts.motor:
        return None
    actions = (*_ct(facts, "ct-within-72h"), "serial-neuro", "specialist-review", "differentials")
    return Hit(_kinds(kinds, facts) + " without weakness", actions)


@rule("deficit.ileus")
def _ileus(facts: Facts) -> Hit | None:
    if not facts.deficits(frozenset({DeficitKind.ILEUS})):
        return None
    return Hit("ileus", (*_ct(facts, "ct-within-72h"), "serial-neuro"))


@rule("deficit.back-pain-only")
def _back_pain(facts: Facts) -> Hit | None:
    if not facts.deficits(frozenset({DeficitKind.BACK_PAIN})) or facts.symptomatic:
        return None
    return Hit("back pain without neurological signs", ("investigate-pain", "safety-net"))


# --- cement location -----------------------------------------------------------------------
@rule("leak.intradural")
def _intradural(facts: Facts) -> Hit | None:
    leaks = facts.leaks(L.INTRADURAL)
    actions = ("spine-surgery-now", "ct-myelography", "mri-neural", "durotomy", "decompress")
    return Hit(_where(leaks, facts), actions) if leaks else None


def _canal_deficit(facts: Facts) -> bool:
    return facts.motor or bool(facts.deficits(SPHINCTER))


@rule("leak.canal-with-deficit")
def _canal_deficit_rule(facts: Facts) -> Hit | None:
    leaks = facts.leaks(*CANAL)
    if not leaks or not _canal_deficit(facts):
        return None
    where = _where(leaks, facts)
    return Hit(f"{where} with a motor or sphincter deficit", _NEURO_EMERGENCY, short=where)


@rule("leak.canal-with-symptoms")
def _canal_symptoms(facts: Facts) -> Hit | None:
    leaks = facts.leaks(*CANAL)
    if not leaks or _canal_deficit(facts) or not facts.deficits(ROOT):
        return None
    actions = (*_ct(facts, "ct-within-72h"), "serial-neuro", "specialist-review")
    where = _where(leaks, facts)
    return Hit(f"{where} with {_kinds(facts.deficits(ROOT), facts)}", actions, short=where)


@rule("leak.canal-silent")
def _canal_silent(facts: Facts) -> Hit | None:
    leaks = facts.leaks(*CANAL)
    if not leaks or _canal_deficit(facts) or facts.deficits(ROOT):
        return None
    note = "" if facts.neuro_exam_recorded else " (no examination recorded: examine today)"
    actions = (*_ct(facts, "ct-within-72h"), "serial-neuro", "specialist-review", "safety-net")
    return Hit(f"{_where(leaks, facts)} without symptoms{note}", actions)


@rule("leak.canal-thoracic")
def _canal_thoracic(facts: Facts) -> Hit | None:
    leaks = facts.leaks(*CANAL, L.INTRADURAL)
    thoracic = [leak for leak in leaks if facts.thoracic([leak])]
    return Hit(_where(thoracic, facts)) if thoracic else None


@rule("leak.possible")
def _possible(facts: Facts) -> Hit | None:
    possible = [leak for leak in facts.any_leak if leak.status is Status.POSSIBLE]
    return Hit(_where(possible, facts), _ct(facts, "ct-within-72h")) if possible else None


@rule("cardio.suspected-embolism")
def _cardiorespiratory(facts: Facts) -> Hit | None:
    kinds = facts.deficits(CARDIORESPIRATORY)
    actions = ("chest-ct-now", "oxygen-support", "echocardiography", "anticoagulate")
    return Hit(_kinds(kinds, facts), actions) if kinds else None


@rule("leak.cardiac")
def _cardiac(facts: Facts) -> Hit | None:
    leaks = facts.leaks(L.CARDIAC)
    actions = ("cardiac-surgery", "echocardiography", "chest-ct-now", "oxygen-support")
    return Hit(_where(leaks, facts), actions) if leaks else None


@rule("leak.pulmonary-symptomatic")
def _pulmonary_symptomatic(facts: Facts) -> Hit | None:
    leaks = facts.leaks(L.PULMONARY)
    kinds = facts.deficits(CARDIORESPIRATORY)
    if not leaks or not kinds:
        return None
    actions = ("chest-ct-now", "oxygen-support", "anticoagulate", "echocardiography")
    return Hit(f"{_where(leaks, facts)} with {_kinds(kinds, facts)}", actions)


@rule("leak.pulmonary-central-or-undescribed")
def _pulmonary_central(facts: Facts) -> Hit | None:
    leaks = [leak for leak in facts.leaks(L.PULMONARY) if leak.central is not False]
    if not leaks or facts.deficits(CARDIORESPIRATORY):
        return None
    central = any(leak.central for leak in leaks)
    detail = "central" if central else "position not described"
    actions = ("anticoagulate",) if central else ("describe-pulmonary", "venous-watch")
    return Hit(f"{_where(leaks, facts)} ({detail}), no cardiorespiratory signs", actions)


@rule("leak.pulmonary-peripheral-silent")
def _pulmonary_peripheral(facts: Facts) -> Hit | None:
    leaks = [leak for leak in facts.leaks(L.PULMONARY) if leak.central is False]
    if not leaks or facts.deficits(CARDIORESPIRATORY):
        return None
    return Hit(f"peripheral {_where(leaks, facts)}", ("observe-pulmonary", "safety-net"))


def _silent(location: LeakLocation, *actions: str) -> RuleFn:
    def fire(facts: Facts) -> Hit | None:
        leaks = facts.leaks(location)
        if not leaks:
            return None
        quiet = "" if facts.symptomatic else " without symptoms"
        return Hit(f"{_where(leaks, facts)}{quiet}", (*actions, "routine-followup", "safety-net"))

    return fire


rule("leak.disc-silent")(_silent(L.INTRADISCAL, "adjacent-fracture"))
rule("leak.paravertebral-silent")(_silent(L.PARAVERTEBRAL))
rule("leak.venous-silent")(_silent(L.VENOUS, "venous-watch"))
rule("leak.other-silent")(_silent(L.OTHER))


@rule("none.no-leak-no-symptoms")
def _nothing(facts: Facts) -> Hit | None:
    if facts.any_leak or facts.symptomatic or facts.deficits(frozenset({DeficitKind.BACK_PAIN})):
        return None
    return Hit("no leak and no leak-related symptoms recorded", ("safety-net",))


# --- qualifiers ----------------------------------------------------------------------------
@rule("imaging.radiograph-negative")
def _radiograph_negative(facts: Facts) -> Hit | None:
    if not facts.plain_negative or not facts.symptomatic:
        return None
    return Hit("no leak seen on radiograph or fluoroscopy", _ct(facts, "ct-within-72h"))


@rule("timing.late-not-futile")
def _late(facts: Facts) -> Hit | None:
    timeline = facts.case.timeline
    neuro = facts.motor or facts.deficits(CORD | SPHINCTER | ROOT | MOTOR)
    if not neuro:
        return None
    late = facts.late_after_days
    presented = max(
        (d for d in (timeline.symptom_onset_days, timeline.presentation_days) if d is not None), default=None
    )
    if presented is not None and presented >= late:
        return Hit(f"presentation on day {presented:g} after the procedure")
    treated = timeline.treatment_days
    if treated is not None and treated >= late:
        return Hit(f"treatment on day {treated:g} after the procedure")
    return None


@rule("context.treated")
def _treated(facts: Facts) -> Hit | None:
    if not facts.done:
        return None
    parts = [label(t.kind) + (f" (day {t.day:g})" if t.day is not None else "") for t in facts.done]
    return Hit("already treated: " + ", ".join(dict.fromkeys(parts)))
