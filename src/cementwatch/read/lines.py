"""Sentence by sentence: the terms found in each, with the ConText modifiers and section that
qualify them, and the small readings (levels, side, distance in words) the fact builders share.

Terms are found once over the folded text (Aho-Corasick for phrases, plus the few regular
expressions of ``terms.yaml`` ``patterns``); within a category the longest match wins. A term read
from a phrase that denies it ("the dura was not opened") is negated whatever its context; a scan is
negated only by a trigger written before it ("no MRI", not "Echocardiography: normal").
Dropped later by the builders: hypothetical and generic statements (advice, risks, other patients);
a sentence of a literature section (discussion, introduction) is kept only if it names this patient.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from cementwatch.case import Span, Status
from cementwatch.levels import LevelError, expand_level
from cementwatch.read.context import Context, bounded
from cementwatch.read.patterns import PATTERNS
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
_LEVEL = PATTERNS.get("levels.level")
_LIST_GAP = PATTERNS.get("levels.list_gap")  # between the levels of a list: "T12, L1 and L2"
_NO_ANSWER = PATTERNS.get("case.no_answer")
_WORDED_RANGE = PATTERNS.get("levels.worded_range")  # "L4 down to S1", "T10 through T12"
_MRI_SEQUENCE = PATTERNS.get("levels.mri_sequence")
_PROCEDURE_LEVEL_WORDS = 6  # levels this close to a procedure word are its treated levels
_NOT_SAME_PHRASE = PATTERNS.get("levels.not_same_phrase")
DROP: set[Modifier] = {"hypothetical", "generic"}  # not a fact about this patient


@dataclass
class Hit:
    start: int  # original offsets
    end: int
    category: str
    value: str
    mods: set[Modifier] = field(default_factory=set)
    denied: bool = False  # read from a phrase that denies it ("the dura was not opened")
    folded: tuple[int, int] | None = None  # offsets in the folded text, for a term read from it

    def span(self, text: str) -> Span:
        return Span(start=self.start, end=self.end, text=text[self.start : self.end])


@dataclass
class Line:
    """One sentence with its hits, ready for the fact builders. ``of`` and ``kept`` give read-only
    views, computed once per category (the builders ask for each many times)."""

    sentence: Sentence
    text: str
    hits: list[Hit]
    triggers: set[Modifier] = field(default_factory=set)  # every ConText category the sentence holds
    _by: dict[str, tuple[Hit, ...]] | None = field(default=None, repr=False, compare=False)
    _kept: dict[str, tuple[Hit, ...]] = field(default_factory=dict, repr=False, compare=False)
    _low: str | None = field(default=None, repr=False, compare=False)

    def of(self, category: str) -> tuple[Hit, ...]:
        if self._by is None:
            grouped: dict[str, list[Hit]] = {}
            for hit in self.hits:
                grouped.setdefault(hit.category, []).append(hit)
            self._by = {category: tuple(found) for category, found in grouped.items()}
        return self._by.get(category, ())

    def kept(self, category: str) -> tuple[Hit, ...]:
        found = self._kept.get(category)
        if found is None:
            hits = self.of(category)
            found = self._kept[category] = tuple([h for h in hits if not h.mods & DROP]) if hits else ()
        return found

    @property
    def low(self) -> str:
        """The sentence in lower case."""
        if self._low is None:
            self._low = self.text.lower()
        return self._low

    def add(self, hit: Hit) -> None:
        """A hit the builders derive ("removal ... of the cement" as a treatment)."""
        self.hits.append(hit)
        self.remodified()

    def remodified(self) -> None:
        """Forget the views after the hits' modifiers were changed (another person's story)."""
        self._by = None
        self._kept.clear()

    @property
    def dropped(self) -> bool:
        """Does anything in the sentence make it advice, risk or other patients'?"""
        return any(h.mods & DROP for h in self.hits)


def term_hits(folded: Folded, original: str, rules: Rules) -> list[Hit]:
    raw: list[tuple[int, int, str, str, bool]] = []
    for last, (phrase, values) in rules.terms.iter(folded.text):
        start, end = last - len(phrase) + 1, last + 1
        if not bounded(folded.text, start, end):
            continue
        short = len(phrase) <= _SHORT_ACRONYM
        upper = short and original[slice(*folded.span(start, end))].isupper()
        for category, value, denied in values:
            if short and not upper and category in _CASE_SENSITIVE:
                continue  # a short phrase must be upper case to be an acronym
            raw.append((start, end, category, value, denied))
    for pattern in rules.patterns:
        for match in pattern.finditer(folded.text):
            if match.end() > match.start():
                raw.append((match.start(), match.end(), pattern.category, pattern.value, pattern.negated))
    # within a category the longest match wins (a phrase may name several values: "bladder and
    # bowel"); categories may overlap each other. A value "not_..." is a longer phrase that only
    # blocks a shorter one ("bone fragment" is not cement, "sinus tachycardia" not an arrhythmia).
    raw.sort(key=lambda r: (r[2], -(r[1] - r[0]), r[0]))
    kept: dict[str, list[tuple[int, int]]] = {}
    hits: list[Hit] = []
    for start, end, category, value, denied in raw:
        taken = kept.setdefault(category, [])
        if any(start < e and s < end and (s, e) != (start, end) for s, e in taken):
            continue
        taken.append((start, end))
        if value.startswith("not_"):
            continue
        o_start, o_end = folded.span(start, end)
        hits.append(Hit(o_start, o_end, category, value, denied=denied, folded=(start, end)))
    return sorted(hits, key=lambda h: h.start)


