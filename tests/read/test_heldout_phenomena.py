"""Phenomena met in documents 101-140 (written by someone else), each tested with a paraphrase in new
words: safety-net instructions, lay negations, "weak" said of bowel sounds, uneventful courses, other
relatives' stories, non-leak epidurals, power tables, header ages and sexes, and timeline phrases and
dates (note dates, parts of months, diary lines, day-after headers, procedure records)."""

from __future__ import annotations

import pytest

from cementwatch.case import Case
from cementwatch.read import read_case


def present(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "present"}


def leaks(case: Case) -> set[str]:
    return {leak.location.value for leak in case.leaks if leak.status.value == "present"}


# --- deficits that are advice, lay negation or another organ ----------------------------------------
@pytest.mark.parametrize(
    "advice",
    [
        "Advised to come straight back should either foot become weak or the saddle go numb.",
        "She was told to return with any weakness in the legs or problems emptying the bladder.",
        "Plan: page the on-duty spine fellow at once for new numbness or weakness below the waist.",
    ],
)
def test_safety_net_instructions_are_not_findings(advice: str) -> None:
    case = read_case("Kyphoplasty L2 on 4 April 2024 without incident. Both legs 5/5. " + advice)
    assert not present(case) & {"motor_weakness", "sensory_deficit", "bladder_dysfunction"}


def test_a_phone_call_reporting_weakness_is_still_a_finding() -> None:
    case = read_case(
        "Vertebroplasty L3 on 1 May 2024. A phone call from the ward: new weakness of the left leg."
    )
    assert "motor_weakness" in present(case)


@pytest.mark.parametrize(
    "report",
    [
        "Registrar call: new weakness of both legs.",
        "Contact the spinal team now: new weakness of both legs.",
        "Call the spinal registrar - she has new numbness in both legs.",
        "Nurse call at 03:00 - she has new numbness in both legs.",
        "She pressed the call bell because her legs had gone weak.",
    ],
)
def test_a_call_that_reports_a_deficit_keeps_it(report: str) -> None:
    case = read_case("Vertebroplasty of L1 yesterday. " + report)
    assert present(case) & {"motor_weakness", "sensory_deficit"}


def test_a_normal_tone_does_not_deny_the_weakness_beside_it() -> None:
    case = read_case("Kyphoplasty of L2. Right leg weak, tone is normal.")
    assert "motor_weakness" in present(case)


def test_the_ring_of_cement_is_not_an_instruction() -> None:
    case = read_case(
        "L2 vertebroplasty. A ring of cement around the dura was removed at laminectomy; weakness persists."
    )
    assert "motor_weakness" in present(case)


def test_lay_normal_denies_the_complaint() -> None:
    case = read_case("I had a vertebroplasty at L1 last month. My bladder and bowel habits are normal.")
    assert "bladder_dysfunction" not in present(case)


def test_weak_bowel_sounds_are_not_limb_weakness() -> None:
    case = read_case("Day 2 after PKP of L1: belly distended, bowel sounds were rather weak. Legs 5/5.")
    assert "motor_weakness" not in present(case)
    assert "ileus" in present(case)


def test_non_native_disappear_eases_the_back_pain() -> None:
    case = read_case("After PKP of L2 the back pain disappear and she walk the same evening.")
    assert "back_pain" not in present(case)


def test_an_uncomplicated_course_is_not_a_generic_statement() -> None:
    case = read_case(
        "An 81-year-old woman underwent vertebroplasty at L2 and L3 in 2020 without documented complications."
    )
    assert case.patient.age == 81
    assert {level for p in case.procedures for level in p.levels} == {"L2", "L3"}


# --- leaks that are someone else's or no leak ---------------------------------------------------------
def test_risks_listed_after_which_include_are_hypothetical() -> None:
    case = read_case(
        "Kyphoplasty L4 on 2 June 2024, no leak on screening. We went through the risks, which include "
        "cement travelling to the lungs."
    )
    assert "pulmonary" not in leaks(case)


def test_spinal_epidural_anaesthesia_is_no_leak() -> None:
    case = read_case(
        "Hip replacement cemented in place under a combined spinal-epidural anesthetic. No vertebroplasty."
    )
    assert "epidural" not in leaks(case)


def test_another_relative_in_a_carers_post_is_someone_else() -> None:
    case = read_case(
        "My mum is 84 and had a kyphoplasty of L2 on Friday; she is walking well. "
        "My uncle's cement went into his lungs after his vertebroplasty years ago."
    )
    assert "pulmonary" not in leaks(case)
    assert case.patient.age == 84


def test_a_writer_booked_for_another_procedure_is_not_the_relative() -> None:
    case = read_case(
        "I'm scheduled for a nerve root injection next week. "
        "My grandmother had a vertebroplasty years ago and the cement leaked into her spinal canal."
    )
    assert not leaks(case)
    assert not case.procedures


