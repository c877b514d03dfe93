"""What the reader takes from patterns rather than from terms: motor grades and their side, "power
full", AIS grades, oxygen saturation (also read off a home finger clip) and oxygen flow, a low blood
pressure, cement volumes, the approach told by the needles, and whether a back pain is the
fracture's own.

Every function reads one sentence (``lines.Line``) and returns spans into the original text. The
wordings are named patterns of ``data/patterns/signs.yaml``; the cut-offs are in ``data/signs.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cementwatch.case import MotorGrade, Side, Span
from cementwatch.read.lines import Hit, Line
from cementwatch.read.patterns import PATTERNS
from cementwatch.read.rules import load_rules

_GRADE = PATTERNS.get("signs.grade")
_GRADE_WORDS = PATTERNS.gate("signs.grade")
_WORD_GRADE = PATTERNS.ints("signs.grade_words")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_OTHER_SCALE = PATTERNS.get("signs.other_scale")
# what a "grade" describes when it is not muscle power ("grade 1 anterolisthesis")
_GRADED_NOT_POWER = PATTERNS.get("signs.graded_not_power")
_NOT_A_GRADE = PATTERNS.get("signs.not_a_grade")
_POWER_FULL = PATTERNS.get("signs.power_full")
_POWER_WORDS = PATTERNS.gate("signs.power_full")
_DENIED_BEFORE = PATTERNS.get("signs.denied_before")
_ASIA = PATTERNS.get("signs.asia")
_JUST_AFTER = PATTERNS.get("signs.just_after")
_SIDE_REACH = 80  # characters: a side this far before a grade may be its side

_SATURATION = PATTERNS.get("signs.saturation")
# a saturation told in lay words: "the finger clip says 89%", "her oxygen level was 88%"
_LAY_SATURATION = PATTERNS.get("signs.lay_saturation")
_PAO2 = PATTERNS.get("signs.pao2")
_BP_WORD = PATTERNS.get("signs.bp_word")
_BP_VALUE = PATTERNS.get("signs.bp_value")
_BP_REACH = 40  # characters after "BP" where its values are written
# a systolic pressure told alone: "systolic of 78", "BP 75 systolic", "systolic in the 70s"
_SYSTOLIC = PATTERNS.get("signs.systolic")
# oxygen by its flow: "96% on 4 L", "oxygen 2 L/min", "3 litres of oxygen"
_OXYGEN = PATTERNS.get("signs.oxygen")

_VOLUME = PATTERNS.get("signs.volume")
_WORD_ML = PATTERNS.ints("signs.millilitre_words")
# a volume of something else told beside the cement's: "balloons inflated to 3.0 ml each"
_NOT_CEMENT_BEFORE = PATTERNS.get("signs.not_cement_volume")
_TOTAL = PATTERNS.get("signs.total")  # "a total of 4 mL", "= 4.5 mL"
_TOTAL_AFTER = PATTERNS.get("signs.total_after")  # "4.5 mL in total"

# the approach told by the needles: "trocars through both pedicles", "needles placed bilaterally"
_BOTH_SIDES = PATTERNS.get("signs.both_sides")

# the fracture's own pain, not a complication: "back pain ... candidate for vertebroplasty",
# "vertebroplasty for severe back pain"
_LED_TO = PATTERNS.get("signs.led_to")
# the lesion treated, told as the long-standing cause of the pain
_FOR_WHAT_HAD = PATTERNS.get("signs.for_what_had")
_INDICATION_LINE = PATTERNS.get("signs.indication_line")
_AFTER_IT = PATTERNS.get("signs.after_it")
_FOR_PAIN = PATTERNS.get("signs.for_pain")
_RESULT_FOR_PAIN = PATTERNS.get("signs.result_for_pain")
_BACK_AGAIN = PATTERNS.get("signs.back_again")


def _span(line: Line, match: re.Match[str]) -> Span:
    start = line.sentence.start + match.start()
    return Span(start=start, end=start + len(match.group()), text=match.group())


def grades(line: Line, text: str) -> list[MotorGrade]:
    """MRC grades: "2/5 over right iliopsoas", "4+/5", "grade 3 ankle dorsiflexion", "MRC 4-"."""
    muscles = line.of("muscle")
    sides = line.of("side")
    found: list[MotorGrade] = table_grades(line, text)
    searched = any(word in line.low for word in _GRADE_WORDS)
    for match in _GRADE.finditer(line.text) if searched else ():
        before = line.text[: match.start()]
        if _NOT_A_GRADE.search(before):
            continue
        if match.group("grade2") and (
            _OTHER_SCALE.search(before.rstrip()) or _GRADED_NOT_POWER.match(line.text, match.end())
        ):
            continue  # "Genant grade 2", "Nurick grade 4", "grade 1 anterolisthesis": another scale
        roman = match.group("roman") or match.group("roman3")
        if (
            match.group("roman")
            and not match.group("strength")
            and not any(m.end <= match.start() + line.sentence.start for m in muscles)
        ):
            continue  # a bare "grade II" names a muscle grade only after a muscle
        if roman and (
            _OTHER_SCALE.search(before.rstrip()) or _GRADED_NOT_POWER.match(line.text, match.end())
        ):
            continue
        word = match.group("word")
        if roman:
            grade = _ROMAN[roman]
        else:
            number = match.group("grade") or match.group("grade2") or match.group("grade4")
            grade = _WORD_GRADE[word.lower()] if word else int(number)
        modifier = match.group("mod") or match.group("mod2")
        span = _span(line, match)
        after = [m for m in muscles if m.start >= span.start]
        muscle = text[after[0].start : after[0].end] if after else None
        side = side_of_grade(line, sides, span.start, span.end)
        found.append(MotorGrade(grade=grade, modifier=modifier, muscle=muscle, side=side, evidence=[span]))
    if muscles and "mrc" in line.low:
        found.extend(_listed_grades(line, text, muscles, sides))
    if muscles:
        found.extend(_paired_grades(line, text, muscles))
    return found


# both sides written after a muscle: "hip flexion R 3 L 5", "EHL: left 4+, right 5"
_SIDE_PAIR = PATTERNS.get("signs.side_pair")


def _paired_grades(line: Line, text: str, muscles: Sequence[Hit]) -> list[MotorGrade]:
    found: list[MotorGrade] = []
    offset = line.sentence.start
    for muscle in muscles:
        match = _SIDE_PAIR.match(line.text, muscle.end - offset)
        if match is None:
            continue
        for side, groups in ((Side.RIGHT, ("right", "right2")), (Side.LEFT, ("left", "left2"))):
            group = next(g for g in groups if match.group(g))
            value = match.group(group)
            start = offset + match.start(group)
            grade = MotorGrade(
                grade=int(value[0]),
                modifier=value[1:] or None,
                muscle=text[muscle.start : muscle.end],
                side=side,
                evidence=[Span(start=start, end=start + len(value), text=value)],
            )
            found.append(grade)
    return found


# a bare number right after a muscle in an MRC list: "MRC hip flexors 2, quadriceps 3, tibialis anterior 4"
_BARE_GRADE = PATTERNS.get("signs.bare_grade")


def _listed_grades(line: Line, text: str, muscles: Sequence[Hit], sides: Sequence[Hit]) -> list[MotorGrade]:
    found: list[MotorGrade] = []
    offset = line.sentence.start
    for muscle in muscles:
        match = _BARE_GRADE.match(line.text, muscle.end - offset)
        if match is None:
            continue
        start = offset + match.start("grade")
        value = match.group("grade")
        span = Span(start=start, end=start + 1, text=value)
        side = side_of_grade(line, sides, start, start + 1)
        found.append(
            MotorGrade(
                grade=int(value),
                modifier=match.group("mod"),
                muscle=text[muscle.start : muscle.end],
                side=side,
                evidence=[span],
            )
        )
    return found


# a row of a power table under "R  L" columns: "Knee extension   4     5", "Hip flexion  4+  5"
_TABLE_ROW = re.compile(
    r"^\s*[A-Za-z][A-Za-z /()-]{2,40}?\s{2,}(?P<right>[0-5][+-]?)\s+(?P<left>[0-5][+-]?)\s*$", re.M
)


def table_grades(line: Line, text: str) -> list[MotorGrade]:
    """MRC grades from the rows of a power table (a muscle, then the right and the left grade)."""
    muscles = line.of("muscle")
    if not muscles:
        return []
    found: list[MotorGrade] = []
    for match in _TABLE_ROW.finditer(line.text):
        named = [
            m
            for m in muscles
            if line.sentence.start + match.start() <= m.start < line.sentence.start + match.end()
        ]
        if not named:
            continue
        muscle = text[named[0].start : named[0].end]
        for side in (Side.RIGHT, Side.LEFT):
            value = match.group(side.value)
            start = line.sentence.start + match.start(side.value)
            span = Span(start=start, end=start + len(value), text=value)
            grade = MotorGrade(grade=int(value[0]), muscle=muscle, side=side, evidence=[span])
            grade.modifier = "+" if value.endswith("+") else "-" if value.endswith("-") else None
            found.append(grade)
    return found


def side_of_grade(line: Line, sides: Sequence[Hit], start: int, end: int) -> str | None:
    """The side a grade is given for: written just after it ("3/5 on the left", "grade 2 on both
    sides"), else the last one before it in its clause ("left hip flexion 3/5, EHL 4/5; right leg
    normal" grades the left only)."""
    offset = line.sentence.start
    for side in sides:
        if side.start >= end and _JUST_AFTER.match(line.text[end - offset : side.start - offset]):
            return side.value
    before = [s for s in sides if s.end <= start and start - s.end < _SIDE_REACH]
    if before and ";" not in line.text[before[-1].end - offset : start - offset]:
        return before[-1].value
    return None


def power_full(line: Line) -> Span | None:
    """ "Power full", "strength normal", "full power": no weakness (not "did not have full power")."""
    low = line.text.lower()
    if not any(word in low for word in _POWER_WORDS):
        return None
    found = _POWER_FULL.search(line.text)
    if found is None or _DENIED_BEFORE.search(line.text, 0, found.start()):
        return None
    return _span(line, found)


def asia(line: Line) -> str | None:
    match = _ASIA.search(line.text)
    return match.group("grade") if match else None


def _about_this_episode(line: Line) -> bool:
    return line.sentence.effect != "historical" and not line.dropped


def hypoxaemia(line: Line) -> Span | None:
    """A low oxygen level: SpO2 at or below the cut-off of ``data/signs.yaml`` ("SpO2 91% on air"), or
    PaO2 below its cut-off."""
    cut = load_rules().signs
    low = line.low
    if (
        "sat" not in low
        and "o2" not in low
        and "oxygen" not in low
        and "oxim" not in low
        and "finger" not in low
        and "pulse" not in low
    ):
        return None
    for pattern in (_SATURATION, _LAY_SATURATION):
        for reading in pattern.finditer(line.text):  # "SpO2 96% on air, then to 88%": any low reading
            if int(reading.group("value")) <= cut.hypoxaemia_spo2_at_most:
                return _span(line, reading) if _about_this_episode(line) else None
    if (match := _PAO2.search(line.text)) and float(match.group("value")) < cut.hypoxaemia_pao2_below:
        return _span(line, match) if _about_this_episode(line) else None
    return None


_RESIDUAL = PATTERNS.get("signs.bladder_residual")
_RESIDUAL_WORDS = PATTERNS.gate("signs.bladder_residual")


def retention(line: Line) -> Span | None:
    """A large bladder: a post-void residual or scanned volume at or above the cut-off of
    ``data/signs.yaml`` ("post-void residual 800 ml", "bladder scan 950 mL")."""
    if not any(word in line.low for word in _RESIDUAL_WORDS):
        return None
    at_least = load_rules().signs.retention_residual_ml_at_least
    for reading in _RESIDUAL.finditer(line.text):
        if int(reading.group("ml")) >= at_least and _about_this_episode(line):
            return _span(line, reading)
    return None


def hypotension(line: Line) -> Span | None:
    """A systolic blood pressure below the cut-off of ``data/signs.yaml`` ("BP 86/52", "blood pressure
    fell from 140/80 to 82/50")."""
    below = load_rules().signs.hypotension_systolic_below
    low = line.low
    if "bp" not in low and "pressure" not in low and "systolic" not in low:
        return None
    for word in _BP_WORD.finditer(line.text):
        for match in _BP_VALUE.finditer(line.text, word.end(), word.end() + _BP_REACH):
            if int(match.group("systolic")) < below and _about_this_episode(line):
                return _span(line, match)
    if "systolic" in low:
        for told in _SYSTOLIC.finditer(line.text):
            value = int(told.group("systolic") or told.group("alone") or told.group("decade"))
            if value < below and _about_this_episode(line):
                return _span(line, told)
    return None


def oxygen_flow(line: Line) -> Span | None:
    """Oxygen given, told by its flow ("SpO2 96% on 4 L", "oxygen 2 L/min")."""
    low = line.low
    if "oxygen" not in low and "o2" not in low and "%" not in low:
        return None
    match = _OXYGEN.search(line.text)
    return _span(line, match) if match and _about_this_episode(line) else None


def volumes(line: Line) -> list[tuple[float, Span, bool]]:
    """Cement volumes: (mL, span, stated as the total)."""
    found: list[tuple[float, Span, bool]] = []
    for match in _VOLUME.finditer(line.text):
        before = line.text[max(0, match.start() - 16) : match.start()]
        near = re.split(r"[,;(]", line.text[max(0, match.start() - 30) : match.start()])[-1]
        if _NOT_CEMENT_BEFORE.search(near):
            continue  # in its own clause: "balloons inflated to 3.0 ml each, then 4.5 ml of cement"
        total = bool(_TOTAL.search(before) or _TOTAL_AFTER.match(line.text, match.end()))
        # "1.5 mL left and 2.0 mL right (3.5 mL)": a bracketed sum after the parts
        total = total or (bool(found) and before.rstrip().endswith("("))
        if match.group("v"):
            value = float(match.group("v").replace(",", "."))
        else:
            value = _WORD_ML[match.group("w").lower()] + (0.5 if match.group("half") else 0.0)
        found.append((value, _span(line, match), total))
    return found


def approach_by_needles(line: Line) -> tuple[str, Span] | None:
    low = line.low
    if not any(word in low for word in ("pedic", "needle", "trocar", "cannul", "tamp", "balloon")):
        return None
    match = _BOTH_SIDES.search(line.text)
    return ("bilateral", _span(line, match)) if match else None


def fracture_pain(line: Line, pain: Hit) -> bool:
    """Back pain that the sentence gives as the reason for the augmentation, or as eased or gone."""
    if "resolved" in pain.mods and not (line.kept("progression") or _BACK_AGAIN.search(line.text)):
        return True  # "her back pain has responded well", "the pain is much better" (and is not back)
    if _INDICATION_LINE.match(line.text):
        return True  # "Indication: painful T7 haemangioma; 9 months of thoracic pain despite analgesia"
    offset = line.sentence.start
    for procedure in line.of("procedure"):
        if procedure.start >= pain.end:
            gap = line.text[pain.end - offset : procedure.start - offset]
            if _LED_TO.search(gap) and not _AFTER_IT.search(gap):
                return True
        elif _FOR_PAIN.match(gap := line.text[procedure.end - offset : pain.start - offset]):
            return True
        elif _FOR_WHAT_HAD.search(gap):
            return True  # "vertebroplasty for a haemangioma that had been giving her back pain"
        elif _RESULT_FOR_PAIN.search(gap):
            return True  # "vertebroplasty ... with a good result for the back pain"
    return False
