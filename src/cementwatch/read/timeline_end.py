"""The end of reading a timeline: the days the text left open, filled in from what it did tell.

Contract: ``finish(days, done)`` takes the events ``Days`` read sentence by sentence and the treatments
done, and returns the ``Timeline``, in whole days from the index procedure (day 0):

- onset: the presentation less how long the symptoms have lasted ("two weeks after the surgery she
  came back with chest pain for 10 days" gives day 4), else the end of a time told as well ("free of
  pain for two months");
- presentation: the onset plus how long the symptoms have lasted, else the onset itself; the note's
  own date when the note presents the problem (a referral, an ED record, a rough span near its date);
- treatment: an operation not dated is taken as done on the presentation day (or on an operation
  record's own date); with no operation, the first day of the leak's medical treatment (oxygen,
  steroids, anticoagulation, a root block), or the presentation day when that treatment is not dated.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cementwatch.case import Timeline, Treatment

if TYPE_CHECKING:
    from cementwatch.read.days import Days

ROUGH_DAYS, ROUGH_SHARE = 3.0, 0.35  # how far a relative span may lie from the note's date it rounds
MEDICAL = {  # the leak's treatment without an operation
    "oxygen",
    "steroids",
    "anticoagulation",
    "nerve_block",
    "antiplatelet",
    "conservative",  # a nasogastric tube and bowel rest for an ileus
}


def finish(days: Days, done: list[Treatment]) -> Timeline:
    """The three days; ``done`` are the treatments done (with their own days where known)."""
    timeline = Timeline(
        symptom_onset_days=days.day_of("onset"),
        presentation_days=days.day_of("presentation"),
        treatment_days=days.day_of("treatment"),
    )
    onset, presented = timeline.symptom_onset_days, timeline.presentation_days
    if onset is None and presented is None and days.well is None and (day := days.note_day()) is not None:
        # an ED note or a letter about symptoms that it does not date: written the day they presented
        presented = timeline.presentation_days = day
    if onset is None and presented is None and days.well is not None:
        onset = timeline.symptom_onset_days = days.well  # well for two months, then the symptoms
    note_day = days.note_day()
    if (
        note_day is not None
        and days.onset_before is not None
        and presented is None
        and days.rank("onset") < 2
        and note_day >= days.onset_before
    ):
        # "since yesterday evening" is told against the day the note was written, more surely than
        # a "day 2 after the procedure" in the impression, which dates the note itself
        presented = timeline.presentation_days = note_day
        # an earlier complaint dated in its own right ("Two days later she developed ...") stands
        if onset is None or days.onset_told_back or onset > note_day - days.onset_before:
            onset = timeline.symptom_onset_days = note_day - days.onset_before
    if (
        onset is not None
        and presented is None
        and note_day is not None
        and note_day >= onset
        and (days.asks or days.ongoing)
    ):
        # a referral or a patient's message about symptoms begun on a day it gives, or a note on
        # symptoms present "since" that day: the problem is presented by the note itself
        presented = timeline.presentation_days = note_day
        if days.onset_told_back and days.onset_before is not None:
            onset = timeline.symptom_onset_days = max(0.0, note_day - days.onset_before)
    if (
        onset is not None
        and presented is None
        and days.attendance
        and note_day is not None
        and note_day > onset
        and days.seen_later is None
    ):
        presented = timeline.presentation_days = note_day  # an ED record of symptoms begun days before
    if onset is None and days.onset_before is not None and presented is not None:
        timeline.symptom_onset_days = max(0.0, presented - days.onset_before)
    elif onset is None and presented == 0.0:
        timeline.symptom_onset_days = 0.0  # presented on the day of the procedure: began that day
    elif onset is not None and presented is None and days.seen_later is not None:
        timeline.presentation_days = days.seen_later  # "at the six-week review he had a foot drop"
    elif onset is not None and presented is None:
        # one presents once the problem has begun: as long after as the symptoms are said to last
        timeline.presentation_days = onset + (days.onset_before or 0.0)
    elif onset is not None and presented is not None and presented < onset:
        # one presents with a problem once it has begun: a day read before the onset belongs
        # to something else ("discharged on postoperative day 13" of a later operation)
        timeline.presentation_days = onset
    _to_note_date(days, timeline)
    surgery_done = any(t.kind in days.surgical for t in done)
    if surgery_done and days.operation_day is not None and days.operation_day > 0:
        timeline.treatment_days = days.operation_day  # the operation the note records
    if timeline.treatment_days is None and surgery_done and days.operation_note and note_day:
        timeline.treatment_days = note_day  # an operation record dated after day 0 records this operation
    if timeline.treatment_days is None and surgery_done and timeline.presentation_days is not None:
        # surgery described without its own date: taken as done in the presenting admission
        timeline.treatment_days = timeline.presentation_days
    medical = [t.day for t in done if t.kind in MEDICAL and t.day is not None and t.day >= 0]
    if timeline.treatment_days is None and not surgery_done and medical:
        timeline.treatment_days = min(medical)
    undated = any(t.kind in MEDICAL and t.day is None for t in done)
    if timeline.treatment_days is None and not surgery_done and undated:
        # oxygen or anticoagulation not dated: begun when the patient presented
        timeline.treatment_days = timeline.presentation_days
    if timeline.treatment_days is None and not surgery_done and any(t.kind == "analgesics" for t in done):
        # only pain relief for the leak ("pregabalin started today"): given on its day, or on presenting
        given = [t.day for t in done if t.kind == "analgesics" and t.day is not None and t.day >= 0]
        timeline.treatment_days = min(given) if given else timeline.presentation_days
    return _whole_days(timeline)


def _to_note_date(days: Days, timeline: Timeline) -> None:
    """A presentation read from a rough span ("3 months after the procedure") in a note dated close
    to it is the note's date, and a rough onset moves with it."""
    presented, day = timeline.presentation_days, days.note_day()
    if presented is None or day is None or days.rank("presentation") == 2:
        return
    if abs(day - presented) > max(ROUGH_DAYS, ROUGH_SHARE * presented):
        return
    if timeline.symptom_onset_days is not None and days.onset_told_back:
        timeline.symptom_onset_days = max(0.0, timeline.symptom_onset_days + day - presented)
    timeline.presentation_days = day


def _whole_days(timeline: Timeline) -> Timeline:
    """Days are counted whole, as the clinic counts them: "three hours after" is day 0, "17 hours" day 1."""
    for name in ("symptom_onset_days", "presentation_days", "treatment_days"):
        value = getattr(timeline, name)
        if value is not None:
            setattr(timeline, name, float(math.floor(value + 0.5)))
    return timeline
