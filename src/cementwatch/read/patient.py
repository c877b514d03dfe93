"""Who the patient is: age (or an age range) and sex, read from the first sentence that states them.

Age: "72-year-old", "aged 70", "70 yo", "58M", "Age: 45", "Pt male 70 yr", "I'm 67", "60-70 years
old", "my mum (81)", "Re: Mr Gareth H., 81". Sex: a noun ("woman", "gentleman"), a letter beside
the age ("58M", "58 / F"), or failing both, the pronouns when one sex clearly outnumbers the other.
The wordings are named patterns of ``data/patterns/people.yaml``.
"""

from __future__ import annotations

import re

from cementwatch.case import Patient, Span
from cementwatch.read.calendar_dates import dates
from cementwatch.read.lines import Line
from cementwatch.read.patterns import PATTERNS

_AGE = PATTERNS.get("people.age")
_SEX_GROUPS = (
    "sex",
    "sex3",
    "sex7",
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
    "sex25",
    "sex27",
    "sex28",
)
_SEX_FIELD = PATTERNS.get("people.sex_field")
# the patient's own header names the title ("Name: Mr A. Okafor", "Re: Mr Okafor"); a "Mr" elsewhere
# may be the surgeon
_TITLE_FIELD = PATTERNS.get("people.title_field")
_TITLE_SEX = PATTERNS.texts("people.titles")  # "mrs" is female
_WHO_SEX = {**_TITLE_SEX, **PATTERNS.texts("people.relatives_sex")}  # "husband" is male
_WHO_IS_AGED = PATTERNS.get("people.who_is_aged")
_TENS = PATTERNS.ints("people.tens")  # an age in words: "seventy-two" is 70 + 2
_UNITS = PATTERNS.ints("people.units")
_AGE_IN_WORDS = PATTERNS.get("people.age_in_words")  # "a seventy-two-year-old woman", "aged seventy-four"
# an age read only from "(72 years)" or "84 years." must be an adult's: younger is more likely a duration
_ADULT = 18
_AGE_RANGE = PATTERNS.get("people.age_range")
_LETTER = {"M": "male", "F": "female"}
# a header's date of birth: "DOB: 14/06/1957", "Date of birth 3 Feb 1941"; with the note's own date it
# gives the age
_BIRTH = PATTERNS.get("people.birth")
_BIRTH_WORDS = PATTERNS.gate("people.birth")


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
            if 0 < int(value) <= 120 and (_bare(match) is None or int(value) >= _ADULT):
                start = line.sentence.start + match.start()
                self.age = (int(value), Span(start=start, end=start + len(match.group()), text=match.group()))
                letter = next((match.group(g) for g in _SEX_GROUPS if match.group(g)), None)
                if letter and self.sex is None:
                    self.sex = (_LETTER[letter[0].upper()], self.age[1])
                if self.sex is None:  # "Mr Hughes, aged 77", "my husband (81)": the one aged is the patient
                    self.sex = _aged_person_sex(line.text, match, self.age[1]) or self.sex
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
                _TITLE_SEX[(title.group("title") or title.group("title2")).lower()],
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


def _aged_person_sex(text: str, match: re.Match[str], span: Span) -> tuple[str, Span] | None:
    """The sex of the person whose age ``match`` reads, from a title or a word for them written just
    before the age (the nearest) or right after it ("Our 14-year-old daughter")."""
    before = list(_WHO_IS_AGED.finditer(text, max(0, match.start() - 40), match.end()))
    after = _WHO_IS_AGED.match(text, match.end() + 1) if not before else None
    who = before[-1] if before else after
    return (_WHO_SEX[who.group().lower()], span) if who else None


def _bare(match: re.Match[str]) -> str | None:
    """The age when it was read from a bare number of years ("(72 years)", "84 years.")."""
    return match.group("age10") or match.group("age31")
