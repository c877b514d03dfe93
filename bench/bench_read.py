"""Reading-speed benchmark: CementWatch's reader against medSpaCy on the same documents.

Run it with ``make bench`` (or ``.venv/bin/python bench/bench_read.py``). It reports; it never
fails on a figure (exit code 0 whatever the verdicts). See bench/README.md for the method.

1. Corpus: ``--docs`` synthetic notes made at run time from templates with a fixed ``--seed``
   (bench/synth.py: known truth), plus the hand-annotated documents in tests/corpus/docs and the
   five seed documents in ../shared/seeds when they are there.
2. Throughput on one pinned core, one process, after a warm-up, start-up excluded: CementWatch
   (``read_case`` per document) and medSpaCy (``nlp.pipe``) in two set-ups: ``medspacy.load()``
   (PyRuSH) and the same with spaCy's ``sentencizer`` instead of PyRuSH. Both medSpaCy pipelines
   match the same phrases as CementWatch (bench/medspacy_baseline.py).
3. Leak F1 (micro, over (location, status) pairs) on the synthetic corpus, and leaks_present F1 on
   the hand-annotated gold where present.
4. Latency of read + assess on ~8 KB documents (200 runs each).
5. CLI start-up (``cementwatch --version``, ``cementwatch assess --example --format json``).
6. A summary with a verdict per target.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import synth  # bench/synth.py: the script's folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WARM_DOCS = 50
Pair = tuple[str, str]

TARGET_RATIO = 10.0
TARGET_LATENCY_MS = 50.0
TARGET_CLI_S = 1.5


@dataclass
class Doc:
    doc_id: str
    source: str  # synthetic | corpus | seed
    text: str
    path: Path | None = None
    truth: frozenset[Pair] | None = None
    lines: tuple[str, ...] = ()
    kind: str = ""
    nbytes: int = 0


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    docs: int
    nbytes: int
    pairs: dict[str, list[set[Pair]]] = field(default_factory=dict)  # variant -> per-document pairs
    snippets: list[dict[Pair, str]] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.wall

    @property
    def mb_per_s(self) -> float:
        return self.nbytes / 1e6 / self.wall


def say(text: str = "") -> None:
    print(text, flush=True)


def heading(text: str) -> None:
    say()
    say(f"== {text} " + "=" * max(0, 74 - len(text)))


# --- corpus ------------------------------------------------------------------------------------


def build_corpus(n: int, seed: int) -> list[Doc]:
    docs = [
        Doc(d.doc_id, "synthetic", d.text, truth=d.truth, lines=d.lines, kind=d.kind)
        for d in synth.make_corpus(n, seed)
    ]
    for source, folder in (("corpus", ROOT / "tests" / "corpus" / "docs"), ("seed", SHARED / "seeds")):
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            docs.append(Doc(path.stem, source, path.read_text(encoding="utf-8"), path=path.resolve()))
    for d in docs:
        d.nbytes = len(d.text.encode("utf-8"))
    return docs


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def describe_corpus(docs: list[Doc], seed: int) -> None:
    heading("corpus")
    sizes = [d.nbytes for d in docs]
    digest = hashlib.sha256("\x00".join(d.text for d in docs).encode()).hexdigest()[:16]
    by_source = Counter(d.source for d in docs)
    say(
        f"documents: {len(docs)} ({', '.join(f'{v} {k}' for k, v in by_source.items())}); "
        f"seed {seed}; sha256 {digest}"
    )
    say(f"total: {sum(sizes) / 1e6:.2f} MB (UTF-8 bytes / 1e6)")
    say(
        f"size bytes: min {min(sizes)}, p10 {pct(sizes, 10)}, median {pct(sizes, 50)}, "
        f"mean {statistics.mean(sizes):.0f}, p90 {pct(sizes, 90)}, max {max(sizes)}"
    )
    buckets = [(0, 1024), (1024, 2048), (2048, 4096), (4096, 8193), (8193, 10**9)]
    labels = ["< 1 KB", "1-2 KB", "2-4 KB", "4-8 KB", "> 8 KB"]
    for (lo, hi), label in zip(buckets, labels, strict=True):
        count = sum(lo <= s < hi for s in sizes)
        say(f"  {label:>7}: {count:5d} {'#' * round(60 * count / len(sizes))}")
    kinds = Counter(d.kind for d in docs if d.source == "synthetic")
    say("synthetic kinds: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    truth = Counter(st for d in docs if d.truth for _, st in d.truth)
    say(
        "synthetic truth: "
        + ", ".join(f"{v} {k}" for k, v in truth.most_common())
        + f" (location, status) pairs; {sum(1 for d in docs if d.truth == frozenset())} documents"
        " state no leak"
    )


# --- throughput -------------------------------------------------------------------------------


def timed(fn: Callable[[], list[Any]]) -> tuple[list[Any], float, float]:
    gc.collect()
    cpu0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - cpu0


def cementwatch_pairs(case: Any, text: str) -> tuple[set[Pair], dict[Pair, str]]:
    found: set[Pair] = set()
    snippets: dict[Pair, str] = {}
    for leak in case.leaks:
        pair = (leak.location.value, leak.status.value)
        found.add(pair)
        if leak.evidence:
            snippets.setdefault(pair, line_of(text, leak.evidence[0].start))
    return found, snippets


def line_of(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start : end if end >= 0 else len(text)].strip()[:160]


def run_cementwatch(docs: list[Doc]) -> Run:
    from cementwatch.read import read_case

    texts = [d.text for d in docs]
    for text in texts[:WARM_DOCS]:
        read_case(text)
    cases, wall, cpu = timed(lambda: [read_case(t) for t in texts])
    run = Run("CementWatch", wall, cpu, len(texts), sum(d.nbytes for d in docs))
    per_doc = [cementwatch_pairs(c, t) for c, t in zip(cases, texts, strict=True)]
    run.pairs["cementwatch"] = [p for p, _ in per_doc]
    run.snippets = [s for _, s in per_doc]
    return run


def run_medspacy(kind: str, docs: list[Doc], batch_size: int) -> tuple[Run, float]:
    import medspacy_baseline as mb

    terms = mb.load_terms()
    t0 = time.perf_counter()
    nlp = mb.build(kind, terms)
    build_s = time.perf_counter() - t0
    texts = [d.text for d in docs]
    list(nlp.pipe(texts[:WARM_DOCS], batch_size=batch_size))
    processed, wall, cpu = timed(lambda: list(nlp.pipe(texts, batch_size=batch_size)))
    name = "medSpaCy default (PyRuSH)" if kind == "default" else "medSpaCy + sentencizer"
    run = Run(name, wall, cpu, len(texts), sum(d.nbytes for d in docs))
    plain = [mb.pairs(doc, terms, drop_hypothetical=False) for doc in processed]
    fair = [mb.pairs(doc, terms, drop_hypothetical=True) for doc in processed]
    del processed
    run.pairs["plain"] = [set(p) for p in plain]
    run.pairs["fair"] = [set(p) for p in fair]
    run.snippets = [{**p, **f} for p, f in zip(plain, fair, strict=True)]
    return run, build_s


def report_throughput(runs: list[Run], startup: dict[str, float]) -> None:
    heading("throughput (one process pinned to one core; warm-up and start-up excluded)")
    columns = f"{'docs':>6}{'MB':>7}{'wall s':>9}{'cpu s':>9}{'docs/s':>10}{'MB/s':>8}{'start-up s':>12}"
    say(f"{'reader':<28}{columns}")
    for r in runs:
        say(
            f"{r.name:<28}{r.docs:>6}{r.nbytes / 1e6:>7.2f}{r.wall:>9.2f}{r.cpu:>9.2f}"
            f"{r.docs_per_s:>10.1f}{r.mb_per_s:>8.3f}{startup.get(r.name, float('nan')):>12.2f}"
        )
    cw = runs[0]
    for r in runs[1:]:
        say(f"ratio CementWatch / {r.name}: {cw.docs_per_s / r.docs_per_s:.1f}x docs/s")


# --- F1 -----------------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def score_synthetic(
    docs: list[Doc], predicted: list[set[Pair]]
) -> tuple[Score, Counter[tuple[str, ...]], dict[tuple[str, ...], int]]:
    score = Score()
    errors: Counter[tuple[str, ...]] = Counter()
    first: dict[tuple[str, ...], int] = {}
    for i, (doc, pred) in enumerate(zip(docs, predicted, strict=True)):
        if doc.truth is None:
            continue
        score.tp += len(pred & doc.truth)
        for kind, missed in (("FP", pred - doc.truth), ("FN", doc.truth - pred)):
            for loc, st in missed:
                key = (kind, loc, st)
                errors[key] += 1
                first.setdefault(key, i)
        score.fp += len(pred - doc.truth)
        score.fn += len(doc.truth - pred)
    return score, errors, first


KEYWORDS = {
    "epidural": ("epidural", "extradural", "canal"),
    "intradural": ("thecal", "intradural", "intrathecal", "subarachnoid"),
    "foraminal": ("foram",),
    "intradiscal": ("disc",),
    "paravertebral": ("paravertebral", "paraspinal", "psoas", "soft tissue"),
    "venous": ("vein", "venous", "vena cava", "azygos"),
    "pulmonary": ("pulmonary", "lung"),
    "cardiac": ("ventricle", "atrium", "cardiac"),
}


def truth_line(doc: Doc, location: str) -> str:
    """The generator's sentence that states a leak at ``location``."""
    for line in doc.lines:
        if any(k in line.lower() for k in KEYWORDS.get(location, ())):
            return line.strip()[:160]
    return "?"


