"""Scoring a reader against the flat gold labels (``../shared/contracts/gold.md``).

A gold file is JSON lines: ``id``, ``file`` (the document, relative to the gold file's own folder),
``gold`` (only what the document states), ``urgency`` (expected), ``urgency_ok`` (accepted levels) and
``note``. A field that is not in ``gold`` is not scored. How each gold field is read off a
:class:`~cementwatch.case.Case` and scored:

* list fields, compared as sets (tp, fp, fn): ``procedure_kinds`` (every procedure, historical ones
  included), ``treated_levels`` (union of the procedures' levels), ``leaks_present`` (leak locations
  with status present), ``deficits_present`` (deficit kinds with status present), ``imaging``
  (modalities), ``treatments_done`` (treatment kinds with status done);
* ``*_absent`` fields (``leaks_absent``, ``deficits_absent``, ``treatments_absent``): every gold-absent
  item read as present (done) is a *contradiction*, counted apart and as a false positive of the
  matching list field (``leaks_present``, ``deficits_present``, ``treatments_done``);
* exact scalars: ``age``, ``sex``, ``worst_motor_grade`` (the lowest motor grade), ``asia``, and
  ``indication``, ``approach``, ``cement_material`` (each from the first procedure that states one);
  ``cement_volume_ml`` (the first procedure's) within 0.1 mL; ``outcome`` one of the listed values;
  ``symptom_onset_days``, ``presentation_days``, ``treatment_days`` inside the gold ``[low, high]``,
  both ends included. A missing reading is wrong.

``gold["optional"]`` holds items that are neither required nor counted against a reading. Its keys:
``procedure_kinds``, ``treated_levels``, ``leaks``, ``deficits``, ``imaging``, ``treatments`` (a
predicted item listed there is not a false positive of the matching list field) and ``indication``,
``approach``, ``cement_material`` (the listed values are accepted besides the gold one; a scalar that
is only in ``optional`` is not scored). The surgical family is widened on both sides before
treatments are scored: laminectomy, hemilaminectomy, foraminotomy or corpectomy implies decompression.

Triage is right when the urgency is in ``urgency_ok``, an under-triage when it is below every accepted
level (none < routine < urgent < emergency), an over-triage when above every one, and ``between``
when the accepted levels have a gap and the urgency falls in it.

Pure apart from :func:`load_gold` reading its file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from cementwatch.assess import Urgency
from cementwatch.case import (
    Case,
    Status,
    TreatmentStatus,
)
from cementwatch.evaluate.gold import (
    ABSENT_FIELDS,
    ABSENT_OF,
    DAY_FIELDS,
    LIST_FIELDS,
    SCALAR_FIELDS,
    SURGICAL_FAMILY,
    VOLUME_TOLERANCE_ML,
    GoldItem,
)

__all__ = ["CaseScore", "Counts", "Miss", "Report", "evaluate", "score_case"]

Triage = Literal["right", "under", "over", "between"]

# gold.md: "any of laminectomy, hemilaminectomy, foraminotomy, corpectomy implies decompression".


@dataclass(frozen=True)
class Counts:
    """Set-comparison counts. A ratio whose denominator is 0 is ``None`` (not measured)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Miss:
    """One disagreement. List fields: ``expected`` the gold items not read (fn), ``got`` the items
    read but not accepted (fp). Absent fields: ``expected`` ``"no X"``, ``got`` X. Scalars and
    ``urgency``: the accepted value(s) and the reading."""

    field: str
    expected: Any
    got: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "expected": self.expected, "got": self.got}


@dataclass(frozen=True)
class CaseScore:
    """The score of one document. ``error`` is set when its case could not be read."""

    id: str
    lists: dict[str, Counts]
    scalars: dict[str, bool]
    contradictions: tuple[Miss, ...]
    urgency: str | None
    triage: Triage
    misses: tuple[Miss, ...]
    error: str | None = None


