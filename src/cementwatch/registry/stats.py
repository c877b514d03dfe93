"""Registry statistics: counts of cases by leak location, procedure, deficit, treatment and outcome,
and outcome by delay to decompression. Pure: no I/O, no plotting (see ``plots.py``).

``compute_stats`` reads its cases once, as a stream, keeping only counters: a generator of 100,000
cases needs no more memory than one of ten.

**Delay to decompression** (the one definition used in every table and plot): days from the index
procedure (day 0) to the first decompressive operation marked *done* — laminectomy,
hemilaminectomy, foraminotomy, durotomy, decompression, cement removal or corpectomy — taken from
the operation's own ``day``, else the case's ``timeline.treatment_days``. It is the registry's
``decompression_days`` column (:func:`cementwatch.registry.columns.decompression_day`), so
``registry list --min-delay-days`` and these tables agree. Bins: *same day* under 1 day;
*1–2 days* 1 to 2; *3–30 days* over 2 up to 30; *> 30 days* over 30. A decompressed case with no
known day (or a day before the index procedure) is *decompressed, delay not reported*; a case
without a done decompressive operation is *no decompression*. Delay from symptom onset is not
tabulated: onset is missing from many reports, and mixing the two clocks in one table would mislead.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from cementwatch.case import (
    Case,
    DeficitKind,
    LeakLocation,
    OutcomeStatus,
    ProcedureKind,
    Status,
    TreatmentKind,
    TreatmentStatus,
)
from cementwatch.registry.columns import DECOMPRESSIVE, decompression_day

__all__ = [
    "CAVEAT",
    "DELAY_BINS",
    "DELAY_DEFINITION",
    "NONE",
    "NOT_REPORTED",
    "OUTCOMES",
    "TABLES",
    "Stats",
    "compute_stats",
    "delay_bin",
    "label",
    "render_stats",
    "rows",
    "stats_to_json",
]

NOT_REPORTED: Final = "not_reported"
NONE: Final = "none"  # the case has no item of this kind (no present leak, no present deficit, ...)
_TAIL: Final = (NONE, NOT_REPORTED)  # shown last, after the categories

#: Delay bins in time order, then the two bins without a delay; key → label.
DELAY_BINS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "same_day": "same day",
        "days_1_2": "1–2 days",
        "days_3_30": "3–30 days",
        "over_30_days": "> 30 days",
        "delay_not_reported": "decompressed, delay not reported",
        "no_decompression": "no decompression",
    }
)
#: Outcome keys in clinical order (best first), then not reported.
OUTCOMES: Final = (*(o.value for o in OutcomeStatus), NOT_REPORTED)

#: The one-way tables: Stats attribute → (title, row heading, label of the NONE row or None when every
#: case has a value).
TABLES: Final[Mapping[str, tuple[str, str, str | None]]] = MappingProxyType(
    {
        "leak_locations": (
            "Leak location (present leaks; a case counts once per location)",
            "leak location",
            "no leak present",
        ),
        "procedures": ("Index procedure (the first current augmentation)", "procedure", None),
        "deficits": ("Deficit (present; a case counts once per kind)", "deficit", "no deficit present"),
        "treatments": ("Treatment (done; a case counts once per kind)", "treatment", "no treatment done"),
        "outcomes": ("Outcome (at the last follow-up reported)", "outcome", None),
    }
)

DELAY_DEFINITION: Final = (
    "Delay to decompression: days from the index procedure (day 0) to the first decompressive operation "
    "marked done (laminectomy, hemilaminectomy, foraminotomy, durotomy, decompression, cement removal, "
    "corpectomy), from the operation's own day, else the case's treatment day. Same day: under 1 day; "
    "1–2 days: 1 to 2; 3–30 days: over 2 up to 30; > 30 days: over 30. Decompressed with no known day "
    "(or a day before the procedure): delay not reported. Delay from symptom onset is not used."
)
CAVEAT: Final = (
    "Publication bias: published case reports over-represent severe, unusual and surgically treated leaks "
    "and the outcomes authors chose to report. These counts describe the cases in this registry; they are "
    "not incidence, and the outcome-by-delay table is not the effect of timing (the groups differ in "
    "severity and in why they waited)."
)


@dataclass(frozen=True)
class Stats:
    """Counts of cases. Every mapping holds every key of its vocabulary, in vocabulary order, zeros included.

    Keys are the case contract's values; ``NONE`` counts cases with no item of the kind and
    ``NOT_REPORTED`` cases where the item is missing. ``outcome_by_delay`` maps each ``DELAY_BINS``
    key to counts by ``OUTCOMES``.
    """

    n: int
    leak_locations: Mapping[str, int]
    procedures: Mapping[str, int]
    deficits: Mapping[str, int]
    treatments: Mapping[str, int]
    outcomes: Mapping[str, int]
    outcome_by_delay: Mapping[str, Mapping[str, int]]

    def delay_n(self, key: str) -> int:
        """Cases in one delay bin."""
        return sum(self.outcome_by_delay[key].values())


def delay_bin(days: float | None, *, decompressed: bool) -> str:
    """The ``DELAY_BINS`` key for a delay to decompression in days (see the module docstring)."""
    if not decompressed:
        return "no_decompression"
    if days is None or days < 0:
        return "delay_not_reported"
    if days < 1:
        return "same_day"
    if days <= 2:
        return "days_1_2"
    if days <= 30:
        return "days_3_30"
    return "over_30_days"


def _frozen(keys: Iterable[str], counts: Counter[str]) -> Mapping[str, int]:
    return MappingProxyType({key: counts[key] for key in keys})


def compute_stats(cases: Iterable[Case]) -> Stats:
    """Count ``cases`` in one pass (a generator is read once and never held)."""
    n = 0
    leaks: Counter[str] = Counter()
    procedures: Counter[str] = Counter()
    deficits: Counter[str] = Counter()
    treatments: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    by_delay: dict[str, Counter[str]] = {key: Counter() for key in DELAY_BINS}
    for case in cases:
        n += 1
        found = {leak.location.value for leak in case.leaks if leak.status is Status.PRESENT}
        leaks.update(found or (NONE,))
        index = next((p for p in case.procedures if not p.historical), None)
        procedures[index.kind.value if index else NOT_REPORTED] += 1
        kinds = {d.kind.value for d in case.findings.deficits if d.status is Status.PRESENT}
        deficits.update(kinds or (NONE,))
        done = {t.kind for t in case.treatments if t.status is TreatmentStatus.DONE}
        treatments.update({kind.value for kind in done} or (NONE,))
        outcome = case.outcome.status.value if case.outcome.status else NOT_REPORTED
        outcomes[outcome] += 1
        decompressed = not done.isdisjoint(DECOMPRESSIVE)
        days = decompression_day(case) if decompressed else None
        by_delay[delay_bin(days, decompressed=decompressed)][outcome] += 1
    return Stats(
        n=n,
        leak_locations=_frozen([*(v.value for v in LeakLocation), NONE], leaks),
        procedures=_frozen([*(v.value for v in ProcedureKind), NOT_REPORTED], procedures),
        deficits=_frozen([*(v.value for v in DeficitKind), NONE], deficits),
        treatments=_frozen([*(v.value for v in TreatmentKind), NONE], treatments),
        outcomes=_frozen(OUTCOMES, outcomes),
        outcome_by_delay=MappingProxyType({key: _frozen(OUTCOMES, c) for key, c in by_delay.items()}),
    )


def label(table: str, key: str) -> str:
    """The words for one key of a table (``table`` is a ``TABLES`` name or ``outcome_by_delay``)."""
    if table == "outcome_by_delay":
        return DELAY_BINS[key]
    if key == NONE:
        return TABLES[table][2] or "none"
    if key == NOT_REPORTED:
        return "not reported"
    return key.replace("_", " ")


def rows(stats: Stats, table: str, *, zeros: bool = False) -> list[tuple[str, int]]:
    """(key, count) of a one-way table as shown: by count (most first), then ``NONE``/not reported
    last; outcomes keep their clinical order. Zero rows are left out unless ``zeros``."""
    counts: Mapping[str, int] = getattr(stats, table)
    tail = [k for k in _TAIL if k in counts]
    body = [(k, c) for k, c in counts.items() if k not in tail]
    if table != "outcomes":
        body.sort(key=lambda kc: -kc[1])  # stable: ties keep vocabulary order
    out = body + [(k, counts[k]) for k in tail]
    return out if zeros else [(k, c) for k, c in out if c]


def _pct(count: int, n: int) -> str:
    return f"{100 * count / n:.0f}%" if n else "–"


def _table(header: list[str], body: list[list[str]], *, indent: str = "  ") -> list[str]:
    """Aligned columns: the first left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = []
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append((indent + "   ".join(cells)).rstrip())
    return lines


