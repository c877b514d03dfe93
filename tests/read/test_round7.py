"""Phenomena met while tuning on 001-380 in the round that measures 381-420 (each tested with the
wording, or a paraphrase, of the sentence that showed it): a title's rough day, how long a complaint
has lasted, a case report's section titles, forum replies, the day of a procedure written beside it,
and a clause that is dated only after it."""

from __future__ import annotations

from cementwatch.read import read_case
from tests.read.test_reader import done, present


def test_the_body_dates_the_onset_more_exactly_than_the_title() -> None:
    case = read_case(
        "Obstructive shock two weeks after vertebroplasty: a case report\n\n"
        "Case presentation: A woman aged 68 had L2 treated by percutaneous vertebroplasty and went home the"
        " next day. She presented fourteen days after the procedure with a three-day history of progressive"
        " breathlessness and a swollen left leg."
    )
    assert case.timeline.symptom_onset_days == 11.0  # the "three-day history" is this complaint, not the past
    assert case.timeline.presentation_days == 14.0  # "Case presentation:" is a section title, not a visit
    assert "dyspnea" in present(case)


def test_a_title_alone_still_dates_the_story() -> None:
    case = read_case(
        "Breathlessness two weeks after kyphoplasty\n\n"
        "A man had kyphoplasty of T12. He became short of breath."
    )
    assert case.timeline.symptom_onset_days == 14.0


def test_how_long_a_complaint_has_lasted_counts_back_from_the_presentation() -> None:
    case = read_case(
        "MRI LUMBAR SPINE   Exam date: 23.05.2025\n"
        "Referred by: Orthopaedic Clinic, request dated 20/05/2025\n\n"
        "Clinical information: L3 haemangioma treated by vertebroplasty on 11 March 2025, pain free"
        " afterwards. Now about ten days of pain in the left buttock, radiating along the"
        " posterior thigh into the calf."
    )
    assert case.timeline.presentation_days == 70.0
    assert case.timeline.symptom_onset_days == 60.0


def test_a_date_written_beside_the_procedure_is_its_own() -> None:
    case = read_case(
        "OPERATIVE REPORT\nDate of surgery: 10/10/2025\n\n"
        "Pre-operative diagnosis: left S1 radiculopathy from PMMA in the left S1 foramen, on the third"
        " post-operative day after percutaneous sacroplasty (07/10/2025).\n"
        "Procedure: S1 laminectomy and left S1 foraminotomy; the cement was lifted off the root."
    )
    assert case.timeline.treatment_days == 3.0


def test_a_clause_is_not_chained_on_a_day_told_after_it() -> None:
    case = read_case(
        "Balloon kyphoplasty of T6 was performed. On waking the left leg was weak (hip flexion 2/5)."
        " Methylprednisolone was started that evening and a T5-T7 laminectomy with removal of the fragment"
        " was performed the next morning, about 16 hours after the procedure."
    )
    assert case.timeline.treatment_days in (0.0, 1.0)


def test_a_forum_reply_is_another_persons_advice() -> None:
    case = read_case(
        "Posted in: Ask a Nurse - Sunday 19 October 2025, 07:12\n\n"
        "I had kyphoplasty of my L3 on Tuesday the 14th. Since yesterday afternoon I just can't get my water"
        " going, only a dribble comes out.\n\n"
        "Reply from Nurse_Gwen (moderator), 07:31:\n"
        "Please don't wait. Trouble passing urine after spinal surgery needs to be seen today -"
        " go to A&E now."
    )
    assert "bladder_dysfunction" in present(case)
    assert case.timeline.symptom_onset_days == 4.0  # yesterday, in a post of the 19th


def test_breathing_comfortably_on_room_air_is_better() -> None:
    case = read_case(
        "Vertebroplasty of L2. Two days later breathless; CTPA showed cement emboli. Oxygen and heparin were"
        " given, and she left hospital on apixaban, breathing comfortably on room air."
    )
    assert case.outcome.status == "improved"


