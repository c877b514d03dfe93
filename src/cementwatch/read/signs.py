"""What the reader takes from patterns rather than from terms: motor grades and their side, "power
full", AIS grades, oxygen saturation (also read off a home finger clip) and oxygen flow, a low blood
pressure, cement volumes, the approach told by the needles, and whether a back pain is the
fracture's own.

Every function reads one sentence (``lines.Line``) and returns spans into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cementwatch.case import MotorGrade, Side, Span
from cementwatch.read.lines import Hit, Line
from cementwatch.read.rules import load_rules

_GRADE = re.compile(
    # "4+/5", "2 out of 5" (lay), "3 of 5", not a disc "L4/5" nor "3 of 5 levels"
    r"(?<![\d/.A-Za-z])(?P<grade>[0-5])\s*(?P<mod>[+-])?\s*"
    r"(?:/|\s+out\s+of\s+|\s+of\s+(?=5\b(?!\s*(?:level|vertebra|segment|patient|case|day|week|month|year|session))))"
    r"\s*5(?!\d)|"
    # "two out of five"
    r"\b(?P<word>zero|one|two|three|four|five)\s+out\s+of\s+five\b|"
    # "IV/V"
    r"(?<![A-Za-z/])(?P<roman3>(?-i:IV|III|II|I|V))\s*/\s*(?-i:V)\b(?!/)|"
    # "grade 3", "MRC 4-", "Oxford 4", "strength is grade 3.", not a sub-graded scale such as "ESCC grade 1a"
    r"\b(?:grade|graded|mrc|power|oxford)\s*(?:of\s*|is\s*|was\s*)?(?P<grade2>[0-5])(?P<mod2>[+-])?"
    r"(?![\d/]|\.\d|[a-z])|"
    # "muscle strength grade V", "iliopsoas grade IV", "graded III on the MRC scale" (after a muscle)
    r"\b(?:(?P<strength>power|strength)\s+(?:is\s+|was\s+)?)?graded?\s+(?P<roman>(?-i:IV|V|III|II|I))\b(?!/)",
    re.I,
)
_WORD_GRADE = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_OTHER_SCALE = re.compile(
    r"(?:genant|nurick|frankel|asia|ais|tomita|meyerding|dindo|clavien|who|ecog)\s*$", re.I
)
_GRADED_NOT_POWER = re.compile(
    r"\s*(?:\w+[\s-]+)?(?:\w*listhesis|slip|spondyl|fracture|compression|collapse|wedg|endoleak|stenosis|"
    r"degenerat|leak|extravasat|cement|dis[ck]|tear|lesion|tumou?r|sprain|steatosis|modic|pfirrmann|reflux|"
    r"varic|hydronephrosis|chondr|arthr|dysplasia|fatty|facet|osteo|sclerosis|oedema|edema|signal)",
    re.I,
)  # what a "grade" describes when it is not muscle power ("grade 1 anterolisthesis")
_NOT_A_GRADE = re.compile(r"(?:lower|less|weaker|worse|better|more|greater)\s+than\s*$|[<>]\s*$", re.I)
_POWER_FULL = re.compile(
    r"\b(?:power|strength)\s+(?:is\s+|was\s+)?(?:(?:reported|recorded|documented|noted|found)\s+(?:as\s+|to\s+be\s+)?)?"
    r"(?:full|normal|5/5\s+throughout|preserved|intact)\b"
    r"|\bfull\s+(?:motor\s+)?(?:power|strength)\b"  # "with full power and sensation"
    # "5/5 in all myotomes", "MRC 5/5 throughout", "Power: 5/5 bilat LL"
    r"|(?<![\d/])5\s*/\s*5\s+(?:in\s+all|in\s+every|throughout|all\s+groups|globally|bilat\w*|in\s+both)"
    r"|\bno\s+loss\s+of\s+(?:power|strength|motor\s+function)\b"
    # "muscle strength of both legs is normal"
    r"|\b(?:muscle\s+)?(?:strength|power)\s+(?:of|in)\s+(?:\w+\s+){1,3}(?:is|was|are|were)\s+(?:normal|full|preserved|intact)\b"
    r"|\b(?:strength|power)\s+(?:is\s+|was\s+)?preserved\s+in\s+(?:all|every|each)\b",
    re.I,
)
_DENIED_BEFORE = re.compile(r"\b(?:not|n't|no|without|lacks?|lacking)\W+(?:\w+\W+){0,2}$", re.I)
_ASIA = re.compile(r"\b(?:ASIA|AIS)(?:\s+(?:grade|impairment\s+scale))?\s*[:=]?\s*(?P<grade>[A-E])\b")
_JUST_AFTER = re.compile(
    r"^\s*(?:\(|on\s+(?:the\s+)?|in\s+(?:the\s+)?|at\s+(?:the\s+)?|over\s+(?:the\s+)?)?$", re.I
)
_SIDE_REACH = 80  # characters: a side this far before a grade may be its side

_SATURATION = re.compile(
    r"\b(?:spo2|sao2|o2\s*sat(?:uration)?s?|sats?|saturating|(?:oxygen\s+)?saturations?)\s*"
    r"(?:of|was|were|is|at|to|(?:fell|dropped|decreased|declined|down)(?:\s+from\s+\d{2}\s*%)?\s+to|:|=)?\s*"
    r"(?P<value>\d{2})\s*(?:%|percent\b|per\s+cent\b|(?=\s+on\s+(?:room\s+)?air\b|\s+on\s+\d|\s+ra\b))",
    re.I,
)
# a saturation told in lay words: "the finger clip says 89%", "her oxygen level was 88%"
_LAY_SATURATION = re.compile(
    r"\b(?:oxygen\s+(?:level|reading|saturation)s?|oximeter|pulse\s*ox|finger\s+(?:clip|probe|monitor|thing))\b"
    r"[^.%;]{0,40}?\b(?P<value>\d{2})\s*(?:%|percent\b|per\s+cent\b)",
    re.I,
)
_PAO2 = re.compile(r"\bpao2\s*(?:of|was|:|=)?\s*(?P<value>\d{2,3}(?:\.\d)?)\s*mm\s*hg", re.I)
_BP_WORD = re.compile(r"\b(?:bp|blood\s+pressure|nibp|sbp|systolic)\b", re.I)
_BP_VALUE = re.compile(r"(?<![\d/.])(?P<systolic>\d{2,3})\s*(?:/\s*\d{2,3}(?![\d/])|mm\s*hg)", re.I)
_BP_REACH = 40  # characters after "BP" where its values are written
# a systolic pressure told alone: "systolic of 78", "BP 75 systolic", "systolic in the 70s"
_SYSTOLIC = re.compile(
    r"\bsystolic(?:\s+(?:bp|blood\s+pressure|pressure))?\s*(?:of|was|is|at|:|=|(?:dropped|fell|down)\s+to)?\s*"
    r"(?P<systolic>\d{2,3})\b(?!\s*/)|\b(?P<alone>\d{2,3})\s+systolic\b|"
    r"\bsystolic(?:\s+(?:bp|blood\s+pressure|pressure))?\s+in\s+the\s+(?P<decade>[4-8]0)s\b",
    re.I,
)
# oxygen by its flow: "96% on 4 L", "oxygen 2 L/min", "3 litres of oxygen"
_OXYGEN = re.compile(
    r"\b(?:oxygen|o2)\s+(?:at\s+)?\d+(?:\.\d+)?\s*(?:l|litres?|liters?)\b|"
    r"\b\d+(?:\.\d+)?\s*(?:l|litres?|liters?)(?:\s*/\s*min|\s+per\s+minute)?\s+(?:of\s+)?(?:oxygen|o2)\b|"
    r"%\s*on\s+\d+(?:\.\d+)?\s*(?:l|litres?|liters?)\b",
    re.I,
)

_VOLUME = re.compile(
    r"(?:(?P<v>\d+(?:[.,]\d+)?)|\b(?P<w>one|two|three|four|five|six|seven|eight|nine|ten)(?P<half>\s+and\s+a\s+half)?)"
    r"\s*(?:ml|cc|cm3|cm³|ccs|millilitres?|milliliters?|mls)\b",
    re.I,
)
_WORD_ML = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# a volume of something else told beside the cement's: "balloons inflated to 3.0 ml each"
_NOT_CEMENT_BEFORE = re.compile(
    r"balloon|inflat|contrast|saline|lidocaine|lignocaine|bupivacaine|anaesthetic", re.I
)
_TOTAL = re.compile(
    r"\btotal\b|\bfinal\s+(?:cement\s+)?volume\b|=\s*$", re.I
)  # "a total of 4 mL", "= 4.5 mL"
_TOTAL_AFTER = re.compile(r"\s*(?:\w+\s+)?(?:in\s+)?total\b", re.I)  # "4.5 mL in total"

# the approach told by the needles: "trocars through both pedicles", "needles placed bilaterally"
_BOTH_SIDES = re.compile(
    r"\b(?:both|two|bilateral(?:ly)?)\s+(?:\w+\s+){0,2}(?:pedicles|transpedicular|pedicular|needles|trocars|"
    r"cannulae|cannulas|tamps|balloons)\b|\b(?:pedicles|transpedicular|pedicular|needles|trocars|cannulae|cannulas|"
    r"tamps|balloons)\s+(?:\w+\s+){0,3}(?:bilaterally|on\s+both\s+sides?|from\s+both\s+sides?)\b",
    re.I,
)

# the fracture's own pain, not a complication: "back pain ... candidate for vertebroplasty",
# "vertebroplasty for severe back pain"
_LED_TO = re.compile(
    r"\b(?:candidate|underw|undergo|referred\s+for|treated\s+(?:with|by)|indicat|schedul|offered|prompt|"
    r"for\s+which|managed\s+(?:with|by)|lead\s+to|leading\s+to|led\s+to)",
    re.I,
)
# the lesion treated, told as the long-standing cause of the pain
_FOR_WHAT_HAD = re.compile(
    r"^[^.;]{0,60}?\bfor\b[^.;]{0,80}?\b(?:that|which)\s+had\s+(?:been\s+)?(?:giving|causing|caused|given)\b",
    re.I,
)
_INDICATION_LINE = re.compile(
    r"\s*(?:indications?|reason\s+for\s+(?:the\s+)?(?:procedure|referral))\s*:", re.I
)
_AFTER_IT = re.compile(r"\b(?:after|following|post|since)\b", re.I)
_FOR_PAIN = re.compile(r"^\s*(?:(?:of|at|on)\s+\w+\s+)?for\s+(?:\w+\s+){0,2}$", re.I)
_BACK_AGAIN = re.compile(r"\b(?:worse\w*|recur\w*|return\w*|again|relaps\w*|new|now)\b", re.I)


def _span(line: Line, match: re.Match[str]) -> Span:
    start = line.sentence.start + match.start()
    return Span(start=start, end=start + len(match.group()), text=match.group())


def grades(line: Line, text: str) -> list[MotorGrade]:
    """MRC grades: "2/5 over right iliopsoas", "4+/5", "grade 3 ankle dorsiflexion", "MRC 4-"."""
    muscles = line.of("muscle")
    sides = line.of("side")
    found: list[MotorGrade] = table_grades(line, text)
    for match in _GRADE.finditer(line.text):
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
            grade = _WORD_GRADE[word.lower()] if word else int(match.group("grade") or match.group("grade2"))
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
_SIDE_PAIR = re.compile(
    r"\s*[:=-]?\s*(?:(?P<r1>R|Rt|right)\s*[:=]?\s*(?P<right>[0-5][+-]?)\s*[,/;]?\s*(?:L|Lt|left)\s*[:=]?\s*"
    r"(?P<left>[0-5][+-]?)|(?:L|Lt|left)\s*[:=]?\s*(?P<left2>[0-5][+-]?)\s*[,/;]?\s*(?:R|Rt|right)\s*[:=]?\s*"
    r"(?P<right2>[0-5][+-]?))(?![\d/.])",
    re.I,
)


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
_BARE_GRADE = re.compile(r"\s*(?P<grade>[0-5])(?P<mod>[+-])?(?=\s*(?:[,;)]|and\b|$))")


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
    return False
