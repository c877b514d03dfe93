"""The public API is pinned: a change to it is a decision, not an accident (the httpx habit)."""

from __future__ import annotations

import cementwatch


def test_public_api_is_pinned() -> None:
    assert cementwatch.__all__ == [
        "Action",
        "Assessment",
        "Case",
        "CaseError",
        "EvidenceBase",
        "EvidenceError",
        "LevelError",
        "Reason",
        "RiskEstimate",
        "RiskInputs",
        "Urgency",
        "__version__",
        "assess",
        "estimate_risk",
        "load_evidence",
        "normalise_levels",
        "parse_case",
        "parse_level",
    ]
    public = {name for name in dir(cementwatch) if not name.startswith("_")}
    modules = {
        "assess",
        "case",
        "evidence",
        "levels",
        "cli",
        "cli_registry",
        "clitools",
        "render",
        "read",
        "evaluate",
        "registry",
    }
    assert public - modules - set(cementwatch.__all__) == set()


def test_the_library_does_what_the_docstring_says() -> None:
    case = cementwatch.parse_case('{"findings": {"deficits": [{"kind": "paraplegia", "status": "present"}]}}')
    assert cementwatch.assess(case).urgency is cementwatch.Urgency.EMERGENCY
    estimate = cementwatch.estimate_risk(cementwatch.RiskInputs(procedure="kyphoplasty"))
    assert 0 < estimate.any_leak.low < estimate.any_leak.high < 1
