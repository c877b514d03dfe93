"""The registry's commands: ``ingest``, ``registry …`` and ``stats``. Thin: the work is in
``cementwatch.registry``. Every command takes ``--db URL`` (else ``CEMENTWATCH_DATABASE_URL``, else the
SQLite file in the user's data folder; ``cementwatch registry info`` says which)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from cementwatch.clitools import FORMAT, RegistryUnavailable, emit_json, fail, report

if TYPE_CHECKING:  # importing the registry at start-up would cost every other command time
    from cementwatch.registry.store import Filters, Registry, Row

_F = TypeVar("_F", bound=Callable[..., Any])

VOCABULARY = {
    "leak": "LeakLocation",
    "deficit": "DeficitKind",
    "treatment": "TreatmentKind",
    "procedure": "ProcedureKind",
    "outcome": "OutcomeStatus",
}


def db_option(function: _F) -> _F:
    return click.option(
        "--db",
        "url",
        metavar="URL",
        help="Registry database URL (default: $CEMENTWATCH_DATABASE_URL, else a file in your data folder).",
    )(function)


def _choices(enum_name: str, *extra: str) -> click.Choice[str]:
    import cementwatch.case as model

    return click.Choice([m.value for m in getattr(model, enum_name)] + list(extra))


def filter_options(function: _F) -> _F:
    """The filters ``list``, ``export`` and ``stats`` share (every one given must hold)."""
    options = [
        click.option("--leak", type=_choices("LeakLocation"), help="A present leak at this location."),
        click.option("--deficit", type=_choices("DeficitKind"), help="A present deficit of this kind."),
        click.option("--treatment", type=_choices("TreatmentKind"), help="A done treatment of this kind."),
        click.option("--procedure", type=_choices("ProcedureKind"), help="The index augmentation."),
        click.option("--outcome", type=_choices("OutcomeStatus", "not_reported"), help="The outcome."),
        click.option(
            "--urgency", type=click.Choice(["emergency", "urgent", "routine", "none"]), help="Triage."
        ),
        click.option(
            "--kind", type=click.Choice(["literature", "document", "case"]), help="How it was stored."
        ),
        click.option("--level", help="A treated or leak level, e.g. T12."),
        click.option("--min-delay-days", type=float, help="Decompression at least this many days after."),
        click.option("--max-delay-days", type=float, help="Decompression at most this many days after."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _filters(options: dict[str, Any]) -> Filters:
    from cementwatch.levels import LevelError, parse_level
    from cementwatch.registry.store import Filters

    level = options.get("level")
    if level:
        try:
            options["level"] = parse_level(level)
        except LevelError as error:
            fail(f"--level: {error}")
    return Filters(**{k: v for k, v in options.items() if k in Filters.__dataclass_fields__})


@contextmanager
def _open(url: str | None) -> Iterator[Registry]:
    from cementwatch.registry.db import RegistryError
    from cementwatch.registry.store import Registry

    try:
        registry = Registry(url)
    except RegistryError as error:
        raise RegistryUnavailable(str(error)) from None
    try:
        yield registry
    except RegistryError as error:
        raise RegistryUnavailable(str(error)) from None
    finally:
        registry.close()


# -- ingest -------------------------------------------------------------------------------------------


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Read and triage, show what would be stored, store nothing.")
@click.option("--no-text", is_flag=True, help="Do not keep the documents' text in the registry (privacy).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; only the summary.")
@db_option
def ingest(paths: tuple[str, ...], dry_run: bool, no_text: bool, quiet: bool, url: str | None) -> None:
    """Read documents and case files into the registry: read, triage, store, one document at a time.

    PATHS are files or folders (.txt .md .pdf .docx documents, .json case files). Storing is
    idempotent (a document already stored is skipped) and resumable: after a crash or Ctrl-C, run the
    same command again. A file that cannot be read is listed at the end with its reason (exit 2); the
    rest go in.
    """
    from cementwatch.registry.ingest import ingest as run
    from cementwatch.registry.ingest import plan

    files = plan(paths)
    with _open(url) as registry:
        progress = _progress(len(files), quiet or not sys.stderr.isatty())
        with progress as bar:
            task = bar.add_task("ingest", total=len(files), stored=0, already=0, failed=0)
            counts = {"stored": 0, "already": 0, "failed": 0, "would-store": 0}

            def step(item: Any) -> None:
                counts[item.result] += 1
                bar.update(task, advance=1, **{k.replace("-", "_"): v for k, v in counts.items()})
                if dry_run and item.result == "would-store":
                    bar.console.print(
                        f"would store {item.path} ({item.urgency})",
                        soft_wrap=True,
                        markup=False,
                        highlight=False,
                    )

            result = run(files, registry, dry_run=dry_run, keep_text=not no_text, on_item=step)
        verb = "would store" if dry_run else "stored"
        done = result.would_store if dry_run else result.stored
        click.echo(
            f"{verb} {done}, already in the registry {result.already}, failed {len(result.failed)}"
            f" — {registry.url}",
            err=True,
        )
    if result.interrupted:
        click.echo(
            "interrupted: what was stored stays stored; run the same command again to go on.", err=True
        )
        sys.exit(130)
    report([f"{item.path}: {item.reason}" for item in result.failed])


def _progress(total: int, hidden: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "stored {task.fields[stored]} · already {task.fields[already]} · failed {task.fields[failed]}"
        ),
        TextColumn("{task.speed:>6.0f} docs/s" if total else ""),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=hidden,
    )


# -- registry ------------------------------------------------------------------------------------------


@click.group()
def registry() -> None:
    """The case registry: store, find, show, export and import cases, and load the literature.

    SQLite by default; PostgreSQL with --db postgresql+psycopg://user@host/db (or
    CEMENTWATCH_DATABASE_URL). The schema is migrated on first use.
    """


@registry.command()
@db_option
@FORMAT
def info(url: str | None, fmt: str) -> None:
    """Where the registry is, its schema revision and how many cases of each kind it holds."""
    with _open(url) as reg:
        facts = reg.info()
    if fmt == "json":
        emit_json(facts)
        return
    click.echo(f"registry  {facts['url']}  ({facts['backend']}, schema {facts['schema_revision']})")
    kinds = ", ".join(f"{kind} {n}" for kind, n in facts["by_kind"].items()) or "empty"
    click.echo(f"cases     {facts['cases']}  ({kinds})")


@registry.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
def add(paths: tuple[str, ...], url: str | None) -> None:
    """Store case JSON files (cementwatch.case/1) as they are; prints each one's registry id.

    The same case again is not stored twice (its id is printed with "already").
    """
    from cementwatch.cli import _json_cases

    failures = []
    with _open(url) as reg:
        for path, case in _json_cases(paths):
            if isinstance(case, Exception):
                failures.append(str(case) if not isinstance(case, click.ClickException) else case.message)
                continue
            added = reg.add(case, kind="case", source=case.source or path)
            click.echo(f"{added.id}\t{'stored' if added.new else 'already'}\t{path}")
    report(failures)


@registry.command()
@click.argument("case_id", type=int)
@db_option
@FORMAT
def show(case_id: int, url: str | None, fmt: str) -> None:
    """Show one stored case: where it came from, and its triage card (or its JSON)."""
    from cementwatch.assess import assess
    from cementwatch.render import console, triage_card

    with _open(url) as reg:
        stored = reg.get(case_id)
    if stored is None:
        fail(f"registry show: no case {case_id}")
    if fmt == "json":
        emit_json(
            {
                "id": stored.id,
                "kind": stored.kind,
                "source": stored.source,
                "content_hash": stored.content_hash,
                "reader_version": stored.reader_version,
                "stored_at": stored.stored_at.isoformat(),
                "urgency": stored.urgency,
                "case": stored.case.to_json_dict(),
            }
        )
        return
    click.echo(f"case {stored.id} · {stored.kind} · stored {stored.stored_at:%Y-%m-%d %H:%M} UTC")
    if stored.case.citation:
        click.echo(f"cited  {stored.case.citation.text} {stored.case.citation.ref or ''}".rstrip())
    console().print(triage_card(assess(stored.case), source=stored.source or f"case {stored.id}"))


@registry.command(name="list")
@filter_options
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True, help="Rows to show.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Rows to skip (for paging).")
@db_option
@FORMAT
def list_(limit: int, offset: int, url: str | None, fmt: str, **options: Any) -> None:
    """List stored cases, newest first, with filters, e.g. --leak intradural --outcome improved
    --procedure kyphoplasty --min-delay-days 30."""
    filters = _filters(options)
    with _open(url) as reg:
        page = reg.list(filters, limit=limit, offset=offset)
    if fmt == "json":
        for row in page.rows:
            emit_json({**row.__dict__, "leaks": list(row.leaks), "deficits": list(row.deficits)})
        return
    _table(page.rows)
    shown = f"{offset + 1}–{offset + len(page.rows)}" if page.rows else "none"
    click.echo(f"{shown} of {page.total} ({filters.describe()})")


def _table(rows: list[Row]) -> None:
    """Plain aligned columns (no wrapping, so a row stays one line in a terminal, a pager or a file)."""
    header = ("id", "kind", "urgency", "procedure", "leaks", "deficits", "decomp. day", "outcome", "from")
    lines = [header] + [
        (
            str(r.id),
            r.kind,
            r.urgency or "-",
            r.procedure or "-",
            ",".join(r.leaks) or "-",
            ",".join(r.deficits) or "-",
            "-" if r.decompression_days is None else f"{r.decompression_days:g}",
            r.outcome or "-",
            _short(r.citation or r.source or "", 48),
        )
        for r in rows
    ]
    widths = [min(max(len(line[i]) for line in lines), 40) for i in range(len(header) - 1)]
    for line in lines:
        cells = [_short(cell, width).ljust(width) for cell, width in zip(line, widths, strict=False)]
        click.echo("  ".join([*cells, line[-1]]).rstrip())


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@registry.command()
@click.argument("case_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def delete(case_id: int, yes: bool, url: str | None) -> None:
    """Delete one stored case and everything indexed about it."""
    with _open(url) as reg:
        if reg.get(case_id) is None:
            fail(f"registry delete: no case {case_id}")
        if not yes:
            click.confirm(f"Delete case {case_id} from {reg.url}?", abort=True)
        reg.delete(case_id)
    click.echo(f"deleted case {case_id}")


@registry.command()
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "fhir"]),
    default="jsonl",
    show_default=True,
    help="jsonl: the case contract, one per line; csv: one row per case; fhir: R4B Bundles, one per line.",
)
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@db_option
def export(fmt: str, out_path: str | None, url: str | None, **options: Any) -> None:
    """Export stored cases as JSON Lines, CSV (columns in docs/registry.md) or FHIR R4B Bundles
    (one Bundle per line)."""
    filters = _filters(options)
    with _open(url) as reg, _output(out_path) as stream:
        stored = reg.cases(filters)
        count = 0
        if fmt == "csv":
            from cementwatch.registry.exchange import case_to_row, write_csv

            count = write_csv(
                (case_to_row(s.case, registry_id=s.id, urgency=s.urgency) for s in stored), stream
            )
        elif fmt == "fhir":
            from cementwatch.registry.fhir import write_bundles

            count = write_bundles(((s.content_hash, s.case) for s in stored), stream)
        else:
            from cementwatch.registry.exchange import dumps_jsonl

            for s in stored:
                stream.write(dumps_jsonl(s.case) + "\n")
                count += 1
    click.echo(f"exported {count} case(s) ({filters.describe()})", err=True)


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as stream:
        yield stream


@registry.command(name="import")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "jsonl", "csv", "fhir"]),
    default="auto",
    show_default=True,
    help="auto: by suffix (.jsonl .csv; .ndjson = FHIR Bundles).",
)
@db_option
def import_(paths: tuple[str, ...], fmt: str, url: str | None) -> None:
    """Import cases from JSON Lines, CSV or FHIR R4B Bundles (one per line). Bad lines are listed
    with file:line and skipped; the rest go in; cases already stored are not stored again."""
    from cementwatch.registry.exchange import BadRecord, read_csv, read_jsonl

    failures: list[str] = []
    stored = already = 0
    with _open(url) as reg:
        for path in paths:
            kind = fmt if fmt != "auto" else _format_of(path)
            try:
                stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
            except OSError as error:
                failures.append(f"{path}: cannot read: {error.strerror}")
                continue
            with stream:
                if kind == "fhir":
                    from cementwatch.registry.fhir import read_bundles

                    records: Iterator[Any] = read_bundles(stream)
                else:
                    records = read_csv(stream, path) if kind == "csv" else read_jsonl(stream, path)
                try:
                    for record in records:
                        if isinstance(record, Exception):
                            failures.append(
                                str(record) if isinstance(record, BadRecord) else f"{path}: {record}"
                            )
                            continue
                        added = reg.add(record, kind="literature" if record.citation else "case")
                        stored, already = stored + added.new, already + (not added.new)
                except UnicodeDecodeError:
                    failures.append(f"{path}: not UTF-8 text")
    click.echo(f"imported {stored}, already in the registry {already}, failed {len(failures)}", err=True)
    report(failures)


def _format_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return {".csv": "csv", ".ndjson": "fhir"}.get(suffix, "jsonl")


@registry.command(name="load-literature")
@db_option
def load_literature(url: str | None) -> None:
    """Load the bundled literature cases (published case reports and the seed documents, with
    citations) into the registry. Idempotent: loading twice stores nothing new."""
    from cementwatch.registry.literature import literature_cases

    stored = 0
    cases = literature_cases()
    with _open(url) as reg:
        for case in cases:
            stored += reg.add(case, kind="literature").new
        click.echo(f"literature: {stored} stored, {len(cases) - stored} already there — {reg.url}")


# -- stats ----------------------------------------------------------------------------------------------


@click.command()
@filter_options
@click.option("--plot", "plot_name", help="Draw a plot instead of the tables (see --plot list).")
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False), help="Where to save the plot (.png or .svg)."
)
@db_option
@FORMAT
def stats(plot_name: str | None, out_path: str | None, url: str | None, fmt: str, **options: Any) -> None:
    """Counts by leak location, procedure, deficit, treatment and outcome, and outcome by delay to
    decompression, with n in every cell. --plot NAME --out FILE.png|svg draws one of them.

    Published case reports over-represent severe and unusual courses: these are counts, not incidence.
    """
    from cementwatch.registry.plots import PLOTS, draw
    from cementwatch.registry.stats import compute_stats, render_stats, stats_to_json

    if plot_name == "list":
        for name, description in PLOTS.items():
            click.echo(f"{name:<20} {description}")
        return
    if plot_name and plot_name not in PLOTS:
        fail(f"stats: no plot {plot_name!r} (plots: {', '.join(PLOTS)})")
    if plot_name and not out_path:
        fail("stats: --plot needs --out FILE.png or FILE.svg")
    filters = _filters(options)
    with _open(url) as reg:
        result = compute_stats(s.case for s in reg.cases(filters))
    if plot_name and out_path:
        try:
            draw(result, plot_name, Path(out_path))
        except (ValueError, OSError) as error:
            fail(f"stats: {error}")
        click.echo(f"drew {plot_name} ({result.n} cases) → {out_path}", err=True)
        return
    if fmt == "json":
        emit_json(stats_to_json(result))
        return
    click.echo(render_stats(result))
