"""Calendar dates as written in clinical text, and the days between two of them.

Formats: "4 September", "September 20, 2023", "March 12th", "2020/05/31", "2024.09.17", "22/01/2024",
"12.07.23", "on 12/07" (a date without its year needs "on", "since", a weekday or the start of a
diary line before it, so that a grade "4/5" is not read as a date), and parts of a month ("late
November" as the 25th). A date may lack its year; ``days_between`` then takes the shortest gap.
The wordings (month and weekday names, the words before a date) are named patterns of
``data/patterns/dates.yaml``; the shapes of dates written only in digits are here.
"""

from __future__ import annotations

import functools
import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from cementwatch.read.patterns import PATTERNS

_DIGIT = re.compile(r"\d")
# the document being read writes its dates month first ("10/28/2025"): set by ``month_first_in``
MONTH_FIRST: ContextVar[bool] = ContextVar("MONTH_FIRST", default=False)
_US_DATE = re.compile(r"(?<![\d/.])(?:0?[1-9]|1[0-2])/(?:1[3-9]|2\d|3[01])/(?:19|20)\d\d(?![\d/])")


def month_first_in(text: str) -> bool:
    """Does ``text`` write a full date that can only be month first ("10/28/2025")?"""
    return "/" in text and _US_DATE.search(text) is not None


_MONTHS = PATTERNS.ints("dates.months")  # "sept" is 9
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<year>(?:19|20)?\d\d))?(?![\d/]|\.\d)"
)  # day first ("22/01/2024"; "on 12/07"), month first when the day-first reading is impossible
_JUST_BEFORE = 60  # days: a date this much before day 0 is in the same year, not the next
_DOTTED = re.compile(r"\d\.\d{1,2}\.\d")
_DAY_DOT_MONTH = re.compile(r"\d\.[01]\d(?![\d.])")
_DIARY_DATE = PATTERNS.get("dates.diary_date")
_LINE_START = re.compile(r"(?:^|\n)[ \t\-*]*$")
_ON_DATE = PATTERNS.get("dates.on_date")
_TIME_BRACKET = PATTERNS.get("dates.time_bracket")
_SCORE_AFTER = PATTERNS.get("dates.score_after")
_DATES = [
    PATTERNS.get("dates.month_day"),
    PATTERNS.get("dates.day_month"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})\b"),
    PATTERNS.get("dates.day_month_hyphenated"),
]
_PART_OF_MONTH = PATTERNS.get("dates.part_of_month")
_MONTH_YEAR = PATTERNS.get("dates.month_year")
_YEAR_FIRST = PATTERNS.get("dates.year_first")
_PART_WORDS = PATTERNS.gate("dates.part_of_month")


def _has_part(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in _PART_WORDS)


_PART_DAY = PATTERNS.ints("dates.part_days")  # "late November" is the 25th
_WEEK_DAY = PATTERNS.ints("dates.week_days")  # "the second week of June" is the 11th


@dataclass(frozen=True)
class Date:
    """A calendar date as written: the year may be missing ("4 September")."""

    offset: int
    month: int
    day: int
    year: int | None

    def on(self, year: int) -> date | None:
        try:
            return date(self.year or year, self.month, self.day)
        except ValueError:
            return None


@functools.lru_cache(maxsize=512)
def dates(text: str) -> tuple[Date, ...]:
    """Calendar dates in ``text``, in order."""
    found: list[Date] = []
    if not _DIGIT.search(text):
        # every date pattern has a day number, but for a part of a month ("since late November")
        return tuple(_parts_of_month(text, set())) if _has_part(text) else ()
    for pattern in _DATES:
        for match in pattern.finditer(text):
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower().rstrip(".")]
            year = int(match.group("year")) if match.group("year") else None
            if year is not None and year < 100:
                year += 2000  # "04-Sep-25"
            if Date(0, month, int(match.group("day")), year).on(2000) is not None:
                found.append(Date(match.start(), month, int(match.group("day")), year))
    if _has_part(text):
        found.extend(_parts_of_month(text, {d.offset for d in found}))
    for match in _YEAR_FIRST.finditer(text) if "19" in text or "20" in text else ():
        # "2024 May 13th", "2023 October": the month-first reading of "May 13th" is the same date
        month = _MONTHS[match.group("month").lower().rstrip(".")]
        day = int(match.group("day")) if match.group("day") else 15
        year = int(match.group("year"))
        found = [d for d in found if not match.start() <= d.offset < match.end()]
        if Date(0, month, day, year).on(2000) is not None:
            found.append(Date(match.start(), month, day, year))
    for match in _MONTH_YEAR.finditer(text) if "19" in text or "20" in text else ():
        month = _MONTHS[match.group("month").lower().rstrip(".")]
        if not any(d.month == month and match.start() <= d.offset < match.end() for d in found):
            found.append(Date(match.start(), month, 15, int(match.group("year"))))
    if "/" in text or _DOTTED.search(text) or _DAY_DOT_MONTH.search(text):
        found.extend(_numeric_dates(text, {d.offset for d in found}))
    return tuple(sorted(found, key=lambda d: d.offset))


