"""Phenomena met in documents 141-180 (written by someone else), each tested with a paraphrase in new
words: outcomes told in many styles, procedures only proposed or another person's, events anchored on
the procedure or on the note, ages from headers and dates of birth, lists of clear compartments, MRC
lists, lay wordings of canal cement, weakness of both legs and retention, and safety-net advice."""

from __future__ import annotations

import pytest

from cementwatch.case import Case
from cementwatch.read import read_case

_INDEX = "Vertebroplasty of L2 on 3 March 2024. Next day she had burning pain down the left thigh. "


def present(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "present"}


def leaks(case: Case) -> set[str]:
    return {leak.location.value for leak in case.leaks if leak.status.value == "present"}


def absent_leaks(case: Case) -> set[str]:
    return {leak.location.value for leak in case.leaks if leak.status.value == "absent"}


def kinds(case: Case) -> set[str]:
    return {p.kind.value for p in case.procedures}


def outcome(text: str) -> str | None:
    status = read_case(_INDEX + text).outcome.status
    return status.value if status else None


# --- outcome ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("told", "expected"),
    [
        # free of the complaint, or home without it
        ("Seen in clinic at six weeks: completely pain-free.", "full_recovery"),
        ("She went home on day 4 with no leg pain.", "full_recovery"),
        ("Two months on there have been no further attacks.", "full_recovery"),
        ("By the summer she was back to her usual self.", "full_recovery"),
        ("Her discharge was in good state.", "full_recovery"),
        # a clause of its own after a negation elsewhere
        ("She left hospital without a catheter, and was symptom free by the review.", "full_recovery"),
        # walking again with an aid, or stronger: better only
        ("At review she mobilises independently with two sticks.", "improved"),
        ("Her legs are getting stronger and the feeling is partly coming back.", "improved"),
        ("Numbness persists in the shin but she walks unaided.", "improved"),
        # the symptom told as going away
        ("On the second day the thigh pain went away.", "improved"),
        # deaths told in other words
        ("Sadly she did not survive the admission.", "died"),
        ("Mum passed on peacefully a week later.", "died"),
    ],
)
def test_outcomes_told_in_other_words(told: str, expected: str) -> None:
    assert outcome(told) == expected


def test_a_negation_before_a_new_clause_does_not_deny_the_recovery() -> None:
    # "without" reaches "symptoms" only within its own clause
    assert outcome("He was discharged without oxygen, and is free of symptoms now.") == "full_recovery"


# --- procedures not done to this patient -----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Clinic letter. She may be a candidate for kyphoplasty of T11; we will discuss it again.",
        "Her surgeon offered vertebroplasty of L3 but she wants to wait. Back pain 6/10.",
        "My specialist wants me to have a vertebroplasty next week for my L1 fracture.",
        "Spine clinic review in 8 weeks; vertebroplasty could be reconsidered if the pain continues.",
    ],
)
def test_proposed_procedures_are_not_procedures(text: str) -> None:
    assert kinds(read_case(text)) == set()


def test_a_complication_as_the_literature_describes_it_is_not_this_patient() -> None:
    case = read_case(
        "Hip hemiarthroplasty with cemented stem. The hypotension differs from the embolism reported after "
        "kyphoplasty in mechanism."
    )
    assert "kyphoplasty" not in kinds(case)


def test_a_reply_about_a_relative_is_someone_else() -> None:
    text = (
        "Writing for my mum, who is 79. She had a kyphoplasty at T12 last week and is sore but walking.\n"
        "Reply: My uncle had the same, his kyphoplasty leaked into a vein and he was fine."
    )
    case = read_case(text)
    assert "venous" not in leaks(case)


def test_a_relative_of_the_patient_with_cement_in_the_lungs_is_someone_else() -> None:
    text = (
        "Referral for consideration of vertebroplasty of L1. He is anxious because his sister-in-law "
        "ended up on a ward with cement in the lungs after her own procedure."
    )
    assert "pulmonary" not in leaks(read_case(text))


