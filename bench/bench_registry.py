"""Registry benchmark: ingest speed, list/filter latency at 100,000 cases, memory while ingesting.

Each figure is printed beside a peer measured in the same process on the same data:

1. **Ingest** (target ≥ 200 documents/s per core, 2 KB reports, SQLite): ``ingest`` of a folder of
   synthetic reports (bench/synth.py, sizes around 2 KB) into a fresh SQLite registry, one transaction
   per document — against the peer *read + triage only* (the same documents, nothing stored), so the
   ratio is what storing costs. "Per core" is documents per CPU-second of this one process (reading,
   triage and SQLite all run in it), so other work on the machine does not skew it; wall-clock rates
   are printed beside it.
2. **List/filter** (target < 100 ms at 100,000 cases): ``Registry.list`` with the filters the issue
   names, median and worst of 20 runs each, on a registry of 100,000 cases — against the peer, the
   same query on a copy of the registry without the child-table indexes (what the indexes buy).
3. **Memory** (target: flat): resident memory sampled every 1,000 documents while ingesting
   ``--memory-docs`` documents (default 20,000; ``--memory-docs 100000`` for the issue's full run);
   growth from 10% to 100% of the run is printed. Peer: the same sampling for read + triage only.

Run: ``.venv/bin/python bench/bench_registry.py`` (about 3 minutes with defaults). It reports; it never
fails on a figure.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import synth  # bench/synth.py

from cementwatch.assess import assess
from cementwatch.case import parse_case
from cementwatch.read import read_case
from cementwatch.read.documents import load_document
from cementwatch.registry.columns import index_case
from cementwatch.registry.ingest import ingest, plan
from cementwatch.registry.literature import literature_cases
from cementwatch.registry.store import Filters, Registry
from cementwatch.registry.tables import case_deficits, case_leaks, case_levels, case_treatments, cases

ROOT = Path(__file__).resolve().parents[1]
TARGET_INGEST = 200.0
TARGET_LIST_MS = 100.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_docs(folder: Path, count: int, seed: int) -> float:
    """``count`` synthetic reports near 2 KB; returns their mean size in KB."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = []
    made = 0
    batch = 0
    while made < count:
        for doc in synth.make_corpus(2000, seed + batch):
            if not 1200 <= len(doc.text.encode()) <= 3000 or made >= count:
                continue
            text = f"{doc.text}\nRef {made}\n"  # unique bytes per file
            (folder / f"{made:06d}.txt").write_text(text, encoding="utf-8")
            sizes.append(len(text.encode()))
            made += 1
        batch += 1
    return statistics.mean(sizes) / 1024


def bench_ingest(docs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        kb = write_docs(folder, docs, seed=7)
        files = plan([str(folder)])

        wall, cpu = time.perf_counter(), time.process_time()
        for path in files:
            assert isinstance(path, Path)
            document = load_document(path)
            assess(read_case(document.text, source=document.source), with_case=False)
        peer_wall, peer_cpu = docs / (time.perf_counter() - wall), docs / (time.process_time() - cpu)

        with Registry(f"sqlite:///{Path(tmp) / 'r.sqlite3'}") as registry:
            wall, cpu = time.perf_counter(), time.process_time()
            report = ingest(files, registry)
            ours_wall, ours = docs / (time.perf_counter() - wall), docs / (time.process_time() - cpu)
            assert report.stored == docs and not report.failed, report
    print(
        f"ingest   {docs} docs of {kb:.1f} KB mean into SQLite: {ours:,.0f} docs per CPU-second "
        f"(target ≥ {TARGET_INGEST:.0f} per core: {'holds' if ours >= TARGET_INGEST else 'MISSED'}); "
        f"wall clock {ours_wall:,.0f} docs/s"
    )
    print(
        f"         peer read + triage only: {peer_cpu:,.0f} docs per CPU-second (wall {peer_wall:,.0f}) "
        f"→ storing keeps {ours / peer_cpu:.0%} of it"
    )


SPINE = [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)]


def _shift(levels: list[str], by: int) -> list[str]:
    """Move thoracolumbar levels ``by`` places along the spine (others, e.g. S1, stay)."""
    return [SPINE[(SPINE.index(v) + by) % len(SPINE)] if v in SPINE else v for v in levels]


def fill(url: str, n: int) -> None:
    """``n`` cases made from the bundled literature and the fixture cases, with levels moved along
    the spine and procedure kind, outcome and treatment days drawn at random, bulk-inserted (the rows
    are exactly what ``Registry.add`` writes; only the per-case transaction is skipped)."""
    fixtures = [parse_case(p.read_text()) for p in sorted((ROOT / "tests/fixtures/cases").glob("*.json"))]
    templates = literature_cases() + fixtures
    rng = random.Random(3)
    outcomes = ["full_recovery", "improved", "unchanged", "worse", "died", None]
    with Registry(url) as registry, registry.engine.begin() as connection:
        for start in range(0, n, 5000):
            rows, children = [], {t: [] for t in (case_leaks, case_deficits, case_treatments, case_levels)}
            for i in range(start, min(start + 5000, n)):
                case = templates[i % len(templates)].model_copy(deep=True)
                case.outcome.status = rng.choice(outcomes)  # type: ignore[assignment]
                by = rng.randrange(len(SPINE))
                for procedure in case.procedures:
                    procedure.levels = _shift(procedure.levels, by)
                    procedure.kind = rng.choice(["vertebroplasty", "kyphoplasty"])  # type: ignore[assignment]
                for leak in case.leaks:
                    leak.levels = _shift(leak.levels, by)
                for t in case.treatments:
                    if t.day is not None:
                        t.day = float(rng.randint(0, 120))
                indexed = index_case(case, urgency=rng.choice(["emergency", "urgent", "routine", "none"]))
                rows.append(
                    {
                        "id": i + 1,
                        "content_hash": f"{i:064d}",
                        "kind": "case",
                        "source": f"bench {i}",
                        "case_json": case.to_json(),
                        "stored_at": _now(),
                        **indexed.columns,
                    }
                )
                for table, items in (
                    (case_leaks, indexed.leaks),
                    (case_deficits, indexed.deficits),
                    (case_treatments, indexed.treatments),
                    (case_levels, indexed.levels),
                ):
                    children[table].extend({"case_id": i + 1, **item} for item in items)
            connection.execute(cases.insert(), rows)
            for table, items in children.items():
                if items:
                    connection.execute(table.insert(), items)


