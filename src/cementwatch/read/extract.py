"""Text → Case: assemble the case, with its evidence spans, from the sentences of ``read.lines``.

``read_case`` feeds each sentence to the builders (procedures, leaks, findings and imaging here;
treatments in ``read.treatments``, the patient in ``read.patient``, days in ``read.days``, the
outcome in ``read.outcome``) and validates the result once against the case contract.

A location is a leak only with a cement word near it that is not denied ("Central pulmonary
arteries: well opacified; no central cement" puts no cement there). One augmentation named both
generically and by its kind ("cement augmentation (vertebroplasty) of T7") is one procedure; a
tumour named for what it is (myeloma, haemangioma) wins over words that only say it is malignant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cementwatch.case import (
    Case,
    Deficit,
    Imaging,
    Leak,
    LeakLocation,
    MotorGrade,
    Procedure,
    ProcedureKind,
    Span,
    Status,
)
from cementwatch.read.calendar_dates import MONTH_FIRST, month_first_in
from cementwatch.read.days import Days
from cementwatch.read.leak_places import cement_telling, denied_after, only_canal
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
from cementwatch.read.others import mark_other_people
from cementwatch.read.outcome import OutcomeReader
from cementwatch.read.patient import PatientReader
from cementwatch.read.patterns import PATTERNS
from cementwatch.read.rules import Modifier, load_rules
from cementwatch.read.signs import (
    approach_by_needles,
    asia,
    fracture_pain,
    grades,
    hypotension,
    hypoxaemia,
    power_full,
    retention,
    volumes,
)
from cementwatch.read.treatments import SURGICAL, TreatmentReader

_CEMENT_NEAR = 16  # a location is a leak only with a cement word within this many words
_LISTED_NEAR = 8  # ... or listed this close to a location that is one
_DETAILS = ("indication", "approach", "cement_material", "viscosity")
# a tumour named for what it is wins over a word that only says it is malignant
_SPECIFIC = {"myeloma", "hemangioma"}
_NOT_DONE: set[Modifier] = {"negated", "not_done", "declined", "planned", "recommended"}
_NOT_GIVEN: set[Modifier] = {"negated", "not_done", "declined"}
# an augmentation told as done beside advice ("kyphoplasty was performed and mobilisation advised")
_PERFORMED = PATTERNS.get("case.performed")  # "offered and had a kyphoplasty"
# an approach told by "both sides" or "one side" needs the augmentation or its needles in the sentence
_ACCESS = PATTERNS.get("case.access")
_QUERIED = re.compile(r"\?\s*$")  # "?MRI", "? CT": a scan written as a question
_CEMENT_ML = 30.0  # a volume above this is not the cement of one augmentation
_LEAK_PLACES = {place.value for place in LeakLocation}
_NOT_CEMENT_ML = PATTERNS.get("case.not_cement_volume")


def read_case(text: str, *, source: str | None = None) -> Case:
    """Read one document into a :class:`Case`; every item carries the spans it was read from."""
    rules = load_rules()
    warnings: list[str] = []
    if not text.strip():
        return Case(source=source, warnings=["empty document: nothing to read"])
    token = MONTH_FIRST.set(month_first_in(text))
    try:
        lines = read_lines(text, rules)
        mark_other_people(lines)
        builder = _Builder(text, warnings, Days(lines, SURGICAL))
        for line in lines:
            builder.add(line)
    finally:
        MONTH_FIRST.reset(token)
    # validate once at the end: every value is checked against the closed vocabularies
    return Case.model_validate(builder.case(source).model_dump(mode="json", by_alias=True))


class _Builder:
    def __init__(self, text: str, warnings: list[str], days: Days) -> None:
        self.text = text
        self.warnings = warnings
        self.days = days
        self.patient = PatientReader(text)
        self.procedures: dict[tuple[str, bool], Procedure] = {}
        self.details: dict[str, tuple[str, Span]] = {}
        self.volume: tuple[float, Span] | None = None
        self.volume_total = False  # the volume read is stated as the total
        self.leaks: dict[tuple[str, Status], Leak] = {}
        self.deficits: dict[tuple[str, Status], Deficit] = {}
        self.grades: list[MotorGrade] = []
        self.asia: str | None = None
        self.imaging: dict[str, Imaging] = {}
        self.treatments = TreatmentReader(text, days)
        self.outcome = OutcomeReader(text)
        self.episode = False  # has a leak or a finding of this episode been read yet
        self.intradural = False
        self.specific: tuple[str, Span] | None = None  # "multiple myeloma" beside "pathological fracture"
        self.past_details: dict[str, tuple[str, Span]] = {}
        self.loose_details: dict[str, tuple[str, Span]] = {}
        self.fracture_levels: list[str] = []

    # --- per sentence --------------------------------------------------------------------------
    def add(self, line: Line) -> None:
        levels = levels_in(line, self.warnings)
        low = line.low  # the vertebra that broke, or the lesion treated: the index levels if none is named
        broken = "fractur" in low or "crush" in low or "collaps" in low or "broke" in low
        if (broken or line.kept("indication")) and not line.dropped:
            self.fracture_levels.extend(levels)
        self._procedures(line, levels)
        self._leaks(line, levels)
        active = self._findings(line)
        self._imaging(line)
        self.treatments.add(line)
        self.patient.add(line)
        self.days.add(line, active)
        if not self.episode:
            self.episode = bool(active) or any(leak.status is Status.PRESENT for leak in self.leaks.values())
        self.outcome.add(line, self.episode)

    def _procedures(self, line: Line, levels: list[str]) -> None:
        for hit in line.kept("procedure"):
            if hit.mods & _NOT_DONE and (hit.mods & _NOT_GIVEN or not _PERFORMED.search(line.text)):
                continue  # "vertebroplasty was discussed but not performed", "considered for PVP"
            key = (hit.value, "historical" in hit.mods)
            procedure = self.procedures.get(key)
            if procedure is None:
                procedure = Procedure(kind=hit.value, historical=key[1])
                self.procedures[key] = procedure
            near = levels_near(line, hit, self.warnings)
            procedure.levels = list(dict.fromkeys([*procedure.levels, *near]))
            procedure.evidence.append(hit.span(self.text))
        about_cement = bool(line.kept("procedure") or line.of("cement"))
        # "Total 3.5 mL.", "Final volume 3 cc." in a procedure note: the cement's total
        if about_cement or "otal" in line.text or "inal volume" in line.text:
            found = volumes(line)
            for value, span, total in found if found and not _NOT_CEMENT_ML.search(line.text) else ():
                if not (about_cement or total) or value > _CEMENT_ML:
                    continue
                if self.volume is None or (total and not self.volume_total):
                    self.volume, self.volume_total = (value, span), total
        for category in _DETAILS:
            for hit in line.kept(category):
                if "historical" in hit.mods and "negated" not in hit.mods:
                    self.past_details.setdefault(category, (hit.value, hit.span(self.text)))
                if "negated" in hit.mods or "historical" in hit.mods:
                    continue
                if category == "indication" and hit.value in _SPECIFIC:
                    self.specific = self.specific or (hit.value, hit.span(self.text))
                if category in self.details:
                    continue
                if category == "approach" and not _ACCESS.search(line.text):
                    continue  # "power 4/5 on both sides" is not the approach
                # a burst fracture is a shape: traumatic only if nothing else is named ("osteoporotic burst")
                shape = self.text[hit.start : hit.end].lower().startswith("burst")
                told = line.of("procedure") or "fracture" in line.low
                if category == "indication" and (shape or not told):
                    self.loose_details.setdefault(category, (hit.value, hit.span(self.text)))
                    continue
                self.details[category] = (hit.value, hit.span(self.text))
        if not any(h.mods & {"historical", *DROP} for h in line.hits) and (
            needles := approach_by_needles(line)
        ):
            self.loose_details.setdefault("approach", needles)  # used only if no approach is named

    def _leaks(self, line: Line, levels: list[str]) -> None:
        for hit in line.of("leak_location"):
            if hit.denied:  # "Foramina clear": no cement word needed
                self._cleared(hit)
        if (clear_row := _TABLE_NO.match(line.text)) is not None:
            # "Venous ................ not seen": the place the row names is clear of cement
            answer = line.sentence.start + clear_row.start("answer")
            for hit in line.of("leak_location"):
                if hit.end <= answer:
                    self._cleared(hit)
            return
        row = _TABLE_YES.match(line.text)
        if row is None and not any(c.value == "cement" for c in line.of("cement")):
            return
        cement = [c for c in line.of("cement") if c.value == "cement"]
        if row is not None:
            # a row of a templated leak table ("Intradiscal ........... YES - L2/3 disc"): the answer is the
            # cement; only the place the row names is read
            start = line.sentence.start + row.start("answer")
            cement = [Hit(start, start + len(row.group("answer")), "cement", "cement")]
            if not any(h.category == "leak_location" and h.end <= start for h in line.hits):
                return
        places = [
            h for h in line.kept("leak_location") if "historical" not in h.mods and h.value != "not_spine"
        ]
        hits = [
            h
            for h in places
            if any(words_between(line, h, c) <= _CEMENT_NEAR for c in cement_telling(line, h, cement))
        ]
        # a place listed with one that qualifies ("partly in the epidural space and partly inside the
        # thecal sac") is part of the same finding
        grown = True
        while grown:
            more = [
                h for h in places
                if h not in hits
                # a place denied ("no cement in the heart") lends nothing to one told beside it
                and any(words_between(line, h, q) <= _LISTED_NEAR and _same_denial(h, q) for q in hits)
            ]  # fmt: skip
            hits.extend(more)
            grown = bool(more)
        explicit = {h.value for h in hits}
        denied = denied_after(line, hits)
        for hit in hits:
            location = hit.value
            if location == "canal":
                if "intradural" in explicit:
                    continue  # the canal named as the container of intradural cement
                location = "epidural"
            status = status_of(hit.mods)
            if status is Status.PRESENT and hit.start < denied.get(hit.value, -1):
                status = (
                    Status.ABSENT
                )  # "the lung bases show no pulmonary cement": the place, then its denial
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

    def _cleared(self, hit: Hit) -> None:
        """Record the place ``hit`` names as clear of cement (canal cement is outside the dura)."""
        place = "epidural" if hit.value == "canal" else hit.value
        if place not in _LEAK_PLACES or hit.mods & {"historical", *DROP}:
            return
        cleared = self.leaks.setdefault((place, Status.ABSENT), Leak(location=place, status=Status.ABSENT))
        cleared.evidence.append(hit.span(self.text))

    def _findings(self, line: Line) -> list[Hit]:
        """Record the sentence's findings; return its deficits that stand (present or possible)."""
        progressive = bool(line.kept("progression"))
        active: list[Hit] = []
        for hit in line.kept("deficit"):
            if "historical" in hit.mods or (hit.value == "back_pain" and fracture_pain(line, hit)):
                continue
            status = status_of(hit.mods)
            if status is not Status.ABSENT:
                active.append(hit)
            key = (hit.value, status)
            deficit = self.deficits.get(key)
            if deficit is None:
                deficit = Deficit(kind=hit.value, status=status, side=side_of(line))
                self.deficits[key] = deficit
            if progressive and status is not Status.ABSENT:
                deficit.progressive = True
            deficit.evidence.append(hit.span(self.text))
        told = [h for h in line.hits if h.category == "deficit"]
        if any(h.mods & {"hypothetical", "generic"} for h in told) or (
            told and all("historical" in h.mods for h in told)
        ):
            return active  # (a past finding beside today's readings does not date them: "(previous ECG: SR)")
        self.grades.extend(grades(line, self.text))
        signs = (("hypoxemia", hypoxaemia(line)), ("hypotension", hypotension(line)))
        for kind, sign in (*signs, ("bladder_dysfunction", retention(line))):
            if sign is not None:
                self._deficit(kind, Status.PRESENT, sign)
                # a low reading dates the onset as a named complaint does ("sats fell to 88% in recovery")
                active.append(Hit(sign.start, sign.end, "deficit", kind))
        self.asia = self.asia or asia(line)
        if full := power_full(line):
            self.grades.append(MotorGrade(grade=5, evidence=[full]))
            self._deficit("motor_weakness", Status.ABSENT, full)
        return active

    def _deficit(self, kind: str, status: Status, span: Span) -> None:
        key = (kind, status)
        self.deficits.setdefault(key, Deficit(kind=kind, status=status)).evidence.append(span)

    def _imaging(self, line: Line) -> None:
        findings = [h.start for h in line.hits if h.category in ("cement", "leak_location", "deficit")]
        for hit in line.kept("imaging"):
            mods = hit.mods
            if "negated" in mods and any(start < hit.start for start in findings):
                mods = mods - {"negated"}  # "no leakage seen on C-arm": the finding is denied, not the scan
            if "done" in mods:  # "the radiologist suggested CT, which was done on 2 April"
                mods = mods - {"planned", "recommended"}
            if mods & {"negated", "not_done", "historical", "planned", "recommended", "declined"}:
                continue  # a scan asked for is not a scan done
            if _QUERIED.search(self.text, max(0, hit.start - 3), hit.start):
                continue  # "clinic within 48h, ?MRI": a scan queried is a scan to consider
            if hit.value not in self.imaging:
                self.imaging[hit.value] = Imaging(modality=hit.value, day=self.days.dated(line)[0])
            self.imaging[hit.value].evidence.append(hit.span(self.text))

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
            plegic = all(g.grade == 0 for g in weak)  # "both legs 0/5"
            kind = "paraplegia" if plegic else "paraparesis"
            self.deficits[(kind, Status.PRESENT)] = Deficit(
                kind=kind,
                status=Status.PRESENT,
                side="bilateral",
                evidence=[s for g in weak for s in g.evidence],
            )

    # --- result --------------------------------------------------------------------------------
    def case(self, source: str | None) -> Case:
        procedures = _distinct(self.procedures.values())
        if procedures and all(p.historical for p in procedures):
            # the only augmentation told of lies in the past: it is the one whose cement is the story
            procedures[0].historical = False
            for category in _DETAILS:
                if category not in self.details and category in self.past_details:
                    self.details[category] = self.past_details[category]
        elif _told_again(list(self.procedures.values())):
            # "PMH: L2 vertebroplasty for an osteoporotic fracture ... Incidental: L2 vertebroplasty cement":
            # the past augmentation is the one seen now, so its details are the index procedure's
            for category, found in self.past_details.items():
                self.details.setdefault(category, found)
        for category, found in self.loose_details.items():
            self.details.setdefault(category, found)  # stated elsewhere ("known case of osteoporosis")
        if self.specific and self.details.get("indication", ("",))[0] == "metastatic":
            self.details["indication"] = self.specific  # "myeloma" beside "pathological fracture"
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
            leaks = [leak for leak in leaks if not only_canal(leak, self.text)]
        treatments = self.treatments.treatments()
        timeline = self.days.timeline([t for t in treatments if t.status == "done"])
        self._implied_deficits()
        return Case(
            source=source,
            patient=self.patient.patient(),
            procedures=procedures,
            leaks=leaks,
            findings={
                "deficits": list(self.deficits.values()),
                "motor_grades": self.grades,
                "asia_grade": self.asia,
            },
            imaging=list(self.imaging.values()),
            treatments=treatments,
            timeline=timeline,
            outcome=self.outcome.outcome(),
            warnings=list(dict.fromkeys(self.warnings)),
        )


