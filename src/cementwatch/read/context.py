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

from cementwatch.read.patterns import PATTERNS
from cementwatch.read.rules import ContextRule, Modifier, Rules

_RELATIVE_PRONOUNS = ("which", "that", "who", "whom")
# a negation written after a procedure denies it only in words that say no ("not performed", "declined"),
# not in those that clear a finding ("intact", "normal")
_SAYS_NO = PATTERNS.get("case.says_no")
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

    def _blocked(self, start: int, end: int, *, relative_ok: bool = False) -> bool:
        """Does a terminator lie in ``[start, end)``? With ``relative_ok``, a relative pronoun does not
        ("the vertebroplasty which he asked about is not indicated")."""
        return any(
            start <= t.start
            and t.end <= end
            and not (relative_ok and self.sentence[t.start : t.end] in _RELATIVE_PRONOUNS)
            for t in self.terminators
        )

    def before(self, start: int, category: Modifier) -> bool:
        """Does a trigger of ``category`` written before ``start`` reach the target there?"""
        return category in self.modifiers(start, start + 1, backward=False)

    def modifiers(self, start: int, end: int, *, backward: bool = True) -> set[Modifier]:
        """The categories that modify the target at ``[start, end)`` (with ``backward=False``, only
        those of triggers written before it)."""
        found: set[Modifier] = set()
        for trigger in self.triggers:
            rule = trigger.rule
            if rule.direction == "terminate" or (start <= trigger.start and trigger.end <= end):
                continue
            if trigger.start < start < trigger.end and rule.direction in ("forward", "bidirectional"):
                found.add(rule.category)  # "no cement within | the thecal sac": the trigger runs into it
                continue
            if trigger.start < end and start < trigger.end:
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

    def procedure_modifiers(self, start: int, end: int, others: list[tuple[int, int, str]]) -> set[Modifier]:
        """The categories that modify a procedure named at ``[start, end)``. A procedure is the setting
        of most sentences about its complications, so a trigger aimed at a finding on the way is not
        aimed at it (``others`` are the other targets): "has not passed urine since the vertebroplasty",
        "after L2 vertebroplasty: sensation intact", "after the kyphoplasty his leg would not obey him".
        A negation after it must say no in words ("the vertebroplasty he asked about is not indicated")
        and lie within its scope or 8 words; any other trigger after it, within 4 (cement named
        between is the procedure's own: "vertebroplasty with PMMA can be discussed")."""
        found: set[Modifier] = set()
        for trigger in self.triggers:
            rule = trigger.rule
            if rule.direction == "terminate" or (trigger.start < end and start < trigger.end):
                continue
            before = trigger.end <= start
            if before and rule.direction in ("forward", "bidirectional"):
                gap, scope = (trigger.end, start), rule.max_scope
            elif not before and rule.direction in ("backward", "bidirectional"):
                denial = rule.category in ("negated", "not_done")
                gap, scope = (end, trigger.start), (max(rule.max_scope or 0, 8) if denial else 4)
            else:
                continue
            if rule.category != "generic" and self._blocked(*gap, relative_ok=not before):
                continue
            words = self._words(*gap)
            if scope is not None and words > scope:
                continue
            aimed_elsewhere = any(
                gap[0] < o_end and o_start < gap[1] and (before or kind != "cement")
                for o_start, o_end, kind in others
            )
            if rule.category in ("negated", "not_done"):
                said = self.sentence[trigger.start : trigger.end]
                if not before and rule.direction == "bidirectional" and self._aims_on(trigger, scope, others):
                    continue  # "After the L2 kyphoplasty: no motor deficit"
                if aimed_elsewhere or (before and words > 5) or (not before and not _SAYS_NO.search(said)):
                    continue
            elif aimed_elsewhere and not before:
                continue
            found.add(rule.category)
        return found

    def _aims_on(self, trigger: Trigger, scope: int | None, others: list[tuple[int, int, str]]) -> bool:
        """Does a target follow ``trigger`` within ``scope`` words (unblocked), so that it is aimed there?"""
        for o_start, _, _ in others:
            if o_start < trigger.end or self._blocked(trigger.end, o_start):
                continue
            if scope is None or self._words(trigger.end, o_start) <= scope:
                return True
        return False