# --- power tables -----------------------------------------------------------------------------------
def test_power_table_rows_give_grades() -> None:
    case = read_case(
        "PKP L3 on 2 May 2024.\nMRC power     R    L\nHip flexors   5    3\nAnkle DF      4+   5\n"
    )
    assert min(g.grade for g in case.findings.motor_grades) == 3


# --- header ages and sexes ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "age", "sex"),
    [
        ("F/82", 82, "female"),
        ("82/M", 82, "male"),
        ("Sex/Age: M/66", 66, "male"),
        ("Name: Mr Idris Penrose   DOB 03/03/1950 (74 y)", 74, "male"),
        ("Re: Mrs Agatha Quill, 88 (DOB 01/01/1936)", 88, "female"),
        ("Posted by quietbookworm (58)", 58, None),
        ("Male, 69, retired joiner", 69, "male"),
    ],
)
def test_header_age_and_sex(header: str, age: int, sex: str | None) -> None:
    case = read_case(header + "\nVertebroplasty of L1 for an osteoporotic fracture.")
    assert case.patient.age == age
    if sex:
        assert case.patient.sex is not None and case.patient.sex.value == sex


@pytest.mark.parametrize(
    "text",
    [
        "Writing about my grandad who is 91. He had a kyphoplasty at T12.",
        "Our dad is 79 and underwent a vertebroplasty at L2.",
        "Mrs Pike, aged eighty-three, had a kyphoplasty at L1.",
    ],
)
def test_ages_told_in_prose(text: str) -> None:
    assert read_case(text).patient.age in {91, 79, 83}


def test_a_surgeon_named_mr_does_not_make_the_patient_male() -> None:
    case = read_case("Vertebroplasty L1. Reviewed with Mr Haddad, consultant. She is comfortable; she walks.")
    assert case.patient.sex is None or case.patient.sex.value == "female"


# --- timeline ---------------------------------------------------------------------------------------
def test_note_date_header_gives_presentation_of_a_referral() -> None:
    case = read_case(
        "4 October 2024\nDear colleague, I would value your opinion. She had a kyphoplasty of L1 on "
        "2 September 2024. Since 9 September she has burning pain down the left thigh."
    )
    assert case.timeline.symptom_onset_days == 7
    assert case.timeline.presentation_days == 32


def test_part_of_a_month_dates_the_onset() -> None:
    case = read_case(
        "Scan date: 2 February 2025\nVertebroplasty of T9 on 1 October 2024. From mid-December: burning "
        "pain round the chest at T9."
    )
    assert case.timeline.symptom_onset_days is not None and 70 <= case.timeline.symptom_onset_days <= 80


def test_diary_lines_open_with_their_date() -> None:
    case = read_case(
        "Admitted 10/09/2024\n10/09 Kyphoplasty of L2. An hour later burning pain down the right leg.\n"
        "13/09 Right L2 foraminotomy and removal of the cement.\n"
    )
    assert case.timeline.treatment_days == 3


def test_a_header_dated_the_day_after_the_procedure() -> None:
    case = read_case(
        "Date: 06/05/2024 (the day after kyphoplasty)\nHistory: numb legs "
        "and retention on waking from the L1 kyphoplasty.\n"
        "Procedure today: L1 laminectomy and cement removal."
    )
    assert case.timeline.symptom_onset_days == 0
    assert case.timeline.treatment_days == 1


def test_a_procedure_record_is_dated_day_zero() -> None:
    case = read_case(
        "OPERATION RECORD\nDate: 03/02/2025\nProcedure: vertebroplasty of L2 and L3.\n"
        "During the L3 injection he became breathless and his saturations fell; oxygen was given."
    )
    assert case.timeline.symptom_onset_days == 0
    assert case.timeline.treatment_days == 0


def test_procedure_days_ago_dates_the_admission() -> None:
    case = read_case(
        "Admission: 2024.05.20\nHe had PVP of L1 six day ago at another "
        "hospital. Severe chest pain this morning.\n"
        "Operation (2024.05.21): cement removed from the right ventricle at sternotomy."
    )
    assert case.timeline.treatment_days == 7


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("Kyphoplasty L3. Within hours of the kyphoplasty a shooting pain ran down her leg.", 0),
        ("PKP of L4. From Wednesday last week (day 5) numbness over the shin.", 5),
        ("Vertebroplasty of L2. On the second day after it he was sick and his belly swelled up.", 2),
        ("Vertebroplasty L1 on 2 March 2024. Since last Friday (the 8th) her legs have been weak.", 6),
    ],
)
def test_relative_onsets(text: str, onset: int) -> None:
    assert read_case(text).timeline.symptom_onset_days == onset


