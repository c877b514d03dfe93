"""Day 0 and the note's own date.

Day 0 is the first calendar date written beside the current augmentation; a date the same sentence
places after it ("Date: 18/06 (the day after the vertebroplasty)") is moved back. With no date beside
the augmentation, day 0 is a procedure record's own date, or the note's date less how long ago the
augmentation is said to lie ("PVP 7 days ago"). The note's date is read from a labelled header line
("Date:", "Sent:", "Arrival", "Exam date:", "DOS:") or a line that is only a date, among the first lines,
or, in a message that gives only its weekday ("it's Wednesday evening"), placed in a reference week.

The last resorts, in the order ``Days`` tries them: day 0 named only by its weekday ("PVP on Monday",
"on a Tuesday") or by the weekday of a later day ("three weeks after, on a Monday"), placed in a
reference week; day 0 told only by its year ("in 2019", mid-year); and a past augmentation when it is the
only one the note names. A yearless day 0 written with its weekday is placed in a year where it falls on
that weekday (``year_by_weekday``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from cementwatch.read.calendar_dates import Date, dates, weekday
from cementwatch.read.clauses import clause_bounds
from cementwatch.read.lines import DROP, Line
from cementwatch.read.patterns import PATTERNS
from cementwatch.read.timeline import day_of_month, relative

_DIGIT = re.compile(r"\d")
# the note's own date in its header ("Date/time seen: 14/08/2024 19:05", "Sent: Thursday 16 May 2024")
_NOTE_DATE = PATTERNS.get("dates.note_date")
# a header line that is only its date ("23 July 2025", "2025-02-20, post operation day 3")
_BARE_DATE = PATTERNS.get("dates.bare_date")
# a header's date stamped with its weekday or its time: "Taken by: ... Sat 15/03/2025, 14:20"
_STAMPED_DATE = PATTERNS.get("dates.stamped_date")
# the label of the note's own date, just before a date: "Posted by jan, ", "Sent: ", "Date: "
_WRITTEN_ON = PATTERNS.get("dates.written_on")
# a procedure record's own header: its date is the day of the augmentation
_PROCEDURE_NOTE = PATTERNS.get("dates.procedure_note")
# a header that names the day of the operation itself
_PROCEDURE_DATE = PATTERNS.get("dates.procedure_date")
_MOVED_BACK = 14  # days: "Date: 18/06 (day after the vertebroplasty)" names day 1, not day 0
_HEADER_LINES = 8  # the note's date is written in its first lines


def nearest(found: Sequence[Date], text: str, at: int) -> Date:
    """Of the dates in ``text``, the one written in the same clause as offset ``at``, else the first."""
    if len(found) == 1:
        return found[0]
    low, high = clause_bounds(text, at)
    inside = [d for d in found if low <= d.offset < high]
    return min(inside, key=lambda d: abs(d.offset - at)) if inside else found[0]


def note_date(lines: list[Line]) -> Date | None:
    """The date the note was written, sent or the patient arrived, from a header line among its first
    lines: a labelled one ("Date:", "Sent:", "Arrival", "Exam date:") or one that is only a date."""
    for line in lines[:_HEADER_LINES]:
        if not _DIGIT.search(line.text):
            continue  # every note date has a number
        label = _NOTE_DATE.search(line.text)
        stamped = label or _BARE_DATE.search(line.text) or _STAMPED_DATE.search(line.text)
        if stamped and (found := dates(line.text)):
            after = [d for d in found if label is None or d.offset >= label.start()]  # not the DOB before it
            if after:
                return after[0]
    return None


# a week to place a note in when it gives only its weekday (1 January 2001 was a Monday)
_REFERENCE_MONDAY = date(2001, 1, 1)
_WRITTEN_WEEKDAY = PATTERNS.get("dates.written_weekday")
_WEEKDAY_WORD = PATTERNS.get("dates.weekday_words")
_WEEKDAY_NUMBER = PATTERNS.ints("dates.weekdays")


def written_weekday(lines: list[Line]) -> Date | None:
    """The day a message was written when it gives only its weekday ("it's Wednesday evening as I type
    this"), placed in a reference week, so that "six weeks ago" and "last Saturday" count from it."""
    for line in lines:
        if "day" in line.low and (told := _WRITTEN_WEEKDAY.search(line.text)) is not None:
            day = _REFERENCE_MONDAY + timedelta(days=_WEEKDAY_NUMBER[told.group("day").lower()])
            return Date(0, day.month, day.day, day.year)
    return None


def procedure_note(lines: list[Line]) -> bool:
    """Does the document record the augmentation itself (so that its own date is day 0)?"""
    return any(_PROCEDURE_NOTE.search(line.text) for line in lines[:_HEADER_LINES])


def index_date(lines: list[Line]) -> Date | None:
    """Day 0: the date written with the first sentence about the (current) augmentation; a date the
    sentence places after it ("Date: 18/06 (day after vertebroplasty)") is moved back to day 0."""
    header = header_procedure_date(lines)
    told = _told_index_date(lines)
    if header is not None and told is not None and _before(told, header):
        return told  # an operation note on a later operation: "Date of surgery" is not day 0
    return header or told


def _before(a: Date, b: Date) -> bool:
    first, second = a.on(b.year or 2000), b.on(b.year or 2000)
    return first is not None and second is not None and (a.year or b.year) is not None and first < second


def header_procedure_date(lines: list[Line]) -> Date | None:
    """The operation date a note's header gives ("Date of surgery: 17 October 2025")."""
    for line in lines[:_HEADER_LINES]:  # a header's "Date of surgery: 17 Sep 2025"
        if "date" in line.low and (label := _PROCEDURE_DATE.search(line.text)):
            after = [d for d in dates(line.text) if d.offset >= label.end()]
            if after and after[0].offset - label.end() <= 2:
                return after[0]
    return None


# a date written right after the procedure is its own: "on the third day after sacroplasty (07/10/2025)"
_OWN_DATE_GAP = 3
_YEAR_ONLY = PATTERNS.get("dates.year_only")


def _told_index_date(lines: list[Line]) -> Date | None:
    for line in lines:
        current = [h for h in line.of("procedure") if not h.mods & {"historical", "negated", *DROP}]
        if current:
            # not the note's own date run on with its title ("Title: ... Posted by jan, 3 Nov 2025")
            found = tuple(d for d in dates(line.text) if not _WRITTEN_ON.search(line.text, 0, d.offset))
            if found:
                chosen = nearest(found, line.text, current[0].start - line.sentence.start)
                told = relative(line.text) if len(found) == 1 else None
                own = any(
                    0 <= chosen.offset - (h.end - line.sentence.start) <= _OWN_DATE_GAP for h in current
                )
                if (
                    told is not None
                    and not own
                    and not told.before_presentation
                    and 0 < told.days <= _MOVED_BACK
                ):
                    return shifted(chosen, -told.days)
                return chosen
    return None


def past_index_date(lines: list[Line]) -> Date | None:
    """Day 0 when the only augmentation the note names is a past one ("PMH: kyphoplasty L4 to S1 in
    March 2021" in an ED note on cement emboli four years later): its date, if no current one is named."""
    named = [h for line in lines for h in line.of("procedure") if not h.mods & {"negated", *DROP}]
    if not named or any("historical" not in h.mods for h in named):
        return None
    for line in lines:
        past = [h for h in line.of("procedure") if "historical" in h.mods and not h.mods & {"negated", *DROP}]
        found = dates(line.text) if past else ()
        if found:
            return nearest(found, line.text, past[0].start - line.sentence.start)
    return None


def index_year(lines: list[Line]) -> Date | None:
    """Day 0 told only by its year ("treated by vertebroplasty in 2019"), as the middle of the year, for
    dates told years later; the last resort, after every other way of finding day 0."""
    for line in lines:
        current = [h for h in line.of("procedure") if not h.mods & {"historical", "negated", *DROP}]
        if current and (year := _YEAR_ONLY.search(line.text)) is not None:
            return Date(year.start(), 7, 1, int(year.group("year")))
    return None


def implied_index_date(lines: list[Line], note: Date | None) -> Date | None:
    """Day 0 when no date is written beside the augmentation: a procedure record's own date, or the
    note's date less how long ago the augmentation is said to lie ("PVP 7 days ago")."""
    if note is None:
        return None
    for line in lines:
        current = [h for h in line.of("procedure") if not h.mods & {"historical", "negated", *DROP}]
        if current and (told := relative(line.text)) is not None and told.before_presentation:
            return shifted(note, -told.days)
        written = note.on(note.year) if current and note.year is not None else None
        if written is not None and (number := day_of_month(line.text)) is not None and number <= 31:
            # "a vertebroplasty on Wednesday the 4th" in a post of 16 June: the 4th of this month or the last
            month, year = (note.month, note.year) if number <= note.day else _month_before(note)
            if Date(0, month, number, year).on(year or 2000) is not None:
                return Date(current[0].start - line.sentence.start, month, number, year)
        day = weekday(line.text, written, None) if written is not None else None
        if written is not None and day is not None and 0 < (written - day).days <= 7:
            # "had a kyphoplasty on Thursday (6th)" in a post of Tuesday 11 November
            return Date(current[0].start - line.sentence.start, day.month, day.day, day.year)
    return note if procedure_note(lines) else None


def _month_before(day: Date) -> tuple[int, int | None]:
    if day.month == 1:
        return 12, None if day.year is None else day.year - 1
    return day.month - 1, day.year


def shifted(day: Date, by: float) -> Date | None:
    """The date ``by`` days from ``day`` (a date without its year is shifted within a leap year)."""
    start = day.on(2000 if day.year is None else day.year)
    if start is None:
        return None
    moved = start + timedelta(days=round(by))
    return Date(day.offset, moved.month, moved.day, moved.year if day.year is not None else None)


def weekday_anchor(lines: list[Line]) -> Date | None:
    """Day 0 named only by its weekday ("Vertebroplasty of L3 on Monday."), placed in a reference week
    so that the weekdays told after it count from it."""
    for line in lines:
        if not line.kept("procedure") or not _WEEKDAY_WORD.search(line.text):
            continue
        named = weekday(line.text, None, _REFERENCE_MONDAY)
        if named is None and (story := _STORY_WEEKDAY.search(line.text)) is not None:
            # "had a kyphoplasty at L1 on a Tuesday"
            named = _REFERENCE_MONDAY + timedelta(days=_WEEKDAY_NUMBER[story.group("day").lower()])
        if named is not None:
            return Date(0, named.month, named.day, named.year)
        return None
    return None


_STORY_WEEKDAY = PATTERNS.get("dates.story_weekday")


def story_anchor(lines: list[Line]) -> Date | None:
    """Day 0 placed in a reference week from a later day told with its weekday ("exactly three weeks after
    the procedure, on a Monday"), so that the weekdays told after it ("on the Wednesday") count from it."""
    for line in lines:
        if not _WEEKDAY_WORD.search(line.text) or (named := _STORY_WEEKDAY.search(line.text)) is None:
            continue
        told = relative(line.text)
        if told is None or told.before_presentation or told.days < 1:
            continue
        day = _REFERENCE_MONDAY + timedelta(
            days=_WEEKDAY_NUMBER[named.group("day").lower()] - round(told.days)
        )
        return Date(0, day.month, day.day, day.year)
    return None


_NAMED_WEEKDAY_BEFORE = PATTERNS.get("dates.weekday_before_date")
_LATEST_YEAR = 2026  # the latest year a yearless date with its weekday is placed in


def year_by_weekday(lines: list[Line], anchor: Date) -> Date:
    """Day 0 written with its weekday but not its year ("on Tuesday 4 March"), in a note that gives no
    year either: placed in a recent year where that date is that weekday, so that "on the Friday" counts."""
    for line in lines:
        for found in dates(line.text):
            if found.year is not None or (found.month, found.day) != (anchor.month, anchor.day):
                continue
            named = _NAMED_WEEKDAY_BEFORE.search(line.text[max(0, found.offset - 14) : found.offset])
            if named is None:
                continue
            wanted = _WEEKDAY_NUMBER[named.group("day").lower()]
            for year in range(
                _LATEST_YEAR, _LATEST_YEAR - 14, -1
            ):  # every date falls on each weekday in 14 years
                day = Date(anchor.offset, anchor.month, anchor.day, year).on(year)
                if day is not None and day.weekday() == wanted:
                    return Date(anchor.offset, anchor.month, anchor.day, year)
    return anchor
