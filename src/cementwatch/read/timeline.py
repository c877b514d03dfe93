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

Each pattern needs a time unit or a word of its own; a sentence without one is not searched.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_NUMBER = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "thirty six": 36, "forty eight": 48, "seventy two": 72, "twenty four": 24,
    "several": 3, "few": 3, "a few": 3, "couple": 2, "a couple of": 2, "couple of": 2,
    "half a": 0.5, "half an": 0.5,
}  # fmt: skip
_ORDINAL = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "fourteenth": 14,
}  # fmt: skip
_UNIT = {"hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_UNITS = {
    "h": "hour", "hr": "hour", "hrs": "hour", "d": "day", "wk": "week", "wks": "week", "mo": "month",
    "/7": "day", "/52": "week", "/12": "month",  # "3/7 ago", "2/52 post-op": days, weeks, months
}  # fmt: skip
_AMOUNT = (
    r"\b(?P<n>\d+(?:\.\d+)?|(?:a\s+)?couple\s+of|(?:a\s+)?few|twenty[\s-]four|forty[\s-]eight|"
    r"seventy[\s-]two|thirty[\s-]six|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|several|half\s+an?)"
)
_SPAN = (
    rf"{_AMOUNT}(?:\s*|-)(?P<unit>hour|day|week|fortnight|month|year|hrs?|h|d|wks?|mo|/52|/12|/7)s?\b"
    r"(?!-old\b)"  # "6-week review", not "72-year-old"
)
# what the index procedure is called in "two weeks after the procedure", "3 days post-PKP"
_PROC = (
    r"(?:(?:the|her|his|my|this|that|index|initial|original|first|percutaneous|balloon|uneventful|elective|"
    r"lumbar|thoracic|spinal|back|bone|cement|a|an|(?:two|three|four|five|multi|multiple|\d)[\s-]level|"
    r"[CTDLS]\d{1,2}(?:\s*-\s*[CTDLS]?\d{1,2})?)\s+){0,3}"
    r"(?:procedure|surgery|operation|"
    r"vertebroplasty|kyphoplasty|augmentation|pvp|pkp|bkp|vp|kp|op|intervention|injection|cement(?:ation)?)\b"
)
_AFTER = [
    re.compile(rf"\bafter\s+(?:{_PROC}\s+)?(?:about\s+|approximately\s+)?{_SPAN}(?!\s+of\b)", re.I),
    re.compile(
        rf"(?:\babout\s+|\bapproximately\s+|~)?{_SPAN}\s+"
        r"(?:post[\s-]?(?:procedure|procedural|operatively|operative|op|pvp|pkp|bkp|vp|kp|vertebroplasty|"
        rf"kyphoplasty|augmentation|injection|surgery)|(?:after|following|within|of)\s+{_PROC}|later\b|"
        r"afterwards?\b|(?:after|following|on)(?=\s*[,.;:)]))",  # "three months on, ..."
        re.I,
    ),
    # a sentence opening "Within a few days she noticed ...": within that span of the procedure
    re.compile(
        rf"^\W*(?:but\s+|and\s+)?within\s+(?:about\s+|the\s+first\s+)?{_SPAN}(?!\s+of\s+(?!{_PROC}))", re.I
    ),
]
# "on the third day after the procedure", "third postoperative day", "day 2 after vertebroplasty"
_ORDINAL_DAY = re.compile(
    r"\b(?P<o>" + "|".join(_ORDINAL) + r"|\d{1,2}(?:st|nd|rd|th))\s+"
    rf"(?:(?:post[\s-]?operative|postop|post[\s-]?procedur(?:e|al))\s+day\b|day\s+(?:after|following|post)\s+(?:{_PROC}|it\b))"
    rf"|\bday\s+(?P<d>\d{{1,2}})\s+(?:after|following|post[\s-]?)\s*{_PROC}"
    rf"|(?:\bthe\s+|\()(?:day|morning)\s+after\s+{_PROC}"
    # "from about the fourth day": a day of the episode told bare (not "the third day of admission")
    r"|\b(?:from|on|by|since)\s+(?:about\s+|around\s+|roughly\s+)?the\s+(?P<o2>"
    + "|".join(_ORDINAL)
    + r"|\d{1,2}(?:st|nd|rd|th))\s+day\b(?!\s+(?:of|in)\b)",
    re.I,
)
_BEFORE = re.compile(
    rf"(?:\babout\s+|\bapproximately\s+|~)?{_SPAN}\s+(?:ago|prior|earlier|before|back)\b", re.I
)
_BEFORE_WORDS = {
    "yesterday": 1.0, "last night": 0.5, "last week": 7.0, "today": 0.0, "this morning": 0.0,
    "last month": 30.0, "last year": 365.0,
}  # fmt: skip
# "at six weeks", "at 3 months' follow-up": a day of the episode, counted from the procedure
_AT = re.compile(
    rf"\bat\s+(?:(?:her|his|the|their|my)\s+)?(?:about\s+|approximately\s+|around\s+)?{_SPAN}"
    r"(?!\s*(?:of\s+age|old)\b)",
    re.I,
)  # "at six weeks", "at her 6-week review"
# "on day 9", "by day 3": a day counted from the procedure (not "day 3 of admission")
_ON_DAY = re.compile(
    r"(?<!hospital\s)(?<!admission\s)\b(?:on|by|from|until)\s+day\s+(?P<n>\d{1,3}|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen)\b"
    r"(?!\s+(?:of|after|post|following)\s+(?:his\s+|her\s+|the\s+)?(?:admission|hospital|stay|"
    r"hospitali[sz]ation|illness|symptoms?|treatment|therapy|chemo))",
    re.I,
)
_BEFORE_WORD = re.compile(r"\b(?:" + "|".join(_BEFORE_WORDS) + r")\b", re.I)
_POD = re.compile(
    r"\b(?:post[\s-]?operative|post[\s-]?operation|post[\s-]?op|post[\s-]?procedure)\s+day\s+(?P<n>\d+)\b"
    r"|\bPOD\s*#?\s*(?P<m>\d+)\b"
    r"|^\W*day\s+(?P<d>\d{1,3})\s*[:,)-]"
    # a day written in brackets beside the event: "from Thursday last week (day 6)"
    r"|\(\s*(?:on\s+)?(?:post[\s-]?op(?:erative)?\s+)?day\s+(?P<b>\d{1,3})\s*\)",
    re.I,
)
# words without which a pattern cannot match: a sentence that has none of them is not searched
_UNIT_WORDS = ("hour", "day", "week", "fortnight", "month", "year", "pod")
_AFTER_WORDS = ("after", "post", "following", "of", "later", "within")
_BEFORE_SPAN_WORDS = ("ago", "prior", "earlier", "before", "back")
_SHORT_UNIT = re.compile(r"\d\s*(?:h|hrs?|d|wks?|mo|/52|/12|/7)\b")
# words without which _DAY_ZERO cannot match ("After procedure she feel severe pain": at the start)
_DAY_ZERO_GATE = re.compile(
    r"within (?:minutes|seconds|moments|an hour|hours|a few hours)|"
    r"immediate|intra|during|through|recovery|wak|woke|right after|end of|table|theatre|operating room|"
    r"(?:shortly|soon|directly|direct|straight|just) after|(?:evening|night|afternoon) (?:of|after)|"
    r"^\W*(?:after|following)\b|"
    r"while|wore off|wearing off|came round|came around|coming round|coming around"
)
_DAY_ZERO = re.compile(
    r"\bwithin\s+(?:(?:a\s+)?few\s+)?(?:minutes|seconds|moments|an\s+hour|hours)\s+(?:of|after)\s+"
    rf"{_PROC}|^\W*within\s+(?:(?:a\s+)?few\s+)?(?:minutes|seconds|moments|an\s+hour|hours)\b(?!\s+of\b)|\b(?:immediately|immediate|intra[\s-]?operatively|intra[\s-]?procedurally|"
    r"during (?:the )?(?:[CTDLS]\d{1,2} )?(?:cement )?(?:procedure|injection|operation|filling)|"
    r"in the recovery room|(?:on|upon|since|after)\s+(?:waking|wakening)|"
    r"on awakening|(?:partway|part way|midway|halfway|half way)\s+through\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:injection|filling|procedure|operation|cementation|going\s+in|being\s+(?:injected|pushed))|"
    r"right after|(?:woke|awoke)(?:\s+up)?\s+with|"
    r"(?:at|by|towards?|near)\s+the\s+end\s+of\s+(?:the\s+)?(?:[CTDLS]\d{1,2}\s+)?(?:cement\s+)?"
    r"(?:procedure|injection|filling|operation|augmentation|vertebroplasty|kyphoplasty|cementation)|"
    r"during cement injection|"
    rf"(?:on\s+)?the\s+(?:evening|night|afternoon)\s+(?:of|after)\s+{_PROC}|"
    r"during\s+(?:the\s+)?(?:surgery|kyphoplasty|vertebroplasty|augmentation|cementation|"
    r"(?:skin\s+|wound\s+)?closure)|on the (?:operating\s+)?table|in theatre|in the operating room|"
    rf"(?:shortly|soon|directly|direct|straight|just)\s+after\s+{_PROC}|"
    # while the cement went in: "while L1 was being filled", "while injecting the second level"
    r"while\s+(?:the\s+)?(?:[CTDLS]\d{1,2}|cement|it|(?:\w+\s+)?level|vertebra)\s+(?:was|were)\s+(?:being\s+)?"
    r"(?:filled|injected|cemented|augmented)|while\s+(?:filling|injecting|cementing)|"
    # coming out of the sedation: "as the sedation wore off", "when he came round from the anaesthetic"
    r"(?:sedation|an(?:a)?esthetic|an(?:a)?esthesia)\s+(?:wore|was\s+wearing|wearing)\s+off|"
    r"(?:came|coming)\s+(?:round|around)(?:\s+from\s+(?:the\s+)?(?:sedation|an(?:a)?esthetic|an(?:a)?esthesia))?)\b"
    rf"|^\W*(?:after|following)\s+{_PROC}\s*,?\s+(?:she|he|i|the\s+patient|patient)\b",
    re.I,
)