def report_f1(docs: list[Doc], runs: list[Run]) -> dict[str, Score]:
    heading("leak F1 on the synthetic corpus (micro, (location, status) pairs)")
    synthetic = [i for i, d in enumerate(docs) if d.source == "synthetic"]
    sdocs = [docs[i] for i in synthetic]
    n_truth = sum(len(d.truth or ()) for d in sdocs)
    say(f"{len(sdocs)} documents, {n_truth} true pairs")
    scores: dict[str, Score] = {}
    say(f"{'reader':<46}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}")
    details = []
    for run in runs:
        for variant, pairs in run.pairs.items():
            label = run.name if variant == "cementwatch" else f"{run.name} [{variant}]"
            score, errors, first = score_synthetic(sdocs, [pairs[i] for i in synthetic])
            scores[label] = score
            say(
                f"{label:<46}{score.tp:>6}{score.fp:>6}{score.fn:>6}"
                f"{score.p:>8.3f}{score.r:>8.3f}{score.f1:>8.3f}"
            )
            if variant in ("cementwatch", "fair"):
                details.append((label, run, errors, first, synthetic))
    say("  [plain]: negated -> absent, uncertain -> possible, else present (the issue's mapping)")
    say("  [fair]:  also drops entities ConText marks hypothetical, historical or family")
    for label, run, errors, first, index in details:
        say()
        say(f"most frequent errors, {label} (count, error, location, status: first example)")
        for key, count in errors.most_common(8):
            kind, loc, st = key
            i = first[key]
            doc = docs[index[i]]
            text = run.snippets[index[i]].get((loc, st), "?") if kind == "FP" else truth_line(doc, loc)
            say(f"  {count:4d} {kind} {loc:<13} {st:<8} {doc.doc_id} ({doc.kind}): {text}")
    return scores


