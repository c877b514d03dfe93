"""Days from the index procedure, read from one sentence.

Two kinds of evidence, in this order of trust:

- calendar dates ("4 September", "September 20, 2023", "2020/05/31"), turned into days against
  the date of the index procedure when the document gives it;
- relative phrases: "two weeks post-procedure", "on postoperative day 2", "after 2 month",
  "3 months prior" / "ago" (the procedure lies that far before the presentation), and day-0 phrases
  ("immediately after", "in the recovery room", "intra-operatively").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
            "august aug", "september sep sept", "october oct", "november nov", "december dec",
        )
    )
    for m in names.split()
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_DATES = [
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.I),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.I
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)[/-](?P<month>\d{1,2})[/-](?P<day>\d{1,2})\b"),
]
_NUMBER = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3, "couple": 2,
}  # fmt: skip
_UNIT = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_AMOUNT = (
    r"(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
)
_SPAN = rf"{_AMOUNT}\s*(?P<unit>hour|day|week|month|year)s?"
_AFTER = [
    re.compile(rf"\bafter\s+(?:about\s+|approximately\s+)?{_SPAN}\b", re.I),
    re.compile(
        rf"\b(?:about\s+|approximately\s+|~)?{_SPAN}\s+"
        r"(?:post[\s-]?(?:procedure|operatively|operative|op|pvp|pkp|vertebroplasty|kyphoplasty|surgery)|"
        r"after\s+(?:the\s+|her\s+|his\s+|my\s+)?(?:procedure|surgery|operation|vertebroplasty|kyphoplasty|"
        r"augmentation|pvp|pkp|bkp|intervention|injection|cement)|later|following\s+(?:the\s+)?"
        r"(?:procedure|surgery|operation|vertebroplasty|kyphoplasty))",
        re.I,
    ),
]
_BEFORE = re.compile(rf"\b(?:about\s+|approximately\s+|~)?{_SPAN}\s+(?:ago|prior|earlier|before)\b", re.I)
_BEFORE_WORDS = {"yesterday": 1.0, "last night": 0.5, "last week": 7.0, "today": 0.0, "this morning": 0.0}
_BEFORE_WORD = re.compile(r"\b(?:" + "|".join(_BEFORE_WORDS) + r")\b", re.I)
_POD = re.compile(
    r"\b(?:post[\s-]?operative|postop|post[\s-]?procedure)\s+day\s+(?P<n>\d+)\b|\bPOD\s*(?P<m>\d+)\b", re.I
)
_DAY_ZERO = re.compile(
    r"\b(?:immediately|immediate|intra[\s-]?operatively|intra[\s-]?procedurally|"
    r"during the (?:procedure|injection|operation)|in the recovery room|on waking|upon waking|on awakening|"
    r"right after|same day|"
    r"at the end of the procedure|during cement injection)\b",
    re.I,
)


_LASTED = re.compile(
    rf"\b(?:for\s+(?:the\s+)?(?:last|past)\s+|over\s+(?:the\s+)?(?:last\s+|past\s+)?|since\s+){_SPAN}\b"
    r"|\b(?P<yesterday>since\s+yesterday|yesterday|since\s+last\s+night|last\s+night|this\s+morning|"
    r"since\s+this\s+morning|today)\b",
    re.I,
)
_SINCE_DAY = re.compile(r"\bsince\s+(?:post[\s-]?operative\s+)?day\s+(?P<n>\d+)\b", re.I)


def lasted(text: str) -> float | None:
    """How long before the presentation symptoms began ("for the last 8 days", "since
    yesterday"), in days; None when the sentence does not say."""
    match = _LASTED.search(text)
    if match is None:
        return None
    word = match.group("yesterday")
    if word:
        return 1.0 if "yesterday" in word.lower() else 0.0
    return _amount(match.group("n")) * _UNIT[match.group("unit").lower()]


def since_day(text: str) -> float | None:
    """An onset counted from the procedure itself: "since day 3"."""
    match = _SINCE_DAY.search(text)
    return float(match.group("n")) if match else None


@dataclass(frozen=True)
class When:
    days: float
    calendar: bool  # from dates (trusted more than relative phrases)
    before_presentation: bool = False  # "3 months ago": the procedure lay this far before


def _amount(text: str) -> float:
    return float(_NUMBER.get(text.lower(), 0) or text)


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


def dates(text: str) -> list[Date]:
    """Calendar dates in ``text``, in order."""
    found: list[Date] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower().rstrip(".")]
            year = int(match.group("year")) if match.group("year") else None
            if Date(0, month, int(match.group("day")), year).on(2000) is not None:
                found.append(Date(match.start(), month, int(match.group("day")), year))
    return sorted(found, key=lambda d: d.offset)


def days_between(anchor: Date, later: Date) -> float | None:
    """Days from ``anchor`` to ``later``; a missing year is taken to make the gap the shortest forward."""
    year = anchor.year or later.year or 2000
    start = anchor.on(year)
    if later.year is None and anchor.year is None:
        end = later.on(year)
    else:
        end = later.on(later.year or year)
        if anchor.year is None and later.year is not None and start is not None and end is not None:
            start = anchor.on(later.year)
            if start is not None and start > end:
                start = anchor.on(later.year - 1)
    if start is None or end is None:
        return None
    gap = (end - start).days
    if later.year is None and gap < -180:
        gap += 365
    return float(gap)


def relative(text: str) -> When | None:
    """The first relative time in a sentence, in days from the procedure."""
    if match := _POD.search(text):
        return When(float(match.group("n") or match.group("m")), calendar=False)
    for pattern in _AFTER:
        if match := pattern.search(text):
            return When(_amount(match.group("n")) * _UNIT[match.group("unit").lower()], calendar=False)
    if match := _BEFORE.search(text):
        return When(_amount(match.group("n")) * _UNIT[match.group("unit").lower()], False, True)
    if match := _BEFORE_WORD.search(text):  # "vertebroplasty of L4 yesterday afternoon"
        return When(_BEFORE_WORDS[" ".join(match.group().lower().split())], False, True)
    if _DAY_ZERO.search(text):
        return When(0.0, calendar=False)
    return None
