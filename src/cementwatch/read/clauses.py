"""Clauses of a sentence, and the day each tells.

A sentence often tells more than one time ("a fortnight after the procedure his shin ached, and for the
last week he has been tripping"): these helpers find the clause around an offset and read the day told
in it. ``CLAUSE_END`` cuts at punctuation (for the date written in a clause); ``CLAUSE_OR_AND`` also
cuts at "and" before a new time ("on day 1 and the day after that ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cementwatch.read.calendar_dates import Date, dates
from cementwatch.read.lines import Hit, Line
from cementwatch.read.patterns import PATTERNS
from cementwatch.read.timeline import When, chained, lasted, later_on, relative

CLAUSE_END = PATTERNS.get("dates.clause_end")
CLAUSE_OR_AND = PATTERNS.get("time.clause_or_and")


def clause_bounds(text: str, at: int, ends: re.Pattern[str] = CLAUSE_END) -> tuple[int, int]:
    """The start and end in ``text`` of the clause holding offset ``at``."""
    # (the whole text is searched: an end's lookahead must see past ``at``)
    low = max((m.end() for m in ends.finditer(text) if m.end() <= max(at, 0)), default=0)
    after = ends.search(text, max(at, 0))
    return low, after.start() if after else len(text)


def told_lasting(line: Line, at: int) -> bool:
    """Does the clause of original offset ``at`` tell how long the complaint has lasted ("she presented
    with two days of pain")?"""
    low, high = clause_bounds(line.text, at - line.sentence.start, CLAUSE_OR_AND)
    clause = line.text[low:high]
    return lasted(clause) is not None


def clause_day(line: Line, at: int, base: When | None = None, last: float | None = None) -> When | None:
    """A day after the procedure told in the clause of original offset ``at`` ("... a fortnight after
    the procedure, and ..."), or a day after ``base``, the day the sentence told first ("the CT was done
    on day 1 and the day after that he became breathless"), when the sentence holds more than that clause."""
    low, high = clause_bounds(line.text, at - line.sentence.start, CLAUSE_OR_AND)
    clause = line.text[low:high]
    if clause.strip(" .") == line.text.strip(" .\n"):
        return None
    told = relative(clause)
    if told is not None and not told.before_presentation and told.days > 0:
        return told
    if told is None and last is not None and (span := later_on(clause)) is not None:
        return When(last + span, calendar=False)  # "two days after discharge ...; on the twelfth day ..."
    if base is None or told is not None or (relative(line.text) is None and not base.calendar):
        return None  # (a day chained on the day before is counted once, by the sentence)
    if base.calendar and dates(clause):
        return None  # a clause with its own date is dated by it
    if not base.calendar and relative(line.text[:low]) is None:
        return None  # the day is told after this clause ("operated the next morning, 16 hours after it")
    if (step := chained(clause)) is not None and step > 0:
        return When(base.days + step, base.calendar)
    return None


def own_clause(line: Line, found: Sequence[Date], at: int) -> When | None:
    """The relative day told in the clause of original offset ``at`` when the sentence's one date
    lies in another clause ("on postoperative day 5 she became weak; surgery on 7 May")."""
    if len(found) != 1:
        return None
    low, high = clause_bounds(line.text, at - line.sentence.start)
    if low <= found[0].offset < high:
        return None
    told = relative(line.text[low:high])
    return told if told is not None and not told.before_presentation else None


def procedure_dated(line: Line, found: Sequence[Date], symptom: Hit) -> bool:
    """Is the sentence's one date the augmentation's, written after it with the symptom before both
    ("radiculopathy from epidural cement after L3 vertebroplasty (28/01/2025)")? Then the date does
    not tell when the symptom began."""
    if len(found) != 1:
        return False
    date_at = line.sentence.start + found[0].offset
    return any(symptom.end <= p.start and p.end <= date_at for p in line.kept("procedure"))
