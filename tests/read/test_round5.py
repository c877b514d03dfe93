"""Phenomena met in the tuning split 221-260 (written by someone else), each tested with a paraphrase in
new words: a procedure note about a later operation, tissue that "died", the story told across
sentences and clauses, record dates, dotted dates, minutes, compound numbers, lay wordings of the
foramen, of numb skin, of ileus and of an embolectomy, the approach written before the procedure, and
volumes told "in all"."""

from __future__ import annotations

import pytest

from cementwatch.case import Case
from cementwatch.read import read_case


def present(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "present"}


def done(case: Case) -> set[str]:
    return {t.kind.value for t in case.treatments if t.status.value == "done"}


def leaks(case: Case) -> set[str]:
    return {leak.location.value for leak in case.leaks if leak.status.value == "present"}


# --- the timeline -----------------------------------------------------------------------------------
def test_an_operation_note_on_a_later_operation_keeps_day_0_at_the_augmentation() -> None:
    case = read_case(
        "OPERATION NOTE\nDate of surgery: 20 May 2025\n\n"
        "Indication: vertebroplasty of L2 on 1 May 2025 elsewhere. Ten days later numbness of the left shin "
        "began.\nProcedure: left L2 hemilaminectomy and removal of the cement."
    )
    assert case.timeline.symptom_onset_days == 10
    assert case.timeline.treatment_days == 19


def test_a_symptom_told_again_at_discharge_began_earlier() -> None:
    case = read_case(
        "PVP of T9 on 03.03.2025. On the second day after operation pain in the left side of the chest "
        "when breathing. At discharge (10.03.2025) the chest pain was much less."
    )
    assert case.timeline.symptom_onset_days == 2


def test_a_clause_of_its_own_dates_the_first_complaint() -> None:
    case = read_case(
        "Kyphoplasty of L3 on 2 June 2025. His left calf began to ache about ten days after the procedure, "
        "and for the past week he has been tripping over his left foot."
    )
    assert case.timeline.symptom_onset_days == 10


def test_two_days_after_that_counts_on_across_an_undated_sentence() -> None:
    case = read_case(
        "I had a kyphoplasty in May. Around four days later a sharp pain started under my left ribs whenever "
        "I breathed in. I thought it was a strain. Three days after that my husband drove me to the ER."
    )
    assert case.timeline.symptom_onset_days == 4
    assert case.timeline.presentation_days == 7


def test_the_story_reaches_the_latest_day_a_clause_tells() -> None:
    case = read_case(
        "T10 vertebroplasty on 5 May 2025, home the next day. A day after going home his legs felt clumsy; "
        "on the ninth post-operative day he could not pass urine. Readmitted that evening."
    )
    assert case.timeline.symptom_onset_days == 2
    assert case.timeline.presentation_days == 9


def test_the_day_after_the_complication() -> None:
    case = read_case(
        "Kyphoplasty of L4 on 2 March 2025. Within an hour of the procedure she had a right hemiparesis "
        "from a cement embolus in a cerebral artery. Clopidogrel was started the day after the stroke."
    )
    assert case.timeline.treatment_days == 1
    assert "other" in leaks(case)


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        (
            "Vertebroplasty of T8 on 3 May 2025. Some twenty minutes after the procedure his legs went weak.",
            0,
        ),
        (
            "Kyphoplasty of L1 on 3 May 2025. Thirty-one days later she developed burning pain in the thigh.",
            31,
        ),
        ("PVP of L2 on 4 Oct. 2025; from Oct. 9 burning pain down the right leg.", 5),
    ],
)
def test_minutes_compound_numbers_and_short_months(text: str, onset: int) -> None:
    assert read_case(text).timeline.symptom_onset_days == onset


def test_record_dates_and_dotted_dates() -> None:
    case = read_case(
        "PVP of L1 on 10.05.2025. Breathless on 12.05. Treatment from 12.05: oxygen and heparin."
    )
    assert case.timeline.treatment_days == 2


# --- words --------------------------------------------------------------------------------------
def test_tissue_that_died_is_not_the_patient() -> None:
    case = read_case(
        "After my vertebroplasty a piece of cement blocked a lung artery and part of my lung died. "
        "They took the cement out of the artery and I am home now."
    )
    assert case.outcome.status is None or case.outcome.status.value != "died"
    assert "embolectomy" in done(case)


def test_lay_foramen_and_numb_skin() -> None:
    case = read_case(
        "After my kyphoplasty the scan showed some cement in the hole where the L2 nerve comes out, and the "
        "skin over my right thigh feels dead."
    )
    assert "foraminal" in leaks(case)
    assert "sensory_deficit" in present(case)


def test_a_swollen_tummy_and_no_wind_is_an_ileus() -> None:
    case = read_case(
        "Mum had a kyphoplasty on Monday. Her belly is blown up like a drum and she hasn't passed wind."
    )
    assert "ileus" in present(case)


def test_approach_before_the_procedure_and_a_volume_in_all() -> None:
    case = read_case("Bilateral L2 vertebroplasty: 2 mL each side, 4 mL in all.")
    procedure = case.procedures[0]
    assert procedure.approach == "bilateral"
    assert procedure.cement_volume_ml == 4.0


def test_a_sender_who_gives_an_age_is_the_patient() -> None:
    case = read_case(
        "From: Mrs Edith Marsh (72)\nSubject: my vertebroplasty\n\nI had a vertebroplasty last week."
    )
    assert case.patient.sex is not None and case.patient.sex.value == "female"
    assert case.patient.age == 72


def test_safety_net_call_if() -> None:
    case = read_case("L1 kyphoplasty yesterday, neurology normal. Call if any weakness or retention.")
    assert not present(case) & {"motor_weakness", "bladder_dysfunction"}


def test_cement_outside_the_canal_clears_the_canal_and_a_removal_peeled_off() -> None:
    case = read_case(
        "After my vertebroplasty the scan showed cement outside the spinal canal, pressing on the L2 root. "
        "I rang the hospital and they had me back in; the surgeon peeled the cement off the nerve."
    )
    absent = {leak.location.value for leak in case.leaks if leak.status.value == "absent"}
    assert "epidural" in absent and "epidural" not in leaks(case)
    assert "cement_removal" in done(case)


def test_a_forum_breadcrumb_names_no_procedure_but_an_examination_stays() -> None:
    case = read_case("Patients' Forum > Kyphoplasty\n\nMy back still aches but the scan was fine.")
    assert not case.procedures
    weak = read_case("Kyphoplasty of L1 yesterday.\nPower: hip flexion 3/5, weakness L > R\n")
    assert "motor_weakness" in present(weak)


def test_a_lay_story_of_pulmonary_embolism_reads_its_signs() -> None:
    """The under-triaged document of the split 301-340 (fixed after it was seen), in other words."""
    case = read_case(
        "I had a kyphoplasty at L1 on Monday. On Wednesday evening I had a tight band across my chest, "
        "my heart was really racing and I couldn't catch my breath. At the hospital my oxygen was 88% and my "
        "heart was in atrial fibrillation, which I have never had before."
    )
    assert {"chest_pain", "dyspnea", "hypoxemia", "arrhythmia"} <= present(case)
