"""Pre-procedure leakage risk: ``estimate_risk(RiskInputs(...))``.

The expected numbers are recomputed here from ``figures.yaml`` (read directly, not through the
evidence loader) with the documented method: base rates and odds ratios combined on the log-odds
scale, the low end from the lowest base rate and the lower 95% limits, the high end from the highest
base rate and the upper limits, the centre from the mean log-odds and the point odds ratios.
"""

from __future__ import annotations

import math
from importlib import resources
from statistics import fmean
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cementwatch.assess.risk import RiskEstimate, RiskInputs, estimate_risk
from cementwatch.case import Approach, Indication, Viscosity
from cementwatch.evidence import load_evidence

DATA = resources.files("cementwatch").joinpath("evidence", "data")
FIGURES: dict[str, dict[str, Any]] = {
    f["id"]: f for f in yaml.safe_load(DATA.joinpath("figures.yaml").read_text(encoding="utf-8"))["figures"]
}
RISK_YAML: dict[str, Any] = yaml.safe_load(DATA.joinpath("risk.yaml").read_text(encoding="utf-8"))

# The base rates each situation must use (the spec; the code reads them from risk.yaml).
PVP = ["leak-pvp-hulme2006", "leak-pvp-zhan2017", "leak-pvp-rose2024"]
PKP = ["leak-pkp-hulme2006", "leak-pkp-zhan2017", "leak-pkp-rose2024"]
PVP_CT = ["leak-ct-pvp-martin2012", "leak-ct-pvp-venmans2011"]
PVP_METASTATIC = ["leak-metastatic-corcos2014", "leak-metastatic-wjso2022"]
PVP_MYELOMA = ["leak-myeloma-pvp-lamaida2012"]
PKP_MYELOMA = ["leak-myeloma-pkp-lamaida2012"]

FACTOR_FIGURE = {
    "cortical_disruption": "or-cortical-disruption-zhan2017",
    "low_viscosity": "or-low-viscosity-zhan2017",
    "cleft": "or-cleft-zhan2017",
}
# How to make each computed factor present, absent and unknown in RiskInputs.
FACTOR_INPUT: dict[str, tuple[str, Any, Any]] = {
    "cortical_disruption": ("cortical_disruption", True, False),
    "low_viscosity": ("viscosity", Viscosity.LOW, Viscosity.HIGH),
    "cleft": ("cleft", True, False),
}

