"""Calendar words told against day 0, as days from it: a weekday, a date without its year, a bare day of
the month.

Contract: pure functions of the text and of the dates ``Days`` has read (day 0 ``anchor``, the note's own
date ``note``); each returns None when the text or the dates cannot place the day.
"""

from __future__ import annotations

from datetime import timedelta

from cementwatch.read.calendar_dates import Date, dates, days_between, weekday
from cementwatch.read.patterns import PATTERNS
from cementwatch.read.timeline import When, day_of_month
from cementwatch.read.timeline_end import ROUGH_DAYS

_WEEKDAY_WORD = PATTERNS.get("dates.weekday_words")


def in_note_year(day: Date, anchor: Date | None, note: Date | None) -> Date:
    """A date written without its year, in a note dated years after the procedure, is of the note's year
    ("admitted on 8 June" in a letter of 10 June 2025 about a 2020 vertebroplasty)."""
    if day.year is not None or note is None or note.year is None or anchor is None or anchor.year is None:
        return day
    if note.year - anchor.year < 1:
        return day
    year = note.year if (day.month, day.day) <= (note.month, note.day + ROUGH_DAYS) else note.year - 1
    return Date(day.offset, day.month, day.day, year)


def weekday_day(text: str, anchor: Date | None, note: Date | None, reached: float | None) -> float | None:
    """The day of a weekday named in ``text``, told against the note's date or against ``reached``, the
    last day the story has reached ("the following Tuesday", "since last Thursday")."""
    if anchor is None or not _WEEKDAY_WORD.search(text):
        return None
    year = anchor.year or (note.year if note else None)
    if year is None:
        return None
    start = anchor.on(year)
    written = note.on(note.year or year) if note is not None else None
    after = start + timedelta(days=round(reached or 0.0)) if start is not None else None
    named = weekday(text, written, after)
    if named is None or start is None:
        return None
    gap = float((named - start).days)
    return gap if gap >= 0 else None


def weekday_before(text: str, anchor: Date | None, day: When) -> When | None:
    """A weekday the sentence names before its own date ("(31.01.2025) because of pain since the
    weekend"): the sentence's date stands for the note's."""
    start = anchor.on(anchor.year or 2000) if anchor is not None else None
    if start is None or not _WEEKDAY_WORD.search(text):
        return None
    named = weekday(text, start + timedelta(days=round(day.days)), None)
    gap = float((named - start).days) if named is not None else None
    return When(gap, calendar=True) if gap is not None and 0 <= gap < day.days else None


def day_of_month_day(text: str, anchor: Date | None) -> float | None:
    """The day of a bare day of the month ("since the evening of the 19th"), taken as the first such day
    on or after day 0."""
    if anchor is None or dates(text) or (number := day_of_month(text)) is None:
        return None
    month, year = anchor.month, anchor.year
    if number < anchor.day:
        month, year = (1, year + 1 if year else None) if month == 12 else (month + 1, year)
    return days_between(anchor, Date(0, month, number, year))