def test_a_span_of_symptoms_counts_on_from_the_onset() -> None:
    case = read_case(
        "Vertebroplasty of L3 in 2020. Twelve months later she developed burning pain in the left thigh. "
        "After four weeks of pain she was referred to our clinic."
    )
    assert case.timeline.symptom_onset_days == 360
    assert case.timeline.presentation_days == 388


def test_returned_with_days_of_weakness_dates_the_onset_back() -> None:
    case = read_case(
        "Vertebroplasty of T12 on 01/04/2024. Readmitted 20/04/2024: "
        "he returned with three days of worsening "
        "weakness in both legs."
    )
    assert case.timeline.presentation_days == 19
    assert case.timeline.symptom_onset_days == 16


def test_a_return_of_pain_is_no_presentation() -> None:
    case = read_case(
        "12 June 2024\nThank you for seeing Mrs Ray, whom you treated with a vertebroplasty of L2 on 1 May. "
        "Since about 20 May she has had a return of low back pain."
    )
    assert case.timeline.symptom_onset_days == 19
    assert case.timeline.presentation_days == 42


# --- anatomy named beside cement that is no leak --------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "location"),
    [
        (
            "CT after L4 vertebroplasty: a dot of cement at the basivertebral foramen, as expected.",
            "foraminal",
        ),
        (
            "Vertebroplasty L5: cement fills the body from the lower L4 endplate region to the L5 pedicles.",
            "intradiscal",
        ),
        (
            "Laminectomy after kyphoplasty: the dural sac was carefully retracted and the cement lifted out.",
            "intradural",
        ),
        ("After PVP of L3, a cement blob sits lateral to the L3/4 foramen in the psoas.", "foraminal"),
        (
            "Fall after kyphoplasty of T10: soft tissue bruising over the hip; peripheral lung cement noted.",
            "paravertebral",
        ),
    ],
)
def test_anatomy_beside_cement_is_no_leak(text: str, location: str) -> None:
    assert location not in leaks(read_case(text))


def test_reported_as_clear_of_cement_is_about_this_patient() -> None:
    case = read_case("Vertebroplasty of L2. The outside CT: both foramina were reported as clear of cement.")
    assert "foraminal" not in leaks(case)


def test_a_burning_ache_in_the_groin_is_root_pain() -> None:
    case = read_case("Since the vertebroplasty of L1 he has had a burning ache in the right groin.")
    assert "radicular_pain" in present(case)


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        (
            "Date: Friday 14 June 2024\nKyphoplasty of L2 on 3 June 2024. Since last Tuesday she has had "
            "burning pain in the left thigh.",
            8,
        ),
        (
            "Kyphoplasty of L1 on 7 June 2024. The following Tuesday she noticed weakness of the right leg.",
            4,
        ),
        (
            "Seen: 12/06/2024\nVertebroplasty of T12 on 03/06/2024. "
            "Numb from the waist down since the weekend.",
            5,
        ),
    ],
)
def test_weekdays_are_dated(text: str, onset: int) -> None:
    assert read_case(text).timeline.symptom_onset_days == onset


def test_a_distended_abdomen_in_prose_is_ileus_and_dates_the_onset() -> None:
    case = read_case(
        "Date: 08/11/2024\nHPC: kyphoplasty of L1 on 04/11/2024.\n"
        "Since the night of the 6th her belly has got progressively more bloated and she is vomiting."
    )
    assert "ileus" in present(case)
    assert case.timeline.symptom_onset_days == 2


def test_a_month_and_year_and_a_mid_line_exam_date() -> None:
    case = read_case(
        "Name: Mrs Ada Ferris   DOB: 04/04/1944   Scan date: 20/09/2024\n"
        "History: kyphoplasty of T8 elsewhere in March 2024. For five months, weakness of both legs."
    )
    presented = case.timeline.presentation_days
    assert presented is not None and 170 <= presented <= 200


def test_a_date_without_its_year_takes_the_notes_year() -> None:
    case = read_case(
        "3 March 2024\nThank you for seeing Mr Holt, admitted on 1 March with four days of breathlessness. "
        "He had a vertebroplasty of L2 in January 2019."
    )
    presented = case.timeline.presentation_days
    assert presented is not None and 1850 <= presented <= 1880


def test_within_a_few_days_opens_the_onset() -> None:
    case = read_case(
        "She had a kyphoplasty of L3 on 5 May 2024. "
        "Within a couple of days she felt breathless on the stairs."
    )
    assert case.timeline.symptom_onset_days == 2


def test_a_writer_giving_their_age_then_their_own_augmentation() -> None:
    case = read_case(
        "I'm 68 and had a kyphoplasty at L1 in spring. My brother had the same after his vertebroplasty "
        "and his cement went into his lungs."
    )
    assert "pulmonary" not in leaks(case)
    assert {p.kind.value for p in case.procedures} == {"kyphoplasty"}