ALL_NOT_GIVEN = [
    "indication",
    "levels",
    "cortical disruption",
    "posterior-wall defect",
    "intravertebral cleft",
    "cement viscosity",
    "planned volume per level",
]


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval, written out independently of the code under test."""
    p = successes / n
    denominator = 1 + z**2 / n
    centre = p + z**2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return (centre - spread) / denominator, (centre + spread) / denominator


def base_span(base_ids: list[str]) -> tuple[float, float]:
    """Lowest and highest base rate; a single series spans its own 95% interval where one is known."""
    figures = [FIGURES[i] for i in base_ids]
    if len(figures) == 1:
        [only] = figures
        if only["ci"]:
            return only["ci"][0], only["ci"][1]
        if only["numerator"] is not None and only["denominator"]:
            return wilson(only["numerator"], only["denominator"])
    values = [float(f["value"]) for f in figures]
    return min(values), max(values)


def expected_range(base_ids: list[str], factors: list[str]) -> tuple[float, float, float]:
    """(low, central, high) implied by the figures, per the documented log-odds method."""
    lowest, highest = base_span(base_ids)
    odds = [FIGURES[FACTOR_FIGURE[f]] for f in factors]
    low = expit(logit(lowest) + sum(math.log(o["ci"][0]) for o in odds))
    central = expit(
        fmean(logit(FIGURES[i]["value"]) for i in base_ids) + sum(math.log(o["value"]) for o in odds)
    )
    high = expit(logit(highest) + sum(math.log(o["ci"][1]) for o in odds))
    return low, central, high


def risk(**kwargs: Any) -> RiskEstimate:
    return estimate_risk(RiskInputs(**kwargs))


def triple(estimate: RiskEstimate) -> tuple[float, float, float]:
    r = estimate.any_leak
    assert r.central is not None
    return r.low, r.central, r.high


def step(estimate: RiskEstimate, step_id: str) -> Any:
    found = [s for s in estimate.prevention if s.id == step_id]
    assert len(found) == 1, [s.id for s in estimate.prevention]
    return found[0]


def step_ids(estimate: RiskEstimate) -> list[str]:
    return [s.id for s in estimate.prevention]


def assert_ordered(low: float, central: float, high: float) -> None:
    assert 0 < low <= central <= high < 1, (low, central, high)


def test_the_figures_are_what_the_tests_assume() -> None:
    """Guard: the odds ratios have a lower limit above 1, so a present factor must raise the range."""
    for figure_id in FACTOR_FIGURE.values():
        figure = FIGURES[figure_id]
        assert figure["unit"] == "odds_ratio"
        assert 1 < figure["ci"][0] < figure["value"] < figure["ci"][1]
    for figure_id in PVP + PKP + PVP_CT + PVP_METASTATIC + PVP_MYELOMA + PKP_MYELOMA:
        assert 0 < FIGURES[figure_id]["value"] < 1


# ------------------------------------------------------------------------------------------------
# the range


GRID = [
    {"procedure": procedure, "indication": indication, "detection": detection, **factors}
    for procedure in ("vertebroplasty", "kyphoplasty")
    for indication in (None, "osteoporotic", "metastatic", "myeloma", "hemangioma")
    for detection in ("radiograph", "ct")
    for factors in (
        {},
        {"cortical_disruption": True, "viscosity": "low", "cleft": True},
        {"cortical_disruption": False, "viscosity": "high", "cleft": False},
    )
]


@pytest.mark.parametrize("inputs", GRID)
def test_range_is_ordered_and_inside_0_1(inputs: dict[str, Any]) -> None:
    estimate = risk(**inputs)
    assert_ordered(*triple(estimate))
    assert estimate.schema_ == "cementwatch.risk/1"
    assert estimate.model_dump(by_alias=True)["schema"] == "cementwatch.risk/1"


@pytest.mark.parametrize(
    "inputs",
    [
        {},
        {"cortical_disruption": True},
        {"viscosity": "low", "cleft": True},
        {"cortical_disruption": True, "viscosity": "low", "cleft": True, "levels": ["T12", "L1"]},
        {"indication": "osteoporotic", "volume_ml": 4.0},
    ],
)
def test_vertebroplasty_is_higher_than_kyphoplasty(inputs: dict[str, Any]) -> None:
    pvp = triple(risk(procedure="vertebroplasty", **inputs))
    pkp = triple(risk(procedure="kyphoplasty", **inputs))
    assert all(v > k for v, k in zip(pvp, pkp, strict=True)), (pvp, pkp)


@pytest.mark.parametrize("inputs", [{}, {"cortical_disruption": True, "viscosity": "low"}, {"cleft": True}])
def test_ct_detection_is_higher_than_radiograph(inputs: dict[str, Any]) -> None:
    ct = risk(procedure="vertebroplasty", detection="ct", **inputs)
    xray = risk(procedure="vertebroplasty", detection="radiograph", **inputs)
    assert ct.base_figures == PVP_CT
    assert xray.base_figures == PVP
    assert all(c > r for c, r in zip(triple(ct), triple(xray), strict=True))
    assert "CT after the procedure" in ct.base


@pytest.mark.parametrize(
    ("inputs", "base_ids", "factors"),
    [
        ({"procedure": "vertebroplasty"}, PVP, []),
        ({"procedure": "kyphoplasty"}, PKP, []),
        ({"procedure": "vertebroplasty", "cortical_disruption": True}, PVP, ["cortical_disruption"]),
        ({"procedure": "kyphoplasty", "viscosity": "low", "cleft": True}, PKP, ["low_viscosity", "cleft"]),
        (
            {"procedure": "vertebroplasty", "detection": "ct", "cortical_disruption": True, "cleft": True},
            PVP_CT,
            ["cortical_disruption", "cleft"],
        ),
        (
            {"procedure": "vertebroplasty", "cortical_disruption": True, "viscosity": "low", "cleft": True},
            PVP,
            ["cortical_disruption", "low_viscosity", "cleft"],
        ),
        ({"procedure": "vertebroplasty", "indication": "metastatic"}, PVP_METASTATIC, []),
        (
            {"procedure": "vertebroplasty", "indication": "metastatic", "viscosity": "low"},
            PVP_METASTATIC,
            ["low_viscosity"],
        ),
        ({"procedure": "vertebroplasty", "indication": "myeloma"}, PVP_MYELOMA, []),
        ({"procedure": "kyphoplasty", "indication": "myeloma", "cleft": True}, PKP_MYELOMA, ["cleft"]),
        ({"procedure": "kyphoplasty", "indication": "metastatic"}, PKP, []),
        ({"procedure": "vertebroplasty", "indication": "hemangioma", "detection": "ct"}, PVP_CT, []),
    ],
    ids=lambda v: "-".join(f"{k}={w}" for k, w in v.items()) if isinstance(v, dict) else None,
)
def test_numbers_equal_what_the_figures_imply(
    inputs: dict[str, Any], base_ids: list[str], factors: list[str]
) -> None:
    estimate = risk(**inputs)
    assert estimate.base_figures == base_ids
    low, central, high = expected_range(base_ids, factors)
    assert estimate.any_leak.low == pytest.approx(low, rel=1e-12)
    assert estimate.any_leak.central == pytest.approx(central, rel=1e-12)
    assert estimate.any_leak.high == pytest.approx(high, rel=1e-12)
    assert [d.factor for d in estimate.drivers if d.present] == factors


def test_vertebroplasty_cortical_disruption_worked_example() -> None:
    """The formula written out once with the numbers: PVP bases 0.41/0.547/0.393, OR 5.56 (1.84-16.81)."""
    estimate = risk(procedure="vertebroplasty", cortical_disruption=True)
    assert estimate.any_leak.low == pytest.approx(expit(logit(0.393) + math.log(1.84)))
    assert estimate.any_leak.high == pytest.approx(expit(logit(0.547) + math.log(16.81)))
    assert estimate.any_leak.low == pytest.approx(0.5437, abs=5e-4)
    assert estimate.any_leak.high == pytest.approx(0.9530, abs=5e-4)
    shown = estimate.any_leak.percent()
    assert "54%–95%" in shown
    assert "82%" in shown


def test_wilson_reference_values() -> None:
    """The test's own Wilson interval against textbook values (5/10: 23.7-76.3%; 0/10: 0-27.8%)."""
    assert wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)


