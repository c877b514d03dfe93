"""The bundled literature dataset: published cases of symptomatic cement leakage, as ``Case`` objects.

What it holds: the 48 published cases of ``shared/data/published-cases.csv`` (one case per row, in CSV
order, ``source`` ``literature:PC005``) followed by the five seed documents of ``shared/seeds``
(``literature:seed-000`` … ``seed-004``). Every case carries a ``citation`` (``text``, ``ref``,
``case_id``) and ``notes`` in the project's own words; see ``docs/literature.md`` for the mapping.

Contracts:

- :func:`literature_cases` returns the bundled dataset (``data/literature.jsonl``, package data) as
  fresh ``Case`` copies on every call; the file is read and validated once per process.
- :func:`build_literature` converts the CSV row by row (:mod:`.literature_csv`: explicit mapping tables,
  an unknown value raises :class:`LiteratureError`, blanks stay blank except for the reviewed
  ``deficits_from_notes``) and appends the hand-curated seed cases of ``data/literature-seeds.yaml``.
  The free text and ``deficits_from_notes`` come from ``data/literature-text.yaml``; the build fails
  if any free text repeats 8 or more consecutive words of the CSV's ``notes``/``outcome_detail``
  columns or of a seed document.
- ``python -m cementwatch.registry.literature build`` regenerates ``data/literature.jsonl`` from
  ``../shared`` (``$CEMENTWATCH_SHARED`` overrides); ``--check`` writes nothing and exits 1 if the
  committed file differs from a fresh build. Exit 2: ``shared`` not found or the build failed.
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import re
import sys
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

from cementwatch.case import Case, parse_case
from cementwatch.registry.literature_csv import COLUMNS, LiteratureError, row_to_case

__all__ = [
    "COPY_RUN",
    "LiteratureError",
    "build_literature",
    "copied_runs",
    "dump_jsonl",
    "free_texts",
    "literature_cases",
    "main",
]

DATA: Final = "data"
DATASET: Final = "literature.jsonl"
TEXT: Final = "literature-text.yaml"
SEEDS: Final = "literature-seeds.yaml"
COPY_RUN: Final = 8  # words: a run this long shared with a source counts as copied
_ROOT = Path(__file__).resolve().parents[3]  # the project root, in a source checkout


def _data(name: str) -> str:
    return resources.files(__package__).joinpath(DATA, name).read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(text: str, n: int = COPY_RUN) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


_IDENTIFIER = re.compile(r"doi:\s*\S+|PMID:?\s*\d+|https?://\S+", re.IGNORECASE)


def free_texts(case: Case) -> list[str]:
    """The words a case carries: notes, outcome detail, citation text (without its DOI/PMID/URL)."""
    citation = _IDENTIFIER.sub(" ", case.citation.text) if case.citation else None
    return [text for text in (case.notes, case.outcome.detail, citation) if text]


def copied_runs(texts: Iterable[str], sources: Iterable[str], n: int = COPY_RUN) -> list[str]:
    """Each run of ``n`` consecutive words that a text shares with a source (case and punctuation ignored)."""
    source_runs: set[tuple[str, ...]] = set()
    for source in sources:
        source_runs |= _runs(source, n)
    return sorted({" ".join(run) for text in texts for run in _runs(text, n) & source_runs})


def _read_csv(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise LiteratureError(f"{csv_path}: columns {reader.fieldnames} are not the expected {COLUMNS}")
        rows = list(reader)
    ids = [row["case_id"] for row in rows]
    if len(set(ids)) != len(ids) or not all(ids):
        raise LiteratureError(f"{csv_path}: case_id values must be present and unique")
    return rows


def _seed_cases(seeds_dir: Path) -> tuple[list[Case], list[str]]:
    """The curated seed cases and the text of their seed documents."""
    entries: list[dict[str, Any]] = yaml.safe_load(_data(SEEDS))
    cases, texts = [], []
    for entry in entries:
        case = parse_case(entry, where=f"{SEEDS}: {entry.get('source')}")
        if case.citation is None or not case.citation.case_id or not case.notes:
            raise LiteratureError(f"{SEEDS}: {case.source} needs a citation with a case_id, and notes")
        number = case.citation.case_id.removeprefix("seed-")
        found = sorted(seeds_dir.glob(f"{number}_*.txt"))
        if len(found) != 1:
            raise LiteratureError(f"{seeds_dir}: expected one seed file {number}_*.txt, found {len(found)}")
        cases.append(case)
        texts.append(found[0].read_text(encoding="utf-8"))
    return cases, texts


def build_literature(csv_path: Path, seeds_dir: Path) -> list[Case]:
    """The literature dataset from the published-cases CSV and the seed folder (see the module doc)."""
    rows = _read_csv(csv_path)
    text: dict[str, dict[str, Any]] = yaml.safe_load(_data(TEXT))
    missing = [row["case_id"] for row in rows if row["case_id"] not in text]
    extra = sorted(set(text) - {row["case_id"] for row in rows})
    if missing or extra:
        raise LiteratureError(f"{TEXT}: no text for {missing}; text for rows not in the CSV: {extra}")
    cases = [row_to_case(row, text[row["case_id"]]) for row in rows]
    seeds, seed_texts = _seed_cases(seeds_dir)
    cases += seeds
    sources = [row[column] for row in rows for column in ("notes", "outcome_detail")] + seed_texts
    copied = copied_runs((t for case in cases for t in free_texts(case)), sources)
    if copied:
        raise LiteratureError(f"free text copies its sources ({len(copied)} runs), e.g. {copied[:3]}")
    return cases


def dump_jsonl(cases: Sequence[Case]) -> str:
    """One case per line, in the contract's JSON shape."""
    return "".join(case.to_json() + "\n" for case in cases)