def _parts_of_month(text: str, taken: set[int]) -> list[Date]:
    """ "late November" as the 25th, "mid-March" as the 15th, "the end of May" as the 28th."""
    found: list[Date] = []
    for match in _PART_OF_MONTH.finditer(text):
        part = match.group("part").lower().split()
        month = _MONTHS[match.group("month").lower().rstrip(".")]
        year = int(match.group("year")) if match.group("year") else None
        if match.start() not in taken:
            day = _WEEK_DAY[part[1]] if part[-1] == "of" and part[-2] == "week" else None
            day = day or _PART_DAY[part[-2] if len(part) > 1 else part[0]]
            found.append(Date(match.start(), month, day, year))
    return found


def _numeric_dates(text: str, taken: set[int]) -> list[Date]:
    """ "22/01/2024", "12.07.23", or "on 12/07" (a date without its year needs "on", "since", ...
    before it, so that "4/5" or "3/7" is not read as a date)."""
    found: list[Date] = []
    for match in _NUMERIC_DATE.finditer(text):
        if match.start() in taken:
            continue
        year_text = match.group("year")
        before = text[max(0, match.start() - 20) : match.start()]
        if match.group("sep") == ".":
            # "on 12.09", "Treatment from 12.09:": a two-digit month after a word of time (not "12.5 mmol")
            told = _ON_DATE.search(before) or before.rstrip().lower().endswith("from")
            bare = year_text is None and not (told and len(match.group("b")) == 2)
        else:
            # "from 06/03": two digits each, so that "from 4/5 to 3/5" stays a grade
            # and "the 6th day morning (08/02)": a two-digit date in brackets after a time of day
            told = (before.rstrip().lower().endswith("from") or bool(_TIME_BRACKET.search(before))) and len(
                match.group("a") + match.group("b")
            ) == 4
            bare = year_text is None and not (told or _ON_DATE.search(text, 0, match.start()))
        if bare and not (
            _DIARY_DATE.match(text, match.start()) and _LINE_START.search(text, 0, match.start())
        ):
            continue
        if year_text is None and match.group("b") == "10" and _SCORE_AFTER.match(text, match.end()):
            continue  # a pain score: "since (6/10 moving, 2/10 at rest)"
        year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
        a, b = int(match.group("a")), int(match.group("b"))
        day, month = (a, b) if b <= 12 else (b, a)  # day first unless that cannot be
        if MONTH_FIRST.get() and a <= 12 and match.group("sep") == "/":
            day, month = b, a  # a document that writes 10/28/2025 writes 11/01/2025 month first too
        if month <= 12 and Date(0, month, day, year).on(2000) is not None:
            found.append(Date(match.start(), month, day, year))
    return found


def days_between(anchor: Date, later: Date) -> float | None:
    """Days from ``anchor`` to ``later``; a missing year is taken to make the gap the shortest forward,
    unless ``later`` lies a few weeks before (admitted 2 May 2024 for the kyphoplasty of 4 May)."""
    year = anchor.year or later.year or 2000
    start = anchor.on(year)
    if later.year is None and anchor.year is None:
        end = later.on(year)
    else:
        end = later.on(later.year or year)
        if anchor.year is None and later.year is not None and start is not None and end is not None:
            start = anchor.on(later.year)
            if start is not None and (start - end).days > _JUST_BEFORE:
                start = anchor.on(later.year - 1)
    if start is None or end is None:
        return None
    gap = (end - start).days
    if later.year is None and gap < -180 and (next_year := later.on(end.year + 1)) is not None:
        gap = (next_year - start).days  # the next year's: "29 December ... the 3rd (of January)"
    return float(gap)


_WEEKDAYS = PATTERNS.ints("dates.weekdays")  # Monday is 0
_WEEKDAY_GATE = PATTERNS.get("dates.weekday_words")
_WEEKDAY = PATTERNS.get("dates.weekday")


def weekday(text: str, note: date | None, after: date | None) -> date | None:
    """The date a weekday names: "the following Tuesday" is the first Tuesday after ``after`` (the day
    last told); "last Thursday", "since Sunday", "on Monday" and "Thursday last week" lie before the
    note's date ``note``; "since the weekend" is the Saturday before it; a story's "Thursday night I
    woke ..." is the first Thursday after ``after``."""
    if not _WEEKDAY_GATE.search(text):
        return None
    match = _WEEKDAY.search(text)
    if match is None:
        return None
    if match.group("weekend"):
        return None if note is None else note - timedelta(days=(note.weekday() - 5) % 7 or 7)
    if match.group("day2"):  # "the Saturday after the procedure"
        wanted = _WEEKDAYS[match.group("day2").lower()]
        return None if after is None else after + timedelta(days=(wanted - after.weekday()) % 7 or 7)
    if match.group("sequel"):
        wanted = _WEEKDAYS[match.group("sequel").lower()]
        if after is not None:  # the story goes on from the day last told
            return after + timedelta(days=(wanted - after.weekday()) % 7 or 7)
        return None if note is None else note - timedelta(days=(note.weekday() - wanted) % 7 or 7)
    wanted = _WEEKDAYS[match.group("day").lower()]
    if match.group("after"):
        return None if after is None else after + timedelta(days=(wanted - after.weekday()) % 7 or 7)
    if note is None:
        # no date to tell it against: the named day on or after the last day told ("PVP on Monday.
        # On Tuesday evening ...")
        return None if after is None else after + timedelta(days=(wanted - after.weekday()) % 7)
    if match.group("last_week"):
        return note - timedelta(days=note.weekday() + 7 - wanted)
    return note - timedelta(days=(note.weekday() - wanted) % 7 or 7)