def test_a_writer_who_had_the_procedure_without_an_article_tells_the_others_apart() -> None:
    text = (
        "I had vertebroplasty for T9 in April and got chest pain the next day.\n"
        "Comment: My granny had kyphoplasty and got cement in her lungs too."
    )
    assert kinds(read_case(text)) == {"vertebroplasty"}


# --- timeline --------------------------------------------------------------------------------------
def onset(text: str) -> float | None:
    return read_case(text).timeline.symptom_onset_days


@pytest.mark.parametrize(
    "text",
    [
        "Kyphoplasty T12 on 2 May 2024. While the second level was being injected he became breathless.",
        "Kyphoplasty T12 on 2 May 2024. As the anaesthetic wore off she noticed both legs were numb.",
        "Kyphoplasty T12 on 2 May 2024. Straight after the procedure he had sharp pain in the right groin.",
    ],
)
def test_onset_during_or_straight_after_the_procedure_is_day_zero(text: str) -> None:
    assert onset(text) == 0.0


def test_a_date_written_after_the_procedure_does_not_date_the_symptom() -> None:
    text = (
        "Diagnosis: left L3 radicular pain from foraminal cement after vertebroplasty\n(10/04/2024).\n"
        "Admitted: 30/04/2024. History: a week of left thigh pain."
    )
    case = read_case(text)
    assert case.timeline.presentation_days == 20.0
    assert case.timeline.symptom_onset_days == 13.0


def test_a_presenting_complaint_since_a_day_is_the_onset_and_the_note_the_presentation() -> None:
    text = (
        "Seen: Mon 20/05/2024 10:00\n\nPresenting complaint: right leg pain since Friday.\n"
        "History: vertebroplasty L4 on Tuesday 14/05 for an osteoporotic fracture. Morphine given."
    )
    case = read_case(text)
    assert case.timeline.symptom_onset_days == 3.0
    assert case.timeline.presentation_days == 6.0
    assert case.timeline.treatment_days == 6.0  # pain relief the only care of the leak: given on presenting


def test_a_bare_day_of_the_month_dates_the_operation() -> None:
    text = (
        "Vertebroplasty L1 on Monday 3 June 2024. She woke with numb legs. "
        "She went to theatre on the Wednesday (the 5th) for a laminectomy."
    )
    assert read_case(text).timeline.treatment_days == 2.0


def test_pain_gone_by_a_day_is_no_onset() -> None:
    text = "Vertebroplasty L1 on 3 June 2024. Admitted: 20/06/2024. Progress: leg pain gone by day 2."
    assert read_case(text).timeline.symptom_onset_days != 2.0


# --- age -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "age"),
    [
        ("Name: A. Person    D.O.B.: 21/09/1950\nReport date: 02/03/2025", 74),
        ("Patient: B. Person   Date of birth 5 January 1944   Visit: 7 January 2025", 81),
        ("Name: C. Person  Sex: F  Age: 71Y", 71),
        ("Asking for my husband (he's 77), who had a kyphoplasty.", 77),
    ],
)
def test_age_from_headers_and_dates_of_birth(header: str, age: int) -> None:
    assert read_case(header + "\nVertebroplasty L2 with good result.").patient.age == age


# --- leaks -----------------------------------------------------------------------------------------
def test_a_long_list_of_clear_compartments_is_all_negated() -> None:
    case = read_case(
        "Vertebroplasty T9. Post-fill views: no cement in the canal, the neural foramina, the adjacent discs "
        "or the segmental veins."
    )
    assert leaks(case) == set()
    assert {"intradiscal", "venous"} <= absent_leaks(case)


def test_a_presumed_route_is_not_a_present_leak() -> None:
    case = read_case(
        "Kyphoplasty L4 in May. Echo: a cement fragment in the right atrium, presumably carried up the veins "
        "from the augmented level."
    )
    assert "cardiac" in leaks(case)
    assert "venous" not in leaks(case)


def test_lay_wording_of_canal_cement_is_epidural() -> None:
    case = read_case(
        "Dad had a vertebroplasty at L2. The surgeon said some cement had leaked into the space in front "
        "of the spinal cord."
    )
    assert "epidural" in leaks(case)


