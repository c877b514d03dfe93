"""Terminal cards for people: triage, risk, evidence. Colour by urgency; plain when piped."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Column, Table
from rich.text import Text

from cementwatch.assess.model import Assessment, Urgency
from cementwatch.assess.prognosis import WEIGHTS, Prognosis
from cementwatch.assess.risk import RiskEstimate
from cementwatch.evidence import EvidenceBase
from cementwatch.evidence.model import Figure, Rule, Source

COLOUR = {
    Urgency.EMERGENCY: "bold white on red",
    Urgency.URGENT: "bold black on dark_orange",
    Urgency.ROUTINE: "bold white on blue",
    Urgency.NONE: "bold black on green",
}
BORDER = {
    Urgency.EMERGENCY: "red",
    Urgency.URGENT: "dark_orange",
    Urgency.ROUTINE: "blue",
    Urgency.NONE: "green",
}


def _cite(sources: list[str]) -> str:
    return "[" + ", ".join(sources) + "]"


def triage_card(assessment: Assessment, *, source: str | None = None) -> Panel:
    u = assessment.urgency
    parts: list[Text | Table] = [
        Text.assemble(
            (f" {u.value.upper()} ", COLOUR[u]),
            "  ",
            (assessment.headline.removeprefix(f"{u.value.upper()}: "), "bold"),
        ),
        Text(""),
        Text("Why", style="bold underline"),
    ]
    for reason in assessment.reasons:
        level = f"{reason.urgency.value}" if reason.urgency else "note"
        parts.append(
            Text.assemble(
                (f"  • [{level}] ", "dim"),
                reason.text,
                (f"  {reason.rule} {_cite(reason.sources)}", "dim"),
            )
        )
    evidence = _record_lines(assessment)
    if evidence:
        parts += [Text(""), Text("Read from the record", style="bold underline"), *evidence]
    if assessment.actions:
        parts += [Text(""), Text("Consider", style="bold underline")]
        for action in assessment.actions:
            parts.append(Text.assemble("  • ", action.text, (f"  {_cite(action.sources)}", "dim")))
    if assessment.missing:
        parts += [Text(""), Text("Missing from the record", style="bold underline")]
        parts += [Text(f"  • {item}") for item in assessment.missing]
    if assessment.prognosis is not None:
        parts += [Text(""), *_prognosis_lines(assessment.prognosis)]
    parts += [
        Text(""),
        Text("For the patient", style="bold underline"),
        Text("  " + assessment.patient_summary),
        Text(""),
        Text(assessment.disclaimer, style="italic"),
    ]
    title = f"CementWatch triage — {source}" if source else "CementWatch triage"
    subtitle = f"evidence {assessment.evidence_version}"
    return Panel(Group(*parts), title=title, subtitle=subtitle, border_style=BORDER[u])


def _prognosis_lines(prognosis: Prognosis) -> list[Text]:
    """Similar published cases: score (and on how many features it rests), one-line summary, citation;
    then the outcome counts and the caveat."""
    lines = [Text("Similar published cases", style="bold underline")]
    for match in prognosis.matches:
        cited = match.citation + (f" ({match.ref})" if match.ref and match.ref not in match.citation else "")
        basis = f" ({len(match.compared)}/{len(WEIGHTS)} features)"
        lines.append(
            Text.assemble(
                "  • ",
                (f"{match.score:.2f}", "bold"),
                (basis, "dim"),
                " ",
                match.summary,
                (f"  {cited}", "dim"),
            )
        )
    lines.append(Text(f"  Outcomes among them: {prognosis.outcome_summary}"))
    lines.append(Text(f"  {prognosis.caveat}", style="italic"))
    return lines


def _record_lines(assessment: Assessment) -> list[Text]:
    """The facts behind the urgency, each with the words it was read from and their offsets."""
    case = assessment.case
    if case is None:
        return []
    items: list[tuple[str, list[Any]]] = []
    for leak in case.leaks:
        if leak.status.value != "absent":
            levels = f" at {', '.join(leak.levels)}" if leak.levels else ""
            items.append((f"{leak.location.value} cement{levels} ({leak.status.value})", leak.evidence))
    for deficit in case.findings.deficits:
        if deficit.status.value != "absent":
            items.append(
                (f"{deficit.kind.value.replace('_', ' ')} ({deficit.status.value})", deficit.evidence)
            )
    for grade in case.findings.motor_grades:
        items.append((f"motor grade {grade.grade}{grade.modifier or ''}/5", grade.evidence))
    lines = []
    for label, spans in items:
        if not spans:
            continue
        quoted = "; ".join(f"“{s.text}” [{s.start}–{s.end}]" for s in spans[:2])
        more = f" (+{len(spans) - 2} more)" if len(spans) > 2 else ""
        lines.append(Text.assemble("  • ", (label, "bold"), ": ", quoted, (more, "dim")))
    return lines


def risk_card(estimate: RiskEstimate) -> Panel:
    i = estimate.inputs
    what = f"{i.procedure.value}" + (f" for {i.indication.value} fracture" if i.indication else "")
    if i.levels:
        what += f" at {', '.join(i.levels)}"
    parts: list[Text | Table] = [
        Text.assemble(("Any cement leak: ", "bold"), (estimate.any_leak.percent(), "bold cyan")),
        Text(f"  per {estimate.per}; leaks detected by {i.detection}; base: {estimate.base}", style="dim"),
        Text(""),
    ]
    table = Table("factor", "present", "odds ratio (95% CI)", "source", box=None, pad_edge=False)
    for d in estimate.drivers:
        shown = {True: "yes (applied)", False: "no", None: "not given"}[d.present]
        ci = f" ({d.ci[0]:g}–{d.ci[1]:g})" if d.ci else ""
        table.add_row(d.label, shown, f"{d.odds_ratio:g}{ci}", ", ".join(d.sources))
    parts += [table, Text("")]
    for note in estimate.other_factors:
        parts.append(Text.assemble("  • ", note.text, (f"  {_cite(note.sources)}", "dim")))
    parts += [
        Text(""),
        Text.assemble(("Cement in the canal: ", "bold"), estimate.canal_leak.text),
        Text(f"  {_cite(estimate.canal_leak.sources)}", style="dim"),
        Text.assemble(("Embolism: ", "bold"), estimate.embolism.text),
    ]
    if estimate.embolism_symptomatic is not None:
        band = estimate.embolism_symptomatic
        seen = band.percent() if band.high > 0 else "none observed (not a zero risk)"
        parts.append(Text(f"  symptomatic pulmonary cement at this volume: {seen}"))
    parts += [Text(f"  {_cite(estimate.embolism.sources)}", style="dim"), Text("")]
    parts.append(Text("What lowers it", style="bold underline"))
    for step in estimate.prevention:
        gain = ""
        if step.any_leak_if_done is not None:
            gain = f" → any leak {step.any_leak_if_done.percent()}"
        parts.append(Text.assemble("  ☐ ", step.text, (gain, "cyan"), (f"  {_cite(step.sources)}", "dim")))
    for caveat in estimate.caveats:
        parts.append(Text(f"Caveat: {caveat}", style="yellow"))
    if estimate.not_given:
        parts += [
            Text(""),
            Text("Not given (not applied): " + ", ".join(estimate.not_given), style="yellow"),
        ]
    parts += [
        Text(""),
        Text("Method: " + estimate.method, style="dim"),
        *[Text("Limit: " + limit, style="dim") for limit in estimate.limits],
        Text(""),
        Text(estimate.disclaimer, style="italic"),
    ]
    return Panel(Group(*parts), title=f"CementWatch leakage risk — {what}", border_style="cyan")


def sources_table(evidence: EvidenceBase) -> Table:
    table = Table(Column("id", no_wrap=True), "kind", "citation", "locator", title="Sources")
    for s in evidence.sources.values():
        flag = "" if s.citation_verified else " (citation details unverified)"
        table.add_row(s.id, s.kind.value, s.citation + flag, s.locator)
    return table


def figures_table(evidence: EvidenceBase) -> Table:
    table = Table(Column("id", no_wrap=True), "statement", "value", "status", "sources", title="Figures")
    for f in evidence.figures.values():
        table.add_row(f.id, f.statement, figure_value(f), f.status.value, ", ".join(f.sources))
    return table


def figure_value(f: Figure) -> str:
    def num(x: float) -> str:
        return f"{x * 100:.3g}%" if f.unit == "proportion" else f"{x:g}"

    out = num(f.value) if f.value is not None else ""
    if f.range:
        out += f" {num(f.range[0])}–{num(f.range[1])}"
    if f.numerator is not None and f.denominator is not None:
        out += f" ({f.numerator}/{f.denominator})"
    if f.ci:
        out += f" CI {num(f.ci[0])}–{num(f.ci[1])}"
    if f.unit not in ("proportion", "count"):
        out = f"{f.unit.replace('_', ' ')} {out}"
    return out.strip()


def source_detail(evidence: EvidenceBase, source: Source) -> Group:
    cited = evidence.cited_by(source.id)
    lines = [
        Text(source.citation, style="bold"),
        Text(f"{source.kind.value} · {source.locator}"),
        Text("citation verified" if source.citation_verified else "citation details UNVERIFIED"),
        Text(f"supports: {source.supports}"),
    ]
    for what, ids in cited.items():
        if ids:
            lines.append(Text(f"cited by {what}: {', '.join(ids)}"))
    return Group(*lines)


def rules_table(evidence: EvidenceBase) -> Table:
    table = Table(
        Column("id", no_wrap=True), "urgency", "statement", "sources", title="Triage rules", show_lines=True
    )
    for r in evidence.rules.values():
        table.add_row(
            r.id,
            r.urgency.value if r.urgency else "(qualifier)",
            rule_text(r),
            ", ".join(r.sources),
        )
    return table


def rule_text(r: Rule) -> str:
    return f"{r.title}. {r.statement.strip()}"


def console(*, stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)