def test_relief_that_did_not_last_denies_nothing_after_it() -> None:
    case = read_case(
        "Date: 14/08/2025\nDear Mr Petrakis,\n"
        "Thank you for performing her vertebroplasty of L2 on 2 July 2025. At her review today she tells me"
        " the early relief did not last: she has a deep ache across the lower back. A radiograph shows"
        " cement in the L2/3 disc."
    )
    assert "back_pain" in present(case)
    assert case.timeline.presentation_days == 43.0  # the letter's date


def test_off_oxygen_or_pressors_and_a_pain_score_before_and_after_are_better() -> None:
    weaned = read_case(
        "Vertebroplasty of L1 to L5 on 12/12. During injection SpO2 fell to 91% and BP to 65/30."
        "\nICU addendum, 13/12: heparin infusion started. Off vasopressors. SpO2 96% on 2 L."
    )
    assert weaned.outcome.status == "improved"
    blocked = read_case(
        "Vertebroplasty of L3 on 02/06. Right thigh pain since, NRS 7/10; CT: cement in the right L3 foramen."
        " Right L3 root block under CT. Result: pain 7/10 before, 2/10 at 30 minutes; no new weakness."
    )
    assert blocked.outcome.status == "improved"


def test_sensation_that_has_returned_and_walking_with_one_stick_are_better() -> None:
    case = read_case(
        "Vertebroplasty of L1. Next day saddle numbness and urinary retention; CT showed epidural cement and"
        " she had a laminectomy. At six months perineal sensation has largely returned."
    )
    assert case.outcome.status == "improved"
    stick = read_case(
        "Kyphoplasty of T12. On day 2 both legs were weak (3/5); cement was removed through a laminectomy."
        " At six months she walks with one stick."
    )
    assert stick.outcome.status == "improved"


def test_full_function_restored_is_a_full_recovery() -> None:
    case = read_case(
        "Vertebroplasty of L4. Radicular pain from a foraminal leak; the cement was removed through a"
        " foraminotomy. Outcome: leg pain gone from the first post-operative day. Full function restored."
    )
    assert case.outcome.status == "full_recovery"


def test_an_age_written_as_its_own_header_sentence_or_as_n_year() -> None:
    header = read_case(
        "Patient: Mr. Anselmo Quintana Rubio. 84 years. Male.\nKyphoplasty of L1 on 05/05/2025."
    )
    assert (header.patient.age, header.patient.sex) == (84, "male")
    german = read_case(
        "Patient: Frau Brigitte Hollstein, 73-year, female\nOperation 10.09.2025: kyphoplasty Th12."
    )
    assert (german.patient.age, german.patient.sex) == (73, "female")
    child_duration = read_case("Vertebroplasty of L2.\n10 years.\nNo leak.")
    assert child_duration.patient.age is None  # a bare number of years under 18 is a duration


def test_a_wifes_post_with_dates_without_a_year_across_new_year() -> None:
    case = read_case(
        "My husband is 77. He had a vertebroplasty of T7 at a private clinic on the 2nd of October."
        " About a fortnight later he started complaining of burning in both legs. Our new GP sent him in"
        " and he was seen by a neurosurgeon on the 14th of April. CT showed the cement had pushed out"
        " through the rear of the bone and wrapped right round the spinal cord at T6-T7. The surgeon said"
        ' his legs were "4 out of 5". He was operated on the 22nd of April: they took bone off the back'
        " and thinned the cement with a burr until it came away. The burning is completely gone. But his"
        " legs are still weak."
    )
    assert "epidural" in {leak.location for leak in case.leaks}
    assert "paraparesis" in present(case)
    assert "cement_removal" in {t.kind for t in case.treatments if t.status == "done"}
    assert (case.timeline.presentation_days, case.timeline.treatment_days) == (194.0, 202.0)
    assert case.outcome.status == "improved"


