"""The flat gold format (``../shared/contracts/gold.md``): its fields and vocabularies, and
:func:`load_gold`, which reads a gold file and validates every line, naming the line of any problem.
How the fields are scored is in :mod:`cementwatch.evaluate.score`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from cementwatch.assess import Urgency
from cementwatch.case import (
    Approach,
    CementMaterial,
    DeficitKind,
    Indication,
    LeakLocation,
    Modality,
    OutcomeStatus,
    ProcedureKind,
    Sex,
    TreatmentKind,
)
from cementwatch.levels import LevelError, normalise_levels

__all__ = ["GoldItem", "load_gold"]

# gold.md: "any of laminectomy, hemilaminectomy, foraminotomy, corpectomy implies decompression".
SURGICAL_FAMILY: Final = frozenset({"laminectomy", "hemilaminectomy", "foraminotomy", "corpectomy"})
VOLUME_TOLERANCE_ML: Final = 0.1


def _values(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


# Vocabulary name -> allowed values; "levels" is checked by normalise_levels instead.
_VOCAB: Final[dict[str, frozenset[str]]] = {
    "procedure_kinds": _values(ProcedureKind),
    "leaks": _values(LeakLocation),
    "deficits": _values(DeficitKind),
    "imaging": _values(Modality),
    "treatments": _values(TreatmentKind),
    "indication": _values(Indication),
    "approach": _values(Approach),
    "cement_material": _values(CementMaterial),
    "sex": _values(Sex),
    "outcome": _values(OutcomeStatus),
    "asia": frozenset("ABCDE"),
}
# List field -> its vocabulary, which is also its key in ``optional``.
LIST_FIELDS: Final = {
    "procedure_kinds": "procedure_kinds",
    "treated_levels": "treated_levels",
    "leaks_present": "leaks",
    "deficits_present": "deficits",
    "imaging": "imaging",
    "treatments_done": "treatments",
}
ABSENT_FIELDS: Final = {
    "leaks_absent": "leaks_present",
    "deficits_absent": "deficits_present",
    "treatments_absent": "treatments_done",
}
ABSENT_OF: Final = {present: absent for absent, present in ABSENT_FIELDS.items()}
EXACT_FIELDS: Final = ("age", "sex", "indication", "approach", "cement_material", "worst_motor_grade", "asia")
DAY_FIELDS: Final = ("symptom_onset_days", "presentation_days", "treatment_days")
SCALAR_FIELDS: Final = (*EXACT_FIELDS, "cement_volume_ml", "outcome", *DAY_FIELDS)
OPTIONAL_SCALARS: Final = ("indication", "approach", "cement_material", "outcome")
_INT_RANGES: Final = {"age": (0, 120), "worst_motor_grade": (0, 5)}


@dataclass(frozen=True)
class GoldItem:
    """One gold line. ``file`` is resolved against the gold file's folder; ``gold`` is validated,
    with ``treated_levels`` normalised (``D12`` → ``T12``) and ``outcome`` always a list."""

    id: str
    file: Path
    gold: dict[str, Any]
    urgency: str
    urgency_ok: list[str]
    note: str


def load_gold(path: Path) -> list[GoldItem]:
    """Read a flat gold file (JSON lines; blank lines skipped).

    Raises ``ValueError`` naming ``path:line`` for a line that is not JSON, lacks a key, has an
    unknown gold field or optional key, a value outside the case vocabulary, an item both present and
    absent, an expected urgency outside ``urgency_ok``, or a repeated id.
    """
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = _item(json.loads(line), path.parent)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON: {error.msg}") from None
        except ValueError as error:
            raise ValueError(f"{path}:{number}: {error}") from None
        if item.id in seen:
            raise ValueError(f"{path}:{number}: id {item.id!r} repeats line {seen[item.id]}")
        seen[item.id] = number
        items.append(item)
    return items


def _item(data: Any, folder: Path) -> GoldItem:
    if not isinstance(data, dict):
        raise ValueError("a gold line is a JSON object")
    for key, kind in (("id", str), ("file", str), ("gold", dict), ("urgency", str), ("urgency_ok", list)):
        if not isinstance(data.get(key), kind):
            raise ValueError(f"{key}: missing or not a {kind.__name__}")
    note = data.get("note", "")
    if not isinstance(note, str):
        raise ValueError("note: not a string")
    levels = {u.value for u in Urgency}
    ok = data["urgency_ok"]
    if not ok or not all(u in levels for u in ok):
        raise ValueError(f"urgency_ok: expected levels among {sorted(levels)}, got {ok!r}")
    if data["urgency"] not in ok:
        raise ValueError(f"urgency: {data['urgency']!r} is not in urgency_ok {ok!r}")
    gold = {name: _check_field(name, value) for name, value in data["gold"].items()}
    for absent, present in ABSENT_FIELDS.items():
        both = set(gold.get(absent, [])) & set(gold.get(present, []))
        if both:
            raise ValueError(f"gold: {sorted(both)} both in {present} and {absent}")
    return GoldItem(data["id"], (folder / data["file"]).resolve(), gold, data["urgency"], list(ok), note)


def _check_field(name: str, value: Any) -> Any:
    if name == "optional":
        if not isinstance(value, dict):
            raise ValueError("gold.optional: not an object")
        keys = {*LIST_FIELDS.values(), *OPTIONAL_SCALARS}
        unknown = set(value) - keys
        if unknown:
            raise ValueError(f"gold.optional: unknown key(s) {sorted(unknown)}; known: {sorted(keys)}")
        return {key: _check_list(f"gold.optional.{key}", key, items) for key, items in value.items()}
    if name in LIST_FIELDS:
        return _check_list(f"gold.{name}", LIST_FIELDS[name], value)
    if name in ABSENT_FIELDS:
        return _check_list(f"gold.{name}", LIST_FIELDS[ABSENT_FIELDS[name]], value)
    if name == "outcome":
        return _check_list("gold.outcome", "outcome", [value] if isinstance(value, str) else value)
    where = f"gold.{name}"
    if name in DAY_FIELDS:
        if not (isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))):
            raise ValueError(f"{where}: expected [low, high] days, got {value!r}")
        if value[0] > value[1]:
            raise ValueError(f"{where}: low {value[0]} is above high {value[1]}")
        return list(value)
    if name == "cement_volume_ml":
        if not _is_number(value) or value < 0:
            raise ValueError(f"{where}: expected a volume in mL, got {value!r}")
        return value
    if name in _INT_RANGES:
        low, high = _INT_RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{where}: expected a whole number {low}-{high}, got {value!r}")
        return value
    if name in _VOCAB:
        if value not in _VOCAB[name]:
            raise ValueError(f"{where}: {value!r} is not one of {sorted(_VOCAB[name])}")
        return value
    raise ValueError(f"{where}: unknown gold field")


def _check_list(where: str, vocab: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of strings, got {value!r}")
    if vocab == "treated_levels":
        try:
            return normalise_levels(value)
        except LevelError as error:
            raise ValueError(f"{where}[{error.index}]: {error}") from None
    for i, item in enumerate(value):
        if item not in _VOCAB[vocab]:
            raise ValueError(f"{where}[{i}]: {item!r} is not one of {sorted(_VOCAB[vocab])}")
    return list(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
