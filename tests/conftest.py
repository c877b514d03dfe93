"""Shared test fixtures: paths to ../shared, the fixture cases, schema validators.

``../shared`` (contracts, seeds, gold) sits beside the project root, locally and in CI. Under
``CI=true`` a missing ``../shared`` fails the run instead of skipping.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CEMENTWATCH_SHARED", ROOT.parent / "shared"))
FIXTURES = ROOT / "tests" / "fixtures"
CASES = FIXTURES / "cases"
SEEDS = FIXTURES / "seeds"


def require_shared() -> Path:
    if not (SHARED / "contracts").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared is required in CI and is missing at {SHARED}")
        pytest.skip(f"../shared not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


def fixture_cases() -> list[tuple[str, dict[str, Any]]]:
    """(name, expectation) for every hand-made fixture case."""
    expected = yaml.safe_load((CASES / "expected.yaml").read_text(encoding="utf-8"))
    return sorted(expected.items())


def load_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _schema(name: str) -> dict[str, Any]:
    return load_json(require_shared() / "contracts" / name)


@pytest.fixture(scope="session")
def case_validator() -> Draft202012Validator:
    return Draft202012Validator(_schema("case.schema.json"))


@pytest.fixture(scope="session")
def assessment_validator() -> Draft202012Validator:
    case = _schema("case.schema.json")
    assessment = _schema("assessment.schema.json")
    resource: Resource[Any] = Resource.from_contents(case)
    # "$ref": "cementwatch.case/1" is relative: it resolves against the assessment's own $id.
    resolved = urljoin(assessment["$id"], assessment["properties"]["case"]["$ref"])
    registry: Registry[Any] = Registry().with_resources([(case["$id"], resource), (resolved, resource)])
    return Draft202012Validator(assessment, registry=registry)


@pytest.fixture(scope="session")
def gold() -> list[dict[str, Any]]:
    lines = (require_shared() / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