def test_a_single_series_without_an_interval_gives_a_point() -> None:
    figure = FIGURES["leak-myeloma-pvp-lamaida2012"]
    assert figure["ci"] is None and figure["denominator"] is None
    estimate = risk(procedure="vertebroplasty", indication="myeloma")
    assert triple(estimate) == pytest.approx((0.277, 0.277, 0.277))
    assert estimate.any_leak.percent() == "28%"
    assert "one small series only: no range can be given" in estimate.base


# ------------------------------------------------------------------------------------------------
# factors


BASELINES = [
    {"procedure": "vertebroplasty"},
    {"procedure": "kyphoplasty", "indication": "myeloma", "detection": "ct"},
    {"procedure": "vertebroplasty", "indication": "metastatic", "levels": ["T8"], "volume_ml": 3.0},
]


@pytest.mark.parametrize("factor", list(FACTOR_INPUT))
@pytest.mark.parametrize("baseline", BASELINES)
def test_a_present_factor_raises_low_central_and_high(factor: str, baseline: dict[str, Any]) -> None:
    field, present, absent = FACTOR_INPUT[factor]
    unknown = triple(risk(**baseline))
    with_factor = risk(**baseline, **{field: present})
    assert all(w > u for w, u in zip(triple(with_factor), unknown, strict=True))
    [driver] = [d for d in with_factor.drivers if d.factor == factor]
    assert driver.present is True
    assert driver.figure == FACTOR_FIGURE[factor]
    assert driver.odds_ratio == FIGURES[FACTOR_FIGURE[factor]]["value"]
    assert driver.ci == FIGURES[FACTOR_FIGURE[factor]]["ci"]

    without = risk(**baseline, **{field: absent})
    assert triple(without) == unknown
    [driver] = [d for d in without.drivers if d.factor == factor]
    assert driver.present is False


def test_posterior_wall_defect_is_described_not_computed() -> None:
    base = risk(procedure="vertebroplasty")
    wall = risk(procedure="vertebroplasty", posterior_wall_defect=True)
    assert triple(wall) == triple(base)
    assert [n.factor for n in wall.other_factors] == ["posterior_wall_defect"]
    assert "posterior-wall-care" in step_ids(wall)
    assert "posterior-wall-care" not in step_ids(base)
    assert "posterior_wall_defect" not in [d.factor for d in wall.drivers]