def report_gold(docs: list[Doc], runs: list[Run]) -> dict[str, Score]:
    """leaks_present F1 on the hand-annotated documents (gold.md: optional leaks are not FPs)."""
    gold_files = [ROOT / "tests" / "corpus" / "dev.jsonl", ROOT / "tests" / "corpus" / "test.jsonl"]
    gold_files.append(SHARED / "gold" / "seeds.jsonl")
    by_path = {d.path: i for i, d in enumerate(docs) if d.path is not None}
    items: list[tuple[int, dict[str, Any]]] = []
    for file in gold_files:
        if not file.is_file():
            continue
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                path = (file.parent / entry["file"]).resolve()
                if path in by_path:
                    items.append((by_path[path], entry["gold"]))
    if not items:
        return {}
    heading(f"leaks_present F1 on the hand-annotated gold ({len(items)} documents)")
    say(f"{'reader':<46}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}{'contra':>8}")
    scores: dict[str, Score] = {}
    for run in runs:
        for variant, pairs in run.pairs.items():
            label = run.name if variant == "cementwatch" else f"{run.name} [{variant}]"
            score, contradictions = Score(), 0
            for i, gold in items:
                present = {loc for loc, st in pairs[i] if st == "present"}
                want = set(gold.get("leaks_present", []))
                optional = set(gold.get("optional", {}).get("leaks", []))
                score.tp += len(present & want)
                score.fp += len(present - want - optional)
                score.fn += len(want - present)
                contradictions += len(present & set(gold.get("leaks_absent", [])))
            scores[label] = score
            say(
                f"{label:<46}{score.tp:>6}{score.fp:>6}{score.fn:>6}{score.p:>8.3f}{score.r:>8.3f}"
                f"{score.f1:>8.3f}{contradictions:>8}"
            )
    say("  contra: a gold-absent location read as present")
    return scores


# --- latency, CLI, profile ----------------------------------------------------------------------


def cut(text: str, size: int = 8192) -> str:
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def latency_docs(seed: int) -> list[tuple[str, str]]:
    out = [("generated 8 KB case report", synth.case_report(seed))]
    for name, label in (("003_", "seed 003 cut to 8 KB"), ("000_", "seed 000 cut to 8 KB")):
        found = sorted((SHARED / "seeds").glob(f"{name}*.txt")) if (SHARED / "seeds").is_dir() else []
        if found:
            out.append((label, cut(found[0].read_text(encoding="utf-8"))))
    return out