_LASTED = re.compile(
    rf"\b(?:for\s+(?:the\s+)?(?:last|past)\s+|over\s+(?:the\s+)?(?:last\s+|past\s+)?|since\s+|from\s+|"
    rf"for\s+(?:about\s+|approximately\s+|around\s+|nearly\s+|almost\s+)?){_SPAN}"
    r"(?!\s+(?:after|post|following|later|prior|before|ago)\b)"
    r"|\b(?P<yesterday>since\s+yesterday|yesterday|since\s+last\s+night|last\s+night|this\s+morning|"
    r"since\s+this\s+morning|today|tonight|this\s+evening|this\s+afternoon|since\s+this\s+afternoon)\b",
    re.I,
)
# "three days of increasing breathlessness", "2 weeks' history of leg pain"
_LASTED_OF = re.compile(
    # at the start, after a header's label ("History: ten days of ..."), or after "with"
    rf"(?:^\W*|^[A-Za-z][\w /-]{{0,30}}:\s*|\bwith\s+(?:a\s+)?)(?:about\s+|around\s+)?{_SPAN}(?:'|’)?\s+"
    r"(?:history\s+)?of\s+(?:increasing|worsening|progressive|gradual|new|constant|"
    r"intermittent|severe|mild)?\b",
    re.I,
)
_SINCE_DAY = re.compile(r"\b(?:since|from)\s+(?:post[\s-]?operative\s+)?day\s+(?P<n>\d+)\b", re.I)
# "well until 4 days ago", "fine until yesterday": the symptoms began then
_WELL_UNTIL = re.compile(
    rf"\b(?:well|fine|asymptomatic|symptom[\s-]free|pain[\s-]free|comfortable)\s+until\s+"
    rf"(?:{_SPAN}\s+(?:ago|before|back)|(?P<yesterday>yesterday|last\s+night|this\s+morning|today))\b",
    re.I,
)
# "free of pain for two months", "the first two days were fine": well for that long after the procedure
_WELL_FOR = (
    re.compile(
        rf"\b(?:free\s+of\s+(?:pain|symptoms)|pain[\s-]free|symptom[\s-]free|asymptomatic|well|fine)\s+for\s+"
        rf"(?:the\s+first\s+|about\s+|around\s+|nearly\s+|almost\s+)?{_SPAN}",
        re.I,
    ),
    re.compile(rf"\bthe\s+first\s+{_SPAN}\s+(?:were|was)\s+(?:fine|good|uneventful|normal)\b", re.I),
)