def test_unknown_inputs_are_listed_as_not_given() -> None:
    bare = risk(procedure="vertebroplasty")
    assert bare.not_given == ALL_NOT_GIVEN
    assert [d.present for d in bare.drivers] == [None, None, None]

    full = risk(
        procedure="vertebroplasty",
        indication="osteoporotic",
        levels=["L1"],
        cortical_disruption=False,
        posterior_wall_defect=False,
        cleft=False,
        viscosity="high",
        volume_ml=4.0,
    )
    assert full.not_given == []
    assert triple(full) == triple(bare)

    partial = risk(procedure="kyphoplasty", n_levels=2, cleft=True)
    assert partial.not_given == [
        "indication",
        "cortical disruption",
        "posterior-wall defect",
        "cement viscosity",
        "planned volume per level",
    ]


# ------------------------------------------------------------------------------------------------
# prevention


def test_high_viscosity_step_estimates_the_gain_when_viscosity_is_low() -> None:
    low = risk(procedure="vertebroplasty", cortical_disruption=True, viscosity="low")
    if_done = step(low, "high-viscosity").any_leak_if_done
    assert if_done is not None
    assert if_done.central is not None and low.any_leak.central is not None
    assert if_done.low < low.any_leak.low
    assert if_done.central < low.any_leak.central
    assert if_done.high < low.any_leak.high
    # doing it removes exactly the low-viscosity factor
    high = risk(procedure="vertebroplasty", cortical_disruption=True, viscosity="high")
    assert (if_done.low, if_done.central, if_done.high) == pytest.approx(triple(high))
    assert (if_done.low, if_done.central, if_done.high) == pytest.approx(
        expected_range(PVP, ["cortical_disruption"])
    )


@pytest.mark.parametrize("viscosity", [None, "high"])
def test_high_viscosity_step_has_no_gain_without_low_viscosity(viscosity: str | None) -> None:
    estimate = risk(procedure="vertebroplasty", viscosity=viscosity)
    assert step(estimate, "high-viscosity").any_leak_if_done is None


@pytest.mark.parametrize(
    "inputs",
    [{}, {"cortical_disruption": True, "viscosity": "low"}, {"indication": "myeloma", "cleft": True}],
)
def test_prefer_kyphoplasty_step_for_vertebroplasty_only(inputs: dict[str, Any]) -> None:
    pvp = risk(procedure="vertebroplasty", **inputs)
    pkp = risk(procedure="kyphoplasty", **inputs)
    assert "prefer-kyphoplasty" not in step_ids(pkp)
    if_done = step(pvp, "prefer-kyphoplasty").any_leak_if_done
    assert if_done is not None
    assert if_done.low < pvp.any_leak.low
    assert if_done.high < pvp.any_leak.high
    assert if_done.central is not None and pvp.any_leak.central is not None
    assert if_done.central < pvp.any_leak.central
    assert (if_done.low, if_done.central, if_done.high) == pytest.approx(triple(pkp))


def test_prefer_kyphoplasty_compares_like_with_like() -> None:
    """No CT-detected kyphoplasty rate exists: the step is shown without a number."""
    estimate = risk(procedure="vertebroplasty", detection="ct")
    assert step(estimate, "prefer-kyphoplasty").any_leak_if_done is None


def test_steps_shown_always() -> None:
    ids = step_ids(risk(procedure="kyphoplasty"))
    assert ids == ["high-viscosity", "limit-volume", "needle-trajectory", "fluoroscopy"]
    for prevention in RISK_YAML["prevention"]:
        assert all(prevention["sources"])


# ------------------------------------------------------------------------------------------------
# indication


def _risk_text(part: str, indication: str) -> str:
    text: str = next(c["text"] for c in RISK_YAML[part] if c["indication"] == indication)
    return " ".join(text.split())


