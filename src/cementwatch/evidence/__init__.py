"""The evidence base: sources, figures, scales, classification, triage rules and the risk model.

All of it is data under ``evidence/data/`` (YAML). :func:`load_evidence` reads and validates every
file once per process and checks the cross-references: every cited source exists, ids are unique,
and nothing that the rules or the risk model present as fact rests on an UNVERIFIED figure.
A broken file is an :class:`EvidenceError` naming the file and the problem, at start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cementwatch.case import LeakLocation
from cementwatch.evidence.model import (
    ActionText,
    ClassificationFile,
    Figure,
    FiguresFile,
    LocationSignificance,
    Rule,
    RuleBook,
    Scale,
    ScalesFile,
    Source,
    SourcesFile,
    Urgency,
)
from cementwatch.evidence.risk_model import RiskBook

__all__ = ["EvidenceBase", "EvidenceError", "Urgency", "load_evidence"]

_M = TypeVar("_M", bound=BaseModel)


# libyaml's parser when PyYAML was built with it (the PyPI wheels are): the same safe loader, ~10x faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EvidenceError(RuntimeError):
    """An evidence data file that is malformed or refers to something that does not exist."""


def _read(folder: Traversable, name: str, model: type[_M]) -> _M:
    text = folder.joinpath(name).read_text(encoding="utf-8")
    try:
        data: Any = yaml.load(text, Loader=_LOADER)
        return model.model_validate(data)
    except yaml.YAMLError as error:
        raise EvidenceError(f"evidence/data/{name}: not valid YAML: {error}") from None
    except ValidationError as error:
        lines = [
            f"  {'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in error.errors(include_url=False)[:10]
        ]
        raise EvidenceError(f"evidence/data/{name}:\n" + "\n".join(lines)) from None


def _index(items: Iterable[Any], key: str, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        value = getattr(item, key)
        if value in out:
            raise EvidenceError(f"{where}: duplicate id {value!r}")
        out[value] = item
    return out


@dataclass(frozen=True)
class EvidenceBase:
    """Everything CementWatch knows, looked up by id."""

    sources: dict[str, Source]
    figures: dict[str, Figure]
    scales: dict[str, Scale]
    routes: dict[str, Any]
    locations: dict[str, LocationSignificance]
    rulebook: RuleBook
    rules: dict[str, Rule]
    actions: dict[str, ActionText]
    missing: dict[str, str]
    risk: RiskBook

    def figure(self, figure_id: str) -> Figure:
        """A figure that may be presented as fact; an unverified one is an error."""
        figure = self.figures[figure_id]
        if not figure.usable:
            raise EvidenceError(f"figure {figure_id!r} is unverified and may not be presented")
        return figure

    def cited_by(self, source_id: str) -> dict[str, list[str]]:
        """Which figures, rules, actions and scales cite a source."""
        return {
            "figures": [f.id for f in self.figures.values() if source_id in f.sources],
            "rules": [r.id for r in self.rules.values() if source_id in r.sources],
            "actions": [a.code for a in self.actions.values() if source_id in a.sources],
            "scales": [s.id for s in self.scales.values() if source_id in s.sources],
        }

    def _check(self) -> None:
        cited: list[tuple[str, Iterable[str]]] = [
            *((f"figure {f.id}", f.sources) for f in self.figures.values()),
            *((f"scale {s.id}", s.sources) for s in self.scales.values()),
            *((f"route {r.id}", r.sources) for r in self.routes.values()),
            *((f"location {loc.location}", loc.sources) for loc in self.locations.values()),
            *((f"rule {r.id}", r.sources) for r in self.rules.values()),
            *((f"action {a.code}", a.sources) for a in self.actions.values()),
            *((where, ids) for where, ids in self.risk.cited_sources()),
        ]
        for where, ids in cited:
            for source_id in ids:
                if source_id not in self.sources:
                    raise EvidenceError(f"{where} cites unknown source {source_id!r}")
        for where, figure_id in self.risk.cited_figures():
            if figure_id not in self.figures:
                raise EvidenceError(f"{where} uses unknown figure {figure_id!r}")
            if not self.figures[figure_id].usable:
                raise EvidenceError(f"{where} uses unverified figure {figure_id!r}")
        missing_locations = {loc.value for loc in LeakLocation} - set(self.locations)
        if missing_locations:
            raise EvidenceError(f"classification.yaml lacks locations {sorted(missing_locations)}")
        urgencies = {p.urgency for p in self.rulebook.patient}
        if urgencies != set(Urgency):
            raise EvidenceError("rules.yaml: patient texts must cover every urgency level")


@functools.cache
def load_evidence(folder: Path | None = None) -> EvidenceBase:
    """Load and check the evidence base (once per process and folder).

    ``folder`` holds the data files; by default the bundled ``evidence/data``.
    """
    where: Traversable = folder if folder is not None else resources.files(__package__).joinpath("data")
    sources = _read(where, "sources.yaml", SourcesFile).sources
    figures = _read(where, "figures.yaml", FiguresFile).figures
    scales = _read(where, "scales.yaml", ScalesFile).scales
    classification = _read(where, "classification.yaml", ClassificationFile)
    rulebook = _read(where, "rules.yaml", RuleBook)
    base = EvidenceBase(
        sources=_index(sources, "id", "sources.yaml"),
        figures=_index(figures, "id", "figures.yaml"),
        scales=_index(scales, "id", "scales.yaml"),
        routes=_index(classification.routes, "id", "classification.yaml routes"),
        locations=_index(classification.locations, "location", "classification.yaml"),
        rulebook=rulebook,
        rules=_index(rulebook.rules, "id", "rules.yaml rules"),
        actions=_index(rulebook.actions, "code", "rules.yaml actions"),
        missing={m.id: m.text for m in _index(rulebook.missing, "id", "rules.yaml missing").values()},
        risk=_read(where, "risk.yaml", RiskBook),
    )
    base._check()
    return base
