"""Level normalisation: every way clinicians write a vertebra, and every impossible one."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cementwatch.levels import ALL_LEVELS, LevelError, expand_level, normalise_levels, parse_level, region


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("T12", "T12"),
        ("D12", "T12"),
        ("Th12", "T12"),
        ("T 12", "T12"),
        ("t-12", "T12"),
        ("th.7", "T7"),
        ("d1", "T1"),
        ("L1", "L1"),
        ("C7", "C7"),
        ("S1", "S1"),
        ("Co", "Co"),
        ("coccyx", "Co"),
        (" L05 ", "L5"),
    ],
)
def test_parse_level_normalises(text: str, level: str) -> None:
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["L9", "T13", "C8", "C0", "L0", "S6", "D13", "X1", "", "12", "T", "LL2"])
def test_impossible_levels_are_errors_naming_the_text(text: str) -> None:
    with pytest.raises(LevelError) as error:
        parse_level(text)
    assert repr(text) in str(error.value)
    assert error.value.value == text


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("T10-L2", ["T10", "T11", "T12", "L1", "L2"]),
        ("T10 – L2", ["T10", "T11", "T12", "L1", "L2"]),
        ("T10 to L2", ["T10", "T11", "T12", "L1", "L2"]),
        ("L3-4", ["L3", "L4"]),
        ("L3/4", ["L3", "L4"]),
        ("D11-D12", ["T11", "T12"]),
        ("L2-T10", ["T10", "T11", "T12", "L1", "L2"]),
        ("L5-S1", ["L5", "S1"]),
        ("T7", ["T7"]),
    ],
)
def test_ranges_expand_to_every_level(text: str, levels: list[str]) -> None:
    assert expand_level(text) == levels


@pytest.mark.parametrize("text", ["T10-L9", "L3-9", "T11-13"])
def test_a_range_with_an_impossible_end_is_an_error(text: str) -> None:
    with pytest.raises(LevelError):
        expand_level(text)


def test_normalise_levels_dedupes_sorts_and_reports_the_index() -> None:
    assert normalise_levels(["L1", "D12", "T12", "T11-L1"]) == ["T11", "T12", "L1"]
    with pytest.raises(LevelError) as error:
        normalise_levels(["T12", "L1", "L9"])
    assert error.value.index == 2


def test_region() -> None:
    assert [region(x) for x in ("C5", "T7", "L1", "S1", "Co")] == [
        "cervical",
        "thoracic",
        "lumbar",
        "sacral",
        "coccygeal",
    ]


@given(st.sampled_from(ALL_LEVELS), st.sampled_from(ALL_LEVELS))
def test_any_range_of_real_levels_is_contiguous_and_ordered(a: str, b: str) -> None:
    if a == "Co" or b == "Co":
        return
    levels = expand_level(f"{a}-{b}")
    index = [ALL_LEVELS.index(x) for x in levels]
    assert index == list(range(min(index), max(index) + 1))
    assert {a, b} <= set(levels)


@given(st.text(max_size=12))
def test_parse_level_never_crashes(text: str) -> None:
    with contextlib.suppress(LevelError):
        assert parse_level(text) in ALL_LEVELS
