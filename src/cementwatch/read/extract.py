"""Text → Case: assemble the case, with its evidence spans, from the sentences of ``read.lines``.

``read_case`` feeds each sentence to the builders (procedures, leaks, findings, imaging, treatments,
patient, timeline) and validates the result once against the case contract.
"""

from __future__ import annotations

import re

from cementwatch.case import (
    Case,
    Deficit,
    Imaging,
    Leak,
    MotorGrade,
    Outcome,
    Patient,
    Procedure,
    Span,
    Status,
    Timeline,
    Treatment,
)
from cementwatch.read.lines import (
    DROP,
    Hit,
    Line,
    levels_in,
    levels_near,
    read_lines,
    side_of,
    status_of,
    words_between,
)
from cementwatch.read.rules import load_rules
from cementwatch.read.timeline import Date, When, dates, days_between, lasted, relative, since_day

_GRADE = re.compile(
    r"(?<![\d/.])(?P<grade>[0-5])\s*(?P<mod>[+-])?\s*/\s*5(?!\d)|"
    r"\b(?:grade|mrc|power)\s*(?:of\s*)?(?P<grade2>[0-5])(?P<mod2>[+-])?(?![\d/.])",
    re.I,
)
_CEMENT_NEAR = 16  # a location is a leak only with a cement word within this many words
_LISTED_NEAR = 8  # ... or listed this close to a location that is one
_OTHER_SCALE = re.compile(
    r"(?:genant|nurick|frankel|asia|ais|tomita|meyerding|dindo|clavien|who|ecog)\s*$", re.I
)
_NOT_A_GRADE = re.compile(r"(?:lower|less|weaker|worse|better|more|greater)\s+than\s*$|[<>]\s*$", re.I)
_POWER_FULL = re.compile(r"\b(?:power|strength)\s+(?:is\s+|was\s+)?(?:full|normal|5/5\s+throughout)\b", re.I)
_ASIA = re.compile(r"\b(?:ASIA|AIS)(?:\s+(?:grade|impairment\s+scale))?\s*[:=]?\s*(?P<grade>[A-E])\b")
_AGE = re.compile(
    r"\b(?P<age>\d{1,3})\s*[- ]?\s*(?:years?|yrs?|y)[\s-]*(?:old|of\s+age)\b|"
    r"\baged?\s*:?\s*(?P<age2>\d{1,3})\b|"
    r"\b(?P<age3>\d{2})\s*(?:yo|y/o|y\.o\.)|\b(?P<age4>\d{2})\s?(?P<sex>(?-i:[MF]))\b|"
    r"\b(?P<age5>\d{2,3})\s*(?:years?|yrs?)[\s,]*(?:female|male|woman|man|lady|gentleman|f|m)\b|"
    r"\bage(?:\s*/\s*sex)?\s*[:=]\s*(?P<age6>\d{2,3})\b|"
    r"\b(?:patient|pt)\s*:[^\n]{0,30}?\b(?P<age7>\d{2,3})\s*(?:years?|yrs?|y)\b(?!\s*(?:ago|earlier|before|later))|"
    r"\bI(?:'m|’m| am)\s+(?P<age8>\d{2,3})\b",
    re.I,
)
_AGE_RANGE = re.compile(r"\b(?P<lo>\d{2})\s*[~–-]\s*(?P<hi>\d{2})\s*(?:years?|yrs?)[\s-]*old\b", re.I)
_VOLUME = re.compile(r"(?P<v>\d+(?:[.,]\d+)?)\s*(?:ml|mL|cc|cm3|cm³|ccs)\b")
_SURGICAL = {
    "laminectomy", "hemilaminectomy", "foraminotomy", "durotomy", "decompression", "cement_removal",
    "corpectomy", "instrumented_fusion", "embolectomy", "cardiac_surgery", "endovascular_retrieval",
}  # fmt: skip


def read_case(text: str, *, source: str | None = None) -> Case:
    """Read one document into a :class:`Case`; every item carries the spans it was read from."""
    rules = load_rules()
    warnings: list[str] = []
    if not text.strip():
        return Case(source=source, warnings=["empty document: nothing to read"])
    lines = read_lines(text, rules)
    builder = _Builder(text, warnings)
    builder.anchor = _index_date(lines)
    for line in lines:
        builder.add(line)
    # validate once at the end: every value is checked against the closed vocabularies
    return Case.model_validate(builder.case(source).model_dump(mode="json", by_alias=True))


