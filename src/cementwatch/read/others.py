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
sentences are not (there "he" or "she" is the patient).
"""

from __future__ import annotations

import re

from cementwatch.read.lines import Line

_AUGMENTATION = r"(?:vertebroplasty|kyphoplasty|vertebral\s+augmentation|cement\s+injection|PVP|PKP|BKP)"
_WRITER_AUGMENTED = re.compile(
    rf"\bI(?:\s+have|'ve|’ve|(?:'m|’m|\s+am)\s+\d{{2,3}}\s+and)?\s+(?:just\s+|recently\s+)?(?:had|underwent|got)\s+"
    rf"(?:(?:a|an|my|the)\s+)?"
    rf"(?:[\w/-]+\s+){{0,2}}?{_AUGMENTATION}\b|\bmy\s+(?:own\s+|recent\s+)?{_AUGMENTATION}\b",
    re.I,
)
# the writer is the patient of some other procedure ("I'm booked in for an epidural steroid injection")
_WRITER_PATIENT = re.compile(
    r"\bI(?:'m|’m|\s+am|'ve|’ve|\s+have)?\s+(?:just\s+|recently\s+|now\s+)?(?:booked\s+(?:in\s+)?for|"
    r"scheduled\s+for|listed\s+for|due\s+(?:to\s+have|for)|having|had|underwent|got)\s+(?:a|an|my|the)\s+"
    r"(?:[\w/-]+\s+){0,3}?(?:injection|operation|surgery|procedure|block|epidural)\b",
    re.I,
)
_RELATIVE = (
    r"(?:mum|mom|mother|dad|father|sister|brother|husband|wife|partner|son|daughter|aunt|auntie|uncle|"
    r"grandmother|grandfather|gran|granny|nan|nanna|grandma|grandpa|cousin|friend|colleague)(?:-in-law)?"
)
_ABOUT_RELATIVE = re.compile(
    rf"^\W*(?:and\s+|but\s+|also\s+)?(?:my|our)\s+{_RELATIVE}\b"  # "My sister had ..."
    rf"|\bhappened\s+to\s+(?:my|our)\s+{_RELATIVE}\b"  # "the same happened to my husband"
    rf"|\b(?:my|our)\s+{_RELATIVE}\s+(?:also\s+)?(?:had|has|was|went|got|underwent|needed|developed)\b",
    re.I,
)
# in a note about "her" or "him", a relative of theirs who had an augmentation is someone else
_THEIR_RELATIVE = re.compile(
    rf"\b(?:her|his|their)\s+{_RELATIVE}\s+(?:also\s+)?(?:had|has\s+had|underwent)\s+(?:a\s+|an\s+|the\s+)?"
    rf"(?:[\w/-]+\s+){{0,2}}?{_AUGMENTATION}\b",
    re.I,
)
# ... or a relative of theirs who had a cement complication of their own ("her sister had a cement
# embolus to the lung after hers", "his brother-in-law spent a week in hospital with cement in the lungs")
_THEIR_RELATIVES_CEMENT = re.compile(
    rf"\b(?:her|his|their)\s+{_RELATIVE}\s+(?:also\s+)?[^.;]{{0,50}}?\b(?:cement|leak|leakage|embol)",
    re.I,
)
_TOLD_ON = re.compile(r"^\W*(?:she|he)(?:'s|’s)?\b", re.I)  # the story told on: "She was breathless ..."


def mark_other_people(lines: list[Line]) -> None:
    """Mark the hits of sentences about another person ``generic``."""
    for line in lines:
        if line.of("procedure") and _THEIR_RELATIVE.search(line.text):
            _other(line)  # "Her husband had a kyphoplasty in 2019 that leaked into his lungs."
        elif line.of("cement") and (told := _THEIR_RELATIVES_CEMENT.search(line.text)):
            _other(line, since=line.sentence.start + told.start())  # the patient's own clause before it stays
    augmented = any(line.of("procedure") and _WRITER_AUGMENTED.search(line.text) for line in lines)
    # the writer is the patient of another procedure: only a relative's past augmentation is someone
    # else's ("my aunt had a vertebroplasty years ago"); a recent one may be the patient's, told by a
    # carer who mentions their own operation
    other_procedure = not augmented and _writer_is_patient(lines)
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
            story = bool(about) or (story and bool(_TOLD_ON.match(line.text)))
        if story:
            _other(line)


_RELATIVE_WORD = re.compile(rf"\b{_RELATIVE}\b", re.I)
_RELATIVE_AUGMENTED = re.compile(
    rf"\b(?:my|our)\s+(?P<who>{_RELATIVE})\b[^.]{{0,40}}?\b(?:had|has\s+had|underwent|got)\s+"
    rf"(?:a\s+|an\s+|the\s+|her\s+|his\s+)?(?:[\w/-]+\s+){{0,2}}?{_AUGMENTATION}\b",
    re.I,
)


# the carer names whom they write for: "posting for my dad", "asking on behalf of my mum"
_WRITING_FOR = re.compile(
    rf"\b(?:posting|writing|asking)\s+(?:for|about|on\s+behalf\s+of)\s+(?:my|our)\s+(?P<who>{_RELATIVE})\b",
    re.I,
)

_PATIENT_WORDS = ("injection", "operation", "surgery", "procedure", "block", "epidural")


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
