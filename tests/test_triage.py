"""Triage on the hand-made fixtures and the five seeds, and the behaviour of individual rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cementwatch.assess import Urgency, assess
from cementwatch.case import Case, parse_case
from cementwatch.evidence import load_evidence
from tests.conftest import CASES, SEEDS, fixture_cases

ORDER = ["none", "routine", "urgent", "emergency"]


def _case(path: Path) -> Case:
    return parse_case(path.read_text(encoding="utf-8"), where=path.name)


@pytest.mark.parametrize(("name", "expected"), fixture_cases(), ids=[n for n, _ in fixture_cases()])
def test_fixture_gets_its_expected_urgency(name: str, expected: dict[str, Any]) -> None:
    result = assess(_case(CASES / f"{name}.case.json"))
    assert result.urgency.value == expected["urgency"], expected["why"]


def test_fixtures_cover_every_urgency_and_leak_location() -> None:
    levels = [e["urgency"] for _, e in fixture_cases()]
    assert all(levels.count(level) >= 5 for level in ORDER)
    locations = {leak.location for p in CASES.glob("*.case.json") for leak in _case(p).leaks}
    assert len(locations) == 9


def test_seeds_triage_within_gold_and_never_under(gold: list[dict[str, Any]]) -> None:
    for line in gold:
        result = assess(_case(SEEDS / f"seed-{line['id']}.case.json"))
        assert result.urgency.value in line["urgency_ok"], line["id"]
        assert ORDER.index(result.urgency.value) >= min(ORDER.index(u) for u in line["urgency_ok"])


def _all_cases() -> list[Path]:
    return sorted(CASES.glob("*.case.json")) + sorted(SEEDS.glob("*.case.json"))


@pytest.mark.parametrize("path", _all_cases(), ids=lambda p: p.name)
def test_assessment_honours_the_contract(path: Path, assessment_validator) -> None:
    result = assess(_case(path))
    data = result.to_json_dict()
    errors = list(assessment_validator.iter_errors(data))
    assert not errors, errors[0].message if errors else ""
    assert len(result.headline) <= 140
    assert result.headline.startswith(result.urgency.value.upper())
    sources = load_evidence().sources
    for item in [*result.reasons, *result.actions]:
        assert item.sources and set(item.sources) <= set(sources)
    assert any(r.urgency is result.urgency for r in result.reasons), "the urgency has a reason"
    assert "not a diagnosis" in result.patient_summary
    assert "not a diagnosis" in result.disclaimer


def _base(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"procedures": [{"kind": "vertebroplasty", "levels": ["L1"]}]}
    data.update(extra)
    return data


def _deficit(kind: str, status: str = "present", **more: Any) -> dict[str, Any]:
    return {"kind": kind, "status": status, **more}


def _urgency(data: dict[str, Any]) -> str:
    return assess(parse_case(data)).urgency.value


@pytest.mark.parametrize(
    ("findings", "urgency"),
    [
        ({"deficits": [_deficit("paraplegia")]}, "emergency"),
        ({"deficits": [_deficit("paraparesis", "possible")]}, "emergency"),
        ({"deficits": [_deficit("cauda_equina")]}, "emergency"),
        ({"deficits": [_deficit("bowel_dysfunction")]}, "emergency"),
        ({"deficits": [_deficit("motor_weakness")]}, "emergency"),  # ungraded
        ({"deficits": [_deficit("motor_weakness")], "motor_grades": [{"grade": 3}]}, "emergency"),
        ({"deficits": [_deficit("motor_weakness")], "motor_grades": [{"grade": 4}]}, "urgent"),
        ({"motor_grades": [{"grade": 4, "modifier": "-"}]}, "urgent"),
        ({"motor_grades": [{"grade": 2}]}, "emergency"),  # a grade below 5 is weakness
        (
            {"deficits": [_deficit("motor_weakness", progressive=True)], "motor_grades": [{"grade": 4}]},
            "emergency",
        ),
        ({"deficits": [_deficit("radicular_pain")]}, "urgent"),
        ({"deficits": [_deficit("sensory_deficit", "possible")]}, "urgent"),
        ({"deficits": [_deficit("ileus")]}, "urgent"),
        ({"deficits": [_deficit("back_pain")]}, "routine"),
        ({"deficits": [_deficit("dyspnea")]}, "emergency"),
        ({"deficits": [_deficit("hypotension", "possible")]}, "emergency"),
        ({"deficits": [_deficit("paraplegia", "absent"), _deficit("dyspnea", "absent")]}, "none"),
        ({"motor_grades": [{"grade": 5}]}, "none"),
        ({"asia_grade": "A"}, "emergency"),
        ({"asia_grade": "D"}, "emergency"),
        ({"asia_grade": "E"}, "none"),
    ],
)
def test_presentations(findings: dict[str, Any], urgency: str) -> None:
    assert _urgency(_base(findings=findings)) == urgency


def _leak(location: str, status: str = "present", **more: Any) -> dict[str, Any]:
    return {"location": location, "status": status, **more}


@pytest.mark.parametrize(
    ("leaks", "deficits", "urgency"),
    [
        ([_leak("intradural")], [], "emergency"),
        ([_leak("intradural", "possible")], [], "emergency"),
        ([_leak("epidural")], [], "urgent"),
        ([_leak("foraminal")], [_deficit("radicular_pain")], "urgent"),
        ([_leak("epidural")], [_deficit("bladder_dysfunction")], "emergency"),
        ([_leak("epidural", "absent")], [], "none"),
        ([_leak("cardiac")], [], "emergency"),
        ([_leak("pulmonary", central=False)], [], "routine"),
        ([_leak("pulmonary")], [], "urgent"),
        ([_leak("pulmonary", central=True)], [], "urgent"),
        ([_leak("pulmonary", central=False)], [_deficit("chest_pain")], "emergency"),
        ([_leak("intradiscal")], [], "routine"),
        ([_leak("paravertebral")], [], "routine"),
        ([_leak("venous")], [], "routine"),
        ([_leak("other")], [], "routine"),
        ([], [], "none"),
    ],
)
def test_leak_locations(leaks: list[dict[str, Any]], deficits: list[dict[str, Any]], urgency: str) -> None:
    assert _urgency(_base(leaks=leaks, findings={"deficits": deficits})) == urgency


def _rules(data: dict[str, Any]) -> list[str]:
    return [r.rule for r in assess(parse_case(data)).reasons]


def test_a_negative_radiograph_is_explained_and_never_lowers() -> None:
    deficits = {"deficits": [_deficit("radicular_pain")]}
    with_xray = _base(
        findings=deficits,
        leaks=[_leak("epidural", "absent", detected_by="radiograph")],
        imaging=[{"modality": "radiograph"}],
    )
    assert _urgency(with_xray) == _urgency(_base(findings=deficits)) == "urgent"
    assert "imaging.radiograph-negative" in _rules(with_xray)
    result = assess(parse_case(with_xray))
    assert any("radiographs" in m for m in result.missing)
    assert "ct-within-72h" in [a.code for a in result.actions]


def test_mild_weakness_says_what_is_known_of_its_course() -> None:
    unknown = assess(parse_case(_base(findings={"motor_grades": [{"grade": 4}]})))
    stable = assess(
        parse_case(
            _base(
                findings={
                    "deficits": [_deficit("motor_weakness", progressive=False)],
                    "motor_grades": [{"grade": 4}],
                }
            )
        )
    )
    assert "course not recorded" in unknown.reasons[0].text
    assert "not progressing" in stable.reasons[0].text


def test_late_note_is_about_presentation_or_treatment_as_recorded() -> None:
    deficits = {"deficits": [_deficit("radicular_pain")]}
    early_then_late_surgery = _base(
        findings=deficits, timeline={"presentation_days": 2, "treatment_days": 20}
    )
    late = _base(findings=deficits, timeline={"presentation_days": 60})
    early = _base(findings=deficits, timeline={"presentation_days": 2})

    def note(data: dict[str, Any]) -> str | None:
        found = [r.text for r in assess(parse_case(data)).reasons if r.rule == "timing.late-not-futile"]
        return found[0] if found else None

    assert note(early) is None
    assert "Treatment on day 20" in (note(early_then_late_surgery) or "")
    assert "Presentation on day 60" in (note(late) or "")


def test_thoracic_canal_leak_raises_concern() -> None:
    thoracic = _base(leaks=[_leak("epidural", levels=["T8"])])
    lumbar = _base(leaks=[_leak("epidural", levels=["L3"])])
    assert "leak.canal-thoracic" in _rules(thoracic)
    assert "leak.canal-thoracic" not in _rules(lumbar)
    # no level on the leak: the treated level decides
    treated_thoracic = {
        "procedures": [{"kind": "kyphoplasty", "levels": ["T7"]}],
        "leaks": [_leak("intradural")],
    }
    assert "leak.canal-thoracic" in _rules(treated_thoracic)


def test_treated_case_keeps_the_urgency_of_its_presentation() -> None:
    presentation = _base(
        leaks=[_leak("intradural", levels=["L1"])],
        findings={"deficits": [_deficit("paraparesis")]},
        timeline={"presentation_days": 90, "treatment_days": 90},
    )
    treated = dict(
        presentation,
        treatments=[{"kind": "decompression", "status": "done", "day": 90}],
        outcome={"status": "improved"},
    )
    before, after = assess(parse_case(presentation)), assess(parse_case(treated))
    assert before.urgency == after.urgency == Urgency.EMERGENCY
    assert "treated" in after.headline and "day 90" in after.headline
    assert "context.treated" in [r.rule for r in after.reasons]
    assert "timing.late-not-futile" in [r.rule for r in after.reasons]


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        (_base(leaks=[_leak("epidural")]), "no neurological examination recorded"),
        (_base(findings={"deficits": [_deficit("motor_weakness")]}), "weakness is not graded"),
        (_base(findings={"deficits": [_deficit("radicular_pain")]}), "CT of the treated levels not yet done"),
        ({"findings": {"deficits": [_deficit("dyspnea")]}}, "no augmentation procedure recorded"),
        (_base(leaks=[_leak("pulmonary")]), "central or peripheral"),
        (
            _base(findings={"deficits": [_deficit("bladder_dysfunction", "possible")]}),
            "bladder dysfunction",
        ),
        (
            _base(findings={"motor_grades": [{"grade": 4}]}),
            "stable or getting worse",
        ),
    ],
)
def test_missing_facts_are_named(data: dict[str, Any], missing: str) -> None:
    assert any(missing in item for item in assess(parse_case(data)).missing)


def test_nothing_missing_about_the_exam_when_it_was_done() -> None:
    data = _base(
        findings={"deficits": [_deficit("motor_weakness", "absent")], "motor_grades": [{"grade": 5}]},
        imaging=[{"modality": "ct"}],
    )
    assert not any("neurological examination" in m for m in assess(parse_case(data)).missing)


def test_seed_003_names_the_intradural_leak_at_t7_and_the_paraplegia() -> None:
    result = assess(_case(SEEDS / "seed-003.case.json"))
    assert result.urgency is Urgency.EMERGENCY
    assert "intradural cement at T7" in result.headline and "paraplegia" in result.headline


def _grade_level(text: str) -> float:
    """Flesch-Kincaid grade level, with a simple vowel-group syllable count."""
    sentences = max(1, len(re.findall(r"[.!?]+", text)))
    words = re.findall(r"[A-Za-z']+", text)
    syllables = sum(max(1, len(re.findall(r"[aeiouy]+", w.lower())) - w.lower().endswith("e")) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


@pytest.mark.parametrize("urgency", ORDER)
def test_patient_summary_reads_at_about_eighth_grade(urgency: str) -> None:
    sample = {
        "none": _base(),
        "routine": _base(leaks=[_leak("intradiscal")]),
        "urgent": _base(leaks=[_leak("epidural")]),
        "emergency": _base(findings={"deficits": [_deficit("paraplegia")]}),
    }[urgency]
    result = assess(parse_case(sample))
    assert result.urgency.value == urgency
    assert _grade_level(result.patient_summary) <= 9.0, result.patient_summary
    jargon = ["epidural", "intradural", "foraminal", "paraparesis", "embolism", "PMMA", "MRC"]
    assert not any(word.lower() in result.patient_summary.lower() for word in jargon)
    assert "emergency department" in result.patient_summary
