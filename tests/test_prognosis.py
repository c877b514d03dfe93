"""Similar cases and the assessment's ``prognosis`` section (cementwatch.assess.prognosis, .features)."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cementwatch.assess import assess
from cementwatch.assess.features import REGIONS
from cementwatch.assess.model import Assessment
from cementwatch.assess.prognosis import (
    CAVEAT,
    WEIGHTS,
    Prognosis,
    profile,
    prognosis,
    similar,
    similarity,
    summary,
)
from cementwatch.case import Case, Citation, parse_case
from cementwatch.render import console, triage_card
from tests.conftest import CASES, SEEDS

PATHS = sorted(CASES.glob("*.case.json")) + sorted(SEEDS.glob("*.case.json"))
FIXTURES = {p.name.removesuffix(".case.json"): parse_case(p.read_text(encoding="utf-8")) for p in PATHS}


def case(name: str) -> Case:
    return FIXTURES[name].model_copy(deep=True)


def make(**fields: Any) -> Case:
    """A small case: an index procedure at L1, plus whatever is given."""
    data: dict[str, Any] = {"procedures": [{"kind": "vertebroplasty", "levels": ["L1"]}], **fields}
    return parse_case(data)


def cited(c: Case, case_id: str, outcome: str | None = None) -> Case:
    copy = c.model_copy(deep=True)
    copy.citation = Citation(
        text=f"Author {case_id}, 2020, J Test", ref=f"pmid:{case_id[-3:]}", case_id=case_id
    )
    if outcome is not None:
        copy.outcome.status = outcome  # type: ignore[assignment]
    return copy


def text(assessment: Assessment) -> str:
    out = console()
    out.width = 400  # one card line per printed line: no wrapping across the panel border
    with out.capture() as captured:
        out.print(triage_card(assessment, source="test"))
    return captured.get()


# --- the similarity -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_a_case_is_identical_to_itself(name: str) -> None:
    score = similarity(FIXTURES[name], case(name))
    p = profile(FIXTURES[name])
    if p.leak_location is None and p.deficit_severity is None:
        assert score is None  # nothing to compare on
    else:
        assert score == 1.0


def test_similarity_is_symmetric_and_in_range() -> None:
    for a, b in itertools.combinations(FIXTURES.values(), 2):
        ab, ba = similarity(a, b), similarity(b, a)
        assert ab == ba
        assert ab is None or 0.0 <= ab <= 1.0


def test_a_missing_feature_is_neither_a_match_nor_a_mismatch() -> None:
    base = case("t6-epidural-intraop-paraplegia")
    no_region = base.model_copy(deep=True)
    no_region.procedures[0].levels = []
    for leak in no_region.leaks:
        leak.levels = []
    other_region = base.model_copy(deep=True)
    other_region.leaks[0].levels = ["L4"]
    assert profile(no_region).level_region is None
    assert similarity(base, no_region) == 1.0  # not a mismatch
    assert similarity(base, other_region) < 1.0  # type: ignore[operator]
    # With a mismatch elsewhere, dropping a matching feature lowers the score: missing is no match.
    weaker = base.model_copy(deep=True)
    weaker.findings.deficits = [d for d in weaker.findings.deficits if d.kind.value != "paraplegia"]
    weaker.findings.asia_grade = None
    weaker_no_region = weaker.model_copy(deep=True)
    weaker_no_region.procedures[0].levels = []
    for leak in weaker_no_region.leaks:
        leak.levels = []
    assert similarity(base, weaker_no_region) < similarity(base, weaker) < 1.0  # type: ignore[operator]
    assert similarity(base, other_region) < similarity(base, no_region)  # type: ignore[operator]


def test_paraplegic_intradural_is_closer_to_paraplegic_intradural_than_to_a_silent_venous_leak() -> None:
    query = case("metastatic-l1-intradural-paraplegia")
    twin = case("seed-003")  # intradural cement, paraplegia with sphincter dysfunction
    venous = make(
        leaks=[{"location": "venous", "status": "present", "levels": ["L1"]}],
        findings={"deficits": [{"kind": "motor_weakness", "status": "absent"}]},
    )
    assert similarity(query, twin) > similarity(query, venous)  # type: ignore[operator]
    ranked = similar(query, [cited(venous, "V1"), cited(twin, "T1")], k=2)
    assert [m.citation.case_id for m in ranked if m.citation] == ["T1", "V1"]


def test_leak_classes_and_regions() -> None:
    def leak(location: str, level: str = "L1") -> Case:
        return make(leaks=[{"location": location, "status": "present", "levels": [level]}])

    intradural = leak("intradural")
    assert similarity(intradural, leak("epidural")) > similarity(intradural, leak("venous"))  # type: ignore[operator]
    assert similarity(leak("pulmonary"), leak("cardiac")) > similarity(leak("pulmonary"), leak("foraminal"))  # type: ignore[operator]
    # half the leak similarity is the best-matching pair: epidural + foraminal shares the foraminal leak
    both = make(
        leaks=[
            {"location": "epidural", "status": "present", "levels": ["L1"]},
            {"location": "foraminal", "status": "present", "levels": ["L1"]},
        ]
    )
    assert profile(both).leak_location == ("epidural", "foraminal")
    assert similarity(leak("foraminal"), both) > similarity(leak("foraminal"), intradural)  # type: ignore[operator]
    assert profile(make(leaks=[{"location": "venous", "status": "absent"}])).leak_location == ("none",)
    regions = {
        lv: REGIONS[profile(leak("epidural", lv)).level_region or 0] for lv in ("C5", "T6", "T10", "T11")
    }
    regions |= {lv: REGIONS[profile(leak("epidural", lv)).level_region or 0] for lv in ("L1", "L2", "S1")}
    assert regions == {
        "C5": "cervical",
        "T6": "thoracic",
        "T10": "thoracic",
        "T11": "thoracolumbar",
        "L1": "thoracolumbar",
        "L2": "lumbar",
        "S1": "sacral",
    }


@pytest.mark.parametrize(
    ("name", "severity"),
    [
        ("back-pain-only-no-leak", 1.0),
        ("l4-foraminal-left-radiculopathy", 2.0),
        ("kyphoplasty-l5-lateral-recess-foot-drop", 3.0),
        ("l1-epidural-cauda-equina", 3.5),  # sensory + sphincter
        ("seed-000", 4.0),  # paraparesis, weak on both sides
        ("t6-epidural-intraop-paraplegia", 5.0),
        ("seed-003", 5.5),  # paraplegia with sphincter dysfunction
        ("kyphoplasty-l1-uneventful", None),  # nothing recorded: missing, not "none"
        ("all-deficits-absent-5-of-5", 0.0),
    ],
)
def test_deficit_severity_scale(name: str, severity: float | None) -> None:
    assert profile(FIXTURES[name]).deficit_severity == severity


def test_motor_grades_and_asia_set_the_severity() -> None:
    both_zero = {"motor_grades": [{"grade": 0, "side": "left"}, {"grade": 0, "side": "right"}]}
    one_side = {"motor_grades": [{"grade": 2, "side": "left"}]}
    assert profile(make(findings=both_zero)).deficit_severity == 5.0
    assert profile(make(findings=one_side)).deficit_severity == 3.0
    assert profile(make(findings={"asia_grade": "B"})).deficit_severity == 5.0
    assert profile(make(findings={"asia_grade": "D"})).deficit_severity == 4.0


# --- ranking ------------------------------------------------------------------------------------------
def candidates() -> list[Case]:
    return [cited(c, f"F{i:03d}") for i, c in enumerate(FIXTURES.values())]


def test_k_is_respected() -> None:
    query = case("seed-000")
    assert len(similar(query, candidates(), k=3)) == 3
    assert len(similar(query, candidates(), k=1)) == 1
    assert len(similar(query, candidates()[:2], k=10)) <= 2
    with pytest.raises(ValueError, match="k must be at least 1"):
        similar(query, candidates(), k=0)


def test_order_is_best_first_and_deterministic() -> None:
    query = case("t7-circumferential-epidural-late-myelopathy")
    pool = candidates()
    first = [(m.score, m.citation and m.citation.case_id) for m in similar(query, pool, k=8)]
    assert [s for s, _ in first] == sorted((s for s, _ in first), reverse=True)
    shuffler = random.Random(4)
    for _ in range(5):
        shuffler.shuffle(pool)
        assert [(m.score, m.citation and m.citation.case_id) for m in similar(query, pool, k=8)] == first


def test_ties_break_by_citation() -> None:
    query = case("seed-000")
    copies = [cited(case("seed-003"), case_id) for case_id in ("PC9", "PC1", "PC5")]
    ranked = similar(query, copies, k=3)
    assert len({m.score for m in ranked}) == 1
    assert [m.citation.case_id for m in ranked if m.citation] == ["PC1", "PC5", "PC9"]


def test_the_case_itself_is_excluded() -> None:
    query = case("seed-002")
    same_object = [FIXTURES["seed-002"], query, *candidates()]
    assert all(m.case is not query for m in similar(query, same_object, k=60))
    # the same patient with a citation added (e.g. its published version) is the same case
    assert not [m for m in similar(query, [cited(query, "S2")], k=5)]
    # a cited case is excluded by its citation, whatever its content
    literature = cited(query, "PC001")
    other = cited(case("seed-000"), "PC001")
    assert similar(literature, [other], k=5) == []
    # a different published case with the same findings stays
    assert len(similar(literature, [cited(query, "PC002")], k=5)) == 1


def test_match_records_the_features_and_citation() -> None:
    query = case("seed-000")
    best = similar(query, candidates(), k=1)[0]
    assert best.citation is best.case.citation and best.citation is not None
    assert set(best.matched) <= set(best.compared) <= set(WEIGHTS)
    assert "leak_location" in best.compared and "deficit_severity" in best.compared
    assert 0.0 <= best.score <= 1.0


def test_a_candidate_silent_on_the_leak_or_the_deficit_is_not_ranked() -> None:
    query = case("seed-000")
    silent = make(findings={"deficits": [{"kind": "paraparesis", "status": "present"}]})  # no leak item
    no_findings = make(leaks=[{"location": "intradural", "status": "present", "levels": ["L1"]}])
    assert similar(query, [cited(silent, "A"), cited(no_findings, "B")], k=5) == []


# --- prognosis ----------------------------------------------------------------------------------------
def test_outcome_counts() -> None:
    query = case("seed-000")
    pool = [
        cited(case("seed-003"), "A", "improved"),
        cited(case("l1-intradural-left-monoparesis-ungraded"), "B", "improved"),
        cited(case("intradural-ileus-grade2-nonoperative"), "C", "improved"),
        cited(case("metastatic-l1-intradural-paraplegia"), "D", "full_recovery"),
        cited(case("t6-epidural-intraop-paraplegia"), "E", None),
    ]
    pool[-1].outcome.status = None
    result = prognosis(query, pool, k=5)
    assert result is not None
    assert result.outcome_counts == {"full_recovery": 1, "improved": 3, "not_reported": 1}
    assert result.outcome_summary == "improved 3, full recovery 1, not reported 1"
    assert result.candidates_compared == 5 and len(result.matches) == 5
    assert result.caveat == CAVEAT and "not a prediction" in result.caveat
    first = result.matches[0]
    assert first.citation.startswith("Author") and first.ref and first.case_id
    assert "intradural" in first.summary and "outcome" in first.summary


def test_prognosis_is_none_without_candidates_or_anything_to_compare() -> None:
    assert prognosis(case("seed-000"), [], k=5) is None
    assert prognosis(case("seed-000"), iter(()), k=5) is None
    for name in ("kyphoplasty-l1-uneventful", "back-pain-only-no-leak", "all-deficits-absent-5-of-5"):
        assert prognosis(case(name), candidates(), k=5) is None, name


def test_summary_is_one_plain_line() -> None:
    line = summary(FIXTURES["seed-000"])
    assert line == (
        "Vertebroplasty; intradural and epidural cement at L1; paraparesis (worst MRC 2/5); "
        "decompressed day 90; outcome: improved"
    )
    assert "\n" not in summary(FIXTURES["multilevel-pvp-intraop-hypotension"])
    assert "deficits not described" in summary(FIXTURES["myeloma-l3-segmental-venous"])


# --- the assessment -----------------------------------------------------------------------------------
def test_assessment_without_similar_cases_is_unchanged() -> None:
    c = case("seed-000")
    plain = assess(c)
    assert plain.prognosis is None
    assert "prognosis" not in plain.to_json_dict()
    assert plain.to_json() == assess(c, similar_cases=None).to_json()
    assert "Similar published cases" not in text(plain)


def test_assessment_with_prognosis_validates_against_the_contract(
    assessment_validator: Draft202012Validator,
) -> None:
    for name in ("seed-000", "pulmonary-central-chest-pain-anticoagulated", "l4-foraminal-right-ehl-4"):
        result = assess(case(name), similar_cases=candidates(), k=3)
        assert result.prognosis is not None and len(result.prognosis.matches) == 3
        data = json.loads(result.to_json())
        assert "prognosis" in data
        assessment_validator.validate(data)
        assert Assessment.model_validate(data) == result
        assert Prognosis.model_validate(data["prognosis"]) == result.prognosis


def test_the_card_shows_similar_cases() -> None:
    result = assess(case("seed-000"), similar_cases=candidates(), k=3)
    assert result.prognosis is not None
    shown = " ".join(text(result).split())
    assert "Similar published cases" in shown
    assert f"Outcomes among them: {result.prognosis.outcome_summary}" in shown
    assert "not a prediction for this patient" in shown
    for match in result.prognosis.matches:
        assert f"{match.score:.2f}" in shown and match.citation in shown
    plain = text(assess(case("seed-000")))
    assert text(result).count("\n") > plain.count("\n")


# --- streaming ----------------------------------------------------------------------------------------
def test_100k_candidates_stream_through_a_heap() -> None:
    base = list(FIXTURES.values())
    yielded = 0

    def stream(n: int) -> Iterator[Case]:
        nonlocal yielded
        for i, c in zip(range(n), itertools.cycle(base), strict=False):
            yielded += 1
            yield c.model_copy(update={"citation": Citation(text=f"copy {i}", case_id=f"C{i:06d}")})

    query = case("seed-000")
    ranked = similar(query, stream(100_000), k=5)
    assert yielded == 100_000
    assert len(ranked) == 5 and all(m.score == ranked[0].score for m in ranked)
    # copies of the query itself are excluded; the best are the copies of the most similar other case
    ids = [m.citation.case_id for m in ranked if m.citation]
    assert ids == sorted(ids)


# --- agreement with the registry's definitions --------------------------------------------------------
def test_decompression_matches_the_registry_definition() -> None:
    columns = pytest.importorskip("cementwatch.registry.columns")
    from cementwatch.assess import features as module

    assert columns.DECOMPRESSIVE == module.DECOMPRESSIVE
    for c in FIXTURES.values():
        assert module.decompression(c)[1] == columns.decompression_day(c)