def test_cement_subject_of_a_passive_removal_is_removed() -> None:
    case = read_case(
        "L2 laminectomy after vertebroplasty. A flake of cement lying dorsal to the sac was broken up "
        "with rongeurs and lifted out."
    )
    assert "cement_removal" in {t.kind.value for t in case.treatments if t.status.value == "done"}


def test_lay_sac_around_the_nerves_is_intradural() -> None:
    case = read_case(
        "After Dad's kyphoplasty the scan showed that cement has gone into the bag around the nerves."
    )
    assert "intradural" in leaks(case)


def test_a_scan_asked_for_is_not_done() -> None:
    case = read_case("Kyphoplasty L1 last week. I have asked for an MRI of your lower back next Monday.")
    assert "mri" not in {i.modality.value for i in case.imaging}


def test_sensation_told_as_decreased_is_a_sensory_deficit() -> None:
    case = read_case("PKP of T12 three days ago. Exam: sensation was diminished below the umbilicus.")
    assert "sensory_deficit" in present(case)


def test_a_final_volume_is_the_cement_total() -> None:
    case = read_case("Vertebroplasty L4, right unipedicular.\n- Final volume 2.5 cc; good fill.")
    assert case.procedures[0].cement_volume_ml == 2.5


def test_a_carers_worry_about_what_happened_to_the_patient_is_kept() -> None:
    case = read_case(
        "I'm so worried because of what happened to my nan. She had a kyphoplasty of L1 on Monday "
        "and now her legs are weak."
    )
    assert "motor_weakness" in present(case)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Kyphoplasty L1; cement in the right atrium removed. Breathlessness disappear. "
            "Discharge condition: good.",
            {"improved", "full_recovery"},
        ),
        (
            "Vertebroplasty T12, cement in the canal, managed without surgery. His legs are no better.",
            {"unchanged"},
        ),
    ],
)
def test_outcomes_in_plain_and_non_native_words(text: str, status: set[str]) -> None:
    outcome = read_case(text).outcome
    assert outcome is not None and outcome.status is not None and outcome.status.value in status


def test_af_with_a_rapid_ventricular_response_is_an_arrhythmia() -> None:
    case = read_case("During the L1 vertebroplasty: AF with a fast ventricular response at 160/min.")
    assert "arrhythmia" in present(case)


def test_bare_within_hours_opens_on_day_zero() -> None:
    case = read_case(
        "Kyphoplasty of L5 on 9 July 2024. Within hours he felt shooting pain down the right leg."
    )
    assert case.timeline.symptom_onset_days == 0


def test_a_relative_day_in_its_own_clause_beats_another_clauses_date() -> None:
    case = read_case(
        "Vertebroplasty of T12 on 2 April 2024. "
        "On post-op day 4 both legs became weak; decompression on 6 April."
    )
    assert case.timeline.symptom_onset_days == 4


def test_a_span_of_symptoms_beats_the_word_today() -> None:
    case = read_case("Vertebroplasty of L2 2/12 ago. Attends today with numbness of the left foot for 3/52.")
    assert case.timeline.presentation_days == 60
    assert case.timeline.symptom_onset_days == 39


def test_another_relative_reporting_the_patients_weakness_is_kept() -> None:
    case = read_case(
        "My gran is 86 and had a kyphoplasty of L2 on Monday. My brother says her legs are weak now. "
        "My aunt had a vertebroplasty years ago and her cement went to her lungs."
    )
    assert "motor_weakness" in present(case)
    assert "pulmonary" not in leaks(case)


def test_a_carer_who_had_an_operation_still_tells_of_the_patient() -> None:
    case = read_case(
        "I had an operation on my knee last year. My mum had a kyphoplasty of L1 on Monday. "
        "She says her legs have gone numb."
    )
    assert "sensory_deficit" in present(case)


def test_the_evening_before_counts_back_from_the_last_day_told() -> None:
    case = read_case(
        "He collapsed at home nine days after a three-level thoracic vertebroplasty. His wife said he had "
        "complained of tightness in the chest the night before his collapse."
    )
    assert case.timeline.symptom_onset_days == 8


def test_a_day_told_in_words() -> None:
    case = read_case("Kyphoplasty of T11 and T12. On day three her legs grew weak.")
    assert case.timeline.symptom_onset_days == 3


def test_a_relatives_own_cement_complication_in_a_clinicians_note() -> None:
    case = read_case(
        "Kyphoplasty of L3: a little cement in the disc. Her brother developed a cement embolus in the lung "
        "after his own vertebroplasty."
    )
    assert leaks(case) == {"intradiscal"}
