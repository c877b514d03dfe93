"""Plots of the registry statistics (matplotlib, imported only when a plot is drawn).

Every plot is horizontal bars with the count (and share of n) on each bar, a title with n, a
labelled count axis, no grid, no 3D, no gradients, Okabe–Ito colours (safe for colour-blind
readers), and the publication-bias caveat as a small caption. ``draw`` writes PNG or SVG by the
file's suffix; SVG output is byte-for-byte deterministic (fixed hash salt, no date).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

from cementwatch.registry.stats import DELAY_BINS, OUTCOMES, Stats, label, rows

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PLOTS", "SUFFIXES", "draw"]

#: Plot name → what it shows.
PLOTS: Final[Mapping[str, str]] = {
    "leak-locations": "cases by leak location (present leaks; a case counts once per location)",
    "procedures": "cases by index procedure",
    "deficits": "cases by deficit (present; a case counts once per kind)",
    "treatments": "cases by treatment (done; a case counts once per kind)",
    "outcomes": "cases by outcome, in clinical order",
    "outcome-by-delay": "outcome by delay to decompression: one bar per delay bin, shares of its n",
}
SUFFIXES: Final = (".png", ".svg")

_TABLE = {
    "leak-locations": ("leak_locations", "Leak locations (present)"),
    "procedures": ("procedures", "Index procedure"),
    "deficits": ("deficits", "Deficits (present)"),
    "treatments": ("treatments", "Treatments (done)"),
    "outcomes": ("outcomes", "Outcome"),
}
# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
_BLUE, _GREY, _NONE = "#0072B2", "#999999", "#D9D9D9"
_OUTCOME_COLOUR = {
    "full_recovery": "#009E73",
    "improved": "#56B4E9",
    "unchanged": "#E69F00",
    "worse": "#D55E00",
    "died": "#000000",
    "not_reported": _NONE,
}
_DARK = {"died", "full_recovery"}  # segment labels in white on these
_CAPTION = (
    "Published case reports over-represent severe and unusual outcomes: these are counts of reported cases, "
    "not incidence."
)
_DELAY_CAPTION = (
    "Delay: days from the index procedure to the first decompressive operation done. Groups differ in "
    "severity: not the effect of timing."
)


def _figure(n_bars: int, width: float = 7.5) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, 1.5 + 0.32 * max(n_bars, 1)), dpi=150, layout="constrained")
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return fig, ax


def _caption(fig: Figure, *lines: str) -> None:
    fig.supxlabel("\n".join(lines), fontsize=7, color="#555555", x=0.01, ha="left")


def _counts(stats: Stats, name: str) -> Figure:
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    table, what = _TABLE[name]
    ordinal = name == "outcomes"  # every outcome shown, zeros too: "none died" is a finding
    shown = rows(stats, table, zeros=ordinal)
    tail = ("none", "not_reported")
    empty = [
        label(table, k) for k, c in rows(stats, table, zeros=True) if not c and not ordinal and k not in tail
    ]
    fig, ax = _figure(len(shown))
    n = stats.n
    ax.set_title(f"{what}: cases in the registry (n = {n:,})", loc="left", fontsize=11)
    if n == 0:
        ax.text(0.5, 0.5, "no cases", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
        ax.set_xticks([])
    else:
        labels = [label(table, key) for key, _c in shown]
        counts = [c for _k, c in shown]
        if ordinal:
            colours = [_OUTCOME_COLOUR[key] for key, _c in shown]
        else:
            colours = [_NONE if key in tail else _BLUE for key, _c in shown]
        y = range(len(shown))
        bars = ax.barh(y, counts, color=colours, height=0.7)
        ax.bar_label(
            bars, labels=[f"{c:,} ({100 * c / n:.0f}%)" if c else "0" for c in counts], padding=3, fontsize=8
        )
        ax.set_yticks(list(y), labels)
        ax.invert_yaxis()  # largest (or best outcome) at the top
        ax.set_xlim(0, max(counts) * 1.18)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("cases (n; a case may have several locations)" if name == "leak-locations" else "cases (n)")
    lines = [_CAPTION]
    if empty and n:
        lines.insert(0, _wrap("Not shown (0 cases): " + ", ".join(empty)))
    _caption(fig, *lines)
    return fig


def _wrap(text: str, width: int = 110) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width))


def _by_delay(stats: Stats) -> Figure:
    keys = list(DELAY_BINS)
    fig, ax = _figure(len(keys), width=8.5)
    ax.set_title(
        f"Outcome by delay to decompression (n = {stats.n:,})",
        loc="left",
        fontsize=11,
        pad=22,  # room for the legend between the title and the bars
    )
    labels = [f"{label('outcome_by_delay', key)} (n={stats.delay_n(key):,})" for key in keys]
    y = list(range(len(keys)))
    left = [0.0] * len(keys)
    for outcome in OUTCOMES:
        counts = [stats.outcome_by_delay[key][outcome] for key in keys]
        shares = [100 * c / stats.delay_n(k) if c else 0.0 for c, k in zip(counts, keys, strict=True)]
        bars = ax.barh(
            y,
            shares,
            left=left,
            color=_OUTCOME_COLOUR[outcome],
            height=0.7,
            label=label("outcomes", outcome),
            edgecolor="white",
            linewidth=0.8,
        )
        # a count fits where its segment is wide enough (about 1% of the axis per 3 px of text)
        text = [
            "" if not c or s < 2.5 * len(f"{c:,}") else f"{c:,}" for c, s in zip(counts, shares, strict=True)
        ]
        colour = "white" if outcome in _DARK else "black"
        ax.bar_label(bars, labels=text, label_type="center", fontsize=8, color=colour)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    for row, key in zip(y, keys, strict=True):
        if not stats.delay_n(key):
            ax.text(1, row, "no cases", va="center", ha="left", fontsize=8, color="#555555", style="italic")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()  # time order from the top
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("% of the cases in the delay group (number of cases on the bars)")
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=len(OUTCOMES),
        frameon=False,
        fontsize=8,
        handlelength=1.2,
        columnspacing=1.2,
        borderaxespad=0.2,
        borderpad=0,
    )
    _caption(fig, _DELAY_CAPTION, _CAPTION)
    return fig


def draw(stats: Stats, name: str, out_path: str | Path) -> Path:
    """Draw plot ``name`` (a key of ``PLOTS``) to ``out_path``, PNG or SVG by its suffix; returns the path."""
    if name not in PLOTS:
        raise ValueError(f"unknown plot {name!r}; choose one of: {', '.join(PLOTS)}")
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot write {path.name!r}: the file name must end in {' or '.join(SUFFIXES)}")
    import matplotlib

    # rc_context, not rcParams: no global state changes for a caller that also uses matplotlib.
    with matplotlib.rc_context({"svg.hashsalt": "cementwatch", "font.size": 9, "font.family": "DejaVu Sans"}):
        fig = _by_delay(stats) if name == "outcome-by-delay" else _counts(stats, name)
        metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
        fig.savefig(path, format=suffix[1:], metadata=metadata)
    return path