def test_two_complaints_both_gone_are_a_full_recovery() -> None:
    case = read_case(
        "Vertebroplasty of T8. A fortnight later a band of burning and numbness around the chest wall;"
        " CT showed epidural cement at T8. Prednisolone was given. The burning resolved over six weeks"
        " and the numb strip had disappeared at three months."
    )
    assert case.outcome.status == "full_recovery"


def test_a_story_told_by_weekdays_in_an_operation_record() -> None:
    case = read_case(
        "OPERATION RECORD\nDate: Tuesday 14 October 2025\n\n"
        "Background: right vertebroplasty of L3 last Thursday in our IR suite, home that evening. He woke the"
        " next morning with a burning radicular pain down the front of the right thigh. On Saturday the"
        " physiotherapist found he could not straighten the right knee against gravity. He did not come back"
        " until Monday, when his daughter brought him to ED: right quadriceps 2/5.\n"
        "Procedure: right L3 hemilaminectomy; the cement was removed."
    )
    timeline = case.timeline
    assert (timeline.symptom_onset_days, timeline.presentation_days, timeline.treatment_days) == (
        1.0,
        4.0,
        5.0,
    )


def test_we_stopped_gave_oxygen_is_oxygen_given() -> None:
    case = read_case(
        "On 31 July I carried out a vertebral body augmentation of her L2 fracture. Towards the end of the"
        " injection she became short of breath. We stopped, gave oxygen and moved her to the coronary"
        " care unit."
    )
    assert "oxygen" in done(case)
    assert case.timeline.treatment_days == 0.0


def test_legs_going_to_sleep_last_night_is_the_day_before_the_visit() -> None:
    case = read_case(
        "Date of service: 03/30/2025 08:40\nHPI: 68M s/p T12 kyphoplasty on 03/27/2025. Went home the same"
        ' day. Last night around 10 PM he noticed both legs "going to sleep" from the waist down; this'
        " morning he could barely stand to get out of bed."
    )
    assert {"sensory_deficit", "motor_weakness"} <= present(case)
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (2.0, 3.0)


def test_the_first_postoperative_morning_and_an_osteoporotic_burst_fracture() -> None:
    case = read_case(
        "Delayed recognition of lateral recess cement after kyphoplasty of an L5 burst fracture\n\n"
        "An 86-year-old man with an osteoporotic L5 burst fracture underwent balloon kyphoplasty. On the"
        " first postoperative morning the nurses found that he could not lift his right foot."
    )
    assert case.timeline.symptom_onset_days == 1.0
    assert case.procedures[0].indication == "osteoporotic"
    trauma = read_case("Kyphoplasty of an L1 burst fracture after a fall from a ladder.")
    assert trauma.procedures[0].indication == "traumatic"


def test_a_story_told_by_weekdays_from_a_day_with_its_weekday() -> None:
    case = read_case(
        "Mum (79) had a kyphoplasty. Then exactly three weeks after the procedure, on a Monday, she woke up"
        " with a crushing pain behind her breastbone. Ambulance, A&E. On the Wednesday a CT scan showed bone"
        " cement inside the right side of her heart. They operated that same night - open heart surgery to"
        " take the cement out. That was a month ago and she's back to her old self: no chest pain."
    )
    assert (case.timeline.symptom_onset_days, case.timeline.treatment_days) == (21.0, 23.0)
    assert case.outcome.status == "full_recovery"  # ": no chest pain" denies the pain, not the recovery


def test_since_the_evening_of_that_day_and_seen_in_spinal_clinic() -> None:
    case = read_case(
        "Date: 3/11/2025\nIndication: right L4 vertebroplasty on 24/10/2025. Since the evening of that"
        " day she has had shooting pain from the right buttock to the shin, only partly helped by"
        " pregabalin started on 27/10. Seen in spinal clinic on 31/10: reduced pinprick over the shin."
    )
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (0.0, 7.0)