_WELL_BEFORE = re.compile(r"\b(?:well|fine|free|asymptomatic|great|good|normal|comfortable)\s*$", re.I)
_LASTED_ONE = re.compile(r"\b(?:for|over|in)\s+the\s+(?:last|past)\s+(?P<unit>day|week|month|year)\b", re.I)


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
        return 1.0 if "yesterday" in word.lower() else 0.5 if "night" in word.lower() else 0.0
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


# a day of the month told without its month: "since the evening of the 19th", "since last Thursday, the 9th"
_DAY_OF_MONTH = re.compile(
    r"\b(?:since|from|on)\s+(?:[\w,]+\s+){0,4}?\(?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?![\s-]*(?:day|days|rib|ribs|vertebra|vertebrae|week|weeks|month|months|of\s+(?:admission|the\s+admission)))",
    re.I,
)


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
    return float(_NUMBER.get(" ".join(text.lower().replace("-", " ").split()), 0) or text)


def _span_days(match: re.Match[str]) -> float:
    unit = match.group("unit").lower()
    return _amount(match.group("n")) * _UNIT[_UNITS.get(unit, unit)]


# told against the last day the text gave: "the next day", "later that day"
_CHAINED = re.compile(
    r"\b(?P<next>(?:the\s+|on\s+the\s+)?(?:next|following)\s+(?:day|morning)|the\s+(?:day|morning)\s+after)\b"
    r"|\b(?:the\s+same\s+day|same\s+day|later\s+(?:that|the\s+same)\s+day|that\s+(?:same\s+)?(?:evening|night))\b"
    # "on the evening before her death", "the day before admission": one day before the last day told
    r"|\b(?P<before>the\s+(?:day|evening|night|morning)\s+before)\b"
    rf"(?!\s+(?:the\s+|her\s+|his\s+|my\s+)?(?:{_PROC}|procedure|surgery|operation))",
    re.I,
)


