"""Who the patient is: age (or an age range) and sex, read from the first sentence that states them.

Age: "72-year-old", "aged 70", "70 yo", "58M", "Age: 45", "Pt male 70 yr", "I'm 67", "60-70 years
old", "my mum (81)", "Re: Mr Gareth H., 81". Sex: a noun ("woman", "gentleman"), a letter beside
the age ("58M", "58 / F"), or failing both, the pronouns when one sex clearly outnumbers the other.
"""

from __future__ import annotations

import re

from cementwatch.case import Patient, Span
from cementwatch.read.calendar_dates import dates
from cementwatch.read.lines import Line

_NOT_AGO = r"(?!\s*(?:ago|earlier|before|later|back|after|prior|post|since|of\s+(?!age)))"
_AGE = re.compile(
    "|".join(
        (
            r"\b(?P<age>\d{1,3})\s*[- ]?\s*(?:years?|yrs?|y)[\s-]*(?:old|of\s+age)\b",
            r"\baged?\s*:?\s*(?P<age2>\d{1,3})\b",
            r"\b(?P<age3>\d{2})\s*(?:yo|y/o|y\.o\.)(?:\s*(?P<sex3>(?-i:[MF]))\b)?",
            r"\b(?P<age4>\d{2})\s?(?P<sex>(?-i:[MF]))\b",
            r"\b(?P<age5>\d{2,3})\s*(?:years?|yrs?)[\s,]*(?:female|male|woman|man|lady|gentleman|f|m)\b",
            r"\bage(?:\s*/\s*sex)?\s*[:=]\s*(?P<age6>\d{2,3})(?:\s*(?:y|yrs?|years?|yo))?\b(?:\s*/\s*(?P<sex6>(?-i:[MF]))\b)?",
            # a header's "Patient: Alastair F., 68, M" and "Patient: FERREIRA, Consolata   F   68 y"
            r"\b(?:patient|pt)\s*:[^\n]{0,40}?,\s*(?P<age17>\d{2,3})\s*,\s*(?P<sex17>(?-i:[MF]))\b",
            r"\b(?:patient|pt)\s*:[^\n]{0,40}?\s(?P<sex18>(?-i:[MF]))\s+(?P<age18>\d{2,3})\s*(?:years?|yrs?|y)\b",
            r"\b(?:patient|pt)\s*:[^\n]{0,30}?\b(?P<age7>\d{2,3})\s*(?:years?|yrs?|y)\b" + _NOT_AGO,
            r"\bI(?:'m|’m| am)\s+(?P<age8>\d{2,3})\b(?:\s*\(\s*(?P<sex8>(?-i:[MF]))\s*\))?",  # "I'm 38 (M)"
            r"\b(?:female|male|woman|man|lady|gentleman)\s*,?\s*(?:aged\s+)?(?P<age9>\d{2,3})\s*(?:years?|yrs?|y)\b"
            + _NOT_AGO,
            r"[,(]\s*(?P<age10>\d{2,3})\s*(?:years?|yrs?|y(?![\w/]))(?:\s*old)?"
            r"(?:\s*,\s*(?P<sex10>(?-i:[MF]))(?!\w))?" + _NOT_AGO,
            # "my mum (81)", "the patient (72 y)"
            r"\b(?:mum|mom|mother|dad|father|husband|wife|partner|grandmother|grandfather|gran|nan|grandma|"
            r"grandpa|patient|pt|man|woman|lady|gentleman|male|female)\s*\(\s*(?P<age11>\d{2,3})\s*"
            r"(?:y|yo|yrs?|years?(?:\s+old)?)?\s*\)",
            # a letter's "Re:" line: "Re: Mr Gareth H., 81"
            r"\b(?:mr|mrs|ms|miss|mx)\.?\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’.-]*){0,3},\s*"
            r"(?P<age12>\d{2,3})\s*(?:$|[,;)(]|y\b|yo\b|yrs?\b|years?\b)",
            # a sender's "From: Mrs Henrietta Lowe (61)"
            r"\b(?:mr|mrs|ms|miss|mx)\.?\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’.-]*){0,3}\s*\(\s*"
            r"(?P<age19>\d{2,3})\s*\)",
            # "my husband is 68.", "she is 81 years old", "my nan who is 90", "Dad is 77 and ..."
            r"\b(?:husband|wife|partner|mother|father|mum|mom|dad|patient|he|she|who|nan|nana|gran|granny|"
            r"grandma|grandmother|grandad|granddad|grandpa|grandfather|aunt|uncle)"
            r"(?:\s+(?-i:[A-Z])[a-z'’-]+)?(?:\s+is|'s|’s)\s+(?P<age13>\d{2,3})"  # "my husband Derek is 81"
            r"(?:\s*(?:years?|yrs?)(?:\s+old)?)?\s*(?:[.,;)]|\s+and\b|$)",
            # "(F, 72)", "(72, M)"
            r"\(\s*(?P<sex14>(?-i:[MF]))\s*,\s*(?P<age14>\d{2,3})\s*\)",
            r"\(\s*(?P<age15>\d{2,3})\s*(?:y|yo|yrs?|years?)?\s*,?\s*(?P<sex15>(?-i:[MF]))\s*\)",
            # a header's "M/79", "79/F", "Sex/Age: F/79"
            r"(?<![\w/])(?P<sex20>(?-i:[MF]))\s*/\s*(?P<age20>\d{2,3})(?![\w/])",
            r"(?<![\w/.])(?P<age21>\d{2,3})\s*/\s*(?P<sex21>(?-i:[MF]))(?![\w/])",
            # "Female, 74, ..." (a weight or height has its unit written)
            r"\b(?P<sex22>female|male)\s*,\s*(?P<age22>\d{2,3})\s*(?:[,;)]|$)",
            # a forum post's "Posted by sunny_days (74)"
            r"\bposted\s+by\s*:?\s*\S+\s*\(\s*(?P<age23>\d{2,3})\s*\)",
            # "Mum, 88, had a kyphoplasty", "my husband, 79, ..."
            r"\b(?:mum|mom|mother|dad|father|husband|wife|partner|nan|nana|gran|granny|grandma|grandmother|"
            r"grandad|grandpa|grandfather|aunt|uncle)\s*,\s*(?P<age24>\d{2,3})\s*,",
            # "a woman of 72"
            r"\b(?:woman|man|lady|gentleman|patient|female|male)\s+of\s+(?P<age16>\d{2,3})\b(?!\s*(?:kg|cm|mm|%))",
        )
    ),
    re.I | re.M,
)
_SEX_GROUPS = (
    "sex",
    "sex3",
    "sex8",
    "sex10",
    "sex6",
    "sex14",
    "sex15",
    "sex17",
    "sex18",
    "sex20",
    "sex21",
    "sex22",
)
_SEX_FIELD = re.compile(
    r"\b(?:sex|gender)\s*[:=]\s*(?:(?P<letter>(?-i:[MF]))\b|(?P<word>female|male|woman|man))", re.I
)
# the patient's own header names the title ("Name: Mr A. Okafor", "Re: Mr Okafor"); a "Mr" elsewhere
# may be the surgeon
_TITLE_FIELD = re.compile(r"\b(?:name|patient|pt|re|subject)\s*:\s*(?P<title>mr|mrs|ms|miss)\b", re.I)
_TITLE_SEX = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female"}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TENS_WORD = "|".join(_TENS)
_UNIT_WORD = "|".join(_UNITS)
_AGE_IN_WORDS = re.compile(
    rf"\b(?P<tens>{_TENS_WORD})(?:[\s-](?P<unit>{_UNIT_WORD}))?[\s-]+years?[\s-]+old\b"
    rf"|\bage[ds]?\s*[:=]?\s+(?P<tens2>{_TENS_WORD})(?:[\s-](?P<unit2>{_UNIT_WORD}))?\b",
    re.I,
)  # "a seventy-two-year-old woman", "aged seventy-four"
_ADULT = 18  # an age read only from "(72 years)" must be an adult's: younger is more likely a duration
_AGE_RANGE = re.compile(r"\b(?P<lo>\d{2})\s*[~–-]\s*(?P<hi>\d{2})\s*(?:years?|yrs?)[\s-]*old\b", re.I)
_LETTER = {"M": "male", "F": "female"}
# a header's date of birth: "DOB: 14/06/1957", "Date of birth 3 Feb 1941"; with the note's own date it
# gives the age
_BIRTH = re.compile(r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:=]?\s*", re.I)
_BIRTH_WORDS = ("dob", "d.o.b", "birth", "born")


class PatientReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.age: tuple[int, Span] | None = None
        self.age_range: list[int] | None = None
        self.sex: tuple[str, Span] | None = None
        self.pronouns: dict[str, int] = {}

    def add(self, line: Line) -> None:
        if line.dropped:
            return
        if self.age is None and self.age_range is None and (match := _AGE_RANGE.search(line.text)):
            self.age_range = [int(match.group("lo")), int(match.group("hi"))]
        if self.age is None and self.age_range is None and (match := _AGE.search(line.text)):
            value = next(g for g in match.groups() if g and g.isdigit())
            if 0 < int(value) <= 120 and (match.group("age10") is None or int(value) >= _ADULT):
                start = line.sentence.start + match.start()
                self.age = (int(value), Span(start=start, end=start + len(match.group()), text=match.group()))
                letter = next((match.group(g) for g in _SEX_GROUPS if match.group(g)), None)
                if letter and self.sex is None:
                    self.sex = (_LETTER[letter[0].upper()], self.age[1])
        if self.age is None and self.age_range is None and (match := _AGE_IN_WORDS.search(line.text)):
            tens = match.group("tens") or match.group("tens2")
            unit = match.group("unit") or match.group("unit2") or ""
            years = _TENS[tens.lower()] + _UNITS.get(unit.lower(), 0)
            start = line.sentence.start + match.start()
            self.age = (years, Span(start=start, end=start + len(match.group()), text=match.group()))
        field = _SEX_FIELD.search(line.text) if "sex" in line.low or "gender" in line.low else None
        if self.sex is None and field:
            word = (field.group("word") or "").lower()
            sex = _LETTER.get(field.group("letter") or "") or (
                "female" if word in ("female", "woman") else "male"
            )
            start = line.sentence.start + field.start()
            self.sex = (sex, Span(start=start, end=start + len(field.group()), text=field.group()))
        title = _TITLE_FIELD.search(line.text) if self.sex is None and ":" in line.text else None
        if title:
            start = line.sentence.start + title.start()
            self.sex = (
                _TITLE_SEX[title.group("title").lower()],
                Span(start=start, end=start + len(title.group()), text=title.group()),
            )
        if self.sex is None:
            for hit in line.kept("sex"):
                self.sex = (hit.value, hit.span(self.text))
                break
        for hit in line.of("pronoun"):
            self.pronouns[hit.value] = self.pronouns.get(hit.value, 0) + 1

    def patient(self) -> Patient:
        if self.age is None and self.age_range is None and any(w in self.text.lower() for w in _BIRTH_WORDS):
            self.age = _age_from_birth(self.text)
        sex = self.sex[0] if self.sex else _majority(self.pronouns)
        return Patient(
            age=self.age[0] if self.age else None,
            age_range=self.age_range,
            sex=sex,
            evidence=[s for s in (self.age[1] if self.age else None, self.sex[1] if self.sex else None) if s],
        )


def _majority(counts: dict[str, int]) -> str | None:
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] >= 2 and list(counts.values()).count(best[1]) == 1 else None


def _age_from_birth(text: str) -> tuple[int, Span] | None:
    """The age from a written date of birth and the first other full date of the note (the date of the
    exam, the letter or the admission): none unless both have their year."""
    birth_at = _BIRTH.search(text)
    if birth_at is None:
        return None
    written = [d for d in dates(text) if d.year is not None]
    birth = next((d for d in written if 0 <= d.offset - birth_at.end() <= 2), None)
    if birth is None or birth.year is None:
        return None
    for day in written:
        if day is birth or day.year is None or day.year - birth.year < _ADULT:
            continue
        years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        if 0 < years <= 120:
            end = min(len(text), birth.offset + 10)
            return years, Span(start=birth_at.start(), end=end, text=text[birth_at.start() : end])
    return None
