"""Ingest through the real command line: idempotent, resumable after a kill, bad files listed, dry run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cementwatch.cli import main
from cementwatch.registry import ingest as ingest_module
from cementwatch.registry.columns import index_case
from cementwatch.registry.store import Registry
from cementwatch.registry.tables import case_deficits, case_leaks, case_levels, case_treatments, cases
from tests.conftest import CASES, ROOT

REPORT = """RADIOLOGY REPORT {n}
Clinical history: vertebroplasty at {level} on day 0, {age}-year-old {sex}.
CT thoracolumbar spine, postoperative day {day}.
Findings: cement within the {level} vertebral body. {leak}
There is no cement in the spinal canal.
Impression: {impression}
"""
LEAKS = [
    ("A small paravertebral cement leak is seen on the left.", "Asymptomatic paravertebral leakage."),
    ("Cement has leaked into the adjacent disc.", "Intradiscal leakage, no canal involvement."),
    ("No cement leakage is identified.", "Satisfactory vertebroplasty."),
]


def write_reports(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        leak, impression = LEAKS[n % len(LEAKS)]
        text = REPORT.format(
            n=n,
            level=["T11", "T12", "L1", "L2"][n % 4],
            age=60 + n % 30,
            sex="woman" if n % 2 else "man",
            day=1 + n % 5,
            leak=leak,
            impression=impression,
        )
        path = folder / f"report-{n:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cementwatch.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_ingest_stores_each_document_once_and_lists_bad_files(registry_url: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_reports(docs, 12)
    (docs / "empty.txt").write_text("  \n", encoding="utf-8")
    (docs / "binary.pdf").write_bytes(b"\x00\x01 not a pdf")
    (docs / "case.json").write_text((CASES / "l1-intradural-left-monoparesis-ungraded.case.json").read_text())
    (docs / "broken.json").write_text('{"procedures": [{"kind": "vertebroplasty", "levels": ["L9"]}]}')
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(docs), "--db", registry_url])
    assert first.exit_code == 2, first.output
    assert "stored 13, already in the registry 0, failed 3" in first.output
    assert "empty.txt: empty document" in first.output
    assert "binary.pdf:" in first.output
    assert "broken.json: procedures[0].levels[0]: 'L9' is not a vertebra" in first.output
    second = runner.invoke(main, ["ingest", str(docs), "--db", registry_url])
    assert "stored 0, already in the registry 13, failed 3" in second.output
    with Registry(registry_url) as registry:
        assert registry.count() == 13
        stored = registry.get(1)
        assert stored is not None and stored.kind == "document" and stored.source_text
        assert stored.reader_version and stored.case.source == stored.source


def test_copies_are_stored_once_within_and_across_lookup_batches(
    registry_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashes are looked up a batch at a time: a copy in the same batch must still not be stored twice."""
    monkeypatch.setattr(ingest_module, "LOOKUP_BATCH", 4)
    docs = tmp_path / "docs"
    originals = write_reports(docs, 5)
    for n, original in enumerate(originals[:3]):
        (docs / f"report-{n:05d}-copy.txt").write_bytes(original.read_bytes())
    with Registry(registry_url) as registry:
        report = ingest_module.ingest(ingest_module.plan([str(docs)]), registry)
        assert (report.stored, report.already, report.failed) == (5, 3, [])
        assert registry.count() == 5
        # the second run finds every hash in the registry and reads no document again
        monkeypatch.setattr(ingest_module, "_case_of", lambda *_: pytest.fail("read again"))
        again = ingest_module.ingest(ingest_module.plan([str(docs)]), registry)
        assert (again.stored, again.already, again.failed) == (0, 8, [])


def test_dry_run_stores_nothing(registry_url: str, tmp_path: Path) -> None:
    write_reports(tmp_path / "docs", 4)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "docs"), "--dry-run", "--db", registry_url])
    assert result.exit_code == 0, result.output
    assert "would store 4, already in the registry 0, failed 0" in result.output
    for n in range(4):
        assert (
            f"report-{n:05d}.txt (none)" in result.output or f"report-{n:05d}.txt (routine)" in result.output
        )
    with Registry(registry_url) as registry:
        assert registry.count() == 0


def test_no_text_keeps_the_text_out(registry_url: str, tmp_path: Path) -> None:
    write_reports(tmp_path / "docs", 2)
    CliRunner().invoke(main, ["ingest", str(tmp_path / "docs"), "--no-text", "--db", registry_url])
    with Registry(registry_url) as registry:
        assert [s.source_text for s in registry.cases()] == [None, None]


def _consistent(registry: Registry) -> None:
    """Every stored case has exactly the index rows its JSON gives, and no index row lacks its case."""
    with registry.engine.connect() as connection:
        for table in (case_leaks, case_deficits, case_treatments, case_levels):
            orphans = connection.execute(
                select(func.count()).select_from(table).where(~table.c.case_id.in_(select(cases.c.id)))
            ).scalar()
            assert orphans == 0
        for stored in registry.cases():
            expected = index_case(stored.case, urgency=None)
            found = connection.execute(
                select(func.count()).select_from(case_leaks).where(case_leaks.c.case_id == stored.id)
            ).scalar()
            assert found == len(expected.leaks)
        hashes = connection.execute(select(cases.c.content_hash)).scalars().all()
        assert len(hashes) == len(set(hashes))


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_an_interrupted_ingest_resumes_without_duplicates_or_partial_cases(
    registry_url: str, tmp_path: Path, how: signal.Signals
) -> None:
    docs = tmp_path / "docs"
    total = 400
    write_reports(docs, total)
    with Registry(registry_url):
        pass  # the schema exists before the first writer starts
    process = subprocess.Popen(
        [sys.executable, "-m", "cementwatch.cli", "ingest", str(docs), "--db", registry_url, "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with Registry(registry_url) as registry:
        deadline = time.monotonic() + 120
        while registry.count() < 20 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert process.poll() is None, "the ingest finished before it could be interrupted"
        os.kill(process.pid, how)
        _, err = process.communicate(timeout=60)
        if how == signal.SIGINT:
            assert process.returncode == 130 and "run the same command again" in err
        else:
            assert process.returncode == -signal.SIGKILL
        partial = registry.count()
        assert 20 <= partial < total
        _consistent(registry)
    resumed = run("ingest", str(docs), "--db", registry_url, "-q")
    assert resumed.returncode == 0, resumed.stderr
    assert f"stored {total - partial}, already in the registry {partial}, failed 0" in resumed.stderr
    with Registry(registry_url) as registry:
        assert registry.count() == total
        _consistent(registry)
        assert {s.source for s in registry.cases()} == {str(p) for p in sorted(docs.glob("*.txt"))}
