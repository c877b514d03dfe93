"""How the patient ended up: ``outcome.status`` from the sentences that tell it.

Contract: ``OutcomeReader.add(line, episode)`` for every sentence in order (``episode``: has a
finding of this episode been read yet), then ``outcome()``. Three kinds of reading:

- a named outcome (``terms.yaml``, category ``outcome``: "made a full recovery", "no improvement",
  "remains paraplegic", "passed away");
- something that went ("the pain has gone", "numbness resolved", "relief of her leg pain"): better,
  or a full recovery when it went completely;
- something that stayed ("weakness remained at 6 months", "still had symptoms", "persistent
  numbness"): the same.

The last two count only once the episode has begun (the fracture's own pain going after the
augmentation is not an outcome), and only in a sentence of this patient's present (no ConText
trigger of risk, of other patients or of the past). Within a sentence, or across two sentences in a
row, a recovery or betterment told beside something that stayed is ``improved`` ("the pain has gone
completely. Leg strength is unchanged"). Otherwise the last reading wins; a death wins over all.
"""

from __future__ import annotations

import re

from cementwatch.case import Outcome, Span
from cementwatch.read.lines import Line

_SYMPTOM = (
    r"(?:pain|pains|symptoms?|weakness|numbness|tingling|paraesthesiae?|paresthesias?|sciatica|deficits?|"
    r"breathlessness|dyspno?ea|hypoxa?emia|radiculopathy|complaints?)"
)
_WENT = re.compile(
    rf"\b(?P<what>{_SYMPTOM})\b(?:\s+[\w-]+){{0,4}}?\s+(?:has\s+|have\s+|had\s+|was\s+|were\s+|is\s+|are\s+)?"
    r"(?P<how>completely\s+|fully\s+|entirely\s+)?(?P<part>(?:largely|mostly|partly|partially|almost|nearly|"
    r"gradually|slowly|somewhat)\s+)?"
    r"(?:resolved|disappeared|disappears?|gone|went\s+away|relieved|settled|subsided|abated|eased|vanished)"
    r"(?P<how2>\s+(?:completely|fully|entirely))?\b"
    rf"|\b(?P<how3>complete\s+|full\s+)?(?:resolution|relief|disappearance)\s+of\s+(?:the\s+|his\s+|her\s+|my\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?(?P<what2>{_SYMPTOM})\b"
    r"|\b(?:is|are|was|were|feels?|felt|got|getting|much|little|slightly|somewhat|bit)\s+better\b(?!\s+(?:than|seen))"
    r"|\b(?:pain|symptoms?|numbness|weakness)\s+(?:is|are|was|were|became|got)\s+(?:much\s+|a\s+little\s+)?less\b"
    # a function coming back: "sensation returning", "power is recovering", "feeling has mostly come back"
    r"|\b(?:sensation|power|strength|movement|feeling)\s+(?:is\s+|was\s+|has\s+|have\s+)?"
    r"(?P<part2>(?:largely|mostly|partly|partially|slowly|gradually)\s+)?"
    r"(?:returning|coming\s+back|come\s+back|came\s+back|recovering)\b"
    # limbs or the patient stronger: "her legs are much stronger", "getting stronger every day"
    r"|\b(?:much|far|a\s+lot|getting|got|are|is|feels?|felt|now)\s+stronger\b"
    # a symptom told as going: "the leg pain go away", "the tingling goes away"
    rf"|\b{_SYMPTOM}\b(?:\s+[\w-]+){{0,3}}?\s+(?:go|goes|gone|went)\s+away\b"
    # a pain score that came down: "pain fell to 3/10", "leg pain dropped from 8 to 2"
    r"|\bpain\s+(?:score\s+)?(?:fell|dropped|decreased|reduced|came\s+down)\s+(?:from\s+\d{1,2}\s*(?:/\s*10)?\s+)?"
    r"to\s+\d",
    re.I,
)
# words without which _WENT or _STAYED cannot match (substring tests are far cheaper than a search)
_WENT_WORDS = (
    "resol", "disappear", "gone", "went away", "reliev", "relief", "settled", "subsid", "abat", "eased",
    "vanish", "better", "less", "fell", "dropped", "decreased", "reduced", "came down", "returning",
    "coming back", "recovering", "come back", "came back", "stronger", "away",
)  # fmt: skip
# free of the complaint, or home without it: a full recovery ("pain-free at three months", "discharged
# home, no breathlessness", "no further episodes", "walks without pain")
_FREE = re.compile(
    rf"\b{_SYMPTOM}[\s-]*free\b|\bfree\s+(?:of|from)\s+(?:any\s+|all\s+)?(?:[\w-]+\s+)?{_SYMPTOM}\b"
    r"|\b(?:discharged|home|walk|walks|walked|walking|mobile|mobilising|mobilizing)\b[^.;]{0,40}?"
    rf"\b(?:no|without)\s+(?:any\s+|further\s+)?(?:[\w-]+\s+)?{_SYMPTOM}\b"
    r"|\bno\s+(?:further|more|new)\s+(?:episodes?|attacks?|problems|recurrence)\b"
    # back to a life of before: "back at work", "back playing golf", "returned to her usual routine"
    r"|\bback\s+(?:at\s+work|playing|to\s+playing|to\s+(?:his|her|my|their)\s+(?:normal\s+|usual\s+)?"
    r"(?:activities|routine|hobbies|sport|life))\b"
    r"|\breturned\s+to\s+(?:his|her|my|their)\s+(?:normal|usual|previous)\s+(?:activities|routine|life)\b"
    # independent again: "mobilising independently", "independent at discharge", "doing well"
    r"|\b(?:mobilising|mobilizing|mobilises|mobilizes|mobilised|mobilized|mobile)\s+independently\b"
    r"|\bindependently\s+mobile\b|\bindependent\s+(?:at|on)\s+discharge\b|\b(?:is|was|are|were)\s+doing\s+well\b",
    re.I,
)
_FREE_WORDS = (
    "free", "discharg", "home", "walk", "mobil", "no further", "no more", "no new", "back ", "returned",
    "independent", "doing well",
)  # fmt: skip
# walking out of hospital, how well not said: better ("he was discharged walking")
_WALKED_OUT = re.compile(
    r"\bdischarged\s+(?:home\s+)?(?:walking|on\s+foot|mobilising|mobilizing)\b(?!\s+with)", re.I
)
# walking again, but with an aid: better, not a full recovery ("walked independently with a cane",
# "she's walking with a frame")
_AIDED = re.compile(
    r"\b(?:walk|walks|walked|walking|mobile|mobilising|mobilizing|mobilises|mobilizes)\b[^.;]{0,40}?"
    r"\bwith\s+(?:a\s+|the\s+|an\s+|two\s+|her\s+|his\s+)?(?:walking\s+)?"
    r"(?:cane|stick|sticks|frame|walker|crutch|crutches|zimmer|rollator|aid)\b",
    re.I,
)
_STAYED_WORDS = ("still", "remain", "persist", "residual", "unchanged", "continu", "no change")
_STAYED = re.compile(
    r"\b(?:still|remain(?:s|ed|ing)?|persist(?:s|ed|ent|ing)?|residual|unchanged|no\s+change|"
    r"continu(?:es|ed)\s+to\s+have)\b",
    re.I,
)
# a normal finding that stayed normal is no outcome: "power remained 5/5 throughout"
_STAYED_NORMAL = re.compile(r"\s*(?:at\s+)?(?:5/5|normal|intact|full|unremarkable)\b", re.I)
_WHAT_STAYED = re.compile(
    rf"\b(?:{_SYMPTOM}|weak|numb|paraplegic|paraparetic|spastic|wheelchair|frame|crutches|catheter|strength|"
    r"power|neurology|neurological|function|gait|foot\s+drop)\b",
    re.I,
)
_ALL = {"symptoms", "complaints", "deficits"}  # all of them went: "her symptoms resolved"
_POSITIVE = {"full_recovery", "improved", "better", "partial"}
_ASIDE = {"hypothetical", "generic", "historical"}  # a sentence about risks, other patients or the past
_STAYED_BEFORE, _STAYED_AFTER = 45, 30  # characters from what stayed to the word that says so


class OutcomeReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.last: tuple[str, Span, int] | None = None  # reading, evidence, sentence number
        self.died: Span | None = None
        self.count = 0

    def add(self, line: Line, episode: bool) -> None:
        self.count += 1
        if not episode and not line.of("outcome"):
            return
        readings: dict[str, Span] = {}
        for hit in line.kept("outcome"):
            if "historical" in hit.mods or ("negated" in hit.mods and hit.value != "unchanged"):
                continue  # "no deaths", "not a full recovery" (told by its own phrases)
            readings.setdefault(hit.value, hit.span(self.text))
        if episode and not line.dropped and line.sentence.effect == "normal" and not line.triggers & _ASIDE:
            low = line.low
            for match in _WENT.finditer(line.text) if any(w in low for w in _WENT_WORDS) else ():
                what = (match.group("what") or match.group("what2") or "").lower()
                complete = match.group("how") or match.group("how2") or match.group("how3") or what in _ALL
                partial = match.group("part") or match.group("part2")
                reading = "partial" if partial else "full_recovery" if complete else "better"
                readings.setdefault(reading, self._span(line, match))
            for match in _FREE.finditer(line.text) if any(w in low for w in _FREE_WORDS) else ():
                readings.setdefault("full_recovery", self._span(line, match))
            if ("walk" in low or "mobil" in low) and (aided := _AIDED.search(line.text)):
                readings["partial"] = self._span(line, aided)
            elif "discharged" in low and (walked := _WALKED_OUT.search(line.text)):
                readings.setdefault("better", self._span(line, walked))
            for stayed in _STAYED.finditer(line.text) if any(w in low for w in _STAYED_WORDS) else ():
                if _STAYED_NORMAL.match(line.text, stayed.end()):
                    continue
                lo, hi = max(0, stayed.start() - _STAYED_BEFORE), stayed.end() + _STAYED_AFTER
                if _WHAT_STAYED.search(line.text, lo, hi):  # "left leg weakness was remain"
                    readings.setdefault("unchanged", self._span(line, stayed))
                    break
        if not readings:
            return
        if "died" in readings:
            self.died = self.died or readings["died"]
            return
        reading = _combine(readings)
        span = readings.get(reading) or next(iter(readings.values()))
        if self.last is not None and self.last[2] == self.count - 1 and _mixed(self.last[0], reading):
            reading = "improved"  # "the pain has gone completely. Leg strength is unchanged."
        self.last = (reading, span, self.count)

    def outcome(self) -> Outcome:
        if self.died is not None:
            return Outcome(status="died", evidence=[self.died])
        if self.last is None:
            return Outcome()
        status = "improved" if self.last[0] == "better" else self.last[0]
        return Outcome(status=status, evidence=[self.last[1]])

    @staticmethod
    def _span(line: Line, match: re.Match[str]) -> Span:
        start = line.sentence.start + match.start()
        return Span(start=start, end=start + len(match.group()), text=match.group())


def _combine(readings: dict[str, Span]) -> str:
    """One sentence's reading: something better beside something that stayed is ``improved``, and
    so is a partial betterment beside a recovery ("numbness largely resolved, walking normally")."""
    if "unchanged" in readings and readings.keys() & _POSITIVE:
        return "improved"
    if "partial" in readings:
        return "improved"
    for value in ("full_recovery", "improved", "worse", "unchanged", "better"):
        if value in readings:
            return value
    return next(iter(readings))


def _mixed(before: str, now: str) -> bool:
    return (before in _POSITIVE and now == "unchanged") or (before == "unchanged" and now in _POSITIVE)
