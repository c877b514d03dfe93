"""Wordings met in text written by other people (documents 065-100), each tested with a paraphrase
in new words: contracted and trailing negations, inline safety-net advice, disc levels that look
like motor grades, other people's stories, vital signs, and timing phrases."""

from __future__ import annotations

import pytest

from cementwatch.assess import assess
from cementwatch.case import Case
from cementwatch.read import read_case

PROCEDURE = "Vertebroplasty of T11 on 3 March 2024. "


def present(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "present"}


def absent(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "absent"}


def grades(case: Case) -> set[int]:
    return {g.grade for g in case.findings.motor_grades}


# --- negation -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("My arms and legs aren't weak at all.", "motor_weakness"),
        ("He isn't numb anywhere.", "sensory_deficit"),
        ("I haven't had any chest pain.", "chest_pain"),
        ("She wasn’t breathless on the stairs.", "dyspnea"),
        ("The nurse wanted to know about breathlessness and I haven't, not once.", "dyspnea"),
        ("Breathlessness on the stairs or at night - never once, he says.", "dyspnea"),
        ("Bladder and bowel function unaffected.", "bladder_dysfunction"),
    ],
)
def test_contracted_and_trailing_negations(text: str, kind: str) -> None:
    case = read_case(PROCEDURE + text)
    assert kind in absent(case)
    assert kind not in present(case)


@pytest.mark.parametrize(
    "text",
    [
        "I don't know why my legs are weak now.",
        "She hasn't been able to pass urine since Sunday.",
        "I'm not sure why my feet feel numb.",
    ],
)
def test_uncertainty_or_inability_is_not_a_denial(text: str) -> None:
    assert present(read_case(PROCEDURE + text))


def test_inline_safety_net_advice_is_not_a_finding() -> None:
    case = read_case(
        PROCEDURE
        + "Discharged home; safety netting done (new numbness, foot drop, urinary problems - come back)."
    )
    assert not present(case) & {"sensory_deficit", "motor_weakness", "bladder_dysfunction"}


@pytest.mark.parametrize("text", ["Disc bulge at C5/6 and L3/4 facet joints.", "Mild L4/5 degeneration."])
def test_a_disc_level_is_not_a_motor_grade(text: str) -> None:
    case = read_case(PROCEDURE + text + " Power 5/5 in both legs.")
    assert grades(case) == {5}
    assert "motor_weakness" not in present(case)
    assert assess(case).urgency.value != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "Cement bulges behind T11 with slight dural sac effacement.",
        "A cement tongue at T11 exerts mass effect on the thecal sac.",
    ],
)
def test_cement_pressing_on_the_sac_is_outside_the_dura(text: str) -> None:
    found = {(leak.location.value, leak.status.value) for leak in read_case(PROCEDURE + text).leaks}
    assert ("intradural", "present") not in found


@pytest.mark.parametrize(
    "text",
    [
        "Kyphoplasty was discussed at the spinal meeting but was not undertaken: she improved in a brace.",
        "We debated whether kyphoplasty would help; it was deferred.",
        "Cement augmentation is held in reserve should the pain persist.",
        "The team recommended kyphoplasty at a later date.",
        "Discuss kyphoplasty of L2 at the next meeting if the brace fails.",
    ],
)
def test_an_augmentation_talked_about_is_not_done(text: str) -> None:
    assert read_case("Osteoporotic L2 fracture in a 58-year-old man. " + text).procedures == []


def test_an_augmentation_done_is_kept_beside_advice() -> None:
    case = read_case("Kyphoplasty of L2 was performed on 4 May. Physiotherapy was advised.")
    assert [p.kind.value for p in case.procedures] == ["kyphoplasty"]


# --- other people ---------------------------------------------------------------------------------
def test_a_relatives_story_in_the_patients_own_message_is_not_the_patient() -> None:
    case = read_case(
        "I'm 66 and I had my vertebroplasty at T12 ten days ago; the scan after it was clear. "
        "My brother had a kyphoplasty last year and his cement went up into his lungs. "
        "He was short of breath for weeks. Should I worry?"
    )
    assert [p.kind.value for p in case.procedures] == ["vertebroplasty"]
    assert not {leak.location.value for leak in case.leaks if leak.status.value == "present"}
    assert "dyspnea" not in present(case)