def test_an_ed_note_told_in_pod_terms_and_what_is_only_a_plan() -> None:
    case = read_case(
        "PC: R leg pain, POD 6 after vertebroplasty\nHPI: L5 vertebroplasty at the private hospital on"
        " Wednesday, went home Thursday. From Sunday (POD 4) sharp electric pain from the R buttock to the"
        " sole. Bladder and bowels fine.\nPlan: admit for analgesia; if any weakness develops -> urgent"
        " decompression. Today I started amitriptyline 10 mg nightly."
    )
    assert case.timeline.symptom_onset_days == 4.0  # told as earlier, as surely: the first day of the pain
    assert "motor_weakness" not in present(case)
    assert not {"bladder_dysfunction", "bowel_dysfunction"} & present(case)
    assert "analgesics" in done(case)


def test_a_non_native_report_with_a_refused_operation_and_a_worse_outcome() -> None:
    case = read_case(
        "The patient was done percutaneous vertebroplasty of D11 at 2 of February, discharged in the same"
        " day. After 48 hours he start to complain burning pain in both thighs. At the 5th day he cannot"
        " pass urine, and the family bring him to our emergency at the 6th day morning (08/02). CT: cement"
        " in the epidural space. We explained to the family the need of urgent surgery (laminectomy and"
        " removal of the cement) but the family refused the operation. Dexamethasone was given.\n"
        "Follow up after one month (10/03): the condition is worse, now power 2/5 in both legs."
    )
    timeline = case.timeline
    assert (timeline.symptom_onset_days, timeline.presentation_days, timeline.treatment_days) == (
        2.0,
        6.0,
        6.0,
    )
    assert not {"laminectomy", "cement_removal", "decompression"} & done(case)
    assert case.outcome.status == "worse"


def test_a_weekday_in_its_own_clause_beside_a_date_in_another_on_a_wrapped_line() -> None:
    case = read_case(
        "12 May 2025\nDear colleague,\nShe had a kyphoplasty of T12 on Wednesday 12 March, going home"
        " the following day. On the Friday evening she became\nbreathless with a dry, tickly cough; she"
        " sat it out over the weekend and attended A&E on Monday\n17 March, where her oxygen saturation"
        " was 93% on air."
    )
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (2.0, 5.0)


def test_a_line_break_that_only_wraps_a_sentence_does_not_end_a_clause() -> None:
    from cementwatch.read.clauses import clause_bounds

    text = "On the Friday evening she became\nbreathless with a dry, tickly cough"
    low, high = clause_bounds(text, text.index("breathless"))
    assert text[low:high] == "On the Friday evening she became\nbreathless with a dry"
    listed = "CT: cement in the canal\nMRI: cord oedema"
    low, high = clause_bounds(listed, listed.index("MRI"))
    assert listed[low:high] == "MRI: cord oedema"


def test_a_forum_post_dated_only_by_its_weekday_and_a_back_ache_in_lay_words() -> None:
    case = read_case(
        "I'm 74 and had a vertebroplasty on T12 exactly six weeks ago tomorrow (it's Wednesday evening as"
        " I type this). Last Saturday I was lifting a bag of compost and since then I've had an ache across"
        " the middle of my back again. I saw my GP on Monday; she said my legs were strong."
    )
    assert "back_pain" in present(case)
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (38.0, 40.0)


def test_an_ache_in_the_upper_lumbar_region_is_back_pain() -> None:
    case = read_case(
        "On 17 February you carried out an L1 kyphoplasty. From the middle of May the ache in the upper"
        " lumbar region has crept back, worse after gardening."
    )
    assert "back_pain" in present(case)


def test_a_forum_update_told_by_weekdays_after_a_procedure_on_a_tuesday() -> None:
    case = read_case(
        "I'm 66 (female) and had a kyphoplasty at L1 on a Tuesday. Then on the Friday\nafter the procedure"
        " I woke with a burning, stinging feeling from my right hip round into my groin. I rang the"
        " surgeon's secretary and got seen the Monday after. He started me on gabapentin. Three weeks on"
        " the burning is about half what it was."
    )
    timeline = case.timeline
    assert (timeline.symptom_onset_days, timeline.presentation_days, timeline.treatment_days) == (
        3.0,
        6.0,
        6.0,
    )
    assert "radicular_pain" in present(case)
    assert case.outcome.status == "improved"


