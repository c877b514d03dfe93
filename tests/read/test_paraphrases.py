"""General wordings the reader must understand, each tested with paraphrases that are in no corpus
document: outcomes, timing, lay and clinical findings, what is and is not a treatment of the leak,
and the ConText rules that keep other people, risks and the past out of the case."""

from __future__ import annotations

import pytest

from cementwatch.assess import assess
from cementwatch.case import Case
from cementwatch.read import read_case

EPISODE = "Kyphoplasty of L1. Three days later she developed epidural cement with left leg weakness. "


def present(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "present"}


def absent(case: Case) -> set[str]:
    return {d.kind.value for d in case.findings.deficits if d.status.value == "absent"}


def done(case: Case) -> set[str]:
    return {t.kind.value for t in case.treatments if t.status.value == "done"}


def leaks(case: Case) -> set[tuple[str, str]]:
    return {(leak.location.value, leak.status.value) for leak in case.leaks}


def outcome(text: str) -> str | None:
    status = read_case(EPISODE + text).outcome.status
    return status.value if status else None


# --- outcome --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She made a complete recovery.", "full_recovery"),
        ("At follow-up she was neurologically intact at follow-up and back at work.", "full_recovery"),
        ("She was walking independently at 3 months.", "full_recovery"),
        ("Power returned to normal within a week.", "full_recovery"),
        ("The patient made an uneventful recovery.", "full_recovery"),
        ("She went home in good condition.", "full_recovery"),
        ("Her symptoms resolved completely within a week.", "full_recovery"),
        ("She remains paraplegic.", "unchanged"),
        ("There was no improvement after the operation.", "unchanged"),
        ("No neurological recovery was seen at one year.", "unchanged"),
        ("Her weakness gradually improved.", "improved"),
        ("Muscle power slowly recovered.", "improved"),
        ("She died on day 9.", "died"),
        ("Sadly she passed away two weeks later.", "died"),
        ("Her deficit worsened despite surgery.", "worse"),
    ],
)
def test_outcome_wordings(text: str, expected: str) -> None:
    assert outcome(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "At 6 months the sciatica had gone, but the foot drop persisted.",
        "The numbness disappeared. Ankle weakness remained unchanged at one year.",
        "She recovered from the operation but still has some weakness of the left leg.",
    ],
)
def test_what_went_beside_what_stayed_is_improved(text: str) -> None:
    assert outcome(text) == "improved"


def test_a_death_wins_over_an_earlier_recovery() -> None:
    assert outcome("Her legs recovered fully, but she died of pneumonia 16 days later.") == "died"


@pytest.mark.parametrize(
    "text",
    [
        "Kyphoplasty of L2. Her back pain has gone completely since.",  # the fracture's pain: no episode
        "Cement in the heart can be fatal.",  # a risk, not this patient
        "Kyphoplasty of L2. She recovered from the anaesthetic in the recovery room.",
    ],
)
def test_no_outcome_is_read_where_none_is_told(text: str) -> None:
    assert read_case(text).outcome.status is None


# --- timing ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "field", "days"),
    [
        ("Vertebroplasty of T12 on 03/02/2023. Presented 17/02/2023 with weakness.", "presentation_days", 14),
        ("Kyphoplasty 3 March 2023. Weakness the next morning.", "symptom_onset_days", 1),
        ("Kyphoplasty of L1. POD#4: new numbness of the left leg.", "symptom_onset_days", 4),
        ("Kyphoplasty at T12, day 0. Day 2: breathless, SpO2 88% on air.", "symptom_onset_days", 2),
        ("Kyphoplasty of L1. Ten days later he presented with radicular pain.", "presentation_days", 10),
        ("Kyphoplasty of L1. At six weeks she reported numbness of the right leg.", "symptom_onset_days", 42),
        ("Vertebroplasty of T12. A year after the procedure he presented.", "presentation_days", 365),
        ("Vertebroplasty of T9. On day 5 he became short of breath.", "symptom_onset_days", 5),
        ("Vertebroplasty of L4. During wound closure her BP fell to 70/40.", "symptom_onset_days", 0),
        ("Kyphoplasty of T12. Shortly after the procedure he had chest pain.", "symptom_onset_days", 0),
        ("After the procedure he noticed numbness of the left foot.", "symptom_onset_days", 0),
    ],
)  # fmt: skip
def test_timing_wordings(text: str, field: str, days: float) -> None:
    assert getattr(read_case(text).timeline, field) == days


