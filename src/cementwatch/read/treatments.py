"""Treatments of the leak, sentence by sentence: what was done, planned, advised, declined or not done.

Contract: ``TreatmentReader.add(line)`` for every sentence in order, then ``treatments()``. A
treatment is recorded only as care of this episode's leak or its effects:

- a removal word near cement is a cement removal ("the ring of cement was peeled off the dura"),
  and also an embolectomy when the cement is taken out of a pulmonary artery;
- oxygen may be told by its flow alone ("SpO2 95% on 4 L");
- an operation joined to the index augmentation in the sentence that reports it ("kyphoplasty
  combined with pedicle screw fixation") is part of that operation, not a treatment of the leak;
- care that failed ("pain despite analgesia", context category ``failed``) was tried before the
  augmentation, unless the same sentence reports the leak's operation;
- a drug named as taken for something else or for long (``background``) is the patient's usual
  drug wherever it is named again, unless that mention says it was started or given;
- what was done longer ago than the augmentation was ("PVP 2 weeks ago ... radiotherapy completed
  2 months ago") came before it; with the augmentation undated, a drug or radiotherapy done "N ago"
  is taken as before it (an operation is not).
"""

from __future__ import annotations

from cementwatch.case import Treatment
from cementwatch.read.days import Days
from cementwatch.read.lines import Hit, Line, words_between
from cementwatch.read.patterns import PATTERNS
from cementwatch.read.rules import Modifier
from cementwatch.read.signs import oxygen_flow

# supportive care and drugs: "despite analgesia" or "AF on warfarin" is not care given for the leak
CARE = {"analgesics", "conservative", "physiotherapy", "rehabilitation", "anticoagulation", "antiplatelet"}
SURGICAL = {
    "laminectomy", "hemilaminectomy", "foraminotomy", "durotomy", "decompression", "cement_removal",
    "corpectomy", "instrumented_fusion", "embolectomy", "cardiac_surgery", "endovascular_retrieval",
}  # fmt: skip
# operations that may be done together with the augmentation as one operation
_WITH_INDEX = {
    "instrumented_fusion",
    "decompression",
    "laminectomy",
    "hemilaminectomy",
    "foraminotomy",
    "corpectomy",
}
_INDEX_NEAR = 12  # words between the augmentation and an operation joined to it
_JOINED = PATTERNS.get("case.joined")
_APART = PATTERNS.get("case.apart")
_REMOVAL_NEAR = 4  # words between a removal word and the cement it takes out
_PASSIVE_NEAR = 14  # "a plate of cement ventral to the sac was fragmented with a burr and removed"
_PASSIVE = PATTERNS.get("case.passive")
_NOT_GIVEN: set[Modifier] = {"negated", "not_done"}
_NAMED_REMOVAL = {"endovascular_retrieval", "embolectomy"}  # a removal named by its own kind


def _status(mods: set[Modifier]) -> str:
    if mods & _NOT_GIVEN:
        return "absent"
    if "declined" in mods:
        return "declined"
    if "planned" in mods:
        return "planned"
    return "recommended" if "recommended" in mods else "done"