@functools.cache
def _bundled() -> tuple[Case, ...]:
    lines = _data(DATASET).splitlines()
    return tuple(parse_case(line, where=f"{DATASET}:{n}") for n, line in enumerate(lines, 1) if line.strip())


def literature_cases() -> list[Case]:
    """The bundled literature cases (53: 48 published, 5 seeds), as copies the caller may change."""
    return [case.model_copy(deep=True) for case in _bundled()]


def _shared() -> Path:
    return Path(os.environ.get("CEMENTWATCH_SHARED", _ROOT.parent / "shared"))


def main(argv: Sequence[str] | None = None) -> int:
    """``build [--check] [--shared DIR] [--out FILE]``; see the module doc for the exit codes."""
    parser = argparse.ArgumentParser(prog="python -m cementwatch.registry.literature")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="regenerate the bundled literature.jsonl from ../shared")
    build.add_argument("--check", action="store_true", help="write nothing; fail if the file is stale")
    build.add_argument("--shared", type=Path, default=None, help="the shared folder (default ../shared)")
    build.add_argument("--out", type=Path, default=Path(__file__).parent / DATA / DATASET)
    args = parser.parse_args(argv)
    shared: Path = args.shared or _shared()
    csv_path, seeds_dir = shared / "data" / "published-cases.csv", shared / "seeds"
    if not csv_path.is_file() or not seeds_dir.is_dir():
        print(f"shared folder not found or incomplete: {shared}", file=sys.stderr)
        return 2
    try:
        fresh = dump_jsonl(build_literature(csv_path, seeds_dir))
    except (LiteratureError, ValueError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 2
    out: Path = args.out
    current = out.read_text(encoding="utf-8") if out.is_file() else ""
    if args.check:
        if current == fresh:
            print(f"{out}: up to date ({len(fresh.splitlines())} cases)")
            return 0
        old, new = current.splitlines(), fresh.splitlines()
        changed = [n for n in range(max(len(old), len(new))) if old[n : n + 1] != new[n : n + 1]]
        print(f"{out}: stale; lines differing: {[n + 1 for n in changed][:10]}; rebuild it", file=sys.stderr)
        return 1
    out.write_text(fresh, encoding="utf-8")
    print(f"{out}: {len(fresh.splitlines())} cases written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