@dataclass(frozen=True)
class Report:
    """Scores of many documents and their totals."""

    cases: tuple[CaseScore, ...] = field(default_factory=tuple)

    @property
    def lists(self) -> dict[str, Counts]:
        """Per list field, summed over the documents that score it."""
        totals: dict[str, Counts] = {}
        for name in LIST_FIELDS:
            scored = [c.lists[name] for c in self.cases if name in c.lists]
            if scored:
                totals[name] = sum(scored, Counts())
        return totals

    @property
    def scalars(self) -> dict[str, tuple[int, int]]:
        """Per scalar field: (correct, total)."""
        totals: dict[str, tuple[int, int]] = {}
        for name in SCALAR_FIELDS:
            scored = [c.scalars[name] for c in self.cases if name in c.scalars]
            if scored:
                totals[name] = (sum(scored), len(scored))
        return totals

    @property
    def micro(self) -> Counts:
        """tp, fp and fn summed over every list field: the micro F1 is ``micro.f1``."""
        return sum(self.lists.values(), Counts())

    @property
    def scalar_total(self) -> tuple[int, int]:
        """(correct, total) over every scalar field, day ranges, volume and outcome included."""
        pairs = self.scalars.values()
        return sum(c for c, _ in pairs), sum(t for _, t in pairs)

    @property
    def scalar_accuracy(self) -> float | None:
        return _ratio(*self.scalar_total)

    @property
    def triage(self) -> dict[str, int]:
        counts = dict.fromkeys(("right", "under", "over", "between"), 0)
        for case in self.cases:
            counts[case.triage] += 1
        return counts

    @property
    def contradictions(self) -> int:
        return sum(len(c.contradictions) for c in self.cases)

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(id, message) of every document whose read raised."""
        return [(c.id, c.error) for c in self.cases if c.error is not None]

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        correct, total = self.scalar_total
        return {
            "documents": len(self.cases),
            "list_fields": {name: counts.to_dict() for name, counts in self.lists.items()},
            "micro": self.micro.to_dict(),
            "scalar_fields": {
                name: {"correct": c, "total": t, "accuracy": _ratio(c, t)}
                for name, (c, t) in self.scalars.items()
            },
            "scalar_accuracy": {"correct": correct, "total": total, "accuracy": self.scalar_accuracy},
            "triage": {**self.triage, "total": len(self.cases)},
            "contradictions": self.contradictions,
            "errors": [{"id": i, "message": m} for i, m in self.errors],
            "items": [
                {
                    "id": c.id,
                    "urgency": c.urgency,
                    "triage": c.triage,
                    "error": c.error,
                    "misses": [m.to_dict() for m in c.misses],
                }
                for c in self.cases
            ],
        }

    def lines(self, errors: bool = False) -> list[str]:
        """A plain-text table; with ``errors``, every miss of every document too. Documents whose
        read raised are always listed. The last three lines are always the summary: micro F1,
        scalar accuracy, triage."""
        out = [f"{len(self.cases)} documents, {len(self.errors)} unreadable"]
        out.append(f"{'list field':<20}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
        for name, c in self.lists.items():
            scores = f"{_fmt(c.precision):>11}{_fmt(c.recall):>8}{_fmt(c.f1):>7}"
            out.append(f"{name:<20}{c.tp:>5}{c.fp:>5}{c.fn:>5}{scores}")
        out.append(f"{'scalar field':<20}{'correct':>10}")
        out.extend(f"{name:<20}{f'{c}/{t}':>10}" for name, (c, t) in self.scalars.items())
        out.append(f"contradictions {self.contradictions}")
        out.extend(f"unreadable {i}: {m}" for i, m in self.errors)
        if errors:
            for case in self.cases:
                out.extend(
                    f"miss {case.id} {m.field}: expected {_show(m.expected)}, got {_show(m.got)}"
                    for m in case.misses
                )
        micro, (correct, total), triage = self.micro, self.scalar_total, self.triage
        between = f", between {triage['between']}" if triage["between"] else ""
        out += [
            f"list-field micro F1 {_fmt(micro.f1)} (tp {micro.tp} fp {micro.fp} fn {micro.fn})",
            f"scalar accuracy {_fmt(self.scalar_accuracy)} ({correct}/{total})",
            f"triage right {triage['right']}/{len(self.cases)}, under {triage['under']}, "
            f"over {triage['over']}{between}",
        ]
        return out


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return "nothing" if value is None else str(value)


# --- loading ---------------------------------------------------------------------------------------


def _widen(kinds: Iterable[str]) -> set[str]:
    """The surgical family implies decompression."""
    out = set(kinds)
    return out | {"decompression"} if out & SURGICAL_FAMILY else out


def _first(case: Case, attribute: str) -> str | None:
    for procedure in case.procedures:
        value = getattr(procedure, attribute)
        if value is not None:
            return str(value.value)
    return None


def _read_lists(case: Case) -> dict[str, set[str]]:
    return {
        "procedure_kinds": {p.kind.value for p in case.procedures},
        "treated_levels": {level for p in case.procedures for level in p.levels},
        "leaks_present": {x.location.value for x in case.leaks if x.status is Status.PRESENT},
        "deficits_present": {x.kind.value for x in case.findings.deficits if x.status is Status.PRESENT},
        "imaging": {x.modality.value for x in case.imaging},
        "treatments_done": _widen(x.kind.value for x in case.treatments if x.status is TreatmentStatus.DONE),
    }


def _read_scalars(case: Case) -> dict[str, Any]:
    grades = [g.grade for g in case.findings.motor_grades]
    return {
        "age": case.patient.age,
        "sex": case.patient.sex.value if case.patient.sex else None,
        "indication": _first(case, "indication"),
        "approach": _first(case, "approach"),
        "cement_material": _first(case, "cement_material"),
        "worst_motor_grade": min(grades) if grades else None,
        "asia": case.findings.asia_grade,
        "cement_volume_ml": case.procedures[0].cement_volume_ml if case.procedures else None,
        "outcome": case.outcome.status.value if case.outcome.status else None,
        **{name: getattr(case.timeline, name) for name in DAY_FIELDS},
    }


def _accepted(gold: dict[str, Any], name: str) -> Any:
    """What a miss shows as expected for a scalar: the gold value, or every accepted value."""
    extra = gold.get("optional", {}).get(name, [])
    return [gold[name], *extra] if extra else gold[name]


def _scalar_right(gold: dict[str, Any], name: str, got: Any) -> bool:
    expected = gold[name]
    if got is None:
        return False
    if name in DAY_FIELDS:
        return bool(expected[0] <= got <= expected[1])
    if name == "cement_volume_ml":
        return bool(abs(got - expected) <= VOLUME_TOLERANCE_ML + 1e-9)  # 0.1 mL itself is inside
    if name == "outcome":
        return got in expected or got in gold.get("optional", {}).get(name, [])
    return bool(got == expected or got in gold.get("optional", {}).get(name, []))


def _triage(urgency: str, ok: list[str]) -> Triage:
    if urgency in ok:
        return "right"
    rank, ranks = Urgency(urgency).rank, [Urgency(u).rank for u in ok]
    if rank < min(ranks):
        return "under"
    return "over" if rank > max(ranks) else "between"


def _scored_lists(gold: dict[str, Any]) -> list[str]:
    """The list fields a gold line scores: those it names, and those whose absent field it names."""
    return [name for name in LIST_FIELDS if name in gold or ABSENT_OF.get(name) in gold]


def _gold_sets(gold: dict[str, Any], name: str) -> tuple[set[str], set[str]]:
    """The required and the optional items of a list field, widened for treatments."""
    required = set(gold.get(name, []))
    optional = set(gold.get("optional", {}).get(LIST_FIELDS[name], []))
    if name == "treatments_done":
        return _widen(required), _widen(optional)
    return required, optional


def score_case(item: GoldItem, case: Case, urgency: str) -> CaseScore:
    """Score one document's case and assessed urgency against its gold line.

    Raises ``ValueError`` if ``urgency`` is not a level (none, routine, urgent, emergency).
    """
    gold, read = item.gold, _read_lists(case)
    urgency = Urgency(str(urgency)).value
    lists: dict[str, Counts] = {}
    misses: list[Miss] = []
    contradictions: list[Miss] = []
    for absent, present in ABSENT_FIELDS.items():
        for thing in sorted(set(gold.get(absent, [])) & read[present]):
            contradictions.append(Miss(absent, f"no {thing}", thing))
    for name in _scored_lists(gold):
        required, optional = _gold_sets(gold, name)
        contradicted = {m.got for m in contradictions if m.field == ABSENT_OF.get(name)}
        extra = (read[name] - required - optional) | contradicted if name in gold else contradicted
        missed = required - read[name]
        lists[name] = Counts(len(required & read[name]), len(extra), len(missed))
        if extra or missed:
            misses.append(Miss(name, sorted(missed), sorted(extra)))
    misses.extend(contradictions)
    values = _read_scalars(case)
    scalars: dict[str, bool] = {}
    for name in SCALAR_FIELDS:
        if name in gold:
            scalars[name] = _scalar_right(gold, name, values[name])
            if not scalars[name]:
                misses.append(Miss(name, _accepted(gold, name), values[name]))
    triage = _triage(urgency, item.urgency_ok)
    if triage != "right":
        misses.append(Miss("urgency", list(item.urgency_ok), urgency))
    return CaseScore(item.id, lists, scalars, tuple(contradictions), urgency, triage, tuple(misses))


def _unreadable(item: GoldItem, message: str) -> CaseScore:
    """Every field a miss, triage an under-triage: nothing was read or assessed."""
    gold = item.gold
    lists: dict[str, Counts] = {}
    misses: list[Miss] = []
    for name in _scored_lists(gold):
        required, _ = _gold_sets(gold, name)
        lists[name] = Counts(fn=len(required))
        if required:
            misses.append(Miss(name, sorted(required), []))
    scalars: dict[str, bool] = {name: False for name in SCALAR_FIELDS if name in gold}
    misses += [Miss(name, _accepted(gold, name), None) for name in scalars]
    misses.append(Miss("urgency", list(item.urgency_ok), None))
    return CaseScore(item.id, lists, scalars, (), None, "under", tuple(misses), error=message)


def evaluate(items: Iterable[GoldItem], read: Callable[[GoldItem], tuple[Case, str]]) -> Report:
    """Score every item. ``read(item)`` returns the case read from ``item.file`` and the urgency
    assessed on it. If it raises (or returns an urgency that is not a level), the item is recorded
    as an error: every gold field a miss, triage an under-triage; the other items are still scored.
    """
    scores: list[CaseScore] = []
    for item in items:
        try:
            case, urgency = read(item)
            urgency = Urgency(str(urgency)).value
        except Exception as error:
            scores.append(_unreadable(item, f"{type(error).__name__}: {error}"))
            continue
        scores.append(score_case(item, case, urgency))
    return Report(tuple(scores))
