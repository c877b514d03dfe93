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
from cementwatch.read.patterns import PATTERNS

# what went or got better ("the pain has gone"), free of the complaint or back to life as before (a full
# recovery), walking out of hospital or with an aid (better), what stayed ("weakness remained"): the
# wordings are named patterns of data/patterns/outcome.yaml, each searched only in a sentence that
# holds one of its gate words (substring tests are far cheaper than a search)
_WENT = PATTERNS.get("outcome.went")
_WENT_WORDS = PATTERNS.gate("outcome.went")
_FREE = PATTERNS.get("outcome.free")
_FREE_WORDS = PATTERNS.gate("outcome.free")
_WALKED_OUT = PATTERNS.get("outcome.walked_out")
_AIDED = PATTERNS.get("outcome.aided")
_STAYED_WORDS = PATTERNS.gate("outcome.stayed")
_STAYED = PATTERNS.get("outcome.stayed")
_STAYED_NORMAL = PATTERNS.get("outcome.stayed_normal")  # "power remained 5/5 throughout" is no outcome
_WHAT_STAYED = PATTERNS.get("outcome.what_stayed")
_TREND = PATTERNS.get("outcome.trend")  # "power 3/5 next day, 4/5 after a week": better
_TREND_WORDS = PATTERNS.gate("outcome.trend")
_NUMBER_WORDS = PATTERNS.numbers("time.numbers")
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
        if line.text.rstrip().endswith("?"):
            return  # a question asserts nothing: "will she ever get back to normal?"
        readings: dict[str, Span] = {}
        for hit in line.kept("outcome"):
            if "historical" in hit.mods or ("negated" in hit.mods and hit.value != "unchanged"):
                continue  # "no deaths", "not a full recovery" (told by its own phrases)
            readings.setdefault(hit.value, hit.span(self.text))
        if episode and not line.dropped and line.sentence.effect == "normal" and not line.triggers & _ASIDE:
            low = line.low
            gone: set[str] = set()  # the complaints told as gone outright
            for match in _WENT.finditer(line.text) if any(w in low for w in _WENT_WORDS) else ():
                what = (match.group("what") or match.group("what2") or "").lower()
                eased = match.group("eased")  # "her symptoms eased": better, not gone
                complete = (
                    match.group("how")
                    or match.group("how2")
                    or match.group("how3")
                    or (what in _ALL and not eased)
                )
                partial = match.group("part") or match.group("part2")
                if what and not partial and not eased:
                    gone.add(what)
                # two complaints both gone ("the burning resolved and the numb strip had disappeared")
                complete = complete or len(gone) > 1
                reading = "partial" if partial else "full_recovery" if complete else "better"
                readings.setdefault(reading, self._span(line, match))
            for match in _FREE.finditer(line.text) if any(w in low for w in _FREE_WORDS) else ():
                readings.setdefault("full_recovery", self._span(line, match))
            if ("walk" in low or "mobil" in low) and (aided := _AIDED.search(line.text)):
                readings["partial"] = self._span(line, aided)
            elif "discharged" in low and (walked := _WALKED_OUT.search(line.text)):
                readings.setdefault("better", self._span(line, walked))
            if any(w in low for w in _TREND_WORDS) and (trend := _better_later(line.text)):
                readings.setdefault("better", self._span(line, trend))
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


def _better_later(text: str) -> re.Match[str] | None:
    """A grade that rose or a pain score that fell between two times the sentence tells."""
    for match in _TREND.finditer(text):
        if match.group("a") is not None and int(match.group("b")) > int(match.group("a")):
            return match
        if match.group("hi") is not None:
            high, low = (_score(match.group(g)) for g in ("hi", "lo"))
            if high is not None and low is not None and low < high <= 10:
                return match
    return None


def _score(word: str) -> float | None:
    return float(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


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
