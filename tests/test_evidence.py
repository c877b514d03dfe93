"""The evidence base: loads, cross-references hold, UNVERIFIED never becomes fact, strict keys."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from cementwatch.assess.triage import RULES
from cementwatch.evidence import EvidenceError, load_evidence
from cementwatch.evidence.model import FigureStatus, SourceKind

DATA = Path(str(resources.files("cementwatch.evidence").joinpath("data")))


def test_loads_with_substance() -> None:
    base = load_evidence()
    assert len(base.sources) >= 50
    assert len(base.figures) >= 60
    assert {"mrc", "asia", "frankel", "genant"} <= set(base.scales)
    statuses = {f.status for f in base.figures.values()}
    assert FigureStatus.UNVERIFIED in statuses, "the deliberately excluded items should be listed"


def test_every_source_can_be_found() -> None:
    for source in load_evidence().sources.values():
        assert source.pmid or source.doi or source.url, source.id


def test_the_seeds_are_sources() -> None:
    sources = load_evidence().sources
    for n in range(5):
        seed = sources[f"seed-00{n}"]
        assert seed.kind in (SourceKind.SEED, SourceKind.CASE_REPORT)


def test_rule_ids_in_data_and_code_are_the_same() -> None:
    assert set(RULES) == set(load_evidence().rules)


def test_every_rule_and_action_cites_existing_sources() -> None:
    base = load_evidence()
    for item in [*base.rules.values(), *base.actions.values()]:
        assert item.sources
        assert set(item.sources) <= set(base.sources)


def test_scales_match_the_published_definitions() -> None:
    base = load_evidence()
    assert [g.grade for g in base.scales["mrc"].grades] == ["0", "1", "2", "3", "4", "5"]
    assert [g.grade for g in base.scales["asia"].grades] == list("ABCDE")
    assert [g.grade for g in base.scales["frankel"].grades] == list("ABCDE")
    assert [g.grade for g in base.scales["genant"].grades] == ["0", "0.5", "1", "2", "3"]


def test_key_figures_are_as_the_brief_prints_them() -> None:
    base = load_evidence()
    assert base.figure("or-cortical-disruption-zhan2017").value == 5.56
    assert base.figure("or-cortical-disruption-zhan2017").ci == [1.84, 16.81]
    assert base.figure("or-low-viscosity-zhan2017").value == 3.32
    assert base.figure("or-cleft-zhan2017").value == 1.40
    assert base.figure("radiograph-canal-sensitivity-yeom2003").numerator == 2
    assert base.figure("radiograph-canal-sensitivity-yeom2003").denominator == 28
    assert base.figure("canal-surgery-hsieh2019").numerator == 4


def test_an_unverified_figure_cannot_be_presented() -> None:
    base = load_evidence()
    unverified = next(f for f in base.figures.values() if f.status is FigureStatus.UNVERIFIED)
    with pytest.raises(EvidenceError, match="unverified"):
        base.figure(unverified.id)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rule_citing_an_unknown_source_fails_to_load(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "rules.yaml", "sources: [baek2021,", "sources: [nobody2099,")
    with pytest.raises(EvidenceError, match="nobody2099"):
        load_evidence(folder)


def test_an_unknown_key_fails_to_load(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "rules.yaml", "    urgency: emergency\n", "    urgency: emergency\n    severity: 9\n")
    with pytest.raises(EvidenceError, match=r"rules\.yaml"):
        load_evidence(folder)


def test_risk_model_may_not_use_an_unverified_figure(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    figures = yaml.safe_load((DATA / "figures.yaml").read_text(encoding="utf-8"))["figures"]
    unverified = next(f["id"] for f in figures if f["status"] == "unverified")
    _edit(folder, "risk.yaml", "figure: or-cleft-zhan2017", f"figure: {unverified}")
    with pytest.raises(EvidenceError, match="unverified figure"):
        load_evidence(folder)


def test_duplicate_ids_fail_to_load(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "sources.yaml", "  - id: zhan2017", "  - id: hulme2006")
    with pytest.raises(EvidenceError, match="duplicate"):
        load_evidence(folder)


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "scales.yaml").write_text("scales: [\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"scales\.yaml"):
        load_evidence(folder)


def test_unverified_items_of_the_brief_are_not_verified_figures() -> None:
    """The brief's UNVERIFIED items (Lu 2022 low dose, the >2/3 compression threshold) stay flagged."""
    base = load_evidence()
    flagged = [f for f in base.figures.values() if f.status is FigureStatus.UNVERIFIED]
    text = " ".join(f.statement.lower() for f in flagged)
    assert "1.8" in text or "low-dose" in text or "low dose" in text
    assert "2/3" in text or "two-thirds" in text or "two thirds" in text