def render_stats(stats: Stats, *, width: int = 100) -> str:
    """Plain-text tables with n in every cell and the notes (delay definition, publication bias)."""
    n = stats.n
    out = [f"Cases: {n:,}", ""]
    if n == 0:
        out += ["No cases.", ""]
    for table, (title, heading, _none) in TABLES.items():
        if n == 0:
            break
        out.append(title)
        body = [[label(table, k), f"{c:,}", _pct(c, n)] for k, c in rows(stats, table)]
        out += _table([heading, "cases", f"% of {n:,}"], body)
        # categories of the vocabulary with no case are named; an empty "none"/"not reported" is not news
        empty = [label(table, k) for k, c in rows(stats, table, zeros=True) if not c and k not in _TAIL]
        if empty:
            out += textwrap.wrap(
                "no cases: " + ", ".join(empty), width=width, initial_indent="  ", subsequent_indent="    "
            )
        out.append("")
    if n:
        out.append("Outcome by delay to decompression (cases, and % of the row's n)")
        header = ["delay to decompression", "n", *(label("outcomes", o) for o in OUTCOMES)]
        body = []
        for key in DELAY_BINS:
            row_n = stats.delay_n(key)
            cells = stats.outcome_by_delay[key]
            body.append(
                [
                    label("outcome_by_delay", key),
                    f"{row_n:,}",
                    *(f"{cells[o]:,} ({_pct(cells[o], row_n)})" if cells[o] else "0" for o in OUTCOMES),
                ]
            )
        out += _table(header, body)
        out.append("")
    out.append("Notes")
    for note in (DELAY_DEFINITION, CAVEAT):
        out += textwrap.wrap(note, width=width, initial_indent="  * ", subsequent_indent="    ")
    return "\n".join(out) + "\n"


def stats_to_json(stats: Stats) -> dict[str, Any]:
    """The statistics as plain JSON data (``cementwatch.stats/1``): every key, zeros included."""
    return {
        "schema": "cementwatch.stats/1",
        "n": stats.n,
        **{table: dict(getattr(stats, table)) for table in TABLES},
        "outcome_by_delay": {
            key: {"n": stats.delay_n(key), "outcomes": dict(stats.outcome_by_delay[key])}
            for key in DELAY_BINS
        },
        "delay_bins": dict(DELAY_BINS),
        "notes": {"delay_definition": DELAY_DEFINITION, "caveat": CAVEAT},
    }
