"""Other people's stories in a message written by the patient: "I had a vertebroplasty on L1 ... My
sister had a kyphoplasty two years ago and her cement went into the disc".

Contract: ``mark_other_people(lines)`` marks every hit of a sentence about another person
``generic`` (so the builders drop it), and changes nothing unless the writer says they had the
augmentation themselves ("I had my kyphoplasty", "my vertebroplasty"). A carer writing about a
relative ("Mum had a kyphoplasty at L2 ...") is writing about the patient, so without that first-person
augmentation a relative's story is kept.

A sentence is about another person when a relative or friend is its subject ("My husband had ...",
"the same thing happened to my friend"), and so is each sentence right after it that begins with
"she" or "he" (the story told on). Whoever writes, a sentence telling that the patient's relative
had an augmentation ("his wife had a kyphoplasty last year") is about that relative; the next
sentences are not (there "he" or "she" is the patient). The wordings (relatives, "I had my ...")
are named patterns of ``data/patterns/people.yaml``.
"""

from __future__ import annotations

from cementwatch.read.lines import Line
from cementwatch.read.patterns import PATTERNS

_WRITER_AUGMENTED = PATTERNS.get("people.writer_augmented")
# the writer is the patient of some other procedure ("I'm booked in for an epidural steroid injection")
_WRITER_PATIENT = PATTERNS.get("people.writer_patient")
_ABOUT_RELATIVE = PATTERNS.get("people.about_relative")
# in a note about "her" or "him", a relative of theirs who had an augmentation is someone else
_THEIR_RELATIVE = PATTERNS.get("people.their_relative")
# ... or a relative of theirs who had a cement complication of their own ("her sister had a cement
# embolus to the lung after hers", "his brother-in-law spent a week in hospital with cement in the lungs")
_THEIR_RELATIVES_CEMENT = PATTERNS.get("people.their_relatives_cement")
_TOLD_ON = PATTERNS.get("people.told_on")  # the story told on: "She was breathless ..."


_A_STORY = ("procedure", "cement", "leak_location", "deficit", "treatment", "imaging", "outcome")


def mark_other_people(lines: list[Line]) -> None:
    """Mark the hits of sentences about another person ``generic``."""
    for line in lines:
        if line.of("procedure") and _THEIR_RELATIVE.search(line.text):
            _other(line)  # "Her husband had a kyphoplasty in 2019 that leaked into his lungs."
        elif line.of("cement") and (told := _THEIR_RELATIVES_CEMENT.search(line.text)):
            _other(line, since=line.sentence.start + told.start())  # the patient's own clause before it stays
    writers = [line for line in lines if line.sentence.effect == "normal"]  # not a reply nor advice
    augmented = any(line.of("procedure") and _WRITER_AUGMENTED.search(line.text) for line in writers)
    # the writer is the patient of another procedure: only a relative's past augmentation is someone
    # else's ("my aunt had a vertebroplasty years ago"); a recent one may be the patient's, told by a
    # carer who mentions their own operation
    other_procedure = not augmented and _writer_is_patient(writers)
    writer = augmented or other_procedure
    patient = None if writer else _relative_patient(lines)
    if not writer and patient is None:
        return
    story = False
    for line in lines:
        about = _ABOUT_RELATIVE.search(line.text)
        if about and other_procedure:
            named = line.of("procedure")
            story = bool(named) and all("historical" in h.mods for h in named)
        elif about and patient is not None:
            # a carer's message: another relative's own augmentation or cement is someone else's, but
            # "My dad says her legs are weak" still tells of the patient; "she" goes on about the patient
            own = line.of("procedure") or line.of("cement")
            about = None if _relative_in(about.group()) == patient or not own else about
            story = bool(about)
        else:
            # "My wife rang 999" acts for the writer: a relative's sentence is their own story only when
            # it tells of a procedure, cement or a complaint
            relative_story = about is not None and any(line.of(category) for category in _A_STORY)
            story = relative_story or (story and bool(_TOLD_ON.match(line.text)))
        if story:
            _other(line)


_RELATIVE_WORD = PATTERNS.get("people.relative_word")
_RELATIVE_AUGMENTED = PATTERNS.get("people.relative_augmented")
# the carer names whom they write for: "posting for my dad", "asking on behalf of my mum"
_WRITING_FOR = PATTERNS.get("people.writing_for")
_PATIENT_WORDS = PATTERNS.gate("people.writer_patient")


def _writer_is_patient(lines: list[Line]) -> bool:
    """Does the writer tell of a procedure of their own ("I'm booked in for an injection")? A carer's
    "I'm worried because of what happened to my mum" is no such sign: the mother may be the patient."""
    low = "\n".join(line.text for line in lines).lower()  # cheap word tests first: most notes have none
    if not any(word in low for word in _PATIENT_WORDS):
        return False
    return any(_WRITER_PATIENT.search(line.text) for line in lines)


def _relative_in(text: str) -> str | None:
    match = _RELATIVE_WORD.search(text)
    return match.group().lower() if match else None


def _relative_patient(lines: list[Line]) -> str | None:
    """The relative a carer writes about: the first one told as having had the augmentation ("My dad is
    77 and had a vertebroplasty"); another relative's story in the same message is someone else's."""
    for line in lines:
        if line.of("procedure") and (match := _RELATIVE_AUGMENTED.search(line.text)):
            return match.group("who").lower()
    for line in lines:  # "posting for my dad ... He had a vertebroplasty"
        if match := _WRITING_FOR.search(line.text):
            return match.group("who").lower()
    return None


def _other(line: Line, since: int = 0) -> None:
    for hit in line.hits:
        if hit.start >= since:
            hit.mods.add("generic")
    line.remodified()
