"""Sentence by sentence: the terms found in each, with the ConText modifiers and section that
qualify them, and the small readings (levels, side, distance in words) the fact builders share.

Terms are found once over the folded text (Aho-Corasick); within a category the longest match wins.
Dropped later by the builders: hypothetical and generic statements (advice, risks, other patients);
a sentence of a literature section (discussion, introduction) is kept only if it names this patient.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from cementwatch.case import Span, Status
from cementwatch.levels import LevelError, expand_level
from cementwatch.read.context import Context, bounded
from cementwatch.read.rules import Modifier, Rules
from cementwatch.read.text import Folded, Sentence, sentences

_SHORT_ACRONYM = 3  # a phrase this short must be upper case in the text ("CT", "PVP", not "ct")
_CASE_SENSITIVE = {
    "procedure",
    "imaging",
    "leak_location",
    "treatment",
    "cement",
    "cement_material",
    "deficit",
}
_LEVEL = re.compile(
    r"(?<![A-Za-z0-9])(?:Th|[CTDLS])\s?-?\s?\d{1,2}(?:\s*(?:-|–|/|to)\s*(?:(?:Th|[CTDLS])\s?-?\s?)?\d{1,2})?"
    r"(?![0-9]|\s*-?\s*weighted|\s*W\b)"
)
_MRI_SEQUENCE = re.compile(r"[\s-]*(?:and|&|,|/)\s*T\d\s*-?\s*weighted|[\s-]*(?:WI|W)\b", re.I)
_PROCEDURE_LEVEL_WORDS = 6  # levels this close to a procedure word are its treated levels
DROP: set[Modifier] = {"hypothetical", "generic"}  # not a fact about this patient


@dataclass
class Hit:
    start: int  # original offsets
    end: int
    category: str
    value: str
    mods: set[Modifier] = field(default_factory=set)

    def span(self, text: str) -> Span:
        return Span(start=self.start, end=self.end, text=text[self.start : self.end])


@dataclass
class Line:
    """One sentence with its hits, ready for the fact builders."""

    sentence: Sentence
    text: str
    hits: list[Hit]

    def of(self, category: str) -> list[Hit]:
        return [h for h in self.hits if h.category == category]

    def kept(self, category: str) -> list[Hit]:
        return [h for h in self.of(category) if not h.mods & DROP]


def term_hits(folded: Folded, original: str, rules: Rules) -> list[Hit]:
    raw: list[tuple[int, int, str, str]] = []
    for last, (phrase, values) in rules.terms.iter(folded.text):
        start, end = last - len(phrase) + 1, last + 1
        if not bounded(folded.text, start, end):
            continue
        o_start, o_end = folded.span(start, end)
        for category, value in values:
            acronym = len(phrase) <= _SHORT_ACRONYM and category in _CASE_SENSITIVE
            if acronym and not original[o_start:o_end].isupper():
                continue
            raw.append((start, end, category, value))
    # within a category the longest match wins; categories may overlap each other
    raw.sort(key=lambda r: (r[2], -(r[1] - r[0]), r[0]))
    kept: dict[str, list[tuple[int, int]]] = {}
    hits: list[Hit] = []
    for start, end, category, value in raw:
        taken = kept.setdefault(category, [])
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        o_start, o_end = folded.span(start, end)
        hits.append(Hit(o_start, o_end, category, value))
    return sorted(hits, key=lambda h: h.start)


def read_lines(text: str, rules: Rules) -> list[Line]:
    folded = Folded.of(text)
    hits = term_hits(folded, text, rules)
    starts = [h.start for h in hits]
    out: list[Line] = []
    for sentence in sentences(text, rules):
        chosen = hits[bisect_left(starts, sentence.start) : bisect_right(starts, sentence.end - 1)]
        f_start = bisect_left(folded.origin, sentence.start)
        f_end = bisect_left(folded.origin, sentence.end)
        f_text = folded.text[f_start:f_end]
        if sentence.effect == "literature" and not any(p in f_text for p in rules.this_patient):
            continue
        context = Context(f_text, rules)
        for hit in chosen:
            h_start = bisect_left(folded.origin, hit.start) - f_start
            h_end = bisect_left(folded.origin, hit.end - 1) + 1 - f_start
            hit.mods = context.modifiers(h_start, h_end)
            if sentence.effect == "historical":
                hit.mods.add("historical")
            elif sentence.effect == "generic":
                hit.mods.add("generic")
            elif sentence.effect == "planned" and hit.category in ("treatment", "imaging", "removal"):
                hit.mods.add("planned")
        out.append(Line(sentence, text[sentence.start : sentence.end], chosen))
    return out


def words_between(line: Line, a: Hit, b: Hit) -> int:
    lo, hi = sorted(((a.start, a.end), (b.start, b.end)))
    gap = line.text[lo[1] - line.sentence.start : hi[0] - line.sentence.start]
    return len(gap.split())


def status_of(mods: set[Modifier]) -> Status:
    if "negated" in mods:
        return Status.ABSENT
    return Status.POSSIBLE if "possible" in mods else Status.PRESENT


def levels_in(line: Line, warnings: list[str]) -> list[str]:
    found: list[str] = []
    for match in _LEVEL.finditer(line.text):
        if _MRI_SEQUENCE.match(line.text, match.end()):
            continue  # "T1- and T2-weighted": MRI sequences, not vertebrae
        try:
            found.extend(expand_level(match.group()))
        except LevelError as error:
            where = line.sentence.start + match.start()
            warnings.append(f"unknown level {error.value!r} at offset {where}: not a vertebra, ignored")
    return list(dict.fromkeys(found))


def levels_near(line: Line, hit: Hit, warnings: list[str]) -> list[str]:
    """Levels written close to a procedure word ("L1 kyphoplasty", "vertebroplasty of T8 and T9")."""
    found: list[str] = []
    for match in _LEVEL.finditer(line.text):
        if _MRI_SEQUENCE.match(line.text, match.end()):
            continue
        start, end = line.sentence.start + match.start(), line.sentence.start + match.end()
        lo, hi = sorted(((start, end), (hit.start, hit.end)))
        gap = line.text[lo[1] - line.sentence.start : hi[0] - line.sentence.start]
        if len(gap.split()) <= _PROCEDURE_LEVEL_WORDS:
            try:
                found.extend(expand_level(match.group()))
            except LevelError:
                continue  # already warned about in _levels
    return found


def side_of(line: Line) -> str | None:
    sides = {h.value for h in line.of("side")}
    if "bilateral" in sides or {"left", "right"} <= sides:
        return "bilateral"
    return next(iter(sides), None)