def test_a_carer_writing_about_a_relative_is_writing_about_the_patient() -> None:
    case = read_case(
        "My husband had a kyphoplasty at L1 last week. Since yesterday he cannot move either leg. "
        "I am 70 and scared."
    )
    assert [p.kind.value for p in case.procedures] == ["kyphoplasty"]
    assert "paraplegia" in present(case) or "motor_weakness" in present(case)
    assert assess(case).urgency.value == "emergency"


def test_similar_posts_under_a_message_are_other_people() -> None:
    case = read_case(
        "Dad had a kyphoplasty at L3 on Monday and is doing well.\n\nSimilar posts\n"
        "- Cement leaked into my lungs after my vertebroplasty\n"
    )
    assert not case.leaks


# --- lay weakness ---------------------------------------------------------------------------------
def test_lay_grades_out_of_five_on_both_sides_are_a_paraparesis() -> None:
    case = read_case(PROCEDURE + "The doctor scored his left leg 3 out of 5 and the right leg 4 out of 5.")
    assert grades(case) == {3, 4}
    assert {"motor_weakness", "paraparesis"} <= present(case)


@pytest.mark.parametrize(
    "text",
    ["Since Friday his legs have been getting weaker.", "This morning her legs buckled on the stairs."],
)
def test_lay_words_for_failing_legs_are_weakness(text: str) -> None:
    case = read_case(PROCEDURE + text)
    assert "motor_weakness" in present(case)
    assert assess(case).urgency.value == "emergency"


# --- cardiorespiratory signs ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Overnight she complained of pressure over the middle of her chest.",
        "He describes a sharp pain in the left side of his chest on breathing in.",
    ],
)
def test_pain_placed_in_the_chest_is_chest_pain(text: str) -> None:
    case = read_case(PROCEDURE + text)
    assert "chest_pain" in present(case)


@pytest.mark.parametrize(
    "text",
    [
        "A belt-like pain around the chest at the level of the nipples.",
        "Pain over the left chest wall at T11 with a numb strip below it.",
    ],
)
def test_a_band_of_pain_or_chest_wall_pain_is_not_chest_pain(text: str) -> None:
    assert "chest_pain" not in present(read_case(PROCEDURE + text))


def test_a_later_low_saturation_in_the_same_sentence_is_hypoxaemia() -> None:
    case = read_case(PROCEDURE + "Heart rate rose to 130 and saturations to 87% on room air.")
    assert "hypoxemia" in present(case)


def test_oxygen_told_by_its_flow_in_shorthand() -> None:
    case = read_case(PROCEDURE + "SpO2 90% on air, 96% with O2 3 L/min via nasal specs.")
    assert "oxygen" in {t.kind.value for t in case.treatments if t.status.value == "done"}


# --- leak places and their treatment ----------------------------------------------------------------
def test_cement_beyond_the_foramen_and_a_canal_that_contains_none() -> None:
    case = read_case(
        PROCEDURE + "CT: a cement blob in the left psoas just outside the T11/T12 foramen; "
        "the spinal canal and the exit foramina contain no cement."
    )
    found = {(leak.location.value, leak.status.value) for leak in case.leaks}
    assert ("paravertebral", "present") in found
    assert ("foraminal", "present") not in found and ("epidural", "present") not in found
    assert ("epidural", "absent") in found


def test_cement_lifted_out_at_operation_is_a_removal() -> None:
    case = read_case(PROCEDURE + "At surgery the cement was teased out of the foramen in one piece.")
    assert "cement_removal" in {t.kind.value for t in case.treatments if t.status.value == "done"}


def test_seen_in_our_clinic_is_the_presentation() -> None:
    case = read_case(PROCEDURE + "Groin pain from the next day. She was seen in our clinic on 17 March.")
    assert case.timeline.presentation_days == 14


# --- timeline -------------------------------------------------------------------------------------
def test_the_notes_own_date_is_the_presentation_of_symptoms_it_does_not_date() -> None:
    case = read_case(
        "Date seen: 12/06/2024 10:15\nPatient: 80, F\n\n"
        "Kyphoplasty of L2 on 02/06/2024. "
        "For the past three days she has had pain shooting into the left shin."
    )
    assert case.timeline.presentation_days == 10
    assert case.timeline.symptom_onset_days == 7