# --- deficits --------------------------------------------------------------------------------------
def test_weakness_of_both_legs_told_in_lay_words_is_paraparesis() -> None:
    case = read_case("Vertebroplasty T11 yesterday. This morning both of his legs became weak.")
    assert {"paraparesis", "motor_weakness"} <= present(case)


def test_could_not_pass_water_is_bladder_dysfunction() -> None:
    assert "bladder_dysfunction" in present(read_case("After her kyphoplasty she could not pass water."))


def test_bilat_is_both_sides_for_graded_weakness() -> None:
    case = read_case("Kyphoplasty L1 on 2 June. Power: hip flexion 4/5 bilat, ankle 4/5.")
    assert "paraparesis" in present(case)


def test_grades_listed_after_muscles_in_an_mrc_list() -> None:
    case = read_case("Vertebroplasty L2. Right leg MRC knee extensors 4, ankle dorsiflexors 2; left normal.")
    assert min(g.grade for g in case.findings.motor_grades) == 2
    assert "motor_weakness" in present(case)


@pytest.mark.parametrize(
    "advice",
    [
        "Discharge advice: orthopaedic review if any new leg weakness or numbness.",
        "Warning signs are new chest pain or numb legs - phone us if any of these occur.",
    ],
)
def test_safety_net_with_if_any_is_advice(advice: str) -> None:
    case = read_case("Vertebroplasty L2 on 1 July 2024, uneventful. " + advice)
    assert not present(case) & {"motor_weakness", "sensory_deficit", "chest_pain"}


def test_pain_on_the_indication_line_is_the_fractures_own() -> None:
    case = read_case(
        "Procedure note.\nIndication: painful L1 osteoporotic fracture, 3 months of back pain.\n"
        "Vertebroplasty L1, 3 ml PMMA, no leak."
    )
    assert "back_pain" not in present(case)


def test_cement_scraped_out_is_removal() -> None:
    case = read_case(
        "After the kyphoplasty her legs were weak. CT showed epidural cement. At laminectomy the surgeons "
        "scraped the cement away from the dura."
    )
    assert "cement_removal" in {t.kind.value for t in case.treatments if t.status.value == "done"}


# --- second batch: abbreviations, queried scans, given drugs, headers, bare anchors ---------------
def test_vp_and_kp_are_the_augmentations_but_a_vp_shunt_is_not() -> None:
    assert kinds(read_case("Referral: Mr A, 77 - KP T12 (your list, 02/04/24). Back ache since.")) == {
        "kyphoplasty"
    }
    assert kinds(read_case("Background: hydrocephalus with a VP shunt revised in 2019.")) == set()


def test_a_queried_scan_is_not_a_scan_done() -> None:
    case = read_case("Vertebroplasty L3 on 2 May 2024. Numb left shin. Plan: spine clinic in a week, ?CT.")
    assert "ct" not in {i.modality.value for i in case.imaging}


def test_a_follow_up_clinic_with_a_scan_is_planned() -> None:
    case = read_case(
        "Kyphoplasty T8 in March. Follow-up: chest clinic with a CT pulmonary angiogram at 6 months."
    )
    assert "ct_angiography" not in {i.modality.value for i in case.imaging}


def test_a_drug_already_given_under_a_request_is_done() -> None:
    case = read_case(
        "Vertebroplasty L2 yesterday; now weak left leg.\nRequest: please take over her care. "
        "She has already had methylprednisolone 500 mg IV."
    )
    assert "steroids" in {t.kind.value for t in case.treatments if t.status.value == "done"}


def test_a_painkiller_only_if_pain_is_not_given() -> None:
    case = read_case(
        "Vertebroplasty L1, small disc leak, no symptoms. Medication at home: codeine 30 mg if painful."
    )
    assert "analgesics" not in {t.kind.value for t in case.treatments if t.status.value == "done"}


def test_sensory_told_as_decreased() -> None:
    assert "sensory_deficit" in present(
        read_case("After the BKP the sensibility was reduced over the left foot.")
    )


