"""The text as read, cut into sentences that know their section.

Offsets always point into the original text. Matching works on a *folded* copy (lowercase, every
run of spaces, line breaks and hyphens as one space) with a map back to the original offsets.

Sentence boundaries: a blank line; a line break after ``.``, ``!``, ``?`` or ``:``, before a list
item or a header, or after a short title-like line; and ``. `` followed by a capital or digit
(not after an abbreviation such as ``Dr.`` or ``et al.``). Hard-wrapped lines (PDF text) are
joined, so a sentence may span several lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cementwatch.read.rules import Effect, Rules, fold

_WS = re.compile(r"[\s\-‐‑–—_]+")
_LINE = re.compile(r"[^\n]*\n?")
_TITLE_CLEAN = re.compile(r"^[\s#*_>\-•\d.)\]]*|[\s*_:]*$")
_INLINE_HEADER = re.compile(r"^\s*([A-Za-z][A-Za-z /&-]{1,40}?)\s*:\s*\S")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•▪●]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = (
    "dr", "mr", "mrs", "ms", "prof", "e.g", "i.e", "vs", "et al", "fig", "no", "approx", "st", "jr",
    "dept", "univ", "vol", "pp", "ca", "cf", "resp",
)  # fmt: skip


@dataclass(frozen=True)
class Folded:
    """``text`` folded for matching, with ``origin[i]`` the original offset of folded char ``i``."""

    text: str
    origin: list[int]

    @classmethod
    def of(cls, original: str) -> Folded:
        out: list[str] = []
        origin: list[int] = []
        last = 0
        for match in _WS.finditer(original):
            chunk = original[last : match.start()].lower()
            out.append(chunk)
            origin.extend(range(last, last + len(chunk)))
            out.append(" ")
            origin.append(match.start())
            last = match.end()
        chunk = original[last:].lower()
        out.append(chunk)
        origin.extend(range(last, last + len(chunk)))
        origin.append(len(original))  # one past the end
        text = "".join(out)
        if len(text) + 1 != len(origin):  # lower() changed a length (rare Unicode): map 1:1
            text = original.lower()[: len(origin) - 1]
        return cls(text, origin)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded range ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    effect: Effect  # the section it stands in


def _title(line: str) -> str:
    return fold(_TITLE_CLEAN.sub("", line))


def _sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split one block ``text[start:end]`` at sentence ends."""
    at = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[max(start, match.start() - 8) : match.start()].lower()
        word = before.split()[-1] if before.split() else ""
        if word.rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        yield at, match.end()
        at = match.end()
    if at < end:
        yield at, end


def sentences(text: str, rules: Rules) -> list[Sentence]:
    """Cut ``text`` into sentences, each tagged with the effect of its section."""
    out: list[Sentence] = []
    effect: Effect = "normal"
    block_start: int | None = None
    block_end = 0
    block_effect: Effect = "normal"

    def flush() -> None:
        nonlocal block_start
        if block_start is not None:
            for s, e in _sentence_spans(text, block_start, block_end):
                if text[s:e].strip():
                    out.append(Sentence(s, e, block_effect))
        block_start = None

    pos = 0
    previous = ""
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        line_start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not stripped:
            flush()
            previous = ""
            continue
        title = _title(stripped)
        if title in rules.sections and len(stripped) <= 80:
            flush()
            effect = rules.sections[title]
            previous = ""
            continue
        if rules.ignore_lines.search(line):
            flush()
            previous = ""
            continue
        line_effect = effect
        inline = _INLINE_HEADER.match(line)
        if inline and rules.sections.get(fold(inline.group(1))) not in (None, "literature"):
            # "PMH: ...", "Plan: ..." hold for their line; an inline "Background:" in a note is the
            # patient's background, not a literature section
            line_effect = rules.sections[fold(inline.group(1))]
        breaks = (
            block_start is None
            or previous.endswith((".", "!", "?", ":", ";"))
            or _LIST_ITEM.match(line) is not None
            or len(previous) < 40
            or line_effect != block_effect
            or line_effect != effect
        )
        if breaks:
            flush()
            block_start, block_effect = line_start, line_effect
        block_end = line_start + len(line.rstrip("\n"))
        previous = stripped
        if line_effect != effect:  # an inline header holds to the end of its line
            flush()
            previous = ""
    flush()
    return [s for s in out if s.effect != "ignore"]