def test_a_note_date_does_not_override_a_dated_onset() -> None:
    case = read_case(
        "Date: 20 June 2024\n\nKyphoplasty of L2 on 2 June 2024. "
        "The morning after the operation her right leg felt heavy; it has since recovered."
    )
    assert case.timeline.symptom_onset_days == 1
    assert case.timeline.presentation_days == 1


# --- outcome --------------------------------------------------------------------------------------
OUTCOME_EPISODE = "Kyphoplasty of L3. On day 2 cement in the right L3 foramen caused burning shin pain. "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "After the root injection her leg pain dropped from 9 to 2 out of 10. Sensation stayed intact.",
            "improved",
        ),
        ("Strength remained normal throughout the admission. The pain score came down to 1/10.", "improved"),
        (
            "By the eight-week review his power had returned to 5/5 and he walks without an aid.",
            "full_recovery",
        ),
    ],
)
def test_outcomes_told_by_scores_and_normal_findings(text: str, expected: str) -> None:
    status = read_case(OUTCOME_EPISODE + text).outcome.status
    assert status is not None and status.value == expected


# --- scans and rhythms ----------------------------------------------------------------------------
def imaging(case: Case) -> set[str]:
    return {i.modality.value for i in case.imaging}


def test_a_scan_suggested_and_then_done_is_done() -> None:
    case = read_case(
        PROCEDURE + "Her GP suggested an MRI, which was performed a week later and showed a disc leak."
    )
    assert "mri" in imaging(case)


@pytest.mark.parametrize(
    "text",
    [
        "I have booked an MRI for Thursday and will call you with the result.",
        "Back to the spinal clinic in 3 months with a CT of the lumbar spine.",
    ],
)
def test_a_scan_booked_or_for_a_later_visit_is_not_done(text: str) -> None:
    assert not imaging(read_case(PROCEDURE + text))


def test_a_fast_irregular_rhythm_during_injection_is_an_arrhythmia() -> None:
    case = read_case(PROCEDURE + "During filling the trace showed a fast irregular rhythm at 160 per minute.")
    assert "arrhythmia" in present(case)


# --- patient and grades ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "age", "sex"),
    [
        ("Patient: Bartholomew Quayle, 77, M", 77, "male"),
        ("Patient: ODUYA, Florence    F    59 y    Hosp no 1234", 59, "female"),
        ("From: Ms Rosalind Achterberg (72)", 72, None),
    ],
)
def test_age_and_sex_in_a_header_line(header: str, age: int, sex: str | None) -> None:
    patient = read_case(header + "\n\n" + PROCEDURE).patient
    assert patient.age == age
    if sex is not None:
        assert patient.sex is not None and patient.sex.value == sex


def test_full_power_in_other_wordings_is_grade_five() -> None:
    case = read_case(PROCEDURE + "Examination: full motor power in all four limbs.")
    assert grades(case) == {5}
    assert "motor_weakness" in absent(case)


def test_a_grade_in_roman_numerals() -> None:
    assert grades(read_case(PROCEDURE + "Both legs: muscle power grade IV, reflexes brisk.")) == {4}


def test_full_power_denied_is_not_full_power() -> None:
    case = read_case(PROCEDURE + "She did not have full power in the right leg after the procedure.")
    assert "motor_weakness" not in absent(case)


# --- publications ---------------------------------------------------------------------------------
def test_inline_discussion_of_a_publication_is_literature() -> None:
    case = read_case(
        "Case report: A 70-year-old man had vertebroplasty of L1; "
        "fluoroscopy showed cement in the segmental vein.\n"
        "Discussion: Cement in the venous system can reach the lungs and the heart, and epidural cement may "
        "compress the cord.\n"
        "Keywords: vertebroplasty; embolism\n"
    )
    found = {leak.location.value for leak in case.leaks if leak.status.value == "present"}
    assert found == {"venous"}


def test_a_shunt_to_the_brain_is_no_heart_or_foramen_leak() -> None:
    case = read_case(
        PROCEDURE + "MRI of the head showed cement emboli in a middle cerebral artery branch. A bubble study "
        "on echocardiography found a patent foramen ovale and cement beside an atrial septal defect."
    )
    found = {leak.location.value for leak in case.leaks if leak.status.value == "present"}
    assert "other" in found and not found & {"foraminal", "cardiac"}
    assert "echocardiography" in imaging(case)


