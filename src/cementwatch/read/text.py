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
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from cementwatch.read.rules import Effect, Rules, fold

_WS = re.compile(r"[\s\-‐‑–—_]+")
_LINE = re.compile(r"[^\n]*\n?")
_TITLE_CLEAN = re.compile(r"^[\s#*_>\-•\d.)\]]*|(?:\s*\(\d+\))?[\s*_:]*$")  # "Replies (2)"
_INLINE_HEADER = re.compile(r"^\s*([A-Za-z][A-Za-z /&-]{1,40}?)\s*:\s*\S")
_LEADER_ROW = re.compile(r"^\s*[A-Za-z][^.\n]{0,40}?\s*\.{4,}\s*\S")  # a templated row with dotted leaders
_LIST_ITEM = re.compile(r"^\s*(?:[-*•▪●]|\d{1,2}[.)])\s+")
_LEADER_DOTS = 4
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = (
    "dr", "mr", "mrs", "ms", "prof", "e.g", "i.e", "vs", "et al", "fig", "no", "approx", "st", "jr",
    "dept", "univ", "vol", "pp", "ca", "cf", "resp",
    # a month shortened before its day: "on Sept. 4", "Oct. 12"
    "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
)  # fmt: skip


@dataclass(frozen=True)
class Folded:
    """``text`` folded for matching, mapped back to the original by segments: folded offsets from
    ``starts[k]`` on are original offsets from ``origins[k]`` on, one for one (a folded space is a
    segment of its own, standing for the whole run of spaces, line breaks and hyphens it replaced)."""

    text: str
    starts: list[int]
    origins: list[int]

    @classmethod
    def of(cls, original: str) -> Folded:
        low = original.lower()
        if len(low) != len(original):  # lower() changed a length (rare Unicode): keep such letters
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in original)
        low = low.replace("’", "'")  # a curly apostrophe matches as a straight one ("aren’t")
        starts, origins = [0], [0]
        at = last = 0  # folded and original offsets of the current segment's end
        for match in _WS.finditer(original):
            space = at + match.start() - last
            if space == starts[-1]:  # nothing before this run (the text starts with a space)
                starts.pop()
                origins.pop()
            starts += (space, space + 1)
            origins += (match.start(), match.end())
            at, last = space + 1, match.end()
        return cls(_WS.sub(" ", low), starts, origins)

    def at(self, index: int) -> int:
        """The original offset of folded character ``index`` (the text's end for ``len(text)``)."""
        k = bisect_right(self.starts, index) - 1
        return self.origins[k] + index - self.starts[k]

    def index(self, offset: int) -> int:
        """The first folded character whose original offset is ``offset`` or later."""
        k = bisect_right(self.origins, offset) - 1
        inside = offset - self.origins[k]
        if k + 1 < len(self.starts) and inside >= self.starts[k + 1] - self.starts[k]:
            return self.starts[k + 1]
        return self.starts[k] + inside

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded range ``[start, end)``."""
        return self.at(start), self.at(end - 1) + 1


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
        if match.group().count(".") >= _LEADER_DOTS:
            continue  # dotted leaders of a templated table: "Intradiscal ........... YES - L2/3 disc"
        before = text[max(start, match.start() - 8) : match.start()].lower()
        word = before.split()[-1] if before.split() else ""
        if word.rstrip(".") == "no" and not text[match.end() : match.end() + 1].isdigit():
            pass  # "Any weakness? No. Any numbness?": an answer, not "No. 5"
        elif word.rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        yield at, match.end()
        at = match.end()
    if at < end:
        yield at, end


def _is_publication(text: str, rules: Rules) -> bool:
    """Whether ``text`` is a publication: a header line that marks one (abstract, discussion, ...),
    or two different such titles written inline ("Case report: ...", "Keywords: ...")."""
    inline: set[str] = set()
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and len(stripped) <= 80 and _title(stripped) in rules.publication_markers:
            return True
        match = _INLINE_HEADER.match(line) if ":" in line else None
        if match and (label := fold(match.group(1))) in rules.publication_markers:
            inline.add(label)
    return len(inline) >= 2


def sentences(text: str, rules: Rules) -> list[Sentence]:
    """Cut ``text`` into sentences, each tagged with the effect of its section. A title that means
    literature only in a publication ("Background") is the patient's own story in a clinical note."""
    publication = _is_publication(text, rules)
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
    carry: Effect | None = None  # an inline header's effect, while its sentence runs on to the next line
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        line_start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not stripped:
            flush()
            previous, carry = "", None
            continue
        title = _title(stripped) if len(stripped) <= 80 else ""  # a header is a short line
        if title in rules.sections:
            flush()
            effect = rules.sections[title]
            if title in rules.publication_only and not publication:
                effect = "normal"
            previous, carry = "", None
            continue
        if rules.reply_lines.search(stripped):
            flush()
            effect = "generic"
            previous, carry = "", None
            continue
        if rules.ignore_lines.search(line):
            flush()
            previous, carry = "", None
            continue
        line_effect = effect
        inline = _INLINE_HEADER.match(line)
        label = fold(inline.group(1)) if inline else ""
        # "Plan: ... return if leg / symptoms, weakness ...": the header's sentence goes on here
        continuing = (
            carry is not None and inline is None and _LIST_ITEM.match(line) is None and stripped[:1].islower()
        )
        if continuing and carry is not None:
            line_effect = carry
        if inline and (
            rules.sections.get(label) not in (None, "literature")
            or label in rules.inline_literature
            or (publication and rules.sections.get(label) == "literature")
        ):
            # "PMH: ...", "Plan: ..." hold for their line; an inline "Background:" in a note is the
            # patient's background, not a literature section (an inline "Literature review:" is, and
            # so is an inline "Discussion:" or "Introduction:" in a publication)
            line_effect = rules.sections[label]
        breaks = block_start is None or (
            (not continuing)
            and (
                previous.endswith((".", "!", "?", ":", ";"))
                or _LIST_ITEM.match(line) is not None
                or (inline is not None and stripped[:1].isupper())  # "Principal diagnosis: ..."
                or _LEADER_ROW.match(line) is not None  # "  Venous ........ not seen"
                or len(previous) < 40
                or line_effect != block_effect
                or line_effect != effect
            )
        )
        if breaks:
            flush()
            block_start, block_effect = line_start, line_effect
        block_end = line_start + len(line.rstrip("\n"))
        previous = stripped
        carry = None
        if line_effect != effect:  # an inline header holds to the end of its sentence
            if stripped.endswith((".", "!", "?", ";", ":")):
                flush()
                previous = ""
            else:
                carry = line_effect
    flush()
    return [s for s in out if s.effect != "ignore"]