def _told_again(procedures: list[Procedure]) -> bool:
    """Is the current augmentation a past one told again: the same kind at the same levels?"""
    current = [p for p in procedures if not p.historical]
    past = [p for p in procedures if p.historical]
    return (
        len(current) == 1
        and bool(current[0].levels)
        and any(p.kind == current[0].kind and set(current[0].levels) <= set(p.levels) for p in past)
    )


def _distinct(found: Iterable[Procedure]) -> list[Procedure]:
    """The procedures, the index first, without restatements: the same procedure told again in the
    history section, or the augmentation named generically ("vertebral augmentation") beside its
    kind ("kyphoplasty") at no other level."""
    procedures = sorted(found, key=lambda p: (p.historical, p.evidence[0].start))
    current = {p.kind: p for p in procedures if not p.historical}
    specific = [p for p in current.values() if p.kind != "other_augmentation"]
    generic = current.get(ProcedureKind.OTHER_AUGMENTATION)
    if len(specific) == 1 and not specific[0].levels and generic is not None and _generic_name(generic):
        specific[0].levels = list(generic.levels)  # "cement augmentation of T7 (vertebroplasty)"
    named = {level for p in procedures if p.kind != "other_augmentation" for level in p.levels}
    return [
        p for p in procedures
        if not (p.historical and p.kind in current and set(p.levels) <= set(current[p.kind].levels))
        and not (p.kind == "other_augmentation" and len(current) > 1 and set(p.levels) <= named
                 and _generic_name(p))
    ]  # fmt: skip


def _generic_name(procedure: Procedure) -> bool:
    """Is the procedure named only by words for any augmentation (not "sacroplasty", "stenting")?"""
    return all(
        "augment" in (s.text or "").lower() or "cement" in (s.text or "").lower() for s in procedure.evidence
    )


# a templated row that answers yes: "Intradiscal ........... YES - L2/3 disc", "Paravertebral: present"
_TABLE_YES = PATTERNS.get("case.table_yes")
_TABLE_NO = PATTERNS.get("case.table_no")


def _same_denial(a: Hit, b: Hit) -> bool:
    return ("negated" in a.mods) == ("negated" in b.mods)