def test_a_bare_didnt_does_not_deny_what_follows() -> None:
    case = read_case(PROCEDURE + "She didn't tell anyone about the leaking urine for three days.")
    assert "bladder_dysfunction" in present(case)


def test_an_augmentation_performed_beside_advice_is_kept() -> None:
    case = read_case(
        "Kyphoplasty of L2 was performed and early mobilisation was advised. Cement in the L2/3 disc."
    )
    assert [p.kind.value for p in case.procedures] == ["kyphoplasty"]


def test_a_sensory_modality_named_as_lost_is_a_sensory_deficit() -> None:
    case = read_case(PROCEDURE + "Below the umbilicus light touch reduced on the left and pinprick absent.")
    assert "sensory_deficit" in present(case)


def test_pain_partway_through_filling_began_on_day_zero() -> None:
    case = read_case(
        "Kyphoplasty T9 on 5 May 2024. Midway through the cement filling he cried out with a shooting "
        "pain down the left leg."
    )
    assert case.timeline.symptom_onset_days == 0


def test_a_function_coming_back_beside_what_stayed_is_improved() -> None:
    status = read_case(
        OUTCOME_EPISODE
        + "At 2 months power is coming back in the right leg. She still needs a frame to walk."
    ).outcome.status
    assert status is not None and status.value == "improved"


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        (
            "Kyphoplasty L1 on 1 March. She presented on 12 March. "
            "Four days of worsening pain down the right leg.",
            7,
        ),
        ("Kyphoplasty L1 on 1 March 2024. From roughly the third day his feet felt numb.", 3),
    ],
)
def test_onset_told_by_a_duration_or_a_bare_day(text: str, onset: float) -> None:
    assert read_case(text).timeline.symptom_onset_days == onset


def test_a_day_of_the_admission_is_not_a_day_of_the_episode() -> None:
    case = read_case("Kyphoplasty L1 on 1 March 2024. On the second day of admission his feet felt numb.")
    assert case.timeline.symptom_onset_days != 2


def test_undated_oxygen_and_heparin_began_at_the_presentation() -> None:
    case = read_case(
        "Vertebroplasty T12 on 2 April. She came to the emergency department on 9 April with breathlessness; "
        "CT showed cement in the pulmonary arteries. Treated with oxygen by mask and a heparin infusion."
    )
    assert case.timeline.presentation_days == 7
    assert case.timeline.treatment_days == 7


def test_fragments_taken_from_the_lung_arteries_are_an_embolectomy_not_a_second_removal() -> None:
    case = read_case(
        PROCEDURE + "On bypass, two cement filaments were extracted from the pulmonary arteries. "
        "An attempt at catheter retrieval of the cement in the right ventricle had failed the day before."
    )
    kinds = {t.kind.value for t in case.treatments}
    assert "embolectomy" in kinds
    assert "endovascular_retrieval" in kinds


def test_no_longer_denies_only_what_is_near() -> None:
    status = read_case(
        OUTCOME_EPISODE + "Once the cement was no longer pressing on the root her pain improved."
    ).outcome.status
    assert status is not None and status.value == "improved"


def test_a_named_endovascular_retrieval_is_not_also_an_open_removal() -> None:
    case = read_case(
        PROCEDURE + "Percutaneous retrieval of the cement from the right atrium was carried out."
    )
    kinds = {t.kind.value for t in case.treatments}
    assert "endovascular_retrieval" in kinds and "cement_removal" not in kinds


def test_a_rough_span_gives_way_to_the_notes_exact_date() -> None:
    case = read_case(
        "Clinic note\nDate: 12.10.2024\n\nPKP of T12 done on 01.07.2024. "
        "Now new back pain since 7 days, around 3 months after the operation. No weakness."
    )
    assert case.timeline.presentation_days == 103
    assert case.timeline.symptom_onset_days == 96


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("She had vertebroplasty from T11 down to L1 in 2023.", ["T11", "T12", "L1"]),
        ("Kyphoplasty T6 through T8 was uneventful.", ["T6", "T7", "T8"]),
        (
            "Kyphoplasty at the four painful levels (T9, T11, L1 and L3) went well.",
            ["T9", "T11", "L1", "L3"],
        ),
    ],
)
def test_a_range_of_levels_told_in_words(text: str, levels: list[str]) -> None:
    assert read_case(text).procedures[0].levels == levels


