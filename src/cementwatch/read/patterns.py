"""The wording the reader recognises, as data: named regular expressions in ``read/data/patterns/*.yaml``.

Contract:

- ``PATTERNS`` is built once, when this module is imported: every file is validated with strict keys
  (through ``rules.parse_data``: an unknown or a missing key is an error naming the file and the
  key), every ``{{file.key}}`` placeholder is expanded, and every pattern is compiled once. A
  malformed file, an unknown placeholder or a pattern that does not compile raises ``RulesError``.
- ``PATTERNS.get("signs.power_full")`` gives a compiled pattern; an unknown name raises
  ``RulesError``. Modules look their patterns up at import, so a missing name fails at import.
- ``PATTERNS.gate(name)``: the words, one of which the lower-cased text must hold before the code
  searches it with that pattern (a cheap test first); empty when the code searches every text.
- ``PATTERNS.ints(name)``, ``numbers(name)``, ``texts(name)``: a word table as a dict, in the order
  written; a value of another type raises ``RulesError``.

The format of a file (docs/reading-patterns.md): ``words`` (word tables: each word with its value;
``{{file.key}}`` puts the words in as alternatives, ``one|two|three``, longest first when
``longest_first`` is set), ``fragments`` (pieces shared by several patterns, put in with
``{{file.key}}``) and ``patterns`` (``means``, ``pattern``, ``flags``, ``examples``,
``non_examples``, ``gate``). A ``pattern`` is a string or a list of strings joined with nothing
between them. The name of an entry is the file's stem, a dot and its key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cementwatch.read.rules import RulesError, parse_data

Flag = Literal["ignorecase", "multiline", "dotall", "verbose"]
_FLAGS = {"ignorecase": re.I, "multiline": re.M, "dotall": re.S, "verbose": re.X}
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_PLACEHOLDER = re.compile(r"\{\{([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\}\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WordTable(_Strict):
    means: str
    values: dict[str, int | float | str] = Field(min_length=1)
    longest_first: bool = False  # put in as alternatives longest first ("september|sept|sep")


class Fragment(_Strict):
    means: str
    pattern: str | list[str]


class PatternRule(_Strict):
    means: str  # what it recognises, in the clinic's words
    pattern: str | list[str]
    flags: list[Flag] = []
    examples: list[str] = Field(min_length=1)  # each must match (tests/read/test_patterns.py)
    non_examples: list[str] = []  # none may match
    gate: list[str] = []  # the code searches only a text holding one of these (lower case)


class PatternsFile(_Strict):
    schema_: Literal["cementwatch.read.patterns/1"]
    words: dict[str, WordTable] = {}
    fragments: dict[str, Fragment] = {}
    patterns: dict[str, PatternRule] = Field(min_length=1)


@dataclass(frozen=True)
class Entry:
    """A compiled pattern with the rule it came from (``regex.pattern`` is the expanded expression)."""

    name: str
    rule: PatternRule
    regex: re.Pattern[str]


class Patterns:
    """Every named pattern and word table, compiled once (see the module docstring)."""

    def __init__(self, entries: dict[str, Entry], tables: dict[str, WordTable], fragments: set[str]) -> None:
        self.entries = entries
        self.tables = tables
        self.fragments = frozenset(fragments)

    def get(self, name: str) -> re.Pattern[str]:
        return self._entry(name).regex

    def gate(self, name: str) -> tuple[str, ...]:
        return tuple(self._entry(name).rule.gate)

    def ints(self, name: str) -> dict[str, int]:
        return {k: v for k, v in self._table(name, int).items() if isinstance(v, int)}

    def numbers(self, name: str) -> dict[str, float]:
        return {k: v for k, v in self._table(name, (int, float)).items() if not isinstance(v, str)}

    def texts(self, name: str) -> dict[str, str]:
        return {k: v for k, v in self._table(name, str).items() if isinstance(v, str)}

    def _entry(self, name: str) -> Entry:
        entry = self.entries.get(name)
        if entry is None:
            raise RulesError(f"read/data/patterns: no pattern named {name!r}")
        return entry

    def _table(self, name: str, kind: type | tuple[type, ...]) -> dict[str, int | float | str]:
        table = self.tables.get(name)
        if table is None:
            raise RulesError(f"read/data/patterns: no word table named {name!r}")
        wrong = [k for k, v in table.values.items() if not isinstance(v, kind) or isinstance(v, bool)]
        if wrong:
            raise RulesError(f"read/data/patterns: {name}: the value of {wrong[0]!r} is of the wrong type")
        return dict(table.values)


def _joined(pattern: str | list[str]) -> str:
    return pattern if isinstance(pattern, str) else "".join(pattern)


def _expand(text: str, pieces: Mapping[str, str], where: str, seen: tuple[str, ...] = ()) -> str:
    """``text`` with every ``{{name}}`` replaced by its fragment or word alternatives, recursively."""

    def put(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in seen:
            raise RulesError(f"{where}: {{{{{name}}}}} contains itself")
        if name not in pieces:
            raise RulesError(f"{where}: unknown placeholder {{{{{name}}}}}")
        return _expand(pieces[name], pieces, where, (*seen, name))

    return _PLACEHOLDER.sub(put, text)


def build(texts: Mapping[str, str]) -> Patterns:
    """The patterns of the files ``texts`` (stem -> YAML text), validated, expanded and compiled."""
    files: dict[str, PatternsFile] = {}
    for stem, text in texts.items():
        files[stem] = parse_data(text, f"read/data/patterns/{stem}.yaml", PatternsFile)
    pieces: dict[str, str] = {}
    tables: dict[str, WordTable] = {}
    rules: dict[str, tuple[str, PatternRule]] = {}
    for stem, data in files.items():
        where = f"read/data/patterns/{stem}.yaml"
        keys = [*data.words, *data.fragments, *data.patterns]
        bad = [k for k in keys if not _KEY.fullmatch(k)] + [k for k in keys if keys.count(k) > 1]
        if bad or not _KEY.fullmatch(stem):
            raise RulesError(f"{where}: bad or repeated name {(bad or [stem])[0]!r}")
        for key, table in data.words.items():
            words = sorted(table.values, key=len, reverse=True) if table.longest_first else list(table.values)
            tables[f"{stem}.{key}"] = table
            pieces[f"{stem}.{key}"] = "|".join(words)
        for key, fragment in data.fragments.items():
            pieces[f"{stem}.{key}"] = _joined(fragment.pattern)
        for key, rule in data.patterns.items():
            rules[f"{stem}.{key}"] = (where, rule)
    entries: dict[str, Entry] = {}
    for name, (where, rule) in rules.items():
        source = _expand(_joined(rule.pattern), pieces, f"{where}: {name}")
        flags = 0
        for flag in rule.flags:
            flags |= _FLAGS[flag]
        try:
            regex = re.compile(source, flags)
        except re.error as error:
            raise RulesError(f"{where}: {name}: {error}") from None
        entries[name] = Entry(name, rule, regex)
    fragments = {f"{stem}.{key}" for stem, data in files.items() for key in data.fragments}
    return Patterns(entries, tables, fragments)


def data_files() -> dict[str, str]:
    """The text of every ``read/data/patterns/*.yaml``, by stem, in name order."""
    folder = resources.files(__package__).joinpath("data", "patterns")
    found = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    return {f.name.removesuffix(".yaml"): f.read_text(encoding="utf-8") for f in found}


PATTERNS = build(data_files())
