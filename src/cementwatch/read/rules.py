"""The reader's knowledge as data: terms, ConText modifiers, sections, vital-sign cut-offs; strict keys.

``load_rules()`` reads ``read/data/*.yaml`` once per process, validates every entry (an unknown key
or value is an error naming the file, as is a term pattern that is not a valid regular expression)
and compiles the phrase automata and term patterns the reader matches with. The wordings read by
pattern (``data/patterns/*.yaml``) are loaded by ``read/patterns.py`` through ``parse_data``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

Category = Literal[
    "procedure",
    "cement",
    "leak_location",
    "deficit",
    "imaging",
    "treatment",
    "indication",
    "approach",
    "cement_material",
    "viscosity",
    "outcome",
    "sex",
    "pronoun",
    "muscle",
    "side",
    "progression",
    "presentation",
    "removal",
    "pulmonary_position",
]
Modifier = Literal[
    "negated",
    "failed",
    "not_done",
    "possible",
    "historical",
    "hypothetical",
    "generic",
    "planned",
    "recommended",
    "declined",
    "done",
    "resolved",
    "background",
    "terminate",
    "pseudo",
]
Effect = Literal["ignore", "historical", "generic", "literature", "planned", "normal"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TermRule(_Strict):
    category: Category
    value: str
    phrases: list[str]
    patterns: list[str] = []  # regular expressions over the folded text, for wordings with open slots
    negated: bool = False  # the phrases deny the item themselves ("the dura was not opened")
    note: str | None = None


class ContextRule(_Strict):
    literal: str
    category: Modifier
    direction: Literal["forward", "backward", "bidirectional", "terminate", "pseudo"]
    max_scope: int | None = None


class SectionRule(_Strict):
    effect: Effect
    titles: list[str]


class TermsFile(_Strict):
    schema_: Literal["cementwatch.read.terms/1"]
    terms: list[TermRule]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ContextFile(_Strict):
    schema_: Literal["cementwatch.read.context/1"]
    rules: list[ContextRule]


class SectionsFile(_Strict):
    schema_: Literal["cementwatch.read.sections/1"]
    sections: list[SectionRule]
    inline_literature: list[str]
    publication_only: list[str]
    publication_markers: list[str]
    this_patient: list[str]
    ignore_lines: list[str]
    reply_lines: list[str]


class SignsFile(_Strict):
    """The vital-sign cut-offs (``signs.yaml``)."""

    schema_: Literal["cementwatch.read.signs/1"]
    hypoxaemia_spo2_at_most: int
    hypoxaemia_pao2_below: float
    hypotension_systolic_below: int
    retention_residual_ml_at_least: int


class RulesError(RuntimeError):
    """A reader data file that is malformed."""


_FOLD = re.compile(r"[\s\-‐‑–—_]+")


def fold(text: str) -> str:
    """The matching form of a phrase: lowercase, runs of spaces and hyphens as one space, a curly
    apostrophe as a straight one."""
    return _FOLD.sub(" ", text.lower().replace("’", "'")).strip()


_QUANTIFIER = frozenset("?*+{")


def required_literal(pattern: str) -> str:
    """The longest run of plain characters that every match of ``pattern`` must hold ("" if none is
    certain): read at the top level only, outside groups, classes, escapes and optional characters.
    A top-level alternation or an inline flag gives ""."""
    if pattern.startswith("(?") and pattern[2:3].isalpha():
        return ""
    runs: list[str] = []
    run: list[str] = []
    depth, i, n = 0, 0, len(pattern)
    while i < n:
        char = pattern[i]
        plain = False
        if char == "\\":
            i += 1  # an escape ends a run (\b, \d, \.) and takes its next character with it
        elif char == "[":
            i += 1 + (pattern[i + 1 : i + 2] == "]")
            while i < n and pattern[i] != "]":
                i += 1 + (pattern[i] == "\\")
        elif char == "{":
            i = pattern.find("}", i) if "}" in pattern[i:] else n  # a counted repeat: {0,2}
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return ""
        elif depth == 0 and char not in ".^$" and char not in _QUANTIFIER:
            plain = pattern[i + 1 : i + 2] not in _QUANTIFIER
        if plain:
            run.append(char)
        else:
            runs.append("".join(run))
            run = []
        i += 1
    runs.append("".join(run))
    best = max(runs, key=len)
    return best if len(best.strip()) >= 3 else ""


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class Pattern:
    """A term read by a regular expression over the folded text (``terms.yaml`` ``patterns``).

    A leading ``\\b`` is checked in code rather than by ``re``: a pattern that starts with ``\\b``
    loses the engine's literal-prefix scan and costs ~25× more per document. :meth:`finditer` gives
    exactly the matches ``re.finditer`` gives for the pattern as written.
    """

    regex: re.Pattern[str]
    category: str
    value: str
    negated: bool
    leading_boundary: bool = False
    required: str = ""  # words every match holds: a text without them is not searched

    @classmethod
    def compile(cls, pattern: str, category: str, value: str, negated: bool) -> Pattern:
        bounded = pattern.startswith(r"\b")
        regex = re.compile(pattern[2:] if bounded else pattern)
        return cls(regex, category, value, negated, bounded, required_literal(pattern))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.required and self.required not in text:
            return
        if not self.leading_boundary:
            yield from self.regex.finditer(text)
            return
        search, pos, end = self.regex.search, 0, len(text)
        while pos <= end:
            match = search(text, pos)
            if match is None:
                return
            start = match.start()
            after = _is_word(text[start]) if start < end else False
            if (start > 0 and _is_word(text[start - 1]) == after) or (start == 0 and not after):
                pos = start + 1  # not at a word boundary: the leftmost match must start later
                continue
            yield match
            pos = match.end() if match.end() > start else start + 1


@dataclass(frozen=True)
class Rules:
    terms: Any  # ahocorasick.Automaton: folded phrase -> tuple[(category, value, negated), ...]
    patterns: tuple[Pattern, ...]
    context: Any  # ahocorasick.Automaton: folded literal -> ContextRule
    sections: dict[str, Effect]
    inline_literature: frozenset[str]
    publication_only: frozenset[str]
    publication_markers: frozenset[str]
    this_patient: tuple[str, ...]
    ignore_lines: re.Pattern[str]
    reply_lines: re.Pattern[str]  # a forum reply's header: what follows is another person's
    signs: SignsFile


def parse_data(text: str, where: str, model: type[BaseModel]) -> Any:
    """One data file's YAML ``text`` validated against ``model`` (strict keys); a malformed file raises
    :class:`RulesError` naming ``where`` and the first wrong key."""
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if isinstance(data, dict) and "schema" in data:
        data["schema_"] = data.pop("schema")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise RulesError(f"{where}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def _read(name: str, model: type[BaseModel]) -> Any:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return parse_data(text, f"read/data/{name}", model)


@functools.cache
def load_rules() -> Rules:
    terms: TermsFile = _read("terms.yaml", TermsFile)
    context: ContextFile = _read("context.yaml", ContextFile)
    sections: SectionsFile = _read("sections.yaml", SectionsFile)
    signs: SignsFile = _read("signs.yaml", SignsFile)

    term_automaton = ahocorasick.Automaton()
    found: dict[str, list[tuple[str, str, bool]]] = {}
    patterns: list[Pattern] = []
    for rule in terms.terms:
        for phrase in rule.phrases:
            found.setdefault(fold(phrase), []).append((rule.category, rule.value, rule.negated))
        for pattern in rule.patterns:
            try:
                compiled = Pattern.compile(pattern, rule.category, rule.value, rule.negated)
            except re.error as error:
                raise RulesError(f"read/data/terms.yaml: pattern {pattern!r}: {error}") from None
            patterns.append(compiled)
    for key, values in found.items():
        term_automaton.add_word(key, (key, tuple(dict.fromkeys(values))))
    term_automaton.make_automaton()

    context_automaton = ahocorasick.Automaton()
    for modifier in context.rules:
        context_automaton.add_word(fold(modifier.literal), (fold(modifier.literal), modifier))
    context_automaton.make_automaton()

    titles: dict[str, Effect] = {}
    for section in sections.sections:
        for title in section.titles:
            titles[fold(title)] = section.effect
    ignore = re.compile("|".join(f"(?:{p})" for p in sections.ignore_lines), re.IGNORECASE)
    return Rules(
        terms=term_automaton,
        patterns=tuple(patterns),
        context=context_automaton,
        sections=titles,
        inline_literature=frozenset(fold(t) for t in sections.inline_literature if fold(t) in titles),
        publication_only=frozenset(fold(t) for t in sections.publication_only),
        publication_markers=frozenset(fold(t) for t in sections.publication_markers),
        this_patient=tuple(fold(p) for p in sections.this_patient),
        ignore_lines=ignore,
        reply_lines=re.compile("|".join(f"(?:{p})" for p in sections.reply_lines), re.IGNORECASE),
        signs=signs,
    )