def test_a_span_after_a_bracketed_header_and_an_ache_low_in_the_back() -> None:
    admitted = read_case(
        "Background: T11 vertebroplasty on 05/04/2025.\nThis admission (23 days after the vertebroplasty):"
        " three days of mid-back pain after bending to pick up the cat."
    )
    assert (admitted.timeline.symptom_onset_days, admitted.timeline.presentation_days) == (20.0, 23.0)
    ache = read_case(
        "Seen: Sat 15/11/2025 11:20\nHPI: L2 vertebroplasty five weeks ago (Tues 7 Oct). Since Thursday"
        " evening a deep ache low in the back when standing up."
    )
    assert "back_pain" in present(ache)
    assert ache.timeline.symptom_onset_days == 37.0


def test_still_in_the_angiography_suite_is_day_0() -> None:
    case = read_case(
        "Index procedure: 10/02/2025, vertebroplasty of T11 and T12. Before she had left the angiography"
        " suite she became agitated and breathless, SpO2 81% on 15 L oxygen. Heparin was started in ICU."
    )
    assert case.timeline.symptom_onset_days == 0.0
    weak = read_case(
        "He had a balloon kyphoplasty on a Monday. By teatime he couldn't lift the front of his right foot."
    )
    assert "motor_weakness" in present(weak)


def test_a_line_wrapped_to_open_with_a_year_is_read() -> None:
    case = read_case(
        "Late in 2023 the L2 body collapsed further around the cement, and on 10 January\n"
        "2024 a salvage bipedicular kyphoplasty of L2 was performed (2.5 mL PMMA). In the recovery room he\n"
        "described a burning sensation in the right groin spreading over the anterior thigh."
    )
    assert case.procedures and case.procedures[0].cement_volume_ml == 2.5
    assert case.timeline.symptom_onset_days == 0.0


def test_a_department_in_a_letterhead_is_no_operation_and_dos_dates_the_note() -> None:
    letter = read_case(
        "Department of Cardiac Surgery, Kingsmere Heart Centre\n9 April 2025\n\n"
        "Mr Rusk, whom you treated with vertebroplasty at L1 on Friday 14 March, died on 6 April. On the"
        " morning of Tuesday 18 March he collapsed at home, grey and breathless, BP 68/40. CT showed a"
        " cement fragment crossing the RV wall. That evening, through a sternotomy, we removed it."
    )
    assert letter.timeline.treatment_days == 4.0
    ed = read_case(
        "DOS: 01/02/2026 (Fri Jan 2)      Arrival 06:48\nHPI: 78 yo M s/p T11 kyphoplasty 12/22/2025."
        " Starting Tuesday 12/30 he noticed tingling across the lower abdomen, and since last evening he has"
        " not voided."
    )
    assert (ed.timeline.symptom_onset_days, ed.timeline.presentation_days) == (8.0, 11.0)


def test_dates_written_year_first_and_a_procedure_told_by_its_year() -> None:
    japanese = read_case(
        "Patient: 77-year-old man. He received percutaneous vertebroplasty (PVP) of Th7 at other clinic in"
        " 2023 October. From about half year the weakness of both lower limbs is gradually progressing. He"
        " visited our outpatient on 2024 May 13th.\nOperation 2024 May 20th: Th6-Th7 laminectomy, the"
        " cement was removed."
    )
    assert (japanese.timeline.presentation_days, japanese.timeline.treatment_days) == (211.0, 218.0)
    years = read_case(
        "An 86-year-old woman had had fractures of L3 and L4 treated by percutaneous vertebroplasty in"
        " 2019. She presented in November 2024 with progressive retrosternal chest pain of six days'"
        " duration. CT located a cement fragment in the interventricular septum."
    )
    assert years.timeline.presentation_days is not None and 1767 <= years.timeline.presentation_days <= 2160