def read_lines(text: str, rules: Rules) -> list[Line]:
    folded = Folded.of(text)
    hits = term_hits(folded, text, rules)
    starts = [h.start for h in hits]
    out: list[Line] = []
    for sentence in sentences(text, rules):
        chosen = hits[bisect_left(starts, sentence.start) : bisect_right(starts, sentence.end - 1)]
        f_start = folded.index(sentence.start)
        f_end = folded.index(sentence.end)
        f_text = folded.text[f_start:f_end]
        if sentence.effect == "literature" and not any(p in f_text for p in rules.this_patient):
            continue
        context = Context(f_text, rules)
        places = [_folded_place(hit, folded, f_start) for hit in chosen]
        for hit, (h_start, h_end) in zip(chosen, places, strict=True):
            hit.mods = context.modifiers(h_start, h_end)
            if hit.denied:
                hit.mods.add("negated")
            elif hit.category == "procedure" and context.triggers:
                others = [
                    (*place, other.category)
                    for place, other in zip(places, chosen, strict=True)
                    if other.category in _TARGETS
                ]
                hit.mods = context.procedure_modifiers(h_start, h_end, others)
            elif (
                hit.category in ("treatment", "removal")
                and {"done", "hypothetical"} <= hit.mods
                and not context.before(h_start, "hypothetical")
            ):
                hit.mods.discard("hypothetical")  # "gave me pregabalin and said he would decide on surgery"
            elif (
                hit.category in ("imaging", "outcome")
                and "negated" in hit.mods
                and not context.before(h_start, "negated")
            ):
                # "Echocardiography: normal" denies the findings, not the scan; "back to her old self: no
                # chest pain" denies the pain, not the recovery
                hit.mods.discard("negated")
            if sentence.effect == "historical":
                hit.mods.add("historical")
            elif hit.category in ("treatment", "removal") and "done" in hit.mods:
                continue  # "Plan: ... methylprednisolone started": given, whatever the section
            elif sentence.effect == "generic":
                hit.mods.add("generic")
            elif sentence.effect == "planned" and hit.category in ("treatment", "imaging", "removal"):
                hit.mods.add("planned")
        triggers: set[Modifier] = {t.rule.category for t in context.triggers}
        out.append(Line(sentence, text[sentence.start : sentence.end], chosen, triggers))
    _answered_no(out)
    return out


# what a negation may be aimed at on its way to a procedure named later in the sentence
_TARGETS = {
    "deficit",
    "leak_location",
    "imaging",
    "treatment",
    "cement",
    "outcome",
    "indication",
    "removal",
    "muscle",
}


def _folded_place(hit: Hit, folded: Folded, f_start: int) -> tuple[int, int]:
    h_start, h_end = hit.folded or (folded.index(hit.start), folded.index(hit.end - 1) + 1)
    return h_start - f_start, h_end - f_start


def _answered_no(lines: list[Line]) -> None:
    """A question answered "No." in the next sentence denies what it asked about ("Any leg weakness?
    No.", "Chest pain? Denies.")."""
    for question, answer in pairwise(lines):
        if question.text.rstrip().endswith("?") and _NO_ANSWER.match(answer.text):
            for hit in question.hits:
                if hit.category in ("deficit", "leak_location"):
                    hit.mods.add("negated")


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
            found.extend(expand_level(_WORDED_RANGE.sub("-", match.group())))
        except LevelError as error:
            where = line.sentence.start + match.start()
            warnings.append(f"unknown level {error.value!r} at offset {where}: not a vertebra, ignored")
    return list(dict.fromkeys(found))


def levels_near(line: Line, hit: Hit, warnings: list[str]) -> list[str]:
    """Levels written close to a procedure word ("L1 kyphoplasty", "vertebroplasty of T8 and T9"); a
    level before it only in the same phrase ("cement at T6-T7, six months after vertebroplasty of T7"
    names the leak's levels, not the treated ones). A list of levels is taken whole once its first
    level is close ("vertebroplasty at all five levels (T12, L1, L2, L3, L4)")."""
    found: list[str] = []
    listed_to = -1  # the end of the last level taken, while a list of levels goes on from it
    for match in _LEVEL.finditer(line.text):
        if _MRI_SEQUENCE.match(line.text, match.end()):
            continue
        start, end = line.sentence.start + match.start(), line.sentence.start + match.end()
        lo, hi = sorted(((start, end), (hit.start, hit.end)))
        gap = line.text[lo[1] - line.sentence.start : hi[0] - line.sentence.start]
        listed = listed_to >= 0 and _LIST_GAP.fullmatch(line.text, listed_to, match.start()) is not None
        if listed or (
            len(gap.split()) <= _PROCEDURE_LEVEL_WORDS
            and not (end <= hit.start and _NOT_SAME_PHRASE.search(_LEVEL.sub(" ", gap)))
        ):
            listed_to = match.end()
            try:
                found.extend(expand_level(_WORDED_RANGE.sub("-", match.group())))
            except LevelError:
                continue  # already warned about in _levels
        else:
            listed_to = -1
    return found


def side_of(line: Line) -> str | None:
    sides = {h.value for h in line.of("side")}
    if "bilateral" in sides or {"left", "right"} <= sides:
        return "bilateral"
    return next(iter(sides), None)
