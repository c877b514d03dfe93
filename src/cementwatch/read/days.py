"""The episode's timeline in days from the index procedure: symptom onset, presentation, treatment.

Day 0 is the first calendar date written beside the current augmentation (``day_zero``). Each sentence is then
dated by a calendar date (trusted most: for an event, the date written in the same clause, so that
"vertebroplasty 4 September; admitted 19 September" dates the admission to the 19th) or by a
relative phrase (``timeline.relative``), or by a weekday or a bare day of the month (``calendar_days``).

``Days.add`` reads each sentence's events in order; the days the text leaves open are filled in at the
end by ``timeline_end.finish`` (``Days.timeline``), which documents those rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cementwatch.case import Timeline, Treatment
from cementwatch.read.calendar_dates import Date, dates, days_between
from cementwatch.read.calendar_days import day_of_month_day, in_note_year, weekday_before, weekday_day
from cementwatch.read.clauses import (
    CLAUSE_OR_AND,
    clause_bounds,
    clause_day,
    own_clause,
    procedure_dated,
    told_lasting,
)
from cementwatch.read.day_zero import (
    header_procedure_date,
    implied_index_date,
    index_date,
    index_year,
    nearest,
    note_date,
    past_index_date,
    procedure_note,
    story_anchor,
    weekday_anchor,
    written_weekday,
    year_by_weekday,
)
from cementwatch.read.lines import Hit, Line
from cementwatch.read.patterns import PATTERNS
from cementwatch.read.timeline import (
    When,
    chained,
    lasted,
    lasted_of,
    later_on,
    relative,
    since_day,
    well_for,
    well_until,
)
from cementwatch.read.timeline_end import finish

# a note that asks for help: a referral, or a patient's or a doctor's question
_ASKS = PATTERNS.get("time.asks_for_help")
_NOT_DONE = {"negated", "not_done", "planned", "recommended", "declined"}
# how many sentences back a day may have been told for a phrase to count on from it: "three days later"
# (2), "that same evening" (4), an undated "My wife rang 999" right after the dated sentence (1)
_LATER_REACH, _SAME_DAY_REACH, _NEXT_SENTENCE = 2, 4, 1
_YEAR = 365.0
# a span this long may be rough ("about a week"); a shorter one ("the next morning") is exact
_ROUGH_FROM = 7.0
# the leak's treatment without an operation


@dataclass(frozen=True)
class _Told:
    """What a dated sentence told: its dates, its day, the day the story had reached before it, its
    standing complaints, how long before the presentation they began, and whether "since" dates them."""

    line: Line
    found: Sequence[Date]
    when: When
    before: float | None
    active: list[Hit]
    ago: float | None
    since: bool

    @property
    def multiple(self) -> bool:
        return len(self.found) > 1  # several dates: each event takes the one in its own clause


class Days:
    def __init__(self, lines: list[Line], surgical: set[str]) -> None:
        self.note_date = note_date(lines) or written_weekday(lines)
        self.anchor = (
            index_date(lines)
            or implied_index_date(lines, self.note_date)
            or weekday_anchor(lines)
            or story_anchor(lines)
            or index_year(lines)
            or past_index_date(lines)
        )
        if self.anchor is not None and self.anchor.year is None and self.note_date is None:
            self.anchor = year_by_weekday(lines, self.anchor)
        self.surgical = surgical
        self.operation_note = procedure_note(lines)
        header = header_procedure_date(lines)
        self.operation_date = header
        # an operation note on a later operation ("Date of surgery: 17 October" after a kyphoplasty of 2 Sept)
        self.operation_day = (
            days_between(self.anchor, header)
            if header is not None and self.anchor not in (None, header)
            else None
        )
        self.events: dict[str, tuple[When, int]] = {}
        # a title sums the story up ("Shock two weeks after vertebroplasty"): the body tells it exactly
        self.title = lines[0] if lines and _TITLE_LINE.fullmatch(lines[0].text.strip()) else None
        self.onset_before: float | None = None
        self.seen_later: float | None = None  # the symptoms told again on a later day than their onset
        self.well: float | None = None  # "free of pain for two months": the onset came after this day
        self.procedure_ago: float | None = None  # "PKP done 5 days ago": days before the presentation
        self.last: float | None = None  # the day of the last sentence dated: "the next day" counts from it
        self.last_by: Line | None = None  # the sentence that told it
        self.last_calendar = False  # was that day read from a calendar date (or a weekday)
        self.previous: Line | None = None  # the sentence read before this one
        self.current: Line | None = None  # the sentence being read
        self.count = 0  # sentences read so far
        self.order: dict[int, int] = {}  # each sentence read (by id) and its place in the reading
        self.symptomatic = False  # has a deficit of this episode been read
        self.onset_told_back = False  # the onset was read back from the presentation ("for 10 days")
        self.asks = _asks(lines)  # a referral or a question
        # an emergency or clinic attendance record: the patient presents on the day it is written
        self.attendance = any(_ATTENDANCE.search(line.text) for line in lines[:4])
        self.ongoing = False  # symptoms told as lasting up to the note ("since Saturday evening")

    def _at(self, line: Line, found: Sequence[Date], at: int | None) -> When | None:
        """The day of what stands at original offset ``at`` (the sentence's first date without it)."""
        if found:
            chosen = found[0] if at is None else nearest(found, line.text, at - line.sentence.start)
            chosen = in_note_year(chosen, self.anchor, self.note_date)
            day = days_between(self.anchor, chosen) if self.anchor is not None else None
            if day is not None and day < 0 and chosen.year is None and (self.last or 0.0) > 0:
                day += _YEAR  # the story has moved on past day 0: "2nd of October ... the 14th of April"
            if day is not None:
                return When(day, calendar=True)
        when = relative(line.text)
        if when is None and "onset" in self.events and (after := _AFTER_COMPLICATION.search(line.text)):
            later = 7.0 if after.group("what").lower() == "week" else 1.0
            day = float(int(self.events["onset"][0].days)) + later  # "the day after the stroke"
            return When(day, calendar=False)
        # the last day was told in the sentence before, or with one sentence between ("About five days later
        # the pain began. I figured I'd pulled something. Two days after that I went to the ER.")
        told_before = self._recent(_LATER_REACH)
        if told_before and not line.kept("procedure") and (span := later_on(line.text)) is not None:
            # "On 14 June she felt breathless. She presented three days later.": on from the sentence before
            return When((self.last or 0.0) + span, calendar=False)
        if when is not None and when.days == 0.0 and not when.calendar and (step := chained(line.text)):
            return When((self.last or 0.0) + step, calendar=False)  # "the day after, I woke up with ..."
        undated = (when is None or when.before_presentation) and not line.kept("procedure")
        if undated and (day := day_of_month_day(line.text, self.anchor)) is not None:
            return When(day, calendar=True)  # "an operation on the Wednesday (the 12th)"
        # a weekday names the day more surely than a bare "after the procedure" ("on the Friday after the
        # procedure I woke with ...")
        bare = when is not None and when.days == 0.0 and not when.calendar and not line.kept("procedure")
        if (undated or bare) and (day := self._weekday(line.text, self.last)) is not None:
            return When(day, calendar=True)  # "the following Tuesday", "since last Thursday"
        step = chained(line.text) if when is None else None
        if step is not None and any("historical" not in h.mods for h in line.kept("procedure")):
            return When(max(step, 0.0), calendar=False)  # "vertebroplasty last Thursday, home that evening"
        if step is not None and (step != 0.0 or self._recent(_SAME_DAY_REACH)):
            # "later that evening" is the day of a sentence shortly before, not of one told long ago
            return When((self.last or 0.0) + step, calendar=False)
        return when

    @staticmethod
    def _dated_elsewhere(line: Line, found: Sequence[Date], hit: Hit) -> bool:
        """Is the sentence's one date in another clause than ``hit`` ("ten days of shin pain, then from
        14/02 a slapping foot": the ten days are counted back from the presentation, not from 14/02)?"""
        if len(found) != 1:
            return False
        low, high = clause_bounds(line.text, hit.start - line.sentence.start)
        return not low <= found[0].offset < high

    def _recent(self, within: int) -> bool:
        """Was the last day told at most ``within`` sentences before this one?"""
        if self.last is None or self.last_by is None:
            return False
        return self.count - self.order.get(id(self.last_by), -99) <= within

    def _weekday(self, text: str, reached: float | None) -> float | None:
        return weekday_day(text, self.anchor, self.note_date, reached)

    def dated(self, line: Line, at: int | None = None) -> tuple[float | None, bool]:
        """Day of what this sentence describes, and whether it came from a calendar date."""
        when = self._at(line, dates(line.text) if self.anchor is not None else (), at)
        if when is None and self.last is not None and self.last > 0 and self.last_by is self.previous:
            return self.last, False  # the story goes on that day ("... on 3 July. She gave me pregabalin.")
        if when is None or when.before_presentation:
            return None, False
        return when.days, when.calendar

    def ago(self, line: Line, at: int) -> float | None:
        """How long before the presentation the clause holding original offset ``at`` lies ("...;
        radiotherapy completed 2 months ago"), or None when it does not say."""
        low, high = clause_bounds(line.text, at - line.sentence.start)
        when = relative(line.text[low:high])
        return when.days if when is not None and when.before_presentation else None

    def add(self, line: Line, active: list[Hit]) -> None:
        """Read the sentence's events; ``active`` are its deficits that stand (present or possible)."""
        self.current = line
        self.count += 1
        self.order[id(line)] = self.count
        self._add(line, active)
        self.previous = line

    def _add(self, line: Line, active: list[Hit]) -> None:
        active = [h for h in active if "resolved" not in h.mods]  # "breathlessness settled by day 3"
        self.symptomatic = self.symptomatic or bool(active)
        since = bool(active) and "since " in line.low and bool(_SINCE_WHEN.search(line.text))
        self.ongoing = self.ongoing or since
        ago = self._spans(line, active)
        found = dates(line.text) if self.anchor is not None else ()
        when = self._at(line, found, None)
        label = _ONSET_LABEL.search(line.text) if found and "onset" in line.low else None
        if label is not None:
            self._event(
                "onset", self._at(line, found, line.sentence.start + label.end())
            )  # "Date of onset: ..."
        if found and line.kept("procedure") and (back := relative(line.text)) and back.before_presentation:
            when = back  # "PKP done two weeks ago (date 02/03)": the date is day 0, "ago" the presentation
        if (
            when is None
            and line.kept("presentation")
            and self.last
            and self._recent(_NEXT_SENTENCE)
            and self.last_by is not line
        ):
            # "Thursday night I woke with chest pain. My wife rang 999.": the story goes on that day
            self._event("presentation", When(self.last, calendar=self.last_calendar))
        if when is None:
            if any("historical" not in h.mods for h in line.kept("procedure")):
                self.last, self.last_by = (
                    0.0,
                    line,
                )  # "He underwent L3 vertebroplasty.": the story is at day 0
            return
        if when.before_presentation:
            self._told_back(line, when, active)
            return
        told = _Told(line, found, when, self.last, active, ago, since)
        self._reach(told)
        self._onset(told)
        if (presenting := line.kept("presentation")) and not (since and not found):
            # "Presenting complaint: pain since Saturday" dates the onset, not the presentation
            self._event("presentation", self._day_at(told, presenting[0]))
        surgery = [h for h in line.kept("treatment") if h.value in self.surgical and not h.mods & _NOT_DONE]
        if surgery:
            self._event("treatment", self._day_at(told, surgery[0]))

    def _spans(self, line: Line, active: list[Hit]) -> float | None:
        """Read the spans the sentence tells (how long its complaint has lasted, how long the patient was
        well); return how long before the presentation its complaint began, if it tells that."""
        ago = None
        if active:
            if (day := since_day(line.text)) is not None:
                self._event("onset", When(day, calendar=True))  # "since day 3" is as exact as a date
            elif (day := day_of_month_day(line.text, self.anchor)) is not None:
                self._event("onset", When(day, calendar=True))  # "since the evening of the 19th"
            elif self.last is not None and self._recent(_NEXT_SENTENCE) and _SINCE_THAT_DAY.search(line.text):
                self._event("onset", When(self.last, calendar=self.last_calendar))  # "since that evening"
            else:
                ago = _began(line)
                if ago is not None and self.onset_before is None:
                    self.onset_before = ago  # resolved against the presentation day at the end
        low = line.low
        if not active and self.onset_before is None and " of " in low and line.kept("presentation"):
            # "admitted with 10 days of fevers": a complaint of its own
            self.onset_before = lasted_of(line.text)
        if self.onset_before is None and "until" in low and (until := well_until(line.text)) is not None:
            self.onset_before = until  # "well until 4 days ago"
        if self.well is None and (" for " in low or "the first" in low):
            self.well = well_for(line.text)
        return ago

    def _told_back(self, line: Line, when: When, active: list[Hit]) -> None:
        """A sentence dated back from the presentation ("three days ago", "yesterday")."""
        if active and not line.kept("procedure") and self.onset_before is None:
            self.onset_before = when.days  # "since lifting a bag three days ago the pain is worse"
        if line.kept("procedure"):
            self._event("presentation", when)
            if self.procedure_ago is None:
                self.procedure_ago = when.days
            self.last = 0.0  # "PKP done 5 days ago": the sentence tells of day 0
            self.last_by = line
        elif self.procedure_ago is not None and when.days <= self.procedure_ago:
            self.last = self.procedure_ago - when.days  # "Last week I flew home. The next day ..."
            self.last_by = line
        elif (
            line.kept("presentation")
            and (when.days >= 1 or active)  # "seen today" at a follow-up is no presentation
            and (written := self.written_day()) is not None
        ):
            # "we saw her consultant yesterday" in a post dated 2 July: the day before the post;
            # "Admitted this evening with sudden chest pain" in an operation note of 18/09
            self._event("presentation", When(written - when.days, calendar=True))
            if active and when.days == 0 and "onset" not in self.events:
                self._event("onset", When(written, calendar=False))

    def _reach(self, told: _Told) -> None:
        """The last day the story has reached, for "the next day" in a later sentence."""
        line, found, when = told.line, told.found, told.when
        latest = self._at(line, found, line.sentence.start + found[-1].offset) if told.multiple else when
        self.last = (latest or when).days  # "the next day" counts from the last date written
        self.last_by = line
        self.last_calendar = (latest or when).calendar
        if len(found) <= 1:
            # the story reaches the latest day any clause tells ("two days after discharge ...; on the
            # twelfth post-operative day ...": then "Readmitted that night" is day 12; "vertebroplasty on
            # 5 May, home the next day": day 1)
            for clause_start in [0, *(m.end() for m in CLAUSE_OR_AND.finditer(line.text))]:
                own = clause_day(line, line.sentence.start + clause_start, when, told.before)
                if own is not None and own.days > self.last:
                    self.last = own.days
            if found and _WEEKDAY_WORD.search(line.text, found[0].offset + 1):
                # "kyphoplasty on Monday 6 October; went home on the Tuesday": the story reaches the Tuesday
                low, high = clause_bounds(line.text, len(line.text) - 1)
                later = self._weekday(line.text[low:high], when.days) if low > found[0].offset else None
                if later is not None and later > self.last:
                    self.last = later

    def _day_at(self, told: _Told, hit: Hit) -> When | None:
        """The day of what ``hit`` tells: the date or the relative day of its own clause, else the
        sentence's day."""
        line, found, when = told.line, told.found, told.when
        if told.multiple:
            return self._at(line, found, hit.start)
        own = clause_day(line, hit.start, when, told.before) if not found and not when.calendar else None
        if own is not None:
            return own  # "on day 2 she could not pass urine; she was seen in the ED on day 4"
        if len(found) == 1:
            low, high = clause_bounds(line.text, hit.start - line.sentence.start)
            clause = line.text[low:high]
            if not low <= found[0].offset < high:
                reached = self.last if told.before is None else told.before
                if (day := self._weekday(clause, reached)) is not None:
                    # "On the Friday evening she became breathless; ... attended A&E on Monday 17 March"
                    return When(day, calendar=True)
                step = chained(clause) if told.before is not None and relative(clause) is None else None
                if step is not None and step > 0 and told.before is not None:
                    # "Pain came back the next day, and by 19/06 she could not get out of her chair"
                    return When(told.before + step, calendar=False)
        return own_clause(line, found, hit.start) or when

    def _onset(self, told: _Told) -> None:
        """The onset a dated sentence tells of its complaint."""
        line, found, when, active, ago = told.line, told.found, told.when, told.active, told.ago
        if not active:
            return
        first = active[0]
        clause = clause_day(line, first.start) if ago is not None and not found else None
        if clause is not None and not told_lasting(line, first.start):
            # "His shin began to ache a fortnight after the procedure, and for the last week or two he has
            # been catching his toes": the first complaint's own clause dates it; the span is another's
            if self.onset_before == ago:
                self.onset_before = None
            self._event("onset", clause)
        elif ago == 0.0 and when.calendar and not told.multiple:
            # "since Sunday he gets breathless, and tonight ...": the day named is the onset
            if self.onset_before == 0.0:
                self.onset_before = None
            self._event("onset", when)
        elif (
            told.since
            and when.calendar
            and not told.multiple
            and not self._dated_elsewhere(line, found, first)
        ):
            # "Since the weekend she has found it hard to pass water, and last night ...": the day named
            # after "since" is the onset; a span in another clause does not move it back
            if self.onset_before == ago:
                self.onset_before = None
            since_at = _SINCE_WHEN.search(line.text)
            after_date = found and since_at is not None and since_at.start() > found[0].offset
            named = weekday_before(line.text, self.anchor, when) if after_date else None
            self._event("onset", named or when)
        elif ago is not None and self._dated_elsewhere(line, found, first):
            pass  # the span is counted back from the presentation at the end
        elif ago is not None and not told.multiple:
            if when.days - ago >= 0:  # a complaint older than the procedure is not its complication
                self._event("onset", When(when.days - ago, calendar=False))  # "... for 10 days"
                self.onset_told_back = self.rank("onset") < 2
        elif not procedure_dated(line, found, first):
            self._event("onset", self._day_at(told, first))

    def _event(self, name: str, when: When | None) -> None:
        if when is None or when.days < 0:
            return  # before the augmentation: not an event of its complication
        current = self.events.get(name)
        rank = 2 if when.calendar else 0 if self.current is self.title else 1
        later = current is not None and when.days - current[0].days > max(3.0, current[0].days / 4)
        if name == "presentation" and later:
            return  # one presents once: a later admission ("Admitted to this unit: 14/07") is a transfer
        if (
            name == "onset"
            and current is not None
            and when.days - current[0].days > max(3.0, current[0].days / 4)
        ):
            # a symptom told again well after it began ("at discharge (17.09) the chest pain much less");
            # within the looseness of a rough span ("two months after") the date written is the surer
            ongoing = _STILL.search(self.current.low) if self.current is not None else None
            if (
                current[0].days > 0
                and not ongoing
                and (self.seen_later is None or when.days < self.seen_later)
            ):
                self.seen_later = when.days  # the first day the symptoms were found again: a presentation
            return
        exact = current is not None and current[1] == 1 and 0 < current[0].days < _ROUGH_FROM
        if name == "onset" and exact and current is not None and when.days > current[0].days:
            return  # "woke the next morning with pain ... On Saturday he could not straighten the knee"
        earlier = (
            name == "onset"
            and current is not None
            and rank == current[1]
            and when.days < current[0].days
            and "treatment" not in self.events
            and not self.operation_note  # after the operation, pain "in recovery" is its course
        )
        if current is None or rank > current[1] or earlier:
            # an onset told as earlier, as surely, is the first day of the complaint ("PC: leg pain, POD 6"
            # ... "From Sunday (POD 4) sharp electric pain")
            self.events[name] = (when, rank)
            if name == "onset":
                self.onset_told_back = False  # told back again only by the caller that says so

    def timeline(self, done: list[Treatment]) -> Timeline:
        """The three days; ``done`` are the treatments done (with their own days where known). The days
        the text left open are filled in by ``timeline_end.finish``."""
        return finish(self, done)

    def rank(self, name: str) -> int:
        """How surely an event's day was read: 2 from a calendar date, 1 from a relative phrase, 0 unread
        or read only from the title."""
        event = self.events.get(name)
        return 0 if event is None else event[1]

    def written_day(self) -> float | None:
        """The day the note was written, counted from day 0, whatever the note tells (an operation
        note is written on the day of its operation)."""
        written = self.note_date or self.operation_date
        if written is None or self.anchor is None:
            return None
        return days_between(self.anchor, written)

    def note_day(self) -> float | None:
        """The note's date as a day from day 0, once a complaint has been read (None otherwise)."""
        if not self.symptomatic or self.note_date is None or self.anchor is None:
            return None
        day = days_between(self.anchor, self.note_date)
        return day if day is not None and day >= 0 else None

    def day_of(self, name: str) -> float | None:
        """The day read for an event (onset, presentation, treatment), or None."""
        event = self.events.get(name)
        return None if event is None else event[0].days


# a time the symptoms have lasted since ("since Saturday evening", "since the weekend", "since 11/10"),
# not "it has since recovered"
_SINCE_WHEN = PATTERNS.get("time.since_when")
_SINCE_THAT_DAY = PATTERNS.get("time.since_that_day")
_ONSET_LABEL = PATTERNS.get("time.onset_label")
_WEEKDAY_WORD = PATTERNS.get("dates.weekday_words")
_TITLE_LINE = re.compile(r"[^\n]{10,200}(?<![.!?])")
_ASK_WORDS = PATTERNS.gate("time.asks_for_help")


_ATTENDANCE = PATTERNS.get("time.attendance")


def _asks(lines: list[Line]) -> bool:
    """Does the note ask for help (a referral, a question)? Cheap word tests before the pattern."""
    low = "\n".join(line.low for line in lines)
    return "?" in low or (any(word in low for word in _ASK_WORDS) and bool(_ASKS.search(low)))


def _began(line: Line) -> float | None:
    """How long before the presentation the sentence's symptoms began: the longest of "for 3 days",
    "since yesterday" and "ten days ago" (not the procedure's own "5 days ago")."""
    found = [d for d in (lasted(line.text),) if d is not None]
    if not line.kept("procedure") and (told := relative(line.text)) and told.before_presentation:
        found.append(told.days)
    return max(found, default=None)


# symptoms told as lasting on ("the leg remained weak at six months"): a follow-up, not a new presentation
_STILL = PATTERNS.get("time.still")
_AFTER_COMPLICATION = PATTERNS.get("time.after_the_complication")