def test_a_templated_date_of_onset() -> None:
    case = read_case(
        "CT LUMBAR SPINE   Report date: 23.09.2025\nRequested by: Emergency Department, 23.09.2025\n"
        "Index procedure:     kyphoplasty L4, left unipedicular - date 09.09.2025\n"
        "Date of onset:       16.09.2025\n"
        "Symptoms:            left anterior shin pain, numb over the medial ankle."
    )
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (7.0, 14.0)


def test_two_days_after_he_got_home_and_a_pain_score_after_since() -> None:
    case = read_case(
        "Attended: Saturday 11 October 2025, 19:30\nHPC: balloon kyphoplasty of L2 on Monday 6 October;"
        " went home on the\nTuesday. Two days after he got home he felt a sharp catch in the lower back\nat"
        " the level of the operation, and it has stayed sore since (6/10 moving, 2/10 at rest)."
    )
    assert "back_pain" in present(case)
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (3.0, 5.0)


def test_waist_pain_and_this_visit_in_a_non_native_record() -> None:
    case = read_case(
        "Operation history: 2025-08-19 PKP of L1, bone cement (PMMA) injected total 5 ml.\n"
        "This visit (2025-09-02), earlier than the planned review because of pain: from the 10th day after"
        " operation the patient feel the waist pain again, mild, VAS 3 points."
    )
    assert "back_pain" in present(case)
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (10.0, 14.0)


def test_pain_that_came_back_is_no_visit_and_a_yearless_date_across_new_year() -> None:
    back = read_case(
        "Admitted: 19/06/2025\nHistory: vertebroplasty of L4 on 16/06/2025; discharged the same afternoon."
        " Pain at the L4 level came back the next day, and by 19/06 she could not get out of her chair, so"
        " her son brought her in."
    )
    assert (back.timeline.symptom_onset_days, back.timeline.presentation_days) == (1.0, 3.0)
    new_year = read_case(
        "Sent: 06/01, 07:55\nMum had her vertebroplasty at T8 on 29 December. Since last Saturday, the 3rd,"
        " she has had a shooting pain that wraps round under her left breast."
    )
    assert new_year.timeline.symptom_onset_days == 5.0


def test_before_10_days_is_ten_days_ago() -> None:
    case = read_case(
        "Date: 21/10/2025\nHistory: patient did PKP (kyphoplasty) for L3 fracture before 10 days in our"
        " hospital. After one week of the operation she start to feel burning pain in the front of left"
        " thigh."
    )
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (7.0, 10.0)


def test_extubated_and_much_less_breathless_are_better() -> None:
    icu = read_case(
        "Kyphoplasty of T8. SpO2 fell to 88% and BP to 78/45 during injection; CTPA: cement emboli. Heparin"
        " started in ICU.\nAddendum 20/06/2025: extubated overnight. Mildly short of breath walking only."
    )
    assert icu.outcome.status == "improved"
    gp = read_case(
        "Kyphoplasty of T12. Two days later breathless; cement in the pulmonary arteries. Rivaroxaban"
        " started. Now: she is much less breathless and manages her usual walk to the village."
    )
    assert gp.outcome.status == "improved"


def test_since_the_weekend_before_a_visit_dated_in_the_sentence_and_described_two_weeks_of() -> None:
    letter = read_case(
        "Status after kyphoplasty LWK 1 on 21.01.2025.\nRe-presentation in our outpatient clinic on the 10th"
        " postoperative day (31.01.2025) because of pulling pain in the lumbar region since the weekend."
    )
    assert (letter.timeline.symptom_onset_days, letter.timeline.presentation_days) == (4.0, 10.0)
    review = read_case(
        "A 66-year-old man underwent vertebroplasty of T5, T6 and T7. At his six-week review he described two"
        " weeks of intermittent band-like pain circling the right hemithorax."
    )
    assert (review.timeline.symptom_onset_days, review.timeline.presentation_days) == (28.0, 42.0)


