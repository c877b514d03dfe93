"""``assess(case) -> Assessment``: run the triage rules and word the result.

Pure: a function of the case and the evidence base. The evidence base is loaded once per process.
"""

from __future__ import annotations

from collections.abc import Iterable

from cementwatch.assess.facts import CARDIORESPIRATORY, NEUROLOGICAL, PLAIN, Facts, label
from cementwatch.assess.model import Action, Assessment, Reason
from cementwatch.assess.prognosis import Shortlist, prognosis
from cementwatch.assess.triage import RULES, Hit
from cementwatch.case import Case, LeakLocation, Status
from cementwatch.evidence import EvidenceBase, load_evidence
from cementwatch.evidence.model import Urgency

__all__ = ["assess"]

_HEADLINE_MAX = 140
_NEXT_STEP = {
    Urgency.EMERGENCY: "act now",
    Urgency.URGENT: "review within 24-72 h",
    Urgency.ROUTINE: "routine follow-up",
    Urgency.NONE: "nothing leak-related to act on",
}
# A stronger action makes a weaker one redundant.
_SUPERSEDES = {"ct-now": "ct-within-72h"}


def assess(
    case: Case,
    *,
    evidence: EvidenceBase | None = None,
    with_case: bool = True,
    similar_cases: Iterable[Case] | Shortlist | None = None,
    k: int = 5,
) -> Assessment:
    """Triage one case. The urgency is that of the worst presentation the case describes.

    With ``similar_cases`` (e.g. the literature registry), the ``k`` most similar of them and their
    outcomes fill ``prognosis`` (:func:`cementwatch.assess.prognosis.prognosis`); without, it is None.
    """
    evidence = evidence or load_evidence()
    facts = Facts(case, late_after_days=evidence.rulebook.late_after_days)
    hits: list[tuple[str, Hit]] = []
    for rule_id, fire in RULES.items():
        hit = fire(facts)
        if hit is not None:
            hits.append((rule_id, hit))

    rank = {rule_id: evidence.rules[rule_id].urgency for rule_id, _ in hits}
    urgency = max((u for u in rank.values() if u is not None), key=lambda u: u.rank)
    # Levelled rules first, worst first; where the cement is before what it does; qualifiers last.
    family = {"leak": 0, "cardio": 1, "deficit": 2}
    hits.sort(
        key=lambda item: (
            rank[item[0]] is None,
            -(rank[item[0]] or Urgency.NONE).rank,
            family.get(item[0].split(".")[0], 3),
        )
    )

    reasons = [
        Reason(
            rule=rule_id,
            text=f"{hit.detail[:1].upper()}{hit.detail[1:]}: {evidence.rules[rule_id].statement}",
            sources=list(evidence.rules[rule_id].sources),
            urgency=evidence.rules[rule_id].urgency,
        )
        for rule_id, hit in hits
    ]
    return Assessment(
        urgency=urgency,
        headline=_headline(urgency, hits, rank, facts),
        reasons=reasons,
        actions=_actions(hits, evidence),
        missing=_missing(facts, evidence),
        patient_summary=_patient_summary(urgency, evidence),
        red_flags=list(evidence.rulebook.red_flags),
        disclaimer=evidence.rulebook.disclaimer.strip(),
        evidence_version=evidence.rulebook.version,
        case=case if with_case else None,
        prognosis=None if similar_cases is None else prognosis(case, similar_cases, k),
    )


def _actions(hits: list[tuple[str, Hit]], evidence: EvidenceBase) -> list[Action]:
    wanted = {code for _, hit in hits for code in hit.actions}
    for stronger, weaker in _SUPERSEDES.items():
        if stronger in wanted:
            wanted.discard(weaker)
    return [
        Action(code=a.code, text=a.text.strip(), sources=list(a.sources))
        for a in evidence.rulebook.actions  # the rule book's order is the order of priority
        if a.code in wanted
    ]


def _headline(
    urgency: Urgency, hits: list[tuple[str, Hit]], rank: dict[str, Urgency | None], facts: Facts
) -> str:
    top = [hit.short or hit.detail for rule_id, hit in hits if rank[rule_id] is urgency]
    head = f"{urgency.value.upper()}: {'; '.join(dict.fromkeys(top))}"
    tail = f" — {_NEXT_STEP[urgency]}"
    treated = [label(t.kind) for t in facts.done]
    if treated:
        day = facts.case.timeline.treatment_days
        tail += f" (record: treated, {treated[0]}" + (f" day {day:g})" if day is not None else ")")
    room = _HEADLINE_MAX - len(tail)
    if len(head) > room:
        head = head[: room - 1].rstrip(" ;,") + "…"
    return head + tail


def _missing(facts: Facts, evidence: EvidenceBase) -> list[str]:
    text = evidence.missing
    case = facts.case
    out: list[str] = []
    neuro_active = facts.motor or bool(facts.deficits(NEUROLOGICAL))
    canal = facts.leaks(LeakLocation.EPIDURAL, LeakLocation.FORAMINAL, LeakLocation.INTRADURAL)
    if not facts.neuro_exam_recorded:
        out.append(text["no-neuro-exam"])
    if facts.motor and facts.worst_grade is None:
        out.append(text["no-motor-grade"])
    if facts.motor and facts.worst_grade == 4 and facts.progressive is None:
        out.append(text["progression-unknown"])
    if (neuro_active or canal or (facts.any_leak and facts.symptomatic)) and not facts.ct_done:
        out.append(text["no-ct"])
    if neuro_active and facts.modalities and facts.modalities <= PLAIN:
        out.append(text["radiograph-only"])
    if not case.procedures:
        out.append(text["no-procedure"])
    elif not facts.treated_levels:
        out.append(text["no-levels"])
    timeline = case.timeline
    if facts.symptomatic and timeline.symptom_onset_days is None and timeline.presentation_days is None:
        out.append(text["no-timing"])
    if any(leak.central is None for leak in facts.leaks(LeakLocation.PULMONARY)):
        out.append(text["pulmonary-position"])
    embolic = facts.leaks(LeakLocation.PULMONARY, LeakLocation.VENOUS)
    if embolic and not facts.recorded & CARDIORESPIRATORY:
        out.append(text["no-cardioresp-assessment"])
    if canal and not facts.leak_levels(canal):
        out.append(text["leak-level-unknown"])
    possible = [k for k, status in facts.active.items() if status is Status.POSSIBLE]
    if possible:
        out.append(text["possible-deficit"].format(kinds=", ".join(label(k) for k in possible)))
    return out


def _patient_summary(urgency: Urgency, evidence: EvidenceBase) -> str:
    book = evidence.rulebook
    body = next(p.text for p in book.patient if p.urgency is urgency).strip()
    if urgency is not Urgency.EMERGENCY:
        flags = "; ".join(book.red_flags)
        body += f" Go to the emergency department at once if you get any of these: {flags}."
    return f"{body} This is a computer summary to help your care team. It is not a diagnosis."
