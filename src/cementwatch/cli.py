"""The ``cementwatch`` command: thin, the same verbs as the library.

Every command that prints data takes ``--format json`` (the contracts' shapes; many items as JSON
Lines). Exit codes: 0 ok, 2 bad input (the message names the file and the problem). A user error
never prints a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from cementwatch import __version__
from cementwatch.case import Case, CaseError, parse_case, unknown_fields
from cementwatch.clitools import FORMAT, BadInput, emit_json, fail, format_option, report

if TYPE_CHECKING:
    from cementwatch.assess.prognosis import Shortlist

_fail, _emit_json, _report = fail, emit_json, report

EXAMPLE = "examples/late-intradural-leak.case.json"
MAX_CASE_BYTES = 5_000_000


def _read_case(path: str) -> Case:
    """A case from a path ('-' for standard input): case JSON is validated, any other document is
    read as clinical text. Raises BadInput naming the file."""
    from cementwatch.read import read_case
    from cementwatch.read.documents import DocumentError, load_document, load_stdin

    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
            if raw.lstrip()[:1] == b"{":
                return _decode(raw, "<stdin>")
            document = load_stdin(raw)
        elif path.lower().endswith(".json"):
            file = Path(path)
            if not file.is_file():
                _fail(
                    f"{path}: no such file" if not file.exists() else f"{path}: is a folder; name the files"
                )
            return _decode(file.read_bytes(), path)
        else:
            document = load_document(path)
    except DocumentError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{path}: cannot read: {error.strerror}")
    try:
        case = read_case(document.text, source=document.source)
    except Exception as error:  # a reader defect must not stop the batch; name it and go on
        _fail(f"{document.source}: the reader failed ({type(error).__name__}: {error}); please report this")
    case.warnings[:0] = list(document.warnings)
    return case


def _similar_pool(where: str, url: str | None) -> Callable[[Case], Iterable[Case] | Shortlist] | None:
    """The candidates for the prognosis section of each case, or None for no prognosis."""
    if where == "none":
        return None
    if where == "literature":
        from cementwatch.registry.literature import literature_cases

        cases = literature_cases()
        return lambda _case: cases
    from cementwatch.cli_registry import _open

    def from_registry(case: Case) -> Shortlist:
        with _open(url) as registry:
            return registry.shortlist(case, k=5)

    return from_registry


def _decode(raw: bytes, where: str) -> Case:
    if len(raw) > MAX_CASE_BYTES:
        _fail(f"{where}: {len(raw) / 1e6:.0f} MB is too large for a case file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(f"{where}: not UTF-8 text")
    return parse_case(text, where=where)


def _json_cases(paths: tuple[str, ...]) -> Iterator[tuple[str, Case | CaseError | BadInput]]:
    """Case JSON files only (for `validate`): a folder or a document is named as such."""
    for path in paths:
        try:
            if path == "-":
                yield path, _decode(sys.stdin.buffer.read(), "<stdin>")
                continue
            file = Path(path)
            if not file.exists():
                _fail(f"{path}: no such file")
            if file.is_dir():
                _fail(f"{path}: is a folder; name the case files")
            yield path, _decode(file.read_bytes(), path)
        except (CaseError, BadInput) as error:
            yield path, error
        except OSError as error:
            yield path, BadInput(f"{path}: cannot read: {error.strerror}")


def _expand(paths: tuple[str, ...]) -> Iterator[str | BadInput]:
    """Paths with folders expanded to the documents in them (sorted); '-' passes through."""
    from cementwatch.read.documents import DocumentError, iter_paths

    for path in paths:
        if path == "-" or path.lower().endswith(".json"):
            yield path
            continue
        for item in iter_paths([path]):
            yield BadInput(str(item)) if isinstance(item, DocumentError) else str(item)


def _cases(paths: tuple[str, ...]) -> Iterator[tuple[str, Case | CaseError | BadInput]]:
    for path in _expand(paths):
        if isinstance(path, BadInput):
            yield "", path
            continue
        try:
            yield path, _read_case(path)
        except (CaseError, BadInput) as error:
            yield path, error


def entry() -> None:
    """Console-script entry: a reader that closes the pipe early (``| head``) is not an error."""
    try:
        main()
    except SystemExit as stop:
        # click turns EPIPE into exit 1 after wrapping stdout in PacifyFlushWrapper; nothing else does.
        if stop.code == 1 and type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
            sys.exit(0)
        raise


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cementwatch")
def main() -> None:
    """CementWatch: decision support for bone-cement leakage after vertebroplasty and kyphoplasty.

    Decision support, not a diagnosis: a clinician must examine the patient and decide.
    """


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--example", is_flag=True, help="Assess the bundled example case.")
@click.option("--no-case", is_flag=True, help="With --format json, leave the case out of the output.")
@click.option(
    "--similar",
    type=click.Choice(["literature", "registry", "none"]),
    default="literature",
    show_default=True,
    help="Where to look for similar cases (the prognosis section): the bundled published cases, "
    "the registry (--db), or nowhere.",
)
@click.option(
    "--db", "url", metavar="URL", help="The registry for --similar registry (default as for `registry`)."
)
@FORMAT
def assess(
    paths: tuple[str, ...], example: bool, no_case: bool, similar: str, url: str | None, fmt: str
) -> None:
    """Triage cases: case JSON files, clinical documents (.txt .md .pdf .docx), folders, or - (stdin).

    A document is read into a case first (see `cementwatch extract`). Prints a card per case:
    urgency, why (each reason names its rule and sources), what to consider, what is missing from
    the record, and a plain-language summary for the patient.
    """
    from cementwatch.assess import assess as run
    from cementwatch.render import console, triage_card

    if example and paths:
        _fail("assess: --example takes no case files")
    if example:
        text = resources.files("cementwatch").joinpath(EXAMPLE).read_text(encoding="utf-8")
        items: list[tuple[str, Case | CaseError | BadInput]] = [(EXAMPLE, parse_case(text))]
    elif not paths:
        _fail("assess: name at least one case file, or - for standard input (or use --example)")
    else:
        items = list(_cases(paths))
    failures = []
    out = console()
    pool = _similar_pool(similar, url)
    for path, case in items:
        if not isinstance(case, Case):
            failures.append(str(case) if isinstance(case, CaseError) else case.message)
            continue
        result = run(case, similar_cases=pool(case) if pool else None)
        if fmt == "json":
            _emit_json(result.to_json_dict(with_case=not no_case))
        else:
            out.print(triage_card(result, source=case.source or path))
            for warning in case.warnings:
                out.print(Text(f"  warning: {warning}", style="yellow"))
    _report(failures)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@FORMAT
def validate(paths: tuple[str, ...], fmt: str) -> None:
    """Check case files against the cementwatch.case/1 contract.

    Names every problem by its path (procedures[0].levels[1]: 'L9' is not a vertebra); notes
    properties the contract does not name (kept, but often a typo). Exit 2 if any file is invalid.
    """
    failures = []
    for path, case in _json_cases(paths):
        if isinstance(case, Case):
            notes = unknown_fields(case)
            if fmt == "json":
                _emit_json({"file": path, "valid": True, "problems": [], "unknown_fields": notes})
            else:
                click.echo(f"ok       {path}")
                for note in notes:
                    click.echo(f"  note: {note} is not a field of cementwatch.case/1 (kept)")
        else:
            problems = case.problems if isinstance(case, CaseError) else [case.message]
            if fmt == "json":
                _emit_json({"file": path, "valid": False, "problems": problems, "unknown_fields": []})
            else:
                click.echo(f"invalid  {path}")
                for problem in problems:
                    click.echo(f"  {problem}")
            failures.append(path)
    if failures:
        sys.exit(2)


_RISK_OPTIONS = {"volume_ml": "--volume", "bmd_t_score": "--bmd"}


@main.command()
@click.option(
    "--procedure",
    type=click.Choice(["vertebroplasty", "kyphoplasty"]),
    required=True,
    help="The planned procedure.",
)
@click.option(
    "--indication",
    type=click.Choice(["osteoporotic", "metastatic", "myeloma", "hemangioma", "traumatic", "other"]),
    help="Why the vertebra is treated.",
)
@click.option("--levels", default="", help="Levels to treat, e.g. 'T12,L1' or 'T10-L2'.")
@click.option(
    "--cortical-disruption/--no-cortical-disruption",
    default=None,
    help="Cortical disruption on CT.",
)
@click.option(
    "--posterior-wall-defect/--no-posterior-wall-defect",
    default=None,
    help="Posterior-wall defect.",
)
@click.option("--cleft/--no-cleft", default=None, help="Intravertebral (vacuum) cleft.")
@click.option("--viscosity", type=click.Choice(["high", "low"]), help="Cement viscosity.")
@click.option("--volume", "volume_ml", type=float, help="Planned cement volume per level, mL.")
@click.option("--bmd", "bmd_t_score", type=float, help="Bone mineral density T-score.")
@click.option("--n-levels", type=int, help="Number of levels, if --levels is not given.")
@click.option("--approach", type=click.Choice(["unilateral", "bilateral"]), help="Needle approach.")
@click.option(
    "--detection",
    type=click.Choice(["radiograph", "ct"]),
    default="radiograph",
    show_default=True,
    help="How leaks will be looked for: CT finds more than radiographs.",
)
@FORMAT
def risk(fmt: str, levels: str, **options: Any) -> None:
    """Estimate the risk of cement leakage before a vertebroplasty or kyphoplasty.

    Prints a range for any leak (not a falsely precise number), the factors that drive it with their
    odds ratios and sources, what the evidence says about canal leaks and embolism, and a prevention
    checklist. The method and its limits are printed with every estimate.
    """
    from pydantic import ValidationError

    from cementwatch.assess.risk import RiskInputs, estimate_risk
    from cementwatch.levels import LevelError
    from cementwatch.render import console, risk_card

    items = [item.strip() for item in levels.split(",") if item.strip()]
    try:
        inputs = RiskInputs(levels=items, **{k: v for k, v in options.items() if v is not None})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else "input"
        option = _RISK_OPTIONS.get(field, "--" + field.replace("_", "-"))
        _fail(f"risk: {option}: {first['msg'].removeprefix('Value error, ')}")
    except LevelError as error:
        _fail(f"risk: --levels: {error}")
    estimate = estimate_risk(inputs)
    if fmt == "json":
        _emit_json(estimate.model_dump(mode="json", by_alias=True))
    else:
        console().print(risk_card(estimate))


@main.command()
@click.argument("item_id", required=False)
@click.option("--figures", is_flag=True, help="List the figures instead of the sources.")
@FORMAT
def evidence(item_id: str | None, figures: bool, fmt: str) -> None:
    """List the evidence base's sources (or --figures), or show one source, figure, rule or scale.

    Unverified figures are listed with their status and are never used as fact.
    """
    from cementwatch.evidence import load_evidence
    from cementwatch.render import (
        console,
        figure_value,
        figures_table,
        source_detail,
        sources_table,
    )

    base = load_evidence()
    out = console()
    if item_id is None:
        rows: list[Any] = list(base.figures.values() if figures else base.sources.values())
        if fmt == "json":
            for row in rows:
                _emit_json(row.model_dump(mode="json", by_alias=True))
        else:
            out.print(figures_table(base) if figures else sources_table(base))
        return
    found: Any = (
        base.sources.get(item_id)
        or base.figures.get(item_id)
        or base.rules.get(item_id)
        or base.scales.get(item_id)
    )
    if found is None:
        _fail(f"evidence: no source, figure, rule or scale has the id {item_id!r}")
    if fmt == "json":
        data = found.model_dump(mode="json", by_alias=True)
        if item_id in base.sources:
            data["cited_by"] = base.cited_by(item_id)
        _emit_json(data)
    elif item_id in base.sources:
        out.print(source_detail(base, found))
    elif item_id in base.figures:
        out.print(Text(found.statement, style="bold"))
        out.print(Text(f"{figure_value(found)} · {found.status.value}"))
        out.print(Text(f"sources: {', '.join(found.sources)}"))
        if found.caveat:
            out.print(Text(f"caveat: {found.caveat}"))
    elif item_id in base.scales:
        out.print(Text(f"{found.name}  sources: {', '.join(found.sources)}", style="bold"))
        for grade in found.grades:
            out.print(Text(f"  {grade.grade:>5}  {grade.label}: {grade.definition}"))
        if found.note:
            out.print(Text(f"note: {found.note}"))
    else:
        level = found.urgency.value if found.urgency else "qualifier"
        out.print(Text(f"{found.title} ({level})", style="bold"))
        out.print(Text(found.statement.strip()))
        out.print(Text(f"sources: {', '.join(found.sources)}"))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--pretty", is_flag=True, help="Indent the JSON (one document only reads best).")
@format_option(
    "json", "json: the case contract, one object per line; text: each fact with the words it came from."
)
def extract(paths: tuple[str, ...], pretty: bool, fmt: str) -> None:
    """Read clinical documents into cases: one cementwatch.case/1 JSON object per line.

    PATHS are .txt, .md, .pdf or .docx files, folders (read recursively), or - for standard input.
    Every item carries its evidence: character offsets into the text as read, and the text. A file
    that cannot be read is reported on standard error and the rest go on (exit 2 at the end).
    """
    failures = []
    for _, case in _cases(paths):
        if isinstance(case, Case):
            if fmt == "text":
                _facts(case)
                continue
            data = case.to_json_dict()
            click.echo(json.dumps(data, ensure_ascii=False, indent=2 if pretty else None))
        else:
            failures.append(str(case) if isinstance(case, CaseError) else case.message)
    _report(failures)


def _facts(case: Case) -> None:
    """One line per fact read, with the words it was read from."""
    click.echo(f"== {case.source}")

    def show(label: str, item: Any) -> None:
        words = " | ".join(span.text or "" for span in getattr(item, "evidence", [])[:3])
        click.echo(f"  {label:<44} «{words}»")

    for p in case.procedures:
        show(f"procedure {p.kind.value} {' '.join(p.levels)}" + (" (history)" if p.historical else ""), p)
    for leak in case.leaks:
        show(f"leak {leak.location.value} {leak.status.value} {' '.join(leak.levels)}", leak)
    for d in case.findings.deficits:
        show(f"finding {d.kind.value} {d.status.value}", d)
    for g in case.findings.motor_grades:
        show(f"motor grade {g.grade}{g.modifier or ''} {g.muscle or ''} {g.side.value if g.side else ''}", g)
    for i in case.imaging:
        show(f"imaging {i.modality.value}" + (f" day {i.day:g}" if i.day is not None else ""), i)
    for t in case.treatments:
        show(
            f"treatment {t.kind.value} {t.status.value}" + (f" day {t.day:g}" if t.day is not None else ""), t
        )
    timeline = {k: v for k, v in case.timeline.model_dump().items() if v is not None}
    click.echo(f"  timeline {timeline}  outcome {case.outcome.status.value if case.outcome.status else None}")
    for warning in case.warnings:
        click.echo(f"  warning: {warning}")


@main.command(name="eval")
@click.argument("gold_path", metavar="GOLD.jsonl")
@click.option("--errors", is_flag=True, help="List every miss: item, field, expected, read.")
@FORMAT
def eval_(gold_path: str, errors: bool, fmt: str) -> None:
    """Score the reader against flat gold labels (shared/contracts/gold.md).

    Reads each gold line's document, assesses it, and prints per-field figures, list-field micro
    F1, scalar accuracy, and triage right / under / over. A document that cannot be read counts as
    all misses and the rest go on.
    """
    from cementwatch.assess import assess as run
    from cementwatch.evaluate import GoldItem, evaluate, load_gold

    try:
        items = load_gold(Path(gold_path))
    except (OSError, ValueError) as error:
        _fail(f"eval: {gold_path}: {error}")

    def read(item: GoldItem) -> tuple[Case, str]:
        case = _read_case(str(item.file))
        return case, run(case, with_case=False).urgency.value

    report = evaluate(items, read)
    if fmt == "json":
        _emit_json(report.to_dict())
    else:
        for line in report.lines(errors=errors):
            click.echo(line)


@main.command()
@FORMAT
def rules(fmt: str) -> None:
    """List the triage rules: id, the urgency each sets, its statement and sources."""
    from cementwatch.evidence import load_evidence
    from cementwatch.render import console, rules_table

    base = load_evidence()
    if fmt == "json":
        for r in base.rules.values():
            _emit_json(r.model_dump(mode="json", by_alias=True))
        return
    console().print(rules_table(base))
    console().print(Text(f"rule book {base.rulebook.version}: {base.rulebook.review.strip()}"))


def _register_registry_commands() -> None:
    from cementwatch.cli_registry import ingest, registry, stats

    for command in (ingest, registry, stats):
        main.add_command(command)


_register_registry_commands()


if __name__ == "__main__":
    entry()
