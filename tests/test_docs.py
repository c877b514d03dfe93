"""Documentation stays true: every command is documented and has help (the sqlite-utils habit)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from cementwatch.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    opening = README[:1500]
    assert "make run" in opening and "make test" in opening


def _command_names() -> list[str]:
    """Every command, with the subcommands of a group as "group sub" (e.g. "registry list")."""
    names = []
    for name, command in main.commands.items():
        names.append(name)
        if isinstance(command, click.Group):
            names.extend(f"{name} {sub}" for sub in command.commands)
    return sorted(names)


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_documented_in_the_readme(name: str) -> None:
    assert f"### `cementwatch {name}`" in README


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_help_text(name: str) -> None:
    group, _, sub = name.partition(" ")
    command = main.commands[group]
    if sub:
        assert isinstance(command, click.Group)
        command = command.commands[sub]
    assert command.help and len(command.help) > 40
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    for param in command.params:
        if param.param_type_name == "option" and param.name not in ("help",):
            assert getattr(param, "help", None), f"{name} --{param.name} has no help"


def test_docs_for_clinicians_exist() -> None:
    for name in ("triage.md", "risk.md", "registry.md", "literature.md", "statistics.md", "fhir.md"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert len(text) > 1500, name