class TreatmentReader:
    def __init__(self, text: str, days: Days) -> None:
        self.text = text
        self.days = days
        self.found: dict[tuple[str, str], Treatment] = {}
        self.calendar_days: set[tuple[str, str]] = set()
        self.background: set[str] = set()  # drugs the patient takes for something else
        self.given: set[str] = set()  # drugs said to be started or given
        self.ago: dict[tuple[str, str], float] = {}  # the most recent "N ago" of each (-1: not said)

    def add(self, line: Line) -> None:
        self._derived(line)
        found = line.kept("treatment")
        if not found:
            return
        index = [h for h in line.kept("procedure") if not h.mods & {"historical", "negated"}]
        surgery = any(
            h.value in SURGICAL and _status(h.mods) == "done" and "historical" not in h.mods for h in found
        )
        for hit in found:
            if "historical" in hit.mods:
                continue
            if hit.value not in SURGICAL and "background" in hit.mods:
                self.background.add(hit.value)
                continue
            if hit.value in CARE and "failed" in hit.mods and (index or not surgery):
                continue  # "pain despite analgesia": tried before the augmentation
            if index and hit.value in _WITH_INDEX and _with_index(line, hit, index):
                continue  # "kyphoplasty combined with pedicle screw fixation": one operation
            self._record(line, hit)

    def _derived(self, line: Line) -> None:
        # "removal of the intradural cement", "the cement was excised": a removal word near cement
        removals = line.kept("removal")
        cement = line.of("cement") if removals else []
        named = [h for h in line.of("treatment") if h.value in _NAMED_REMOVAL] if removals else []
        for hit in removals:
            if any(n.start <= hit.start and hit.end <= n.end for n in named):
                continue  # "endovascular retrieval with a snare": the removal is already named
            if any(words_between(line, hit, c) <= _REMOVAL_NEAR or _taken_out(line, c, hit) for c in cement):
                line.add(Hit(hit.start, hit.end, "treatment", "cement_removal", set(hit.mods)))
                if any(
                    h.value == "pulmonary" and "negated" not in h.mods for h in line.kept("leak_location")
                ):
                    # cement taken out of a pulmonary artery
                    line.add(Hit(hit.start, hit.end, "treatment", "embolectomy", set(hit.mods)))
        if (flow := oxygen_flow(line)) and not any(h.value == "oxygen" for h in line.kept("treatment")):
            line.add(Hit(flow.start, flow.end, "treatment", "oxygen"))

    def _record(self, line: Line, hit: Hit) -> None:
        status = _status(hit.mods)
        if status == "done" and "done" in hit.mods:
            self.given.add(hit.value)
        key = (hit.value, status)
        if status == "done":
            ago = self.days.ago(line, hit.start)
            self.ago[key] = min(self.ago.get(key, float("inf")), -1.0 if ago is None else ago)
        day, calendar = self.days.dated(line, hit.start) if status == "done" else (None, False)
        treatment = self.found.get(key)
        if treatment is None:
            treatment = Treatment(kind=hit.value, status=status, day=day)
            self.found[key] = treatment
        elif calendar and key not in self.calendar_days:
            treatment.day = day
        if calendar:
            self.calendar_days.add(key)
        treatment.evidence.append(hit.span(self.text))

    def treatments(self) -> list[Treatment]:
        """The treatments read, without the patient's usual drugs named again, and without those done
        before the augmentation ("radiotherapy completed 2 months ago" in the note of the procedure)."""
        usual = self.background - self.given
        told = self.days.procedure_ago

        written = self.days.written_day()

        def before_index(kind: str, ago: float) -> bool:
            if told is not None:
                return ago > told
            if written is not None and ago >= 0:
                return written - ago < 0  # the note's date and day 0 are known: "passed yesterday"
            # an undated augmentation is taken as today's for drugs, never for an operation
            return kind not in SURGICAL and ago > 0

        return [
            t for key, t in self.found.items()
            if not (key[1] == "done" and (key[0] in usual or before_index(key[0], self.ago.get(key, -1.0))))
        ]  # fmt: skip


def _with_index(line: Line, hit: Hit, index: list[Hit]) -> bool:
    """Is the operation ``hit`` told as part of the augmentation it is written with?"""
    if line.of("leak_location") or line.of("deficit") or line.of("removal"):
        return False  # the sentence tells of a complication: the operation may be its treatment
    offset = line.sentence.start
    for procedure in index:
        lo, hi = sorted(((procedure.start, procedure.end), (hit.start, hit.end)))
        gap = line.text[lo[1] - offset : hi[0] - offset]
        if len(gap.split()) <= _INDEX_NEAR and _JOINED.search(gap) and not _APART.search(gap):
            return True
    return False


def _taken_out(line: Line, cement: Hit, removal: Hit) -> bool:
    """Is the cement the subject of a passive removal later in the same clause ("a plate of cement
    ventral to the sac was fragmented and removed")?"""
    if cement.end > removal.start or words_between(line, cement, removal) > _PASSIVE_NEAR:
        return False
    gap = line.text[cement.end - line.sentence.start : removal.start - line.sentence.start]
    return ";" not in gap and bool(_PASSIVE.search(gap))