@pytest.mark.parametrize(
    ("text", "onset", "presentation"),
    [
        # presented on a day the text gives, with symptoms that had lasted a while
        ("Vertebroplasty of L2 two weeks ago. Right thigh pain for 3 days.", 11, 14),
        ("Three weeks after kyphoplasty she came back with leg numbness for the last week.", 14, 21),
        ("PVP L1 done 12 days ago. Patient was well until 5 days ago. Now tingling in left foot.", 7, 12),
        # well for a while after the procedure, then symptoms that have lasted a while
        ("Vertebroplasty of L3. She was symptom-free for one month. Over the past two weeks she has had "
         "numbness of the left shin.", 30, 44),
    ],
)  # fmt: skip
def test_onset_and_presentation_from_how_long_symptoms_lasted(
    text: str, onset: float, presentation: float
) -> None:
    timeline = read_case(text).timeline
    assert (timeline.symptom_onset_days, timeline.presentation_days) == (onset, presentation)


def test_an_undated_operation_and_medical_treatment_take_their_days_from_the_episode() -> None:
    operated = read_case(
        "Vertebroplasty of L1. Two days later she had leg weakness and underwent laminectomy."
    )
    assert operated.timeline.treatment_days == 2
    medical = read_case("Kyphoplasty of T12. On day 1 she was breathless and oxygen was given by mask.")
    assert medical.timeline.treatment_days == 1


# --- findings -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("After kyphoplasty she has pain in the back of her left thigh.", "radicular_pain"),
        ("He complains of pain shooting down the right leg into the foot.", "radicular_pain"),
        ("Vertebroplasty T12. She has a band-like pain around the chest.", "radicular_pain"),
        ("Since the cement injection she cannot feel her bottom.", "sensory_deficit"),
        ("Vertebroplasty. He is unable to empty his bladder.", "bladder_dysfunction"),
        ("Kyphoplasty. Yesterday she wet herself twice.", "bladder_dysfunction"),
        ("Vertebroplasty. She has lost control of her bowels.", "bowel_dysfunction"),
        ("Both legs feel heavy and he is dragging his feet.", "motor_weakness"),
        ("Kyphoplasty. He says he can't catch his breath.", "dyspnea"),
        ("Patient feel shortness of breathing after PVP.", "dyspnea"),
        ("Kyphoplasty. My chest feels tight.", "chest_pain"),
        ("Kyphoplasty. Her heart is racing.", "arrhythmia"),
        ("Vertebroplasty. He fainted in the bathroom.", "hypotension"),
        ("Vertebroplasty. BP 82/48, HR 120.", "hypotension"),
        ("Kyphoplasty. Her blood pressure dropped from 130/80 to 75/40.", "hypotension"),
        ("Kyphoplasty. Dad's finger probe reading is 87%.", "hypoxemia"),
        ("Kyphoplasty. My mother's oxygen level was 86% this morning.", "hypoxemia"),
    ],
)
def test_finding_wordings(text: str, kind: str) -> None:
    assert kind in present(read_case(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Vertebroplasty. BP 134/82, pulse 76.", "hypotension"),
        ("Kyphoplasty. The finger clip shows 97%.", "hypoxemia"),
        ("Vertebroplasty. No pain down either leg.", "radicular_pain"),
        ("Kyphoplasty. She can walk and has no problem with bladder control.", "bladder_dysfunction"),
    ],
)
def test_normal_values_and_denials_are_not_findings(text: str, kind: str) -> None:
    assert kind not in present(read_case(text))


def test_lay_sphincter_and_cord_signs_reach_emergency() -> None:
    for text in (
        "I had the cement procedure in my back on Monday. Now I cannot pass water and my legs are heavy.",
        "Mum had her kyphoplasty two days ago and tonight she lost control of her bladder.",
        "Kyphoplasty yesterday. He says he can't catch his breath and his lips are blue.",
    ):
        assert assess(read_case(text)).urgency.value == "emergency", text


# --- leaks ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CT: a ring of cement surrounding the thecal sac at T9.", {("epidural", "present")}),
        ("Central pulmonary arteries patent; no central cement.", set()),
        ("No cement leakage apart from a small epidural deposit at L2.", {("epidural", "present")}),
        ("Cement leak into the canal is also possible.", {("epidural", "possible")}),
        ("We are worried about cement in the foramen.", {("foraminal", "possible")}),
        ("Probable disc herniation at L4-5; cement confined to L2.", set()),
    ],
)
def test_leak_wordings(text: str, expected: set[tuple[str, str]]) -> None:
    assert leaks(read_case(text)) == expected


def test_pulmonary_cement_at_the_edge_of_the_lung_is_peripheral() -> None:
    case = read_case("Kyphoplasty. CT: a few specks of cement at the edge of the left lung. No symptoms.")
    (leak,) = case.leaks
    assert leak.central is False
    assert assess(case).urgency.value == "routine"


# --- treatments -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Vertebroplasty of L1 combined with posterior instrumentation T11-L3.",
        "Balloon kyphoplasty of T12 with percutaneous pedicle screw fixation.",
        "Pedicle screw fixation T10-L2 plus cement augmentation of T12.",
    ],
)
def test_an_operation_done_with_the_augmentation_is_not_a_treatment(text: str) -> None:
    assert done(read_case(text)) == set()