def test_metastatic_uses_the_metastatic_base_and_canal_text() -> None:
    estimate = risk(procedure="vertebroplasty", indication="metastatic")
    assert estimate.base_figures == PVP_METASTATIC
    assert estimate.base == "vertebroplasty for spinal metastases (single-centre series)"
    assert estimate.canal_leak.text == _risk_text("canal", "neoplastic")
    assert "16% of vertebrae leaked into the canal" in estimate.canal_leak.text
    assert estimate.canal_leak.sources == ["wjso2022-metastatic"]
    assert "surgical-backup" in step_ids(estimate)
    assert step(estimate, "surgical-backup").sources == ["nice-ipg12"]
    assert "neoplastic" in [n.factor for n in estimate.other_factors]
    assert "myeloma-volume" not in step_ids(estimate)


@pytest.mark.parametrize("indication", [None, "osteoporotic", "hemangioma", "traumatic", "other"])
def test_non_neoplastic_uses_the_osteoporotic_canal_text(indication: str | None) -> None:
    estimate = risk(procedure="vertebroplasty", indication=indication)
    assert estimate.base_figures == PVP
    assert estimate.canal_leak.text == _risk_text("canal", "osteoporotic")
    assert estimate.canal_leak.sources == ["hsieh2019", "martin2012"]
    assert "surgical-backup" not in step_ids(estimate)
    assert "neoplastic" not in [n.factor for n in estimate.other_factors]


@pytest.mark.parametrize(
    ("procedure", "base_ids"), [("vertebroplasty", PVP_MYELOMA), ("kyphoplasty", PKP_MYELOMA)]
)
def test_myeloma_uses_the_myeloma_base(procedure: str, base_ids: list[str]) -> None:
    estimate = risk(procedure=procedure, indication="myeloma")
    assert estimate.base_figures == base_ids
    assert "multiple myeloma" in estimate.base
    assert estimate.canal_leak.text == _risk_text("canal", "neoplastic")
    assert {"surgical-backup", "myeloma-volume"} <= set(step_ids(estimate))


def test_kyphoplasty_metastatic_falls_back_to_the_general_rate() -> None:
    estimate = risk(procedure="kyphoplasty", indication="metastatic")
    assert estimate.base_figures == PKP
    assert estimate.base.startswith("pooled reviews of kyphoplasty")
    assert "no neoplastic kyphoplasty series: the general rate is used" in estimate.base
    assert estimate.canal_leak.text == _risk_text("canal", "neoplastic")
    assert triple(estimate) == pytest.approx(expected_range(PKP, []))


def test_kyphoplasty_metastatic_ct_says_both_fallbacks() -> None:
    estimate = risk(procedure="kyphoplasty", indication="metastatic", detection="ct")
    assert estimate.base_figures == PKP
    assert "no neoplastic kyphoplasty series: the general rate is used" in estimate.base
    assert "no ct-detected kyphoplasty rate: radiograph rate shown" in estimate.base


def test_missing_detection_rate_is_said() -> None:
    pkp = risk(procedure="kyphoplasty", detection="ct")
    assert pkp.base_figures == PKP
    assert "no ct-detected rate for this group: the radiograph-detected rate is shown" in pkp.base
    myeloma = risk(procedure="vertebroplasty", indication="myeloma", detection="ct")
    assert myeloma.base_figures == PVP_MYELOMA
    assert "the radiograph-detected rate is shown, and CT finds more" in myeloma.base


# ------------------------------------------------------------------------------------------------
# embolism

THREE_LEVELS = "Three or more levels: OR 2.412 for pulmonary cement."


@pytest.mark.parametrize(
    ("inputs", "added"),
    [
        ({"levels": ["L1", "L2"]}, False),
        ({"levels": ["T12", "L1", "L2"]}, True),
        ({"levels": ["T10-L2"]}, True),
        ({"n_levels": 2}, False),
        ({"n_levels": 3}, True),
        ({}, False),
    ],
)
def test_three_or_more_levels_adds_the_odds_ratio(inputs: dict[str, Any], added: bool) -> None:
    estimate = risk(procedure="vertebroplasty", **inputs)
    assert (THREE_LEVELS in estimate.embolism.text) is added
    assert ("levels" in [n.factor for n in estimate.other_factors]) is added
    assert FIGURES["or-pce-three-levels-zou2021"]["value"] == 2.412
    assert estimate.embolism.text.startswith("CT finds cement in the lung vessels of 2-26% of patients")