class _Builder:
    def __init__(self, text: str, warnings: list[str]) -> None:
        self.text = text
        self.warnings = warnings
        self.procedures: dict[tuple[str, bool], Procedure] = {}
        self.details: dict[str, tuple[str, Span]] = {}
        self.volume: tuple[float, Span] | None = None
        self.leaks: dict[tuple[str, Status], Leak] = {}
        self.deficits: dict[tuple[str, Status], Deficit] = {}
        self.grades: list[MotorGrade] = []
        self.asia: str | None = None
        self.imaging: dict[str, Imaging] = {}
        self.treatments: dict[tuple[str, str], Treatment] = {}
        self.outcome: tuple[str, Span] | None = None
        self.age: tuple[int, Span] | None = None
        self.age_range: list[int] | None = None
        self.sex: tuple[str, Span] | None = None
        self.pronouns: dict[str, int] = {}
        self.anchor: Date | None = None
        self.events: dict[str, tuple[When, int]] = {}
        self.intradural = False
        self.calendar_days: set[tuple[str, str]] = set()
        self.onset_before: float | None = None
        self.past_details: dict[str, tuple[str, Span]] = {}
        self.loose_details: dict[str, tuple[str, Span]] = {}
        self.fracture_levels: list[str] = []

    # --- per sentence --------------------------------------------------------------------------
    def add(self, line: Line) -> None:
        levels = levels_in(line, self.warnings)
        if "fracture" in line.text.lower() and not any(h.mods & DROP for h in line.hits):
            self.fracture_levels.extend(levels)
        self._procedures(line, levels)
        self._leaks(line, levels)
        self._findings(line)
        self._imaging(line)
        self._treatments(line, levels)
        self._patient(line)
        self._timeline(line)
        for hit in line.kept("outcome"):
            if "historical" not in hit.mods:
                self.outcome = (hit.value, hit.span(self.text))

    def _procedures(self, line: Line, levels: list[str]) -> None:
        for hit in line.kept("procedure"):
            if "negated" in hit.mods:
                continue
            key = (hit.value, "historical" in hit.mods)
            procedure = self.procedures.get(key)
            if procedure is None:
                procedure = Procedure(kind=hit.value, historical=key[1])
                self.procedures[key] = procedure
            near = levels_near(line, hit, self.warnings)
            procedure.levels = list(dict.fromkeys([*procedure.levels, *near]))
            procedure.evidence.append(hit.span(self.text))
        if line.kept("procedure") or line.of("cement"):
            for match in _VOLUME.finditer(line.text):
                if self.volume is None:
                    start = line.sentence.start + match.start()
                    value = float(match.group("v").replace(",", "."))
                    self.volume = (
                        value,
                        Span(start=start, end=start + len(match.group()), text=match.group()),
                    )
        for category in ("indication", "approach", "cement_material", "viscosity"):
            for hit in line.kept(category):
                if "historical" in hit.mods and "negated" not in hit.mods:
                    self.past_details.setdefault(category, (hit.value, hit.span(self.text)))
                if "negated" in hit.mods or "historical" in hit.mods or category in self.details:
                    continue
                if category == "indication" and not (line.of("procedure") or "fracture" in line.text.lower()):
                    self.loose_details.setdefault(category, (hit.value, hit.span(self.text)))
                    continue
                self.details[category] = (hit.value, hit.span(self.text))

    def _leaks(self, line: Line, levels: list[str]) -> None:
        if not any(c.value == "cement" for c in line.of("cement")):
            return
        cement = [c for c in line.of("cement") if c.value == "cement"]
        places = [
            h for h in line.kept("leak_location") if "historical" not in h.mods and h.value != "not_spine"
        ]
        hits = [h for h in places if any(words_between(line, h, c) <= _CEMENT_NEAR for c in cement)]
        # a place listed with one that qualifies ("partly in the epidural space and partly inside the
        # thecal sac") is part of the same finding
        grown = True
        while grown:
            more = [
                h for h in places
                if h not in hits and any(words_between(line, h, q) <= _LISTED_NEAR for q in hits)
            ]  # fmt: skip
            hits.extend(more)
            grown = bool(more)
        explicit = {h.value for h in hits}
        for hit in hits:
            location = hit.value
            if location == "canal":
                if "intradural" in explicit:
                    continue  # the canal named as the container of intradural cement
                location = "epidural"
            status = status_of(hit.mods)
            if location == "intradural" and status is not Status.ABSENT:
                self.intradural = True
            key = (location, status)
            leak = self.leaks.get(key)
            if leak is None:
                detected = next((h.value for h in line.kept("imaging") if "negated" not in h.mods), None)
                leak = Leak(location=location, status=status, side=side_of(line), detected_by=detected)
                self.leaks[key] = leak
            leak.levels = list(dict.fromkeys([*leak.levels, *levels]))
            leak.evidence.append(hit.span(self.text))
            if location == "pulmonary" and status is not Status.ABSENT:
                positions = {p.value for p in line.kept("pulmonary_position") if "negated" not in p.mods}
                if "central" in positions:
                    leak.central = True  # central anywhere wins: it is the one that is treated
                elif "peripheral" in positions and leak.central is None:
                    leak.central = False

    def _findings(self, line: Line) -> None:
        progressive = bool(line.kept("progression"))
        for hit in line.kept("deficit"):
            if "historical" in hit.mods:
                continue
            status = status_of(hit.mods)
            key = (hit.value, status)
            deficit = self.deficits.get(key)
            if deficit is None:
                deficit = Deficit(kind=hit.value, status=status, side=side_of(line))
                self.deficits[key] = deficit
            if progressive and status is not Status.ABSENT:
                deficit.progressive = True
            deficit.evidence.append(hit.span(self.text))
        if any(
            h.mods & {"hypothetical", "generic", "historical"} for h in line.hits if h.category == "deficit"
        ):
            return
        self._grades(line)
        if match := _ASIA.search(line.text):
            self.asia = self.asia or match.group("grade")
        if match := _POWER_FULL.search(line.text):
            start = line.sentence.start + match.start()
            span = Span(start=start, end=start + len(match.group()), text=match.group())
            self.grades.append(MotorGrade(grade=5, evidence=[span]))
            key = ("motor_weakness", Status.ABSENT)
            self.deficits.setdefault(
                key, Deficit(kind="motor_weakness", status=Status.ABSENT)
            ).evidence.append(span)

    def _grades(self, line: Line) -> None:
        muscles = line.of("muscle")
        sides = line.of("side")
        for match in _GRADE.finditer(line.text):
            before = line.text[: match.start()]
            if _NOT_A_GRADE.search(before):
                continue
            if match.group("grade2") and _OTHER_SCALE.search(before.rstrip()):
                continue  # "Genant grade 2", "Nurick grade 4": another scale
            grade = int(match.group("grade") or match.group("grade2"))
            modifier = match.group("mod") or match.group("mod2")
            at = line.sentence.start + match.start()
            after = [m for m in muscles if m.start >= at]
            muscle = self.text[after[0].start : after[0].end] if after else None
            near = sorted(sides, key=lambda s: abs(s.start - at))
            side = near[0].value if near and abs(near[0].start - at) < 60 else None
            span = Span(start=at, end=at + len(match.group()), text=match.group())
            self.grades.append(
                MotorGrade(grade=grade, modifier=modifier, muscle=muscle, side=side, evidence=[span])
            )

    def _imaging(self, line: Line) -> None:
        for hit in line.kept("imaging"):
            if hit.mods & {"negated", "historical", "planned", "recommended", "declined"}:
                continue  # a scan asked for is not a scan done
            if hit.value not in self.imaging:
                self.imaging[hit.value] = Imaging(modality=hit.value, day=self._day(line))
            self.imaging[hit.value].evidence.append(hit.span(self.text))

    def _treatments(self, line: Line, levels: list[str]) -> None:
        # "removal of the intradural cement", "the cement was excised": a removal word near cement
        cement = line.of("cement")
        for hit in line.kept("removal"):
            if any(words_between(line, hit, c) <= 4 for c in cement):
                line.hits.append(Hit(hit.start, hit.end, "treatment", "cement_removal", set(hit.mods)))
        for hit in line.kept("treatment"):
            if "historical" in hit.mods:
                continue
            mods = hit.mods
            status = (
                "absent" if "negated" in mods else "declined" if "declined" in mods
                else "planned" if "planned" in mods else "recommended" if "recommended" in mods else "done"
            )  # fmt: skip
            key = (hit.value, status)
            day, calendar = self._dated(line) if status == "done" else (None, False)
            treatment = self.treatments.get(key)
            if treatment is None:
                treatment = Treatment(kind=hit.value, status=status, day=day)
                self.treatments[key] = treatment
            elif calendar and key not in self.calendar_days:
                treatment.day = day
            if calendar:
                self.calendar_days.add(key)
            treatment.evidence.append(hit.span(self.text))

    def _patient(self, line: Line) -> None:
        if any(h.mods & DROP for h in line.hits):
            return
        if self.age is None and self.age_range is None and (match := _AGE_RANGE.search(line.text)):
            self.age_range = [int(match.group("lo")), int(match.group("hi"))]
        if self.age is None and self.age_range is None and (match := _AGE.search(line.text)):
            value = next(g for g in match.groups() if g and g.isdigit())
            if 0 < int(value) <= 120:
                start = line.sentence.start + match.start()
                self.age = (int(value), Span(start=start, end=start + len(match.group()), text=match.group()))
                if match.group("sex") and self.sex is None:
                    self.sex = ("male" if match.group("sex") == "M" else "female", self.age[1])
        if self.sex is None:
            for hit in line.kept("sex"):
                self.sex = (hit.value, hit.span(self.text))
                break
        for hit in line.of("pronoun"):
            self.pronouns[hit.value] = self.pronouns.get(hit.value, 0) + 1

    # --- timeline ------------------------------------------------------------------------------
    def _calendar(self, line: Line) -> float | None:
        found = dates(line.text)
        if not found:
            return None
        if self.anchor is None:
            return None
        return days_between(self.anchor, found[0])

    def _day(self, line: Line) -> float | None:
        return self._dated(line)[0]

    def _dated(self, line: Line) -> tuple[float | None, bool]:
        """Day of what this sentence describes, and whether it came from a calendar date."""
        calendar = self._calendar(line)
        if calendar is not None:
            return calendar, True
        when = relative(line.text)
        return (None if when is None or when.before_presentation else when.days), False

    def _timeline(self, line: Line) -> None:
        active = [h for h in line.kept("deficit") if not h.mods & {"negated", "historical"}]
        if active:
            if (day := since_day(line.text)) is not None:
                self._event("onset", When(day, calendar=True))  # "since day 3" is as exact as a date
            elif (ago := lasted(line.text)) is not None and self.onset_before is None:
                self.onset_before = ago  # resolved against the presentation day at the end
        calendar = self._calendar(line)
        when = When(calendar, calendar=True) if calendar is not None else relative(line.text)
        if when is None:
            return
        if when.before_presentation:
            if line.kept("procedure"):
                self._event("presentation", when)
            return
        deficits = [h for h in line.kept("deficit") if not h.mods & {"negated", "historical"}]
        if deficits:
            self._event("onset", when)
        if line.kept("presentation"):
            self._event("presentation", when)
        if any(h.value in _SURGICAL and not h.mods & {"negated", "planned", "recommended", "declined"}
               for h in line.kept("treatment")):  # fmt: skip
            self._event("treatment", when)

    def _event(self, name: str, when: When) -> None:
        current = self.events.get(name)
        rank = 2 if when.calendar else 1
        if current is None or rank > current[1]:
            self.events[name] = (when, rank)

    def _implied_deficits(self) -> None:
        """Weakness that the record implies: a grade below 5, or a cord syndrome; weakness of both
        sides graded below 5 is a paraparesis."""
        weak = [g for g in self.grades if g.grade < 5]
        cord = [
            d for (kind, status), d in self.deficits.items()
            if kind in ("paraparesis", "paraplegia", "monoparesis") and status is Status.PRESENT
        ]  # fmt: skip
        if (weak or cord) and ("motor_weakness", Status.PRESENT) not in self.deficits:
            spans = [s for g in weak for s in g.evidence] + [s for d in cord for s in d.evidence]
            self.deficits[("motor_weakness", Status.PRESENT)] = Deficit(
                kind="motor_weakness", status=Status.PRESENT, evidence=spans
            )
        sides = {g.side.value for g in weak if g.side is not None}
        if ("bilateral" in sides or {"left", "right"} <= sides) and not cord:
            self.deficits[("paraparesis", Status.PRESENT)] = Deficit(
                kind="paraparesis",
                status=Status.PRESENT,
                side="bilateral",
                evidence=[s for g in weak for s in g.evidence],
            )

    # --- result --------------------------------------------------------------------------------
    def case(self, source: str | None) -> Case:
        procedures = sorted(self.procedures.values(), key=lambda p: (p.historical, p.evidence[0].start))
        current = {p.kind: p for p in procedures if not p.historical}
        procedures = [
            p for p in procedures
            if not (p.historical and p.kind in current and set(p.levels) <= set(current[p.kind].levels))
        ]  # fmt: skip  # the same procedure restated in the history section
        if procedures and all(p.historical for p in procedures):
            # the only augmentation told of lies in the past: it is the one whose cement is the story
            procedures[0].historical = False
            for category in ("indication", "approach", "cement_material", "viscosity"):
                if category not in self.details and category in self.past_details:
                    self.details[category] = self.past_details[category]
        for category, found in self.loose_details.items():
            self.details.setdefault(category, found)  # stated elsewhere ("known case of osteoporosis")
        if procedures:
            index = procedures[0]
            if not index.levels and self.fracture_levels:
                index.levels = list(dict.fromkeys(self.fracture_levels))
            leaked = [
                leak.levels[0]
                for leak in self.leaks.values()
                if leak.levels and leak.status is Status.PRESENT
            ]
            if not index.levels and leaked:
                index.levels = leaked[:1]  # cement leaks from the vertebra it was put in
            for category, (value, span) in self.details.items():
                field_name = "cement_viscosity" if category == "viscosity" else category
                setattr(index, field_name, value)
                index.evidence.append(span)
            if self.volume is not None:
                index.cement_volume_ml = self.volume[0]
                index.evidence.append(self.volume[1])
        else:
            self.warnings.append("no vertebroplasty or kyphoplasty is mentioned")
        leaks = list(self.leaks.values())
        if self.intradural:  # "canal" read as epidural before the dura was named: merge
            leaks = [leak for leak in leaks if not _only_canal(leak, self.text)]
        timeline = Timeline(
            symptom_onset_days=_days(self.events.get("onset")),
            presentation_days=_days(self.events.get("presentation")),
            treatment_days=_days(self.events.get("treatment")),
        )
        presented = timeline.presentation_days
        if timeline.symptom_onset_days is None and self.onset_before is not None and presented is not None:
            timeline.symptom_onset_days = max(0.0, presented - self.onset_before)
        surgical_done = [t for t in self.treatments.values() if t.kind in _SURGICAL and t.status == "done"]
        if timeline.treatment_days is None and surgical_done and timeline.presentation_days is not None:
            # surgery described without its own date: taken as done in the presenting admission
            timeline.treatment_days = timeline.presentation_days
        self._implied_deficits()
        sex = self.sex[0] if self.sex else _majority(self.pronouns)
        patient = Patient(
            age=self.age[0] if self.age else None,
            age_range=self.age_range,
            sex=sex,
            evidence=[s for s in (self.age[1] if self.age else None, self.sex[1] if self.sex else None) if s],
        )
        return Case(
            source=source,
            patient=patient,
            procedures=procedures,
            leaks=leaks,
            findings={
                "deficits": list(self.deficits.values()),
                "motor_grades": self.grades,
                "asia_grade": self.asia,
            },
            imaging=list(self.imaging.values()),
            treatments=list(self.treatments.values()),
            timeline=timeline,
            outcome=Outcome(status=self.outcome[0], evidence=[self.outcome[1]])
            if self.outcome
            else Outcome(),
            warnings=list(dict.fromkeys(self.warnings)),
        )


def _index_date(lines: list[Line]) -> Date | None:
    """Day 0: the first date written in a sentence about the (current) augmentation."""
    for line in lines:
        if any(not h.mods & {"historical", "negated", *DROP} for h in line.of("procedure")):
            found = dates(line.text)
            if found:
                return found[0]
    return None


def _days(event: tuple[When, int] | None) -> float | None:
    return None if event is None else event[0].days


def _majority(counts: dict[str, int]) -> str | None:
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] >= 2 and list(counts.values()).count(best[1]) == 1 else None


def _only_canal(leak: Leak, text: str) -> bool:
    """An epidural leak read only from 'canal' words, in a document that names intradural cement."""
    if leak.location != "epidural":
        return False
    words = (text[s.start : s.end].lower() for s in leak.evidence)
    return all("epidural" not in w and "extradural" not in w for w in words)