def test_one_side_named_with_only_is_a_unilateral_approach() -> None:
    case = read_case("Kyphoplasty of L3 via the right pedicle only, PMMA 4 mL.")
    approach = case.procedures[0].approach
    assert approach is not None and approach.value == "unilateral"


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("Kyphoplasty of L1 on 26/11/2024. Since the night of the 3rd she has had numb feet.", 7),
        ("Kyphoplasty of L1 on 10 March 2024. From Sunday the 14th his right leg has felt weak.", 4),
    ],
)
def test_a_day_of_the_month_without_its_month(text: str, onset: float) -> None:
    assert read_case(text).timeline.symptom_onset_days == onset


def test_an_ordinal_rib_is_not_a_day_of_the_month() -> None:
    case = read_case(
        "Kyphoplasty of T7 on 10 March 2024. Since then band pain along the 7th rib on the left."
    )
    assert case.timeline.symptom_onset_days != 7


def test_known_paroxysmal_af_is_not_a_new_arrhythmia() -> None:
    case = read_case(
        "Patient: 80-year-old man. Known paroxysmal atrial fibrillation on warfarin. " + PROCEDURE
    )
    assert "arrhythmia" not in present(case)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The systolic pressure was 76 in resus.", "hypotension"),
        ("BP 74 systolic despite fluids.", "hypotension"),
        ("Systolic in the 60s on arrival.", "hypotension"),
        ("Saturations 86 on room air.", "hypoxemia"),
        ("Her pulse oximeter showed 85 percent.", "hypoxemia"),
        ("He looked centrally cyanosed.", "hypoxemia"),
        ("Her lips turned blue and she was gasping.", "dyspnea"),
    ],
)
def test_vital_signs_in_other_wordings(text: str, kind: str) -> None:
    assert kind in present(read_case(PROCEDURE + text))


@pytest.mark.parametrize("text", ["Systolic 135, diastolic 70.", "BP 125/75 with a soft systolic murmur."])
def test_normal_pressures_are_not_hypotension(text: str) -> None:
    assert "hypotension" not in present(read_case(PROCEDURE + text))


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("Kyphoplasty of L2. A fortnight later she developed numbness of the left foot.", 14),
        ("Kyphoplasty of L2. At her 6-week review she reported new numbness of the left foot.", 42),
        ("Kyphoplasty of L2. Half a year later she became breathless on the stairs.", 183.0),
        ("A 72-year-old had kyphoplasty of L2. Two days later she had leg weakness.", 2),
    ],
)
def test_more_relative_times(text: str, onset: float) -> None:
    assert read_case(text).timeline.symptom_onset_days == onset


# --- questions and answers ------------------------------------------------------------------------
def test_a_question_answered_no_denies_what_it_asked() -> None:
    case = read_case(
        PROCEDURE + "Numbness in the saddle area? No. Trouble passing water? Denies. Calf pain? Yes."
    )
    assert {"sensory_deficit", "bladder_dysfunction"} <= absent(case)
    assert not present(case) & {"sensory_deficit", "bladder_dysfunction"}


def test_a_question_answered_yes_stands() -> None:
    case = read_case(PROCEDURE + "Any weakness in the legs? No. Any chest pain? Yes, since this morning.")
    assert "chest_pain" in present(case)
    assert "motor_weakness" in absent(case)


def test_a_bare_no_closing_the_sentence_is_a_denial() -> None:
    assert "dyspnea" in absent(read_case(PROCEDURE + "Shortness of breath - no."))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("His bladder and bowels are working normally.", "bladder_dysfunction"),
        ("No problems with her waterworks.", "bladder_dysfunction"),
    ],
)
def test_lay_sphincter_negations(text: str, kind: str) -> None:
    assert kind in absent(read_case(PROCEDURE + text))


@pytest.mark.parametrize("text", ["He cannot walk normally since Tuesday.", "Unable to pass urine normally."])
def test_normally_does_not_deny_an_inability(text: str) -> None:
    assert present(read_case(PROCEDURE + text))


def test_what_cement_can_do_in_general_is_not_a_leak() -> None:
    case = read_case(
        PROCEDURE + "The information sheet warned that cement may escape into the veins and the lungs."
    )
    assert not [leak for leak in case.leaks if leak.status.value == "present"]