def test_an_operation_for_the_leak_is_a_treatment() -> None:
    case = read_case(
        "Vertebroplasty of L1. Three days later, because of epidural cement, she underwent decompression "
        "and posterior instrumentation."
    )
    assert {"decompression", "instrumented_fusion"} <= done(case)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The cement was peeled off the dura through a laminectomy.", {"cement_removal", "laminectomy"}),
        ("The cement plug was drilled out of the canal.", {"cement_removal"}),
        (
            "Cement pieces were removed from the pulmonary artery on bypass.",
            {"cement_removal", "embolectomy"},
        ),
        ("She had urgent cardiothoracic surgery.", {"cardiac_surgery"}),
        ("Steroid injection around the nerve root was given for the pain.", {"nerve_block"}),
    ],
)
def test_treatment_wordings(text: str, expected: set[str]) -> None:
    assert done(read_case(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Laminectomy; the dura was not opened.",
        "Decompression without opening the dura.",
    ],
)
def test_a_dura_left_closed_is_no_durotomy(text: str) -> None:
    assert ("durotomy", "absent") in {(t.kind.value, t.status.value) for t in read_case(text).treatments}


@pytest.mark.parametrize(
    "text",
    [
        "Post-laminectomy changes at L4-5. Vertebroplasty of L1.",
        "Old L4-5 fusion construct intact. Vertebroplasty of T12.",
        "Myeloma of T8; radiotherapy finished 6 weeks ago. Vertebroplasty of T8 today.",
        "Long-standing prednisolone for asthma. Vertebroplasty of L1. Continue prednisolone.",
        "He has stopped the codeine since the vertebroplasty.",
        "I would be grateful for your opinion with a view to removal of the cement.",
        "MRI could be added if needed.",
    ],
)
def test_what_is_not_care_of_this_leak(text: str) -> None:
    case = read_case(text)
    assert done(case) == set() and case.imaging == []


def test_care_that_failed_before_the_leak_operation_was_given_for_the_leak() -> None:
    case = read_case(
        "Foraminal cement at L3. The pain did not settle with gabapentin, so the cement was removed through "
        "a foraminotomy."
    )
    assert {"analgesics", "cement_removal", "foraminotomy"} <= done(case)


def test_a_scan_with_normal_findings_was_done() -> None:
    case = read_case("Echocardiogram: normal right heart. Chest X-ray: no cement in the lungs.")
    assert {i.modality.value for i in case.imaging} == {"echocardiography", "radiograph"}


# --- procedures and details -----------------------------------------------------------------------
def test_a_generic_name_beside_the_kind_is_the_same_procedure() -> None:
    case = read_case("Percutaneous kyphoplasty of T12. Cement embolism may follow vertebral augmentation.")
    assert [p.kind.value for p in case.procedures] == ["kyphoplasty"]
    sacral = read_case("Kyphoplasty of L5 and sacroplasty of S1.")
    assert {p.kind.value for p in sacral.procedures} == {"kyphoplasty", "other_augmentation"}


def test_levels_told_before_the_procedure_in_another_clause_are_not_treated() -> None:
    case = read_case("Epidural cement at T10-T11, three months after vertebroplasty of T11.")
    assert case.procedures[0].levels == ["T11"]


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("I broke my L2 when I fell. I had vertebroplasty last week.", ["L2"]),
        ("Vertebroplasty for an aggressive haemangioma of T9 at another hospital.", ["T9"]),
    ],
)
def test_the_broken_or_diseased_vertebra_is_the_treated_level(text: str, levels: list[str]) -> None:
    assert read_case(text).procedures[0].levels == levels


def test_a_named_tumour_wins_over_a_pathological_fracture() -> None:
    case = read_case("Plasmacytoma of L3 with a pathological fracture of L3 treated by vertebroplasty.")
    assert case.procedures[0].indication.value == "myeloma"


@pytest.mark.parametrize(
    ("text", "approach"),
    [
        ("Vertebroplasty at L4, injected from both sides.", "bilateral"),
        ("Kyphoplasty T12 through one side only.", "unilateral"),
    ],
)
def test_approach_in_plain_words(text: str, approach: str) -> None:
    assert read_case(text).procedures[0].approach.value == approach


def test_both_sides_of_an_examination_is_not_an_approach() -> None:
    case = read_case("Vertebroplasty of L2. Iliopsoas 4/5 on both sides.")
    assert case.procedures[0].approach is None


def test_a_standalone_total_is_the_cement_volume() -> None:
    case = read_case("Vertebroplasty of T8 with PMMA.\nTotal 4.5 mL.\nBlood loss total 50 mL.")
    assert case.procedures[0].cement_volume_ml == 4.5


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("My dad (79) had a vertebroplasty on Friday.", 79),
        ("Re: Mrs Ada Lovelace, 83\nVertebroplasty of L1.", 83),
    ],
)
def test_age_in_letters_and_messages(text: str, age: int) -> None:
    assert read_case(text).patient.age == age


