"""Similar published cases and what happened to them: the assessment's ``prognosis`` section. Pure.

Each case is reduced to a :class:`~cementwatch.assess.features.Profile` of eight features; two
profiles are compared with a weighted Gower similarity (docs/prognosis.md): every feature both cases
have gives a similarity in [0, 1], and the score is ``sum(weight * similarity) / sum(weight)`` over
those features only. A feature either case lacks is left out of both sums: it counts neither as a
match nor as a mismatch. :func:`similar` streams the candidates through a heap of ``k``;
:func:`prognosis` words the result for the assessment.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, Final

from pydantic import BaseModel, ConfigDict, Field

from cementwatch.assess.features import DELAYS, LEAK_CLASS, NO_LEAK, SEVERITY_RANGE, Profile, profile, summary
from cementwatch.case import Case, Citation, OutcomeStatus, ProcedureKind

__all__ = ["BASIS", "CAVEAT", "METHOD", "WEIGHTS", "Match", "Profile", "Prognosis", "SimilarCase"]
__all__ += ["Shortlist", "compare", "profile", "prognosis", "rank", "similar", "similarity", "summary"]

METHOD: Final = "weighted Gower similarity: leak, deficit, procedure, level region, timing (v1)"
CAVEAT: Final = (
    "Published case reports over-represent severe and unusual outcomes, and many leave details blank. "
    "These cases describe what happened to other patients; they are not a prediction for this patient."
)
# Leak location and deficit severity weigh most: together they say what the cement is doing (pressing
# on the cord or roots, or travelling to the lungs and heart) and how much harm it has already done,
# and the published outcomes differ most by them (intradural leaks left residual deficits in Teng
# 2006; most canal leaks recovered after early removal in Sidhu 2013; leaks without symptoms are
# observed). Cardiorespiratory symptoms are the severity axis of embolic leaks. Procedure, level
# region and timing modify the picture rather than define it.
WEIGHTS: Final[Mapping[str, float]] = MappingProxyType(
    {
        "leak_location": 3.0,
        "deficit_severity": 3.0,
        "cardiorespiratory": 2.0,
        "procedure": 1.0,
        "level_region": 1.0,
        "onset": 1.0,
        "decompression": 1.0,
        "decompression_delay": 1.0,
    }
)
#: Two cases are comparable only when at least one of these is known for both. ``similar`` asks more:
#: a candidate must be comparable on each of them that the case has, so that a report silent about
#: its leak or its deficits cannot rank high on the minor features alone.
BASIS: Final = ("leak_location", "deficit_severity")

NOT_REPORTED: Final = "not_reported"
OUTCOMES: Final = (*(o.value for o in OutcomeStatus), NOT_REPORTED)


def _place(a: str, b: str) -> float:
    """Two leak locations: the same 1, the same class (canal, embolic, local) 0.5, else 0."""
    return 1.0 if a == b else 0.5 if a in LEAK_CLASS and LEAK_CLASS[a] == LEAK_CLASS.get(b) else 0.0


def _near(a: int, b: int) -> float:
    return 0.5 if abs(a - b) == 1 else 0.0


# Similarity of two known, different values of a feature (equal values score 1). All symmetric. Leaks:
# half from the two worst locations, half from the best-matching pair of locations.
_PARTIAL: Final[Mapping[str, Callable[[Any, Any], float]]] = MappingProxyType(
    {
        "leak_location": lambda a, b: (_place(a[0], b[0]) + max(_place(x, y) for x in a for y in b)) / 2,
        "deficit_severity": lambda a, b: 1.0 - abs(a - b) / SEVERITY_RANGE,
        "cardiorespiratory": lambda a, b: 0.5 if a and b else 0.0,
        "procedure": lambda a, b: 0.5 if ProcedureKind.OTHER_AUGMENTATION.value in (a, b) else 0.0,
        "level_region": _near,
        "decompression_delay": lambda a, b: 1.0 - abs(a - b) / (len(DELAYS) - 1),
    }
)


def _compare(a: Profile, b: Profile) -> tuple[float, float, tuple[str, ...], tuple[str, ...]] | None:
    """(score, weight compared, features matched, features compared); None without a basis."""
    total = got = 0.0
    matched: list[str] = []
    compared: list[str] = []
    for name, weight in WEIGHTS.items():
        x, y = getattr(a, name), getattr(b, name)
        if x is None or y is None:
            continue
        s = 1.0 if x == y else _PARTIAL.get(name, lambda _a, _b: 0.0)(x, y)
        total += weight
        got += weight * s
        compared.append(name)
        if s == 1.0:
            matched.append(name)
    if not any(name in compared for name in BASIS):
        return None
    return min(1.0, got / total), total, tuple(matched), tuple(compared)


def compare(a: Profile, b: Profile) -> tuple[float, float, tuple[str, ...], tuple[str, ...]] | None:
    """Two profiles compared: (score, weight compared, features matched exactly, features compared);
    None when neither basis feature is known for both. :func:`similar` ranks by score, then weight."""
    return _compare(a, b)


def similarity(a: Case, b: Case) -> float | None:
    """The similarity of two cases in [0, 1]; None when neither leak nor deficit can be compared."""
    result = _compare(profile(a), profile(b))
    return None if result is None else result[0]


@dataclass(frozen=True)
class Match:
    """One similar case: its score, the features that matched exactly and those compared."""

    case: Case
    score: float
    matched: tuple[str, ...]
    compared: tuple[str, ...]
    citation: Citation | None


def _key(case: Case) -> str:
    c = case.citation
    return f"{c.case_id or ''}|{c.ref or ''}|{c.text}" if c else (case.source or "")


def _details(case: Case) -> tuple[object, ...]:
    leaks = [(leak.location, leak.status, leak.levels) for leak in case.leaks]
    levels = [p.levels for p in case.procedures]
    return case.patient.age, case.patient.sex, levels, leaks, case.timeline, case.outcome.status


def _same(case: Case, query: Profile, other: Case, found: Profile) -> bool:
    """The case itself: the same object or citation; or the same profile and clinical details (age,
    sex, levels, leaks, timeline, outcome), of which the age or levels and a day are known (else the
    same source is needed too)."""
    if other is case:
        return True
    a, b = case.citation, other.citation
    if a is not None and b is not None:
        return (a.case_id, a.ref, a.text) == (b.case_id, b.ref, b.text)
    if found != query or _details(case) != _details(other):
        return False
    dated = case.timeline != type(case.timeline)() and bool(case.procedures and case.procedures[0].levels)
    return case.patient.age is not None or dated or (case.source is not None and case.source == other.source)


def _rank(case: Case, candidates: Iterable[Case], k: int) -> tuple[list[Match], int]:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    query = profile(case)
    need = [name for name in BASIS if getattr(query, name) is not None]
    seen = 0

    def scored() -> Iterator[tuple[tuple[float, float, str], Case, tuple[float, float, Any, Any]]]:
        nonlocal seen
        for candidate in candidates:
            found = profile(candidate)
            if _same(case, query, candidate, found):
                continue
            result = _compare(query, found)
            if result is not None and all(name in result[3] for name in need):
                seen += 1
                yield (-result[0], -result[1], _key(candidate)), candidate, result

    # nsmallest keeps a heap of k items while it streams; equal keys keep the candidates' order.
    best = heapq.nsmallest(k, scored(), key=lambda item: item[0])
    return [Match(c, r[0], r[2], r[3], c.citation) for _, c, r in best], seen


def rank(case: Case, candidates: Iterable[Case], k: int = 5) -> tuple[list[Match], int]:
    """:func:`similar`, and how many candidates could be compared (the case itself left out)."""
    return _rank(case, candidates, k)


@dataclass(frozen=True)
class Shortlist:
    """Candidates a store has already narrowed down (``Registry.shortlist``): they hold the best
    matches, and ``compared`` is how many candidates the store compared to find them."""

    cases: list[Case]
    compared: int


def similar(case: Case, candidates: Iterable[Case], k: int = 5) -> list[Match]:
    """The ``k`` candidates most similar to ``case``, best first; the case itself is left out.

    Ties go to the candidate compared on more weight of features, then by citation (case id, ref, text) or
    source. Candidates are read once, as a stream, keeping only ``k`` at a time.
    """
    return _rank(case, candidates, k)[0]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SimilarCase(_Model):
    """One similar published case as the assessment shows it."""

    score: Annotated[float, Field(ge=0, le=1)]
    citation: str = Field(description="the citation text, else the case's source")
    ref: str | None = Field(default=None, description="pmid:…, doi:… or a URL")
    case_id: str | None = None
    summary: str = Field(description="the case in one line: procedure, leak, deficit, timing, outcome")
    outcome: str = Field(description="an outcome status, or not_reported")
    outcome_detail: str | None = None
    matched: list[str] = Field(default_factory=list, description="features that matched exactly")
    compared: list[str] = Field(default_factory=list, description="features known for both cases")


class Prognosis(_Model):
    """How the most similar published cases fared (docs/prognosis.md)."""

    method: str = METHOD
    candidates_compared: Annotated[int, Field(ge=0)] = Field(description="candidates that could be compared")
    matches: list[SimilarCase]
    outcome_counts: dict[str, int] = Field(description="outcome → number of matches, best outcome first")
    outcome_summary: str = Field(description='e.g. "improved 3, full recovery 1, not reported 1"')
    caveat: str = CAVEAT


def _worth_comparing(p: Profile) -> bool:
    """A leak, a deficit beyond back pain, or cardiorespiratory symptoms: something to compare on."""
    leak = p.leak_location not in (None, (NO_LEAK,))
    return leak or (p.deficit_severity or 0) >= 2 or bool(p.cardiorespiratory)


def prognosis(case: Case, candidates: Iterable[Case] | Shortlist, k: int = 5) -> Prognosis | None:
    """The ``k`` most similar candidates with their outcomes counted (from a :class:`Shortlist`,
    the count of candidates compared is the store's).

    None when the case has nothing to compare on (no active leak, and no deficit beyond back pain)
    or no candidate could be compared with it.
    """
    if not _worth_comparing(profile(case)):
        return None
    if isinstance(candidates, Shortlist):
        matches, seen = _rank(case, candidates.cases, k)[0], candidates.compared
    else:
        matches, seen = _rank(case, candidates, k)
    if not matches:
        return None
    outcomes = [m.case.outcome.status.value if m.case.outcome.status else NOT_REPORTED for m in matches]
    counts = Counter(outcomes)
    ordered = sorted(counts, key=lambda o: (-counts[o], OUTCOMES.index(o)))
    return Prognosis(
        candidates_compared=seen,
        matches=[
            SimilarCase(
                score=round(m.score, 3),
                citation=m.citation.text if m.citation else (m.case.source or "uncited case"),
                ref=m.citation.ref if m.citation else None,
                case_id=m.citation.case_id if m.citation else None,
                summary=summary(m.case),
                outcome=outcome,
                outcome_detail=m.case.outcome.detail,
                matched=list(m.matched),
                compared=list(m.compared),
            )
            for m, outcome in zip(matches, outcomes, strict=True)
        ],
        outcome_counts={o: counts[o] for o in OUTCOMES if counts[o]},
        outcome_summary=", ".join(f"{o.replace('_', ' ')} {counts[o]}" for o in ordered),
    )
