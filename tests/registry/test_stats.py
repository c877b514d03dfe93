"""Registry statistics and plots: counts against hand-made expectations, delay bins at their edges,
rendering (n in every cell, the caveat), JSON, every plot in PNG and SVG, streaming."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tracemalloc
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from cementwatch.case import Case, DeficitKind, LeakLocation, TreatmentKind, parse_case
from cementwatch.registry.plots import PLOTS, draw
from cementwatch.registry.stats import (
    CAVEAT,
    DELAY_BINS,
    DELAY_DEFINITION,
    OUTCOMES,
    TABLES,
    compute_stats,
    delay_bin,
    render_stats,
    stats_to_json,
)
from tests.conftest import CASES, SEEDS


def make(
    *,
    procedures: list[dict[str, Any]] | None = None,
    leaks: Sequence[tuple[str, str]] = (),
    deficits: Sequence[tuple[str, str]] = (),
    treatments: Sequence[tuple[str, str, float | None]] = (),
    outcome: str | None = None,
    treatment_days: float | None = None,
) -> Case:
    return parse_case(
        {
            "procedures": procedures if procedures is not None else [{"kind": "vertebroplasty"}],
            "leaks": [{"location": loc, "status": status} for loc, status in leaks],
            "findings": {"deficits": [{"kind": kind, "status": status} for kind, status in deficits]},
            "treatments": [{"kind": k, "status": s, "day": d} for k, s, d in treatments],
            "timeline": {"treatment_days": treatment_days},
            "outcome": {"status": outcome},
        }
    )


def hand_built() -> list[Case]:
    return [
        # A: two epidural leaks count once; possible and absent leaks do not count
        make(
            leaks=[
                ("epidural", "present"),
                ("epidural", "present"),
                ("foraminal", "possible"),
                ("pulmonary", "absent"),
            ],
            deficits=[
                ("motor_weakness", "present"),
                ("motor_weakness", "present"),
                ("sensory_deficit", "possible"),
            ],
            treatments=[
                ("laminectomy", "done", 1.0),
                ("steroids", "done", None),
                ("cement_removal", "planned", None),
            ],
            outcome="improved",
        ),
        # B: the index procedure is the first current one, not the historical kyphoplasty
        make(
            procedures=[{"kind": "kyphoplasty", "historical": True}, {"kind": "vertebroplasty"}],
            leaks=[("pulmonary", "present")],
        ),
        # C: no procedure; decompression without its own day takes the timeline's treatment day
        make(
            procedures=[],
            deficits=[("paraplegia", "present")],
            treatments=[("decompression", "done", None)],
            treatment_days=40,
            outcome="died",
        ),
        # D: a denied deficit is no deficit; conservative treatment is no decompression
        make(
            procedures=[{"kind": "kyphoplasty"}],
            leaks=[("intradural", "present"), ("epidural", "present")],
            deficits=[("back_pain", "absent")],
            treatments=[("conservative", "done", 2.0)],
            outcome="full_recovery",
        ),
    ]


def nonzero(mapping: Any) -> dict[str, int]:
    return {k: v for k, v in mapping.items() if v}


def test_counts_match_hand_counted_expectations() -> None:
    stats = compute_stats(hand_built())
    assert stats.n == 4
    assert nonzero(stats.leak_locations) == {"epidural": 2, "intradural": 1, "pulmonary": 1, "none": 1}
    assert nonzero(stats.procedures) == {"vertebroplasty": 2, "kyphoplasty": 1, "not_reported": 1}
    assert nonzero(stats.deficits) == {"motor_weakness": 1, "paraplegia": 1, "none": 2}
    assert nonzero(stats.treatments) == {
        "laminectomy": 1,
        "steroids": 1,
        "decompression": 1,
        "conservative": 1,
        "none": 1,
    }
    assert nonzero(stats.outcomes) == {"improved": 1, "died": 1, "full_recovery": 1, "not_reported": 1}
    assert {k: nonzero(v) for k, v in stats.outcome_by_delay.items() if any(v.values())} == {
        "days_1_2": {"improved": 1},
        "over_30_days": {"died": 1},
        "no_decompression": {"full_recovery": 1, "not_reported": 1},
    }


def test_every_vocabulary_key_is_present_with_zeros() -> None:
    stats = compute_stats(hand_built())
    assert list(stats.leak_locations) == [*(v.value for v in LeakLocation), "none"]
    assert list(stats.deficits) == [*(v.value for v in DeficitKind), "none"]
    assert list(stats.treatments) == [*(v.value for v in TreatmentKind), "none"]
    assert list(stats.outcomes) == list(OUTCOMES)
    assert list(stats.outcome_by_delay) == list(DELAY_BINS)
    with pytest.raises(TypeError):
        stats.outcomes["died"] = 5  # type: ignore[index]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (0, "same_day"),
        (0.5, "same_day"),
        (0.99, "same_day"),
        (1, "days_1_2"),
        (2, "days_1_2"),
        (2.5, "days_3_30"),
        (3, "days_3_30"),
        (30, "days_3_30"),
        (30.5, "over_30_days"),
        (31, "over_30_days"),
        (1826, "over_30_days"),
        (-1, "delay_not_reported"),
    ],
)
def test_delay_bins_at_their_boundaries(day: float, expected: str) -> None:
    assert delay_bin(day, decompressed=True) == expected
    stats = compute_stats([make(treatments=[("laminectomy", "done", day)], outcome="improved")])
    assert stats.outcome_by_delay[expected]["improved"] == 1


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (make(treatments=[("cement_removal", "done", None)]), "delay_not_reported"),
        (make(treatments=[("durotomy", "done", None)], treatment_days=3), "days_3_30"),
        (make(treatments=[("hemilaminectomy", "done", 1)], treatment_days=40), "days_1_2"),  # own day first
        (make(treatments=[("corpectomy", "done", 40), ("foraminotomy", "done", 2)]), "days_1_2"),  # the first
        (make(treatments=[("laminectomy", "planned", 0)]), "no_decompression"),
        (make(treatments=[("decompression", "declined", 0)]), "no_decompression"),
        (
            make(treatments=[("instrumented_fusion", "done", 0), ("cardiac_surgery", "done", 0)]),
            "no_decompression",
        ),
        (make(), "no_decompression"),
    ],
    ids=[
        "no-day",
        "timeline-day",
        "own-day-first",
        "first-of-two",
        "planned",
        "declined",
        "other-surgery",
        "none",
    ],
)
def test_delay_bin_of_a_case(case: Case, expected: str) -> None:
    stats = compute_stats([case])
    assert stats.delay_n(expected) == 1


def test_render_has_n_in_every_cell_and_the_notes() -> None:
    stats = compute_stats(hand_built())
    text = render_stats(stats)
    assert text.startswith("Cases: 4\n")
    for title, heading, _none in TABLES.values():
        assert title in text
        assert re.search(rf"^  {heading}\s+cases\s+% of 4$", text, re.M)
    assert re.search(r"^  epidural\s+2\s+50%$", text, re.M)
    assert re.search(r"^  no leak present\s+1\s+25%$", text, re.M)
    assert re.search(r"^  not reported\s+1\s+25%$", text, re.M)  # procedure and outcome
    assert "no cases: " in text  # zero rows are named, not dropped silently
    cell = r"(?:0|\d+ \(\d+%\))"
    for key, words in DELAY_BINS.items():
        row = re.search(rf"^  {re.escape(words)}\s+(\d+)((?:\s+{cell}){{{len(OUTCOMES)}}})$", text, re.M)
        assert row, words
        assert int(row.group(1)) == stats.delay_n(key)
    assert re.search(r"^  > 30 days\s+1\s+0\s+0\s+0\s+0\s+1 \(100%\)\s+0$", text, re.M)
    flat = " ".join(text.split())
    assert " ".join(CAVEAT.split()) in flat and "not incidence" in flat
    assert " ".join(DELAY_DEFINITION.split()) in flat


def test_render_lines_are_aligned() -> None:
    text = render_stats(compute_stats(hand_built()))
    block = text.split("Outcome by delay to decompression")[1].split("\n\n")[0].splitlines()[1:]
    ends = {len(line) for line in block}
    assert len(ends) == 1  # right-aligned columns: every row ends in the same column


def test_render_no_cases() -> None:
    text = render_stats(compute_stats([]))
    assert "Cases: 0" in text and "No cases." in text and "Publication bias" in text


def test_json_form() -> None:
    stats = compute_stats(hand_built())
    data = json.loads(json.dumps(stats_to_json(stats)))
    assert data["schema"] == "cementwatch.stats/1"
    assert data["n"] == 4
    assert data["leak_locations"]["epidural"] == 2 and data["leak_locations"]["cardiac"] == 0
    assert data["outcomes"]["not_reported"] == 1
    assert data["outcome_by_delay"]["over_30_days"] == {
        "n": 1,
        "outcomes": {**dict.fromkeys(OUTCOMES, 0), "died": 1},
    }
    assert sum(row["n"] for row in data["outcome_by_delay"].values()) == 4
    assert data["delay_bins"]["days_3_30"] == "3–30 days"
    assert data["notes"] == {"delay_definition": DELAY_DEFINITION, "caveat": CAVEAT}


def fixture_paths() -> list[Path]:
    return sorted(CASES.glob("*.case.json")) + sorted(SEEDS.glob("*.case.json"))


def test_fixtures_against_a_count_from_the_raw_json() -> None:
    """An independent tally from the JSON documents themselves, not through Case."""
    paths = fixture_paths()
    stats = compute_stats(parse_case(p.read_text(encoding="utf-8")) for p in paths)
    leaks: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for path in paths:
        raw = json.loads(path.read_text(encoding="utf-8"))
        found = {leak["location"] for leak in raw.get("leaks", []) if leak["status"] == "present"}
        leaks.update(found or {"none"})
        outcomes[(raw.get("outcome") or {}).get("status") or "not_reported"] += 1
    assert stats.n == len(paths) > 40
    assert nonzero(stats.leak_locations) == dict(leaks)
    assert nonzero(stats.outcomes) == dict(outcomes)
    for outcome in OUTCOMES:  # the cross-table's columns add up to the outcome table
        assert sum(row[outcome] for row in stats.outcome_by_delay.values()) == stats.outcomes[outcome]


def test_streaming_a_generator_of_20000_cases() -> None:
    base = [case.model_dump(mode="json", by_alias=True) for case in hand_built()]

    def stream() -> Iterator[Case]:
        for i in range(20_000):
            yield Case.model_validate(base[i % 4])

    tracemalloc.start()
    try:
        stats = compute_stats(stream())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.n == 20_000
    assert stats.leak_locations["epidural"] == 10_000
    assert stats.outcome_by_delay["over_30_days"]["died"] == 5_000
    assert peak < 5_000_000  # holding 20,000 cases would take far more


# ---------------------------------------------------------------------------------------------- plots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fixture_stats() -> Any:
    return compute_stats(parse_case(p.read_text(encoding="utf-8")) for p in fixture_paths())


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_each_plot_writes_png_and_svg(name: str, fixture_stats: Any, tmp_path: Path) -> None:
    png = draw(fixture_stats, name, tmp_path / f"{name}.png")
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 1000
    svg = draw(fixture_stats, name, tmp_path / f"{name}.svg")
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_each_plot_draws_with_no_cases(name: str, tmp_path: Path) -> None:
    out = draw(compute_stats([]), name, tmp_path / f"{name}.png")
    assert out.read_bytes().startswith(PNG_SIGNATURE)


def test_svg_is_deterministic(fixture_stats: Any, tmp_path: Path) -> None:
    first = draw(fixture_stats, "outcome-by-delay", tmp_path / "a.svg").read_bytes()
    second = draw(fixture_stats, "outcome-by-delay", tmp_path / "b.svg").read_bytes()
    assert first == second
    assert b"<dc:date>" not in first


def test_the_plots_name_n_and_the_caveat(fixture_stats: Any, tmp_path: Path) -> None:
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text as text, to search it
        text = draw(fixture_stats, "outcome-by-delay", tmp_path / "t.svg").read_text(encoding="utf-8")
    assert f"(n = {fixture_stats.n})" in text
    assert f"3–30 days (n={fixture_stats.delay_n('days_3_30')})" in text
    assert "not incidence" in text


def test_bad_suffix_and_bad_name(fixture_stats: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        draw(fixture_stats, "outcomes", tmp_path / "plot.pdf")
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        draw(fixture_stats, "outcomes", tmp_path / "plot")
    with pytest.raises(ValueError, match=r"leak-locations, .*outcome-by-delay"):
        draw(fixture_stats, "pie", tmp_path / "plot.png")
    assert not list(tmp_path.iterdir())


def test_importing_the_plots_does_not_import_matplotlib() -> None:
    code = "import sys, cementwatch.registry.plots; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