# "after six weeks of pain he was referred": a span counted on from the last event told
_AFTER_SPAN_OF = re.compile(
    rf"\bafter\s+(?:another\s+|a\s+further\s+)?{_SPAN}\s+of\b(?!\s+(?:the\s+)?{_PROC})", re.I
)


# "three days later", "a week afterwards": a span counted on from the last day told, not from a
# procedure named in the same sentence ("two weeks later than planned" is no span of the story)
_LATER = (
    re.compile(rf"{_SPAN}\s+(?:later|afterwards?)\b(?!\s+than)", re.I),
    # anchored on another event told just before: "two days after the scan", "a week after that"
    re.compile(
        rf"{_SPAN}\s+(?:after|following)\s+(?:that\b|this\b|(?:(?:the|this|that|her|his|my)\s+)?(?:[\w-]+\s+){{0,2}}?"
        r"(?:scan|ct|mri|x-?ray|radiograph|admission|discharge|visit|review|appointment|clinic|fall|call)\b)",
        re.I,
    ),
)


_PROC_NAMED = re.compile(_PROC, re.I)


def later_on(text: str) -> float | None:
    """The span of a bare "N days later" (None when the sentence names the procedure)."""
    low = text.lower()
    if "later" not in low and "afterward" not in low and "after" not in low and "following" not in low:
        return None
    match = next((m for pattern in _LATER if (m := pattern.search(text))), None)
    if match is None or _PROC_NAMED.search(text):
        return None
    return _span_days(match)


def chained(text: str) -> float | None:
    """Days after the last day the text gave: 1 for "the next day", 0 for "later that day", -1 for "the
    evening before her death", the span for "after six weeks of pain"."""
    low = text.lower()
    if "after" in low and (span := _AFTER_SPAN_OF.search(text)):
        return _span_days(span)
    if "day" not in low and "morning" not in low and "evening" not in low and "night" not in low:
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
        if day and (match := _ORDINAL_DAY.search(text)):
            number = (
                match.group("o") or match.group("o2") or match.group("d") or "1"
            ).lower()  # "the day after the procedure": 1
            return When(float(_ORDINAL.get(number) or number.rstrip("thsnrd")), calendar=False)
        if any(word in low for word in _AFTER_WORDS):
            for pattern in _AFTER:
                if match := pattern.search(text):
                    return When(_span_days(match), calendar=False)
        if any(word in low for word in _BEFORE_SPAN_WORDS) and (match := _BEFORE.search(text)):
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
