"""Phenomena met in documents 181-220 (written by someone else), each tested with a paraphrase in new
words: grades of other scales, Roman-numeral muscle grades, symptoms at the end of or halfway through
the injection, band-like chest-wall pain, a laminectomy told in lay words, an inline header whose
sentence runs on to the next line, record-system dates ("27-Feb-2025"), a procedure dated by its
weekday, and a relative's age told with the relative's name."""

from __future__ import annotations

import pytest

from cementwatch.case import Case
from cementwatch.read import read_case


def present(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "present"}


def worst_grade(case: Case) -> int | None:
    grades = [g.grade for g in case.findings.motor_grades]
    return min(grades) if grades else None


# --- grades ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Kyphoplasty of T9 last year. Staging MRI: epidural disease, ESCC grade 1b, cord not compressed.",
        "Vertebroplasty L1 in 2023. Bilsky grade 1c epidural tumour at T4 on today's scan.",
    ],
)
def test_a_sub_graded_scale_is_no_muscle_grade(text: str) -> None:
    case = read_case(text)
    assert worst_grade(case) is None
    assert "motor_weakness" not in present(case)


def test_roman_grades_after_a_muscle_are_muscle_grades() -> None:
    case = read_case(
        "Five days after the PKP of L3: left quadriceps grade IV, left tibialis anterior grade III, "
        "remaining muscles of both legs grade V."
    )
    assert worst_grade(case) == 3
    assert "motor_weakness" in present(case)


def test_a_roman_grade_of_a_slip_is_no_muscle_grade() -> None:
    case = read_case("Vertebroplasty of L2 last year. X-ray: grade II spondylolisthesis at L4/5.")
    assert worst_grade(case) is None


# --- the day of the symptoms --------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Vertebroplasty of T10 on 3 May 2025. Towards the end of the cement injection she became acutely "
        "short of breath with SpO2 85%.",
        "Kyphoplasty of L1 on 3 May 2025. Half way through the cement going in he cried out with pain "
        "shooting down the left leg.",
        "Sacroplasty on 3 May 2025. Since wakening from the sedation he has had burning pain in the right "
        "buttock and down the back of the thigh.",
    ],
)
def test_symptoms_during_the_injection_begin_on_day_0(text: str) -> None:
    case = read_case(text)
    assert case.timeline.symptom_onset_days == 0


def test_a_band_of_pain_round_the_chest_is_radicular() -> None:
    case = read_case("During the T8 vertebroplasty she felt pain wrapping round her left side like a belt.")
    assert "radicular_pain" in present(case)


@pytest.mark.parametrize(
    "text",
    [
        "After the kyphoplasty he was taken back to theatre, where they took the bone away from the back of "
        "two vertebrae and cleared the cement.",
        "Following her vertebroplasty the surgeon removed the roof of the spinal canal at T11.",
    ],
)
def test_a_laminectomy_told_in_lay_words(text: str) -> None:
    done = {t.kind.value for t in read_case(text).treatments if t.status.value == "done"}
    assert "laminectomy" in done


def test_safety_net_advice_in_a_plan_that_runs_on_to_the_next_line() -> None:
    case = read_case(
        "Vertebroplasty of L4 on Monday; back pain only, neurology normal.\n"
        "Plan: simple analgesia, home today, see GP next week; come back if any numbness or\n"
        "weakness in the legs or trouble passing water.\n"
    )
    assert not present(case) & {"motor_weakness", "sensory_deficit", "bladder_dysfunction"}


# --- dates ------------------------------------------------------------------------------------------
def test_record_system_dates_with_hyphens() -> None:
    case = read_case(
        "EMERGENCY DEPARTMENT\n12-Mar-2025 10:20\n\n"
        "Vertebroplasty of T12 on Mon 03-Mar. Since yesterday new pain round the right lower ribs."
    )
    assert case.timeline.symptom_onset_days == 8
    assert case.timeline.presentation_days == 9


def test_a_procedure_dated_by_its_weekday_in_a_dated_post() -> None:
    case = read_case(
        "Posted Sat 15 Mar 2025 by jennyw\n\n"
        "My dad had a kyphoplasty on Tuesday. Since Thursday he has been breathless climbing the stairs."
    )
    assert case.timeline.symptom_onset_days == 2


def test_a_relative_named_with_the_age() -> None:
    case = read_case("My wife Gloria is 74 and had a vertebroplasty of L2 last month.")
    assert case.patient.age == 74


# --- a negation aimed at a finding is not aimed at the procedure ----------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "She has not passed water since the kyphoplasty yesterday.",
        "No drop in saturation at any point during the vertebroplasty.",
        "Neither foot is weak after his T12 vertebroplasty.",
        "Seen after the L2 kyphoplasty: no sensory deficit.",
        "After the L3 vertebroplasty: reflexes intact and symmetrical.",
    ],
)
def test_the_procedure_stands_when_a_finding_is_denied(text: str) -> None:
    assert read_case(text).procedures, text


@pytest.mark.parametrize(
    "text",
    [
        "She has never had a vertebroplasty.",
        "No prior kyphoplasty.",
        "The kyphoplasty that her daughter asked about is not indicated.",
        "Vertebroplasty was discussed at the meeting but was not performed.",
    ],
)
def test_a_procedure_denied_in_words_is_not_read(text: str) -> None:
    assert not read_case(text).procedures, text
