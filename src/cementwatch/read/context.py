"""ConText (Chapman et al. 2001; Harkema et al. 2009), in the style of medspaCy's ConTextComponent.

Within one sentence, a trigger (``context.yaml``) modifies a target:

- ``forward`` triggers modify targets after them, ``backward`` ones targets before them,
  ``bidirectional`` ones either side; within ``max_scope`` words when it is set;
- a ``terminate`` trigger ends the scope of triggers on its other side;
- a ``pseudo`` trigger masks the triggers it overlaps ("no change" is not a negation);
- where triggers overlap, the longest wins; a trigger inside the target itself does not modify it
  ("no improvement" is one finding, not a negated "improvement").

Works on folded sentence text (see ``text.Folded``); offsets are into that text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from cementwatch.read.rules import ContextRule, Modifier, Rules

_WORD = re.compile(r"[^ ]+")  # folded text: words are separated by single spaces


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    rule: ContextRule


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def bounded(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` stand as whole words (no letter or digit glued on either side)?"""
    left_ok = start == 0 or not (_is_word(text[start - 1]) and _is_word(text[start]))
    right_ok = end >= len(text) or not (_is_word(text[end]) and _is_word(text[end - 1]))
    return left_ok and right_ok


def find_triggers(sentence: str, rules: Rules) -> list[Trigger]:
    found: list[Trigger] = []
    for last, (literal, rule) in rules.context.iter(sentence):
        start = last - len(literal) + 1
        if bounded(sentence, start, last + 1):
            found.append(Trigger(start, last + 1, rule))
    # longest first, then drop anything overlapping a kept trigger
    found.sort(key=lambda t: (-(t.end - t.start), t.start))
    kept: list[Trigger] = []
    for trigger in found:
        if all(trigger.end <= k.start or trigger.start >= k.end for k in kept):
            kept.append(trigger)
    kept.sort(key=lambda t: t.start)
    return [t for t in kept if t.rule.direction != "pseudo"]


class Context:
    """The modifiers in force in one sentence."""

    def __init__(self, sentence: str, rules: Rules) -> None:
        self.sentence = sentence
        self.triggers = find_triggers(sentence, rules)
        self.terminators = [t for t in self.triggers if t.rule.direction == "terminate"]
        self._word_starts: list[int] | None = None

    def _words(self, start: int, end: int) -> int:
        if self._word_starts is None:  # only sentences with a scoped trigger need the word count
            self._word_starts = [m.start() for m in _WORD.finditer(self.sentence)]
        starts = self._word_starts
        return bisect_left(starts, end) - bisect_left(starts, start)

    def _blocked(self, start: int, end: int) -> bool:
        return any(start <= t.start and t.end <= end for t in self.terminators)

    def before(self, start: int, category: Modifier) -> bool:
        """Does a trigger of ``category`` written before ``start`` reach the target there?"""
        return category in self.modifiers(start, start + 1, backward=False)

    def modifiers(self, start: int, end: int, *, backward: bool = True) -> set[Modifier]:
        """The categories that modify the target at ``[start, end)`` (with ``backward=False``, only
        those of triggers written before it)."""
        found: set[Modifier] = set()
        for trigger in self.triggers:
            rule = trigger.rule
            if rule.direction == "terminate" or (trigger.start < end and start < trigger.end):
                continue
            scope = rule.max_scope
            if trigger.end <= start and rule.direction in ("forward", "bidirectional"):
                gap = (trigger.end, start)
            elif backward and trigger.start >= end and rule.direction in ("backward", "bidirectional"):
                gap = (end, trigger.start)
            else:
                continue
            if rule.category != "generic" and self._blocked(*gap):
                continue  # a statement about patients in general holds for the whole sentence
            if scope is not None and self._words(*gap) > scope:
                continue
            found.add(rule.category)
        return found