def test_power_reported_as_full_is_grade_five() -> None:
    case = read_case("Kyphoplasty L2 three days ago. Thigh pain. Strength documented as normal.")
    assert "motor_weakness" not in present(case)
    assert {g.grade for g in case.findings.motor_grades} <= {5}


def test_the_header_date_of_surgery_is_day_zero() -> None:
    text = (
        "Operation record    Date of operation: 9 Oct 2024\n"
        "Procedure: kyphoplasty T12 and L1.\n10/10: breathless on the ward, SpO2 89%."
    )
    assert read_case(text).timeline.symptom_onset_days == 1.0


def test_the_day_after_told_bare_is_day_one() -> None:
    text = "I had kyphoplasty of T6 on a Monday. On Tuesday, the day after, I woke up with a tight chest."
    assert read_case(text).timeline.symptom_onset_days == 1.0


def test_an_admission_with_days_of_a_complaint_dates_the_onset() -> None:
    text = (
        "Vertebroplasty L4 on 01/03/2025.\nAdmitted 31/03/2025 with 6 days of fevers and sweats. "
        "CT: a cement fragment in the right ventricle."
    )
    case = read_case(text)
    assert case.timeline.presentation_days == 30.0
    assert case.timeline.symptom_onset_days == 24.0


def test_needles_or_tamps_from_both_sides_are_bilateral() -> None:
    case = read_case("Kyphoplasty of L1 with balloons inserted from both side.")
    assert case.procedures[0].approach is not None
    assert case.procedures[0].approach.value == "bilateral"


def test_a_place_denied_with_its_cement_after_being_named_is_absent() -> None:
    case = read_case("Vertebroplasty T10. Post-procedure CT: the lung fields contain no pulmonary cement.")
    assert "pulmonary" not in leaks(case)


def test_a_denial_of_something_else_keeps_the_place() -> None:
    case = read_case(
        "Kyphoplasty L1. Echo: cement fragment in the right ventricle, small effusion, no tamponade."
    )
    assert "cardiac" in leaks(case)


# --- third batch: forum dates, parts of months, lay visits, complaints older than the procedure -----
def test_a_forum_post_dated_by_its_poster_and_a_week_of_a_month() -> None:
    text = (
        "Posted by hopeful_mum, 10 September 2024\n\n"
        "My son had a vertebroplasty on 1 August. In the third week of August he began to get pain down "
        "his left leg to the foot. We took him to A&E two days ago. Has anyone seen this?"
    )
    case = read_case(text)
    assert case.timeline.symptom_onset_days == 17.0
    assert case.timeline.presentation_days == 38.0


def test_a_complaint_older_than_the_procedure_is_not_its_onset() -> None:
    text = (
        "Vertebroplasty of T12 on 4 March 2024 for a fracture that had given her back pain for six months. "
        "On 20 March she noticed tingling in both feet."
    )
    assert read_case(text).timeline.symptom_onset_days == 16.0


def test_pain_from_the_bum_down_the_leg_is_radicular() -> None:
    case = read_case("Kyphoplasty L5 last week. Now a shooting pain from his left bum down to the knee.")
    assert "radicular_pain" in present(case)


# --- fourth batch: spans told on from the event just before, more outcome wordings ------------------
def test_a_span_later_counts_on_from_the_sentence_before() -> None:
    text = (
        "Kyphoplasty T11 on 5 August 2024. On 9 August he became short of breath at home. "
        "He came to the emergency department two days later."
    )
    case = read_case(text)
    assert case.timeline.symptom_onset_days == 4.0
    assert case.timeline.presentation_days == 6.0


def test_a_span_after_another_event_counts_on_from_it() -> None:
    text = (
        "Kyphoplasty T11 on 5 August 2024. An MRI on 8 August was unremarkable. "
        "Three days after that MRI his left foot became numb."
    )
    assert read_case(text).timeline.symptom_onset_days == 6.0


