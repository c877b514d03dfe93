"""The registry's commands end to end on both backends: literature, list, show, delete, info, stats, plots."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from cementwatch.cli import main
from cementwatch.registry.literature import literature_cases
from tests.conftest import CASES


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_load_literature_is_idempotent_and_cited(registry_url: str) -> None:
    first = cli("registry", "load-literature", "--db", registry_url)
    assert first.exit_code == 0 and f"literature: {len(literature_cases())} stored, 0 already" in first.output
    again = cli("registry", "load-literature", "--db", registry_url)
    assert f"0 stored, {len(literature_cases())} already there" in again.output
    info = json.loads(cli("registry", "info", "--db", registry_url, "--format", "json").output)
    assert info["by_kind"] == {"literature": len(literature_cases())}
    rows = [
        json.loads(line)
        for line in cli(
            "registry", "list", "--db", registry_url, "--limit", "500", "--format", "json"
        ).output.splitlines()
    ]
    assert all(row["citation"] for row in rows)


def test_list_filters_from_the_command_line(registry_url: str) -> None:
    cli("registry", "load-literature", "--db", registry_url)
    expected = [
        c
        for c in literature_cases()
        if any(k.location.value == "intradural" and k.status.value == "present" for k in c.leaks)
    ]
    result = cli("registry", "list", "--leak", "intradural", "--db", registry_url)
    assert result.exit_code == 0
    assert result.output.strip().endswith(f"of {len(expected)} (leak=intradural)")
    bad = cli("registry", "list", "--level", "L9", "--db", registry_url)
    assert bad.exit_code == 2 and "'L9' is not a vertebra" in bad.output
    unknown = cli("registry", "list", "--leak", "brain", "--db", registry_url)
    assert unknown.exit_code == 2


def test_add_show_delete(registry_url: str) -> None:
    path = CASES / "l1-intradural-left-monoparesis-ungraded.case.json"
    added = cli("registry", "add", str(path), "--db", registry_url)
    assert added.exit_code == 0 and added.output.startswith("1\tstored\t")
    assert cli("registry", "add", str(path), "--db", registry_url).output.startswith("1\talready\t")
    shown = cli("registry", "show", "1", "--db", registry_url)
    assert shown.exit_code == 0 and "EMERGENCY" in shown.output
    data = json.loads(cli("registry", "show", "1", "--format", "json", "--db", registry_url).output)
    assert data["id"] == 1 and data["kind"] == "case" and data["case"]["schema"] == "cementwatch.case/1"
    assert cli("registry", "delete", "1", "--yes", "--db", registry_url).output == "deleted case 1\n"
    missing = cli("registry", "show", "1", "--db", registry_url)
    assert missing.exit_code == 2 and "no case 1" in missing.output


def test_stats_and_every_plot_on_the_literature(registry_url: str, tmp_path: Path) -> None:
    cli("registry", "load-literature", "--db", registry_url)
    text = cli("stats", "--db", registry_url)
    assert text.exit_code == 0
    assert f"Cases: {len(literature_cases())}" in text.output and "not incidence" in text.output
    data = json.loads(cli("stats", "--format", "json", "--db", registry_url).output)
    assert data["n"] == len(literature_cases())
    names = [line.split()[0] for line in cli("stats", "--plot", "list").output.splitlines()]
    assert "outcome-by-delay" in names
    for name in names:
        out = tmp_path / f"{name}.png"
        result = cli("stats", "--plot", name, "--out", str(out), "--db", registry_url)
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cli("stats", "--plot", "pie", "--out", str(tmp_path / "x.png")).exit_code == 2
    assert (
        cli("stats", "--plot", "outcomes", "--out", str(tmp_path / "x.gif"), "--db", registry_url).exit_code
        == 2
    )


def test_an_unusable_database_is_exit_3_with_the_reason() -> None:
    result = cli("registry", "info", "--db", "postgresql+psycopg://postgres:pw@127.0.0.1:9/none")
    assert result.exit_code == 3
    assert "cannot use the registry at postgresql+psycopg://postgres:***@127.0.0.1:9/none" in result.output
    assert "pw@" not in result.output