def report_latency(seed: int, runs: int) -> list[tuple[str, int, float, float, float, str]]:
    from cementwatch.assess import assess
    from cementwatch.read import read_case

    heading(f"latency: read_case + assess on one document, {runs} runs each, one core")
    say(f"{'document':<30}{'bytes':>7}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}  leaks read / urgency")
    out = []
    for label, text in latency_docs(seed):
        for _ in range(5):
            assess(read_case(text))
        times = []
        gc.collect()
        for _ in range(runs):
            t0 = time.perf_counter()
            result = assess(read_case(text))
            times.append((time.perf_counter() - t0) * 1000)
        case = read_case(text)
        leaks = ", ".join(f"{x.location.value}/{x.status.value}" for x in case.leaks) or "none"
        what = f"{leaks} / {result.urgency.value}"
        row = (label, len(text.encode()), statistics.median(times), pct(times, 95), max(times), what)
        out.append(row)
        say(f"{row[0]:<30}{row[1]:>7}{row[2]:>11.2f}{row[3]:>9.2f}{row[4]:>9.2f}  {what}")
    return out


def report_cli(runs: int) -> dict[str, tuple[float, float]]:
    exe = Path(sys.executable).parent / "cementwatch"
    heading(f"CLI start-up (subprocess, median of {runs}, pinned to the same core)")
    if not exe.exists():
        say(f"{exe}: not installed; skipped")
        return {}
    out = {}
    for args in (["--version"], ["assess", "--example", "--format", "json"]):
        cmd = [str(exe), *args]
        subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        label = "cementwatch " + " ".join(args)
        out[label] = (statistics.median(times), max(times))
        say(f"{label:<50} median {statistics.median(times):.3f} s, max {max(times):.3f} s")
    return out


def profile(seed: int, runs: int) -> None:
    from cementwatch.assess import assess
    from cementwatch.read import read_case

    text = synth.case_report(seed)
    assess(read_case(text))
    heading(f"cProfile: read_case + assess on the generated 8 KB case report, {runs} runs")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        assess(read_case(text))
    profiler.disable()
    for order in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order).print_stats(18)
        say(f"-- by {order}")
        say("\n".join(line for line in buffer.getvalue().splitlines()[4:] if line.strip()))


# --- main ---------------------------------------------------------------------------------------


def pin() -> str:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # before numpy is first imported (by medSpaCy)
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no os.sched_setaffinity on this platform)"
    allowed = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {allowed[0]})
    return f"pinned to CPU {allowed[0]} (of {len(allowed)} available)"