def test_thoracic_levels_add_the_thoracic_note() -> None:
    assert "thoracic" in [n.factor for n in risk(procedure="kyphoplasty", levels=["T8"]).other_factors]
    assert "thoracic" not in [n.factor for n in risk(procedure="kyphoplasty", levels=["L3"]).other_factors]


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        (0.0, 0.0),
        (3.0, 0.0),
        (3.49, 0.0),
        (3.5, 0.0011),
        (5.0, 0.0011),
        (6.99, 0.0011),
        (8.0, 0.009),
        (30, 0.009),
    ],
)
def test_planned_volume_chooses_the_hsieh_band(volume: float, expected: float) -> None:
    estimate = risk(procedure="vertebroplasty", volume_ml=volume)
    assert estimate.embolism_symptomatic is not None
    assert estimate.embolism_symptomatic.low == expected
    assert estimate.embolism_symptomatic.high == expected
    assert "Hsieh 2019" in estimate.embolism.text
    assert "volume" in [n.factor for n in estimate.other_factors]


def test_seven_ml_is_in_the_middle_hsieh_band() -> None:
    estimate = risk(procedure="vertebroplasty", volume_ml=7.0)
    assert estimate.embolism_symptomatic is not None
    assert estimate.embolism_symptomatic.high == 0.0011


def test_no_volume_no_band() -> None:
    estimate = risk(procedure="vertebroplasty")
    assert estimate.embolism_symptomatic is None
    assert "Hsieh 2019" not in estimate.embolism.text


# ------------------------------------------------------------------------------------------------
# provenance


CITING_INPUTS = [
    {"procedure": "vertebroplasty"},
    {
        "procedure": "vertebroplasty",
        "indication": "metastatic",
        "levels": ["T10-L2"],
        "cortical_disruption": True,
        "posterior_wall_defect": True,
        "cleft": True,
        "viscosity": "low",
        "volume_ml": 8.0,
        "bmd_t_score": -3.0,
        "approach": "unilateral",
    },
    {"procedure": "kyphoplasty", "indication": "myeloma", "detection": "ct", "volume_ml": 2.0},
    {"procedure": "vertebroplasty", "detection": "ct", "n_levels": 4, "volume_ml": 5.0},
]


@pytest.mark.parametrize("inputs", CITING_INPUTS)
def test_every_cited_id_exists_and_no_figure_is_unverified(inputs: dict[str, Any]) -> None:
    base = load_evidence()
    estimate = risk(**inputs)
    cited_sources = [
        *(s for d in estimate.drivers for s in d.sources),
        *(s for n in estimate.other_factors for s in n.sources),
        *estimate.canal_leak.sources,
        *estimate.embolism.sources,
        *(s for p in estimate.prevention for s in p.sources),
    ]
    assert cited_sources
    assert sorted(set(cited_sources) - set(base.sources)) == []
    used_figures = [
        *estimate.base_figures,
        *(d.figure for d in estimate.drivers),
        RISK_YAML["embolism"]["three_levels_figure"],
        *(band["figure"] for band in RISK_YAML["embolism"]["symptomatic_by_volume"]),
        *(f for c in RISK_YAML["canal"] for f in c["figures"]),
    ]
    for figure_id in used_figures:
        assert figure_id in FIGURES, figure_id
        assert FIGURES[figure_id]["status"] != "unverified", figure_id
        assert base.figures[figure_id].usable


@pytest.mark.parametrize("inputs", CITING_INPUTS)
def test_inconsistent_figures_used_are_shown_with_their_caveat(inputs: dict[str, Any]) -> None:
    estimate = risk(**inputs)
    neoplastic = inputs.get("indication") in ("metastatic", "myeloma")
    canal = next(
        c for c in RISK_YAML["canal"] if c["indication"] == ("neoplastic" if neoplastic else "osteoporotic")
    )
    bands = [band["figure"] for band in RISK_YAML["embolism"]["symptomatic_by_volume"]]
    used = dict.fromkeys([*estimate.base_figures, *canal["figures"], *bands])
    expected = [
        f"{figure_id}: {FIGURES[figure_id]['caveat']}"
        for figure_id in used
        if FIGURES[figure_id]["status"] == "inconsistent"
    ]
    assert estimate.caveats == expected


def test_inconsistent_base_rate_caveat_for_vertebroplasty() -> None:
    estimate = risk(procedure="vertebroplasty")
    assert FIGURES["leak-pvp-rose2024"]["status"] == "inconsistent"
    assert any(c.startswith("leak-pvp-rose2024: Printed as 39.3%") for c in estimate.caveats)
    assert estimate.per == "vertebra (some studies do not state the unit)"


