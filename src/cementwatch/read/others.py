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
    rf"\bI(?:\s+have|'ve|’ve)?\s+(?:just\s+|recently\s+)?(?:had|underwent|got)\s+(?:a|an|my|the)\s+"
    rf"(?:[\w/-]+\s+){{0,2}}?{_AUGMENTATION}\b|\bmy\s+(?:own\s+|recent\s+)?{_AUGMENTATION}\b",
    re.I,
)
_RELATIVE = (
    r"(?:mum|mom|mother|dad|father|sister|brother|husband|wife|partner|son|daughter|aunt|auntie|uncle|"
    r"grandmother|grandfather|gran|granny|nan|nanna|grandma|grandpa|cousin|friend|colleague)"
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
_TOLD_ON = re.compile(r"^\W*(?:she|he)(?:'s|’s)?\b", re.I)  # the story told on: "She was breathless ..."


def mark_other_people(lines: list[Line]) -> None:
    """Mark the hits of sentences about another person ``generic``."""
    for line in lines:
        if line.of("procedure") and _THEIR_RELATIVE.search(line.text):
            _other(line)  # "Her husband had a kyphoplasty in 2019 that leaked into his lungs."
    if not any(line.of("procedure") and _WRITER_AUGMENTED.search(line.text) for line in lines):
        return
    story = False
    for line in lines:
        story = bool(_ABOUT_RELATIVE.search(line.text)) or (story and bool(_TOLD_ON.match(line.text)))
        if story:
            _other(line)


def _other(line: Line) -> None:
    for hit in line.hits:
        hit.mods.add("generic")
    line.remodified()
