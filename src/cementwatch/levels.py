"""Vertebral levels: parse the ways clinicians write them into one normal form.

Normal form is the case contract's: ``C1``–``C7``, ``T1``–``T12``, ``L1``–``L5``, ``S1``–``S5``, ``Co``.

- Thoracic prefixes ``T``, ``Th`` and ``D`` (dorsal) are the same series: ``D12`` = ``Th12`` = ``T12``.
- Spaces, dots and hyphens between prefix and number are tolerated: ``T 12``, ``T-12``, ``t.12``.
- A range names every vertebra from one end to the other: ``T10-L2`` → T10, T11, T12, L1, L2;
  ``L3-4`` and ``L3/4`` (disc-level notation) → L3, L4.
- An impossible level (``L9``, ``T13``, ``C0``) is an error, never silently dropped.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ALL_LEVELS", "LevelError", "expand_level", "normalise_levels", "parse_level", "region"]

_SERIES: tuple[tuple[str, int], ...] = (("C", 7), ("T", 12), ("L", 5), ("S", 5))
ALL_LEVELS: tuple[str, ...] = (
    *(f"{prefix}{n}" for prefix, count in _SERIES for n in range(1, count + 1)),
    "Co",
)
_ORDER = {level: i for i, level in enumerate(ALL_LEVELS)}
_PREFIX = {"c": "C", "t": "T", "th": "T", "d": "T", "l": "L", "s": "S"}

_SINGLE = re.compile(r"^\s*(th|[ctdls])\s*[-.]?\s*(\d{1,2})\s*$", re.IGNORECASE)
_COCCYX = re.compile(r"^\s*(co|cx|coccyx|coccygeal)\s*\d?\s*$", re.IGNORECASE)
# "T10-L2", "T10 – L2", "T10 to L2", "L3-4", "L3/4"
_RANGE = re.compile(
    r"^\s*(?P<a>(?:th|[ctdls])\s*[-.]?\s*\d{1,2})\s*(?:-|–|—|/|to)\s*"
    r"(?P<b>(?:(?:th|[ctdls])\s*[-.]?\s*)?\d{1,2}|co)\s*$",
    re.IGNORECASE,
)


class LevelError(ValueError):
    """A text that names no vertebra. ``value`` is the offending text."""

    def __init__(self, value: str) -> None:
        super().__init__(f"{value!r} is not a vertebra")
        self.value = value
        self.index: int | None = None


def parse_level(text: str) -> str:
    """Return the normal form of one vertebra, or raise :class:`LevelError`."""
    if _COCCYX.match(text):
        return "Co"
    match = _SINGLE.match(text)
    if match is None:
        raise LevelError(text)
    level = f"{_PREFIX[match.group(1).lower()]}{int(match.group(2))}"
    if level not in _ORDER:
        raise LevelError(text)
    return level


def expand_level(text: str) -> list[str]:
    """One level, or every level of a range, in anatomical order."""
    match = _RANGE.match(text)
    if match is None:
        return [parse_level(text)]
    first = parse_level(match.group("a"))
    end = match.group("b")
    if end.strip().isdigit():  # "L3-4": the second number takes the first's series
        end = first.rstrip("0123456789") + end.strip()
    try:
        last = parse_level(end)
    except LevelError:
        raise LevelError(text) from None
    lo, hi = sorted((_ORDER[first], _ORDER[last]))
    return list(ALL_LEVELS[lo : hi + 1])


def normalise_levels(items: Iterable[str]) -> list[str]:
    """Expand and normalise many level texts; unique, in anatomical order.

    Raises :class:`LevelError` for the first text that is not a vertebra; its ``index``
    attribute is that text's position in ``items``.
    """
    seen: set[str] = set()
    for index, item in enumerate(items):
        try:
            seen.update(expand_level(item))
        except LevelError as error:
            error.index = index
            raise
    return sorted(seen, key=_ORDER.__getitem__)


def region(level: str) -> str:
    """The spinal region of a normalised level: cervical, thoracic, lumbar, sacral or coccygeal."""
    return {
        "C": "cervical",
        "T": "thoracic",
        "L": "lumbar",
        "S": "sacral",
    }.get(level[0] if level != "Co" else "", "coccygeal")