# --- context --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "We discuss the risk factors for cement leakage into the paravertebral veins.",
        "Clinicians should suspect cement embolism when hypotension follows vertebral augmentation.",
        "My neighbour had cement in her lungs after her vertebroplasty.",
    ],
)
def test_advice_and_other_people_are_not_this_patient(text: str) -> None:
    case = read_case(text)
    assert case.leaks == [] and present(case) == set()


def test_a_complication_label_does_not_make_a_finding_generic() -> None:
    case = read_case("Complication: on the ward her saturation dropped to 86% on air.")
    assert "hypoxemia" in present(case)


def test_a_scan_report_quoted_in_a_letter_is_this_patient() -> None:
    case = read_case("A 71-year-old man was referred after an ultrasound reported a foreign body in the IVC.")
    assert case.patient.age == 71


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("Patient (F, 72) had a vertebroplasty.", 72, "female"),
        ("Name: J. Smith   Age: 64   Sex: M\nKyphoplasty of L2.", 64, "male"),
        ("A woman of 77 had a kyphoplasty.", 77, "female"),
        ("Pt 58 y/o M, PVP L1.", 58, "male"),
        ("My husband is 68. He had vertebroplasty last week and his legs are weak.", 68, "male"),
    ],
)
def test_more_age_and_sex_wordings(text: str, age: int, sex: str) -> None:
    patient = read_case(text).patient
    assert (patient.age, patient.sex.value if patient.sex else None) == (age, sex)


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("L1 and L2 were treated with vertebroplasty.", ["L1", "L2"]),
        ("Cement augmentation of T7 (vertebroplasty) using 3 mL.", ["T7"]),
    ],
)
def test_levels_told_with_the_procedure(text: str, levels: list[str]) -> None:
    case = read_case(text)
    assert [(p.kind.value, p.levels) for p in case.procedures] == [("vertebroplasty", levels)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At review the numbness had largely resolved and he was walking normally.", "improved"),
        ("Her symptoms resolved and a CT at 6 months showed the fragments unchanged.", "full_recovery"),
        ("Now the foot is a little better but still weak.", "improved"),
        ("On follow-up the cement was unchanged in position and she was well.", None),
    ],
)
def test_partial_and_complete_outcomes(text: str, expected: str | None) -> None:
    assert outcome(text) == expected


@pytest.mark.parametrize(
    ("text", "onset", "presentation"),
    [
        ("Kyphoplasty of L3. She was well for a month, then numbness of the right shin began.", 30, 30),
        ("I am 72, last month I did PKP for L1. After operation 2 week I feel my left foot numb.", 14, 30),
        ("Kyphoplasty of L2 on 4 May. On the evening of the operation he noticed thigh numbness.", 0, 0),
        ("Admitted 2 May 2024 with a fracture; kyphoplasty of L2 on 4 May. Numbness the next day.", 1, 1),
    ],
)  # fmt: skip
def test_more_timing_wordings(text: str, onset: float, presentation: float) -> None:
    timeline = read_case(text).timeline
    assert (timeline.symptom_onset_days, timeline.presentation_days) == (onset, presentation)


def test_symptoms_that_began_days_ago_beside_something_yesterday() -> None:
    case = read_case(
        "He had vertebroplasty of T11 three weeks ago. About ten days ago he started getting a band of pain "
        "round his ribs, and he tripped twice yesterday because his right leg is weak."
    )
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (11, 21)


def test_oxygen_in_shorthand() -> None:
    assert "oxygen" in done(read_case("PVP D10. Breathless. Rx: O2 by nasal prong, LMWH started."))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sphincters normal.", {"bladder_dysfunction", "bowel_dysfunction"}),
        ("She is continent.", {"bladder_dysfunction"}),
        ("Continent of urine and faeces.", {"bladder_dysfunction", "bowel_dysfunction"}),
    ],
)
def test_a_normal_sphincter_examination_denies_dysfunction(text: str, expected: set[str]) -> None:
    case = read_case("Vertebroplasty of L1. " + text)
    assert absent(case) >= expected and present(case) == set()


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Decompression was considered but not performed.", "absent"),
        ("The surgeons decided against removal of the cement.", "declined"),
        ("Laminectomy was considered.", "recommended"),
    ],
)
def test_operations_weighed_but_not_done(text: str, status: str) -> None:
    statuses = {t.status.value for t in read_case("Epidural cement at L1. " + text).treatments}
    assert statuses == {status}


def test_less_pain_after_treatment_is_an_improvement() -> None:
    assert outcome("After a root block the pain is less.") == "improved"