def _now() -> object:
    from datetime import UTC, datetime

    return datetime.now(UTC)


QUERIES: dict[str, Filters] = {
    "all (first page + total)": Filters(),
    "--leak intradural": Filters(leak="intradural"),
    "--leak intradural --outcome improved --procedure kyphoplasty --min-delay-days 30": Filters(
        leak="intradural", outcome="improved", procedure="kyphoplasty", min_delay_days=30
    ),
    "--deficit paraplegia --level T12": Filters(deficit="paraplegia", level="T12"),
    "--outcome died": Filters(outcome="died"),
}


def timed(call: Callable[[], object], runs: int = 20) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def bench_list(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'big.sqlite3'}"
        start = time.perf_counter()
        fill(url, n)
        print(
            f"list     {n:,} cases (filled in {time.perf_counter() - start:.0f} s); "
            "median / worst of 20 runs:"
        )
        peer_url = f"sqlite:///{Path(tmp) / 'peer.sqlite3'}"
        import shutil

        shutil.copy(Path(tmp) / "big.sqlite3", Path(tmp) / "peer.sqlite3")
        with Registry(peer_url) as peer:
            with peer.engine.begin() as connection:
                for table in (case_leaks, case_deficits, case_treatments, case_levels):
                    for index in table.indexes:
                        connection.exec_driver_sql(f"DROP INDEX {index.name}")
            peer_times = {name: timed(lambda f=f: peer.list(f), runs=3) for name, f in QUERIES.items()}
        with Registry(url) as registry:
            for name, filters in QUERIES.items():
                median, worst = timed(lambda f=filters: registry.list(f))
                total = registry.count(filters)
                verdict = "holds" if worst < TARGET_LIST_MS else "MISSED"
                pm, _ = peer_times[name]
                print(
                    f"         {name:<82} {median:6.1f} / {worst:6.1f} ms  ({total:,} match; "
                    f"target < {TARGET_LIST_MS:.0f} ms {verdict}; peer without indexes {pm:,.0f} ms)"
                )
            # no target in the issue: how long `assess --similar registry` waits on a large registry
            for seed in ("seed-003", "seed-000"):
                probe = next(c for c in literature_cases() if c.source == f"literature:{seed}")
                median, worst = timed(lambda c=probe: registry.similar(c, k=5), runs=3)
                print(f"similar  k=5 for {seed} (literature)".ljust(92) + f"{median:6.0f} / {worst:6.0f} ms")


def bench_memory(docs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        write_docs(folder, docs, seed=11)
        files = plan([str(folder)])
        peer: list[float] = []
        for n, path in enumerate(files, start=1):
            assert isinstance(path, Path)
            document = load_document(path)
            assess(read_case(document.text, source=document.source), with_case=False)
            if n % 1000 == 0:
                peer.append(rss_mb())
        samples: list[float] = []
        count = 0

        def step(_: object) -> None:
            nonlocal count
            count += 1
            if count % 1000 == 0:
                samples.append(rss_mb())

        with Registry(f"sqlite:///{Path(tmp) / 'm.sqlite3'}") as registry:
            ingest(files, registry, keep_text=True, on_item=step)
        tenth = samples[max(0, len(samples) // 10 - 1)]
        print(
            f"memory   ingest of {docs:,} docs: RSS {tenth:.0f} MB at 10%, "
            f"{samples[len(samples) // 2]:.0f} MB "
            f"at 50%, {samples[-1]:.0f} MB at 100% → growth {samples[-1] - tenth:+.0f} MB "
            f"({(samples[-1] - tenth) / tenth:+.0%}) over the last 90%"
        )
        first = peer[max(0, len(peer) // 10 - 1)]
        print(
            f"         peer read + triage only: {first:.0f} MB at 10%, {peer[-1]:.0f} MB at 100% "
            f"→ growth {peer[-1] - first:+.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ingest-docs", type=int, default=2000, help="0 skips the ingest benchmark")
    parser.add_argument("--cases", type=int, default=100_000, help="0 skips the list benchmark")
    parser.add_argument("--memory-docs", type=int, default=20_000, help="0 skips the memory benchmark")
    args = parser.parse_args()
    print(f"CementWatch registry benchmark — Python {sys.version.split()[0]}, one process, one core")
    if args.ingest_docs:
        bench_ingest(args.ingest_docs)
    if args.cases:
        bench_list(args.cases)
    if args.memory_docs:
        bench_memory(args.memory_docs)


if __name__ == "__main__":
    main()