def test_method_limits_and_disclaimer_are_stated() -> None:
    estimate = risk(procedure="kyphoplasty")
    assert estimate.method == RISK_YAML["method"].strip()
    assert "log-odds" in estimate.method
    assert len(estimate.limits) == len(RISK_YAML["limits"]) >= 1
    assert estimate.disclaimer.startswith("Decision support, not a diagnosis")


# ------------------------------------------------------------------------------------------------
# property test

LEVEL_TEXTS = ["C5", "T4", "T8", "D11", "T12", "L1", "L3-4", "T10-L2", "S1"]

inputs_strategy = st.fixed_dictionaries(
    {
        "procedure": st.sampled_from(["vertebroplasty", "kyphoplasty"]),
        "indication": st.none() | st.sampled_from(list(Indication)),
        "levels": st.lists(st.sampled_from(LEVEL_TEXTS), max_size=4),
        "cortical_disruption": st.none() | st.booleans(),
        "posterior_wall_defect": st.none() | st.booleans(),
        "cleft": st.none() | st.booleans(),
        "viscosity": st.none() | st.sampled_from(list(Viscosity)),
        "volume_ml": st.none() | st.floats(0, 30),
        "bmd_t_score": st.none() | st.floats(-8, 6),
        "n_levels": st.none() | st.integers(1, 30),
        "approach": st.none() | st.sampled_from(list(Approach)),
        "detection": st.sampled_from(["radiograph", "ct"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(inputs_strategy)
def test_property_range_ordered_and_factors_never_lower_it(inputs: dict[str, Any]) -> None:
    estimate = risk(**inputs)
    low, central, high = triple(estimate)
    assert_ordered(low, central, high)
    for if_done in (s.any_leak_if_done for s in estimate.prevention if s.any_leak_if_done is not None):
        assert if_done.central is not None
        assert_ordered(if_done.low, if_done.central, if_done.high)
    changes = {
        "cortical_disruption": True,
        "cleft": True,
        "viscosity": Viscosity.LOW,
        "posterior_wall_defect": True,
    }
    for field, present in changes.items():
        if inputs[field] == present:
            continue
        raised = triple(risk(**{**inputs, field: present}))
        assert raised[0] >= low and raised[1] >= central and raised[2] >= high, (field, raised)


# ------------------------------------------------------------------------------------------------
# input validation


@pytest.mark.parametrize(
    "bad",
    [
        {"levels": ["L9"]},
        {"levels": ["T13"]},
        {"levels": ["C0"]},
        {"levels": ["T12", "L6"]},
        {"levels": ["T10-L9"]},
        {"levels": ["lumbar"]},
        {"volume_ml": -0.1},
        {"volume_ml": 30.5},
        {"bmd_t_score": -8.5},
        {"bmd_t_score": 6.5},
        {"n_levels": 0},
        {"n_levels": 31},
        {"procedure": "other_augmentation"},
        {"indication": "infection"},
        {"viscosity": "medium"},
        {"detection": "mri"},
        {"cortical_disruption": "sometimes"},
        {"needle": "13G"},
    ],
    ids=lambda bad: "-".join(f"{k}={v}" for k, v in bad.items()),
)
def test_inputs_reject_impossible_values(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        RiskInputs(**{"procedure": "vertebroplasty", **bad})
    [field] = bad
    assert error.value.errors()[0]["loc"][0] == field


def test_level_error_names_the_level() -> None:
    with pytest.raises(ValidationError, match="'L9' is not a vertebra"):
        RiskInputs(procedure="kyphoplasty", levels=["T12", "L9"])


def test_inputs_normalise_levels() -> None:
    inputs = RiskInputs(procedure="kyphoplasty", levels=["D12", "L3-4", "Th11", "T12"])
    assert inputs.levels == ["T11", "T12", "L3", "L4"]
    assert inputs.level_count == 4


@pytest.mark.parametrize("levels", [None, [12]], ids=["none", "int"])
def test_inputs_reject_levels_of_the_wrong_type(levels: Any) -> None:
    with pytest.raises(ValidationError):
        RiskInputs(procedure="vertebroplasty", levels=levels)