def tree() -> str:
    """The commit measured, and whether the reader's sources differ from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (" with uncommitted changes in src/" if dirty else ", src/ clean")


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("HOLDS" if ok else "MISSED")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=2000, help="synthetic documents (default 2000)")
    parser.add_argument("--seed", type=int, default=20241122, help="corpus seed (default 20241122)")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size (default 64)")
    parser.add_argument("--latency-runs", type=int, default=200)
    parser.add_argument("--cli-runs", type=int, default=10)
    parser.add_argument("--skip-pyrush", action="store_true", help="skip the slow medspacy.load() baseline")
    parser.add_argument("--profile", action="store_true", help="also cProfile read+assess on the 8 KB report")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(list(argv) if argv is not None else None)

    started = time.perf_counter()
    pinned = pin()
    say("CementWatch reading benchmark")
    say(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {pinned}")

    # start-up, measured apart and excluded from throughput
    t0 = time.perf_counter()
    from cementwatch.read.rules import load_rules

    load_rules()
    startup = {"CementWatch": time.perf_counter() - t0}
    try:
        import medspacy
        import spacy
    except ImportError:
        say("medSpaCy is not installed here: `make bench` installs it (pyproject extra 'bench')")
        return 2

    import cementwatch

    versions = f"medspacy {medspacy.__version__}, spacy {spacy.about.__version__}"
    say(f"cementwatch {cementwatch.__version__} ({tree()}), {versions}")

    docs = build_corpus(args.docs, args.seed)
    describe_corpus(docs, args.seed)

    runs = [run_cementwatch(docs)]
    for kind in ("default", "sentencizer"):
        if kind == "default" and args.skip_pyrush:
            continue
        run, build_s = run_medspacy(kind, docs, args.batch_size)
        startup[run.name] = build_s
        runs.append(run)
        gc.collect()
    report_throughput(runs, startup)
    say("start-up s: CementWatch = import + load_rules(); medSpaCy = medspacy.load() + adding target rules")

    f1 = report_f1(docs, runs)
    gold = report_gold(docs, runs)
    latency = report_latency(args.seed, args.latency_runs)
    cli = report_cli(args.cli_runs)
    if args.profile:
        profile(args.seed, args.latency_runs)

    # --- summary ------------------------------------------------------------------------------
    heading("summary")
    cw = runs[0]
    by_name = {r.name: r for r in runs}
    default = by_name.get("medSpaCy default (PyRuSH)")
    sentencizer = by_name.get("medSpaCy + sentencizer")
    ratio = cw.docs_per_s / default.docs_per_s if default else None
    ratio2 = cw.docs_per_s / sentencizer.docs_per_s if sentencizer else None
    say(f"corpus: {len(docs)} documents, {sum(d.nbytes for d in docs) / 1e6:.2f} MB; {pinned}")
    say(f"CementWatch:               {cw.docs_per_s:8.1f} docs/s  {cw.mb_per_s:6.3f} MB/s per core")
    for r in runs[1:]:
        say(f"{r.name + ':':<27}{r.docs_per_s:8.1f} docs/s  {r.mb_per_s:6.3f} MB/s per core")
    ok_ratio = None if ratio is None else ratio >= TARGET_RATIO
    say(
        f"[{verdict(ok_ratio)}] >= {TARGET_RATIO:.0f}x medSpaCy default docs/s: "
        + (f"{ratio:.1f}x" if ratio else "not measured (--skip-pyrush)")
    )
    if ratio2 is not None:
        say(
            f"[{verdict(ratio2 >= TARGET_RATIO)}] (stronger baseline, no stated target) "
            f">= {TARGET_RATIO:.0f}x medSpaCy + sentencizer: {ratio2:.1f}x"
        )
    cw_f1 = f1["CementWatch"].f1
    rivals = {k: v.f1 for k, v in f1.items() if k != "CementWatch"}
    best_name = max(rivals, key=lambda k: rivals[k])
    say(
        f"[{verdict(cw_f1 > rivals[best_name])}] F1 better (synthetic leaks): CementWatch {cw_f1:.3f} vs "
        f"best baseline {rivals[best_name]:.3f} ({best_name})"
    )
    if gold:
        g_rivals = {k: v.f1 for k, v in gold.items() if k != "CementWatch"}
        g_best = max(g_rivals, key=lambda k: g_rivals[k])
        say(
            f"[{verdict(gold['CementWatch'].f1 > g_rivals[g_best])}] F1 better "
            f"(hand-annotated leaks_present): CementWatch {gold['CementWatch'].f1:.3f} "
            f"vs best baseline {g_rivals[g_best]:.3f} ({g_best})"
        )
    worst = max(latency, key=lambda row: row[3])
    say(
        f"[{verdict(worst[3] < TARGET_LATENCY_MS)}] 8 KB read + assess < {TARGET_LATENCY_MS:.0f} ms: "
        f"worst p95 {worst[3]:.1f} ms ({worst[0]}; median {worst[2]:.1f} ms); "
        + "; ".join(f"{row[0]} median {row[2]:.1f} ms" for row in latency if row is not worst)
    )
    if cli:
        slow = max(cli, key=lambda k: cli[k][0])
        say(
            f"[{verdict(cli[slow][0] < TARGET_CLI_S)}] CLI start-up < {TARGET_CLI_S} s: "
            + "; ".join(f"{k} {v[0]:.2f} s" for k, v in cli.items())
            + " (medians)"
        )
    say(f"benchmark wall time: {time.perf_counter() - started:.0f} s")

    if args.json:
        figures = {
            "documents": len(docs),
            "megabytes": sum(d.nbytes for d in docs) / 1e6,
            "throughput": {
                r.name: {"docs_per_s": r.docs_per_s, "mb_per_s": r.mb_per_s, "wall_s": r.wall} for r in runs
            },
            "ratio_vs_default": ratio,
            "ratio_vs_sentencizer": ratio2,
            "f1_synthetic": {k: {"p": v.p, "r": v.r, "f1": v.f1} for k, v in f1.items()},
            "f1_gold_leaks_present": {k: {"p": v.p, "r": v.r, "f1": v.f1} for k, v in gold.items()},
            "latency_ms": {row[0]: {"median": row[2], "p95": row[3], "max": row[4]} for row in latency},
            "cli_s": {k: {"median": v[0], "max": v[1]} for k, v in cli.items()},
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