def test_nothing_in_a_place_denies_cement_there() -> None:
    case = read_case(PROCEDURE + "Post-procedure CT: nothing in the canal.")
    assert ("epidural", "present") not in {(x.location.value, x.status.value) for x in case.leaks}


@pytest.mark.parametrize(
    "text",
    [
        "The painkillers haven’t touched the burning pain down my leg.",
        "The injection hasn't eased the numbness in her foot.",
    ],
)
def test_a_contracted_not_that_says_a_complaint_goes_on(text: str) -> None:
    assert present(read_case(PROCEDURE + text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Nothing has helped the shooting pain into his calf.", "radicular_pain"),
        ("Since Friday she can no longer walk to the bathroom.", "motor_weakness"),
        ("He says he can feel nothing from the waist down.", "sensory_deficit"),
    ],
)
def test_nothing_and_no_longer_in_complaints(text: str, kind: str) -> None:
    assert kind in present(read_case(PROCEDURE + text))


# --- lay symptom words ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Since Tuesday his legs feel like jelly.", "motor_weakness"),
        ("Her left foot flops and she keeps catching her toe on the carpet.", "motor_weakness"),
        ("He gets shooting pains from the buttock to the ankle.", "radicular_pain"),
        ("A burning in the thigh keeps her awake at night.", "radicular_pain"),
        ("She describes pain along the ribs on the right, like a belt.", "radicular_pain"),
        ("He wet the bed twice this week without waking.", "bladder_dysfunction"),
        ("She has not had a wee since breakfast.", "bladder_dysfunction"),
        ("He noticed missed beats and a fluttering in his chest.", "arrhythmia"),
    ],
)
def test_lay_symptom_words(text: str, kind: str) -> None:
    assert kind in present(read_case(PROCEDURE + text))


# --- questions, checks and general statements about cement -----------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Might this be cement in the canal pressing on a nerve?",
        "The registrar was not sure whether the cement reached the foramen.",
    ],
)
def test_a_leak_asked_about_or_doubted_is_possible(text: str) -> None:
    statuses = {leak.status.value for leak in read_case(PROCEDURE + text).leaks}
    assert statuses == {"possible"}


@pytest.mark.parametrize(
    "text",
    [
        "CT of the thoracic spine tonight to exclude cement in the canal.",
        "Please screen for cement in the pulmonary arteries.",
        "Apparently cement can occasionally travel to the heart.",
        "Epidural leakage is a recognised risk of the procedure.",
        "Can cement ever get into the spinal canal years later?",
    ],
)
def test_a_leak_looked_for_or_told_in_general_is_not_a_leak(text: str) -> None:
    assert not read_case(PROCEDURE + text).leaks


def test_sometimes_in_a_complaint_does_not_make_it_hypothetical() -> None:
    assert "motor_weakness" in present(
        read_case(PROCEDURE + "Her legs can sometimes give way on the stairs.")
    )


@pytest.mark.parametrize(
    "text",
    [
        "Family history: his father needed surgery for epidural cement after a kyphoplasty.\n"
        "Kyphoplasty of L4 on 2 June 2024, uneventful.",
        "Kyphoplasty of L4 on 2 June 2024, uneventful. Her sister underwent a vertebroplasty in 2020 "
        "that sent cement into the lungs.",
    ],
)
def test_a_relatives_augmentation_in_a_clinical_note_is_someone_else(text: str) -> None:
    case = read_case(text)
    assert [p.kind.value for p in case.procedures] == ["kyphoplasty"]
    assert not case.leaks


def test_the_patient_after_a_relatives_story_is_the_patient() -> None:
    case = read_case(
        "His brother had a kyphoplasty last year. He had a vertebroplasty of L2 on 3 May 2024 "
        "and now cannot lift his left foot."
    )
    assert "motor_weakness" in present(case)


# --- safety: denials that must not reach a complaint written before them ---------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Right leg weakness, left leg unaffected.",
        "Legs weak, arms are fine.",
        "My legs are weak and I haven't slept.",
        "It wasn't until Tuesday that the weakness started.",
        "Right leg weak, left leg working normally.",
    ],
)
def test_a_denial_of_something_else_leaves_the_weakness(text: str) -> None:
    case = read_case(PROCEDURE + text)
    assert "motor_weakness" in present(case)
    assert assess(case).urgency.value == "emergency"