def test_a_span_later_in_a_note_whose_header_is_dated_counts_from_the_procedure() -> None:
    text = (
        "Admitted: 3 May   Discharged: 20 May\nHistory: vertebroplasty at another hospital. "
        "Two weeks later she developed weakness of the right leg."
    )
    assert read_case(text).timeline.symptom_onset_days == 14.0


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        ("By three months he was back at work.", "full_recovery"),
        ("Now mobilising independently around the ward.", "full_recovery"),
        ("At the six-week review she was doing well.", "full_recovery"),
        ("She was sent home on foot day 3.", None),
        ("He was discharged walking.", "improved"),
        ("Despite physiotherapy she has not regained any strength.", "unchanged"),
        ("Sadly he didn't make it.", "died"),
    ],
)
def test_more_outcome_wordings(told: str, expected: str | None) -> None:
    assert outcome(told) == expected


# --- fifth batch: lay sex in a post, the back told as well, the lesion's own pain --------------------
def test_a_poster_giving_age_and_sex_in_brackets() -> None:
    case = read_case("Throwaway account. I am 44 (F) and had kyphoplasty of T8 in June.")
    assert case.patient.age == 44
    assert case.patient.sex is not None and case.patient.sex.value == "female"


def test_the_back_told_as_fine_denies_back_pain() -> None:
    case = read_case("Kyphoplasty L1 in May. Now tingling down the right leg, but his back is okay.")
    assert "back_pain" not in present(case)


def test_pain_of_the_lesion_treated_is_not_a_finding() -> None:
    case = read_case(
        "He had a vertebroplasty for a myeloma deposit at T9 which had been causing severe back pain, and "
        "the pain went completely. Two weeks later his legs became numb."
    )
    assert "back_pain" not in present(case)
    assert "sensory_deficit" in present(case)


# --- sixth batch: more ways a procedure is proposed, judged unfit or put off ------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Painful T11 fracture. She has been put on the waiting list for kyphoplasty.",
        "Painful T11 fracture. Vertebroplasty was discussed; he wants time to decide.",
        "Painful T11 fracture. Judged unsuitable for vertebroplasty owing to a posterior wall breach.",
        "Painful T11 fracture. The kyphoplasty was postponed after a positive COVID test.",
        "Painful T11 fracture. My doctor says I need a kyphoplasty soon.",
    ],
)
def test_procedures_proposed_unfit_or_put_off_are_not_procedures(text: str) -> None:
    assert kinds(read_case(text)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "He was offered and had a vertebroplasty of L3.",
        "After the options had been discussed, kyphoplasty of T12 was performed.",
        "Kyphoplasty of L2 on 1 March; the small leak was discussed with her the next week.",
    ],
)
def test_procedures_done_beside_such_words_stay(text: str) -> None:
    assert kinds(read_case(text))


# --- seventh batch: warnings explained and questions about the cement --------------------------------
def test_red_flags_explained_are_advice_but_red_flags_found_are_findings() -> None:
    advice = read_case(
        "Vertebroplasty L3 on 9 May 2024. Warning signs explained: numb saddle, retention of urine."
    )
    assert not present(advice) & {"sensory_deficit", "bladder_dysfunction"}
    found = read_case("Vertebroplasty L3 on 9 May 2024. Red flags: retention of urine since last night.")
    assert "bladder_dysfunction" in present(found)


def test_a_question_about_the_cement_is_a_possible_leak() -> None:
    case = read_case("Kyphoplasty L4 last week, now left leg pain. Has the cement gone into the foramen?")
    assert "foraminal" not in leaks(case)
    assert "foraminal" in {leak.location.value for leak in case.leaks if leak.status.value == "possible"}


def test_age_in_words_after_a_label_and_a_relative_with_age_in_commas() -> None:
    assert read_case("Age: eighty-one\nVertebroplasty T12.").patient.age == 81
    assert read_case("Dad, 79, had his kyphoplasty on Friday.").patient.age == 79


def test_an_mri_sequence_named_bare_is_not_a_level() -> None:
    case = read_case("Vertebroplasty of T8 years ago. MRI: cord compression with T2 hyperintensity at T8.")
    assert {level for p in case.procedures for level in p.levels} == {"T8"}
