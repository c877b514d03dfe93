"""Days from the index procedure, read from one sentence.

Two kinds of evidence, in this order of trust:

- calendar dates (read in ``calendar_dates``), turned into days against the date of the index
  procedure when the document gives it;
- relative phrases: "two weeks post-procedure", "on postoperative day 2", "POD 3", "on day 9",
  "after 2 month", "48 hours later", "a week after,", "six months after percutaneous vertebroplasty
  of T7", "on the third day after the procedure", "2/52 post-op", "at six weeks", "3 months prior"
  / "ago" / "back" (the procedure lies that far before the presentation), and day-0 phrases
  ("immediately after", "in the recovery room", "during skin closure", "woke with");
- phrases told against the last day the text gave ("the next day", "later that day": ``chained``);
- how long symptoms have lasted ("pain for 4 days", "since yesterday", "well until 4 days ago":
  ``lasted``), and how long the patient was well first ("free of pain for two months": ``well_for``).

Each pattern needs a time unit or a word of its own; a sentence without one is not searched. The
wordings are named patterns of ``data/patterns/time.yaml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from cementwatch.read.patterns import PATTERNS

# the wordings are named patterns of data/patterns/time.yaml; the word tables give their values
_NUMBER = PATTERNS.numbers("time.numbers")  # "a few" days is 3
_ORDINAL = PATTERNS.ints("time.ordinals")  # "the third day" is day 3
# each unit in days
_UNIT = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_UNITS = PATTERNS.texts("time.unit_abbreviations")  # "2/52" is 2 weeks
_AFTER = [
    PATTERNS.get("time.after_procedure"),
    PATTERNS.get("time.span_after"),
    PATTERNS.get("time.within_span"),
]
_ORDINAL_DAY = PATTERNS.get("time.ordinal_day")
_BEFORE = PATTERNS.get("time.before_span")
_BEFORE_WORDS = PATTERNS.numbers("time.before_words")  # "yesterday" is 1 day before
_AT = PATTERNS.get("time.at_span")
_ON_DAY = PATTERNS.get("time.on_day")
_BEFORE_WORD = PATTERNS.get("time.before_word")
_POD = PATTERNS.get("time.pod")
# words without which a pattern cannot match: a sentence that has none of them is not searched
_UNIT_WORDS = ("minute", "hour", "day", "week", "fortnight", "month", "year", "pod", "morning")
_AFTER_WORDS = ("after", "post", "following", "of", "later", "within", "s on", "k on", "h on", "r on", "y on")
# (the last five: a span "on" from the procedure, "two weeks on", "a month on", "a year on", "a day on")
_BEFORE_SPAN_WORDS = ("ago", "prior", "earlier", "before", "back")
_BEFORE_INVERTED = PATTERNS.get("time.before_span_inverted")
_SHORT_UNIT = PATTERNS.get("time.short_unit")
# words without which _DAY_ZERO cannot match ("After procedure she feel severe pain": at the start)
_DAY_ZERO_GATE = PATTERNS.get("time.day_zero_gate")
_DAY_ZERO = PATTERNS.get("time.day_zero")


_LASTED = PATTERNS.get("time.lasted")
_LASTED_OF = PATTERNS.get("time.lasted_of")
_SINCE_DAY = PATTERNS.get("time.since_day")
_WELL_UNTIL = PATTERNS.get("time.well_until")  # the symptoms began then
_WELL_FOR = (PATTERNS.get("time.well_for"), PATTERNS.get("time.first_span_fine"))
_WELL_BEFORE = PATTERNS.get("time.well_before")
_LASTED_ONE = PATTERNS.get("time.lasted_one")


def lasted_of(text: str) -> float | None:
    """A complaint told with how long it has lasted: "admitted with 10 days of fevers"."""
    told = _LASTED_OF.search(text)
    return _span_days(told) if told else None


def lasted(text: str) -> float | None:
    """How long before the presentation symptoms began ("for the last 8 days", "over the past
    week", "since yesterday"), in days; None when the sentence does not say."""
    match = _LASTED.search(text)
    while match is not None and _WELL_BEFORE.search(text, 0, match.start()):
        match = _LASTED.search(text, match.end())  # "well for a month" is not how long symptoms lasted
    if match is None and (told := _LASTED_OF.search(text)):
        return _span_days(told)
    if match is None:
        one = _LASTED_ONE.search(text)
        return float(_UNIT[one.group("unit").lower()]) if one else None
    word = match.group("yesterday")
    if word and (later := _LASTED.search(text, match.end())) is not None and not later.group("yesterday"):
        match, word = later, None  # "presented today with leg pain for 2/52": the span, not "today"
    if word:
        return 1.0 if "yesterday" in word.lower() else 0.0
    return _span_days(match)


def well_until(text: str) -> float | None:
    """Days before the presentation that the patient stopped being well ("well until 4 days ago")."""
    if "until" not in text.lower():
        return None
    match = _WELL_UNTIL.search(text)
    if match is None:
        return None
    word = match.group("yesterday")
    if word:
        return 1.0 if "yesterday" in word.lower() or "night" in word.lower() else 0.0
    return _span_days(match)


def well_for(text: str) -> float | None:
    """How long the patient was well after the procedure ("completely free of pain for two months")."""
    low = text.lower()
    if " for " not in low and "the first" not in low:
        return None
    for pattern in _WELL_FOR:
        if match := pattern.search(text):
            return _span_days(match)
    return None


_DAY_OF_MONTH = PATTERNS.get("time.day_of_month")


def day_of_month(text: str) -> int | None:
    """A day of the month written without its month ("since the evening of the 19th")."""
    if "the" not in text:
        return None
    match = _DAY_OF_MONTH.search(text)
    return int(match.group("d")) if match and 1 <= int(match.group("d")) <= 31 else None


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
    words = " ".join(text.lower().replace("-", " ").split())
    if " " in words and words not in _NUMBER:  # "twenty two": tens and units
        tens, _, units = words.partition(" ")
        return float(_NUMBER.get(tens, 0) + _NUMBER.get(units, 0))
    return float(_NUMBER.get(words, 0) or text)


def _span_days(match: re.Match[str]) -> float:
    unit = _UNITS.get(match.group("unit").lower(), match.group("unit").lower())
    days = _amount(match.group("n")) * _UNIT[unit]
    return float(int(days)) if unit == "minute" else days  # "forty minutes after": the same day


# told against the last day the text gave ("the next day"), or counted on from the last event told
# ("after six weeks of pain"); "three days later" counts on only when the sentence names no procedure
_CHAINED = PATTERNS.get("time.chained")
_AFTER_SPAN_OF = PATTERNS.get("time.after_span_of")
_LATER = (PATTERNS.get("time.span_later"), PATTERNS.get("time.span_after_event"))
_PROC_NAMED = PATTERNS.get("time.procedure_named")


def later_on(text: str) -> float | None:
    """The span of a bare "N days later" (None when the sentence names the procedure) or of "N days after
    the scan / after he got home"."""
    low = text.lower()
    if "later" not in low and "afterward" not in low and "after" not in low and "following" not in low:
        return None
    match = next((m for pattern in _LATER if (m := pattern.search(text))), None)
    if match is None or (match.re is _LATER[0] and _PROC_NAMED.search(text)):
        return None  # (a span after a named event counts from it whatever else the sentence names)
    return _span_days(match)


_CHAINED_WORDS = PATTERNS.gate("time.chained")


def chained(text: str) -> float | None:
    """Days after the last day the text gave: 1 for "the next day", 0 for "later that day", -1 for "the
    evening before her death", the span for "after six weeks of pain"."""
    low = text.lower()
    if "after" in low and (span := _AFTER_SPAN_OF.search(text)):
        return _span_days(span)
    if not any(word in low for word in _CHAINED_WORDS):
        return None
    match = _CHAINED.search(text)
    if match is None:
        return None
    return 1.0 if match.group("next") else -1.0 if match.group("before") else 0.0


@functools.lru_cache(maxsize=512)
def relative(text: str) -> When | None:
    """The first relative time in a sentence, in days from the procedure."""
    low = text.lower()
    # cheap tests first: the span patterns need a time unit, the others their own words
    if any(unit in low for unit in _UNIT_WORDS) or _SHORT_UNIT.search(low):
        day = "day" in low
        if (day or "pod" in low) and (match := _POD.search(text)):
            number = match.group("n") or match.group("m") or match.group("d") or match.group("b")
            return When(float(number), calendar=False)
        if (day or "morning" in low) and (match := _ORDINAL_DAY.search(text)):
            number = (
                match.group("o") or match.group("o2") or match.group("d") or match.group("j") or "1"
            ).lower()  # "the day after the procedure": 1
            return When(float(_ORDINAL.get(number) or number.rstrip("thsnrd")), calendar=False)
        if any(word in low for word in _AFTER_WORDS):
            for pattern in _AFTER:
                if match := pattern.search(text):
                    return When(_span_days(match), calendar=False)
        if any(word in low for word in _BEFORE_SPAN_WORDS) and (
            (match := _BEFORE.search(text)) or (match := _BEFORE_INVERTED.search(text))
        ):
            return When(_span_days(match), False, True)
        if day and " day " in low and (match := _ON_DAY.search(text)):
            return When(_amount(match.group("n")), calendar=False)  # "on day 9", "on day five"
        if "at " in low and (match := _AT.search(text)):
            return When(_span_days(match), calendar=False)
    if any(word in low for word in _BEFORE_WORDS) and (match := _BEFORE_WORD.search(text)):
        return When(_BEFORE_WORDS[" ".join(match.group().lower().split())], False, True)
    if _DAY_ZERO_GATE.search(low) and _DAY_ZERO.search(text):
        return When(0.0, calendar=False)
    return None
