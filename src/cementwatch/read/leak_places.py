"""Which places of a sentence are told as holding cement, and which as clear of it.

Contract: ``cement_telling`` gives the cement words that may make a place a leak, ``denied_after``
where a place is denied together with its cement in a sentence of one clause, and ``only_canal``
whether an epidural leak rests only on words for the canal. All work on one ``lines.Line``.
"""

from __future__ import annotations

from cementwatch.case import Leak, Status
from cementwatch.read.lines import Hit, Line, status_of, words_between
from cementwatch.read.patterns import PATTERNS

_EXCEPT = PATTERNS.get("case.except")
_DENIED_NEAR = 2  # words between a denied place and its denied cement: "no pulmonary cement"


def cement_telling(line: Line, place: Hit, cement: list[Hit]) -> list[Hit]:
    """The cement words that may make ``place`` a leak. A place not denied needs cement not denied
    ("Central pulmonary arteries: well opacified; no central cement" puts no cement there), or denied
    only before an exception ("no leakage apart from a small epidural deposit")."""
    if "negated" in place.mods:
        return cement
    offset = line.sentence.start
    return [
        c for c in cement
        if "negated" not in c.mods
        or (c.end <= place.start and _EXCEPT.search(line.text, c.end - offset, place.start - offset))
    ]  # fmt: skip


def denied_after(line: Line, hits: list[Hit]) -> dict[str, int]:
    """Where each place is denied together with its cement ("no pulmonary cement") in a sentence of
    one clause (no "but", "then", "showed" or ";"): the same place named before that denial is the
    same denied place. A denial of something else there ("no tamponade") denies nothing before it."""
    if "terminate" in line.triggers:
        return {}
    cement = [c for c in line.of("cement") if c.value == "cement" and "negated" in c.mods]
    return {
        h.value: h.start
        for h in hits
        if status_of(h.mods) is Status.ABSENT
        and any(words_between(line, h, c) <= _DENIED_NEAR for c in cement)
    }


def only_canal(leak: Leak, text: str) -> bool:
    """An epidural leak read only from 'canal' words, in a document that names intradural cement."""
    if leak.location != "epidural":
        return False
    words = (text[s.start : s.end].lower() for s in leak.evidence)
    return all("epidural" not in w and "extradural" not in w for w in words)
