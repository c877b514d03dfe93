"""What every ``cementwatch`` command shares: the ``--format`` option, user errors, JSON output.

Exit codes: 0 ok; 2 bad input (the message names the file and the problem); 3 the registry's
database cannot be used (the message names the URL and why). A user error never prints a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

__all__ = ["FORMAT", "BadInput", "RegistryUnavailable", "emit_json", "fail", "format_option", "report"]

_F = TypeVar("_F", bound=Callable[..., Any])


def format_option(default: str = "text", help: str = "") -> Callable[[_F], _F]:
    """The ``--format text|json`` option every data-printing command takes."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default=default,
        show_default=True,
        help=help or "text: a card for people; json: the contract's JSON (many items as JSON Lines).",
    )


FORMAT = format_option()


class BadInput(click.ClickException):
    """A user error: printed as one line, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"cementwatch: {self.message}", err=True)


def fail(message: str) -> NoReturn:
    raise BadInput(message)


class RegistryUnavailable(BadInput):
    """The registry's database cannot be used: exit code 3."""

    exit_code = 3


def emit_json(obj: dict[str, Any]) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def report(failures: list[str]) -> None:
    """Print each failure on its own line on standard error; exit 2 if there were any."""
    for message in failures:
        click.echo(f"cementwatch: {message}", err=True)
    if failures:
        sys.exit(2)