def test_a_translated_summary_with_plegia_and_tomography() -> None:
    case = read_case(
        "Patient with osteoporotic fracture of D6 was submitted to percutaneous vertebroplasty on"
        " 15/08/2024. During the injection she referred strong pain in belt in the right hemithorax."
        " Approximately 4 hours after, she evolved with plegia of the lower limbs. Tomography and magnetic"
        " resonance showed cement in the epidural space at D6."
    )
    assert {"paraplegia", "radicular_pain"} <= present(case)
    assert {i.modality for i in case.imaging} >= {"ct", "mri"}


def test_bladder_and_bowels_working_and_advice_to_come_back_for_new_weakness() -> None:
    case = read_case(
        "Interlaminar epidural steroid injection at L5/S1 for sciatica. Bladder and bowels working as usual."
        " Discharged with written advice: come back at once for fever, severe headache, new weakness or"
        " numbness, or difficulty passing urine."
    )
    assert not {"motor_weakness", "bladder_dysfunction", "bowel_dysfunction"} & present(case)


def test_a_denied_place_lends_nothing_to_its_neighbour_and_canal_and_foramina_were_free() -> None:
    echo = read_case(
        "Vertebroplasty of T11 and T12. CTPA: cement casts in both main pulmonary arteries. Echo: dilated,"
        " poorly contracting right ventricle; no cement in the heart."
    )
    assert "cardiac" not in {leak.location for leak in echo.leaks if leak.status == "present"}
    free = read_case(
        "Fluoroscopy at the end of the kyphoplasty showed a small cement leak across the upper endplate into"
        " the T11/12 disc space; the spinal canal and foramina were free."
    )
    present_places = {leak.location for leak in free.leaks if leak.status == "present"}
    assert present_places == {"intradiscal"}
    rv = read_case("Vertebroplasty of L1. CT showed a needle-like cement fragment crossing the RV free wall.")
    assert "cardiac" in {leak.location for leak in rv.leaks if leak.status == "present"}


def test_a_kyphoplasty_booked_for_next_week_and_a_top_comment_are_not_this_episode() -> None:
    case = read_case(
        "Kyphoplasty booked for next Thursday (L1) - how worried should I be about cement leaking?\n\n"
        "I'm 71 and fractured L1 lifting a bag of compost. The surgeon wants to do a balloon kyphoplasty on"
        " the 18th.\n\nTop comment (u/retired_IR_nurse):\nA bit of cement outside the bone is common. Cement"
        " can travel up the veins to the lungs. After any kyphoplasty, go to A&E at once if you get new"
        " weakness or sudden breathlessness."
    )
    assert case.procedures == []
    assert case.leaks == []


def test_a_reply_header_with_leading_dashes_and_a_catch_in_the_chest() -> None:
    case = read_case(
        "My husband Derek is 81 and had a kyphoplasty on Thursday (6th). Tonight he says there's a sharp"
        " catch on the right side of his chest when he breathes in.\n\n--- Reply from PatD_Sheffield:\n"
        "So sorry. My husband had cement go into the veins near his spine after a kyphoplasty in 2021."
    )
    assert "chest_pain" in present(case)
    assert [p.kind for p in case.procedures] == ["kyphoplasty"]
    assert case.leaks == []


def test_a_past_augmentation_is_day_0_when_it_is_the_only_one_named() -> None:
    case = read_case(
        "ED NOTE          18/03/2025  09:10\nPC: SOB + L sided pleuritic chest pain since last night\n"
        "PMH: kyphoplasty L4 to S1 in March 2021 (private).\n"
        "CTPA: tubular high-density opacities within segmental arteries, typical of cement."
    )
    assert case.timeline.presentation_days is not None and 1448 <= case.timeline.presentation_days <= 1478
    current = read_case("PMH: vertebroplasty L1 in March 2019.\nKyphoplasty of T12 on 02/06/2025. Now pain.")
    assert current.timeline.presentation_days is None or current.timeline.presentation_days < 400


