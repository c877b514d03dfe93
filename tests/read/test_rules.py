"""The term patterns of terms.yaml: the leading-boundary shortcut finds exactly what ``re`` finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cementwatch.read.rules import Pattern, fold, load_rules
from tests.conftest import ROOT

CORPUS = [fold(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests/corpus/docs").glob("*.txt"))]
RULES = load_rules()


def _spans(pattern: Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _reference(pattern: Pattern, text: str) -> list[tuple[int, int]]:
    written = ("\\b" if pattern.leading_boundary else "") + pattern.regex.pattern
    return [m.span() for m in re.finditer(written, text)]


def test_most_patterns_take_the_fast_path() -> None:
    assert sum(p.leading_boundary for p in RULES.patterns) >= len(RULES.patterns) // 2


def test_every_term_pattern_finds_what_re_finds_on_the_corpus() -> None:
    for pattern in RULES.patterns:
        for text in CORPUS:
            assert _spans(pattern, text) == _reference(pattern, text), pattern.regex.pattern


def test_a_match_inside_a_word_is_skipped_for_the_next_one_at_a_boundary() -> None:
    pattern = Pattern.compile(r"\bpain\b|\bain", "deficit", "x", False)
    assert _spans(pattern, "spain pain ain") == [(6, 10), (11, 14)]
    empty = Pattern.compile(r"\b(?:x)?", "deficit", "x", False)
    assert _spans(empty, "ab c") == _reference(empty, "ab c")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcpin _-'.2", max_size=40))
def test_random_text_finds_what_re_finds(text: str) -> None:
    for written in (r"\bpain", r"\b(?:pa|ain|in)\b", r"\b(?:a)?", r"\b_?\d?"):
        pattern = Pattern.compile(written, "deficit", "x", False)
        assert _spans(pattern, text) == _reference(pattern, text), written