def test_a_yearless_day_0_written_with_its_weekday_anchors_later_weekdays() -> None:
    case = read_case(
        "I'm 67 (F). I had a kyphoplasty on my L1 on Tuesday 4 March for a compression fracture. On the"
        " Friday night I got a crushing pain in the middle of my chest. My husband called 911."
    )
    assert (case.timeline.symptom_onset_days, case.timeline.presentation_days) == (3.0, 3.0)


def test_i_saw_her_in_the_office_yesterday_and_a_transfer_to_rehabilitation() -> None:
    letter = read_case(
        "September 25, 2025\nDear Dr. Oyelaran,\nShe had an L1 kyphoplasty on Sept. 3, 2025. Around ten"
        " days after the procedure she started getting burning pain shooting into the right groin. I saw her"
        " in the office yesterday."
    )
    assert (letter.timeline.symptom_onset_days, letter.timeline.presentation_days) == (10.0, 21.0)
    rehab = read_case(
        "Admitted to this unit: 14/07/2025      Discharged home: 22/08/2025\n"
        "History: T11 vertebroplasty on 24 June 2025. On the twelfth post-operative day his legs buckled"
        " twice at home. Readmitted that night: hip flexion 3/5 in both legs."
    )
    assert rehab.timeline.presentation_days == 12.0


def test_a_referral_that_values_an_urgent_opinion_presents_on_its_own_date() -> None:
    case = read_case(
        "Spinal Rehabilitation Service\n15 September 2025\n\nDear Mr Achterberg,\nI would value your"
        " urgent opinion on this gentleman. He underwent vertebroplasty of T7 on 2 March 2025. Within a"
        " fortnight he noticed burning in both legs, and since then both legs have become steadily weaker."
    )
    assert case.timeline.presentation_days == 197.0
    back = read_case(
        "3 Sept 2025\nDear Dr Quayle,\nVP L1 (your list, 12/05/25). I should be grateful for a review. Her"
        " pain eased for about six weeks after the procedure, but a low central backache just below the old"
        " fracture has since come back."
    )
    assert back.timeline.presentation_days == 114.0


def test_a_nasogastric_tube_for_an_ileus_dates_the_treatment() -> None:
    case = read_case(
        "Vertebroplasty of T12 and L1 on 23/01/2025. Abdominal pain and distension from the next day; AXR:"
        " dilated bowel, ileus. On 25/01 a nasogastric tube was passed, nil by mouth and intravenous fluids."
    )
    assert case.timeline.treatment_days == 2.0


def test_a_dated_clinic_line_is_a_presentation() -> None:
    case = read_case(
        "L4 vertebroplasty elsewhere on 2 June 2025. Around the tenth day she developed pain running from the"
        " right buttock down to the top of her foot.\nClinic 21 June: right ankle dorsiflexion 3/5, EHL 2/5."
        "\nOperation 22 June: right L4 hemilaminectomy; the cement was removed."
    )
    timeline = case.timeline
    assert (timeline.symptom_onset_days, timeline.presentation_days, timeline.treatment_days) == (
        10.0,
        19.0,
        20.0,
    )


def test_a_templated_leak_table_with_dotted_leaders() -> None:
    case = read_case(
        "Clinical: osteoporotic fractures L2 + L3, vertebroplasty yesterday. Day-1 protocol scan.\n\n"
        "CEMENT LEAKAGE: PRESENT\n"
        "  Intradiscal ........... YES - L2/3 disc, 8 mm, via the L2 inferior endplate\n"
        "  Paravertebral ......... YES - right anterolateral L3, 7 x 5 mm\n"
        "  Venous ................ not seen\n"
        "  Epidural / canal ...... not seen\n"
        "  Pulmonary (bases) ..... no cement in the included lung bases\n"
    )
    places = {(leak.location, leak.status) for leak in case.leaks}
    assert {("intradiscal", "present"), ("paravertebral", "present")} <= places
    assert {("venous", "absent"), ("epidural", "absent"), ("pulmonary", "absent")} <= places
    assert not {leak.location for leak in case.leaks if leak.status == "present"} - {
        "intradiscal",
        "paravertebral",
    }
