"""The reader: the phrases issue 3 names, the seeds end to end, span integrity, fuzzing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cementwatch.assess import assess
from cementwatch.case import Case
from cementwatch.evaluate import evaluate, load_gold
from cementwatch.read import read_case
from tests.conftest import require_shared

ORDER = ["none", "routine", "urgent", "emergency"]


def leaks(case: Case) -> set[tuple[str, str]]:
    return {(leak.location.value, leak.status.value) for leak in case.leaks}


def deficits(case: Case) -> set[tuple[str, str]]:
    return {(d.kind.value, d.status.value) for d in case.findings.deficits}


def treatments(case: Case) -> set[tuple[str, str]]:
    return {(t.kind.value, t.status.value) for t in case.treatments}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "CT after L1 vertebroplasty: no evidence of cement leakage into the spinal canal.",
            {("epidural", "absent")},
        ),
        ("Epidural cement leakage: none.", {("epidural", "absent")}),
        ("Epidural cement: absent.", {("epidural", "absent")}),
        ("Cement in the neural foramen: not seen.", {("foraminal", "absent")}),
        ("There is possible epidural extension of cement at T12.", {("epidural", "possible")}),
        (
            "No cement in the canal. Small amount of cement in the L1-2 disc.",
            {("epidural", "absent"), ("intradiscal", "present")},
        ),
        ("Cement fragments in the right pulmonary artery branches.", {("pulmonary", "present")}),
        (
            "Hypointense intradural and epidural cement collections at L1.",
            {("intradural", "present"), ("epidural", "present")},
        ),
        ("Cement had leaked into the dura within the spinal canal.", {("intradural", "present")}),
        ("The knotted lumbar epidural catheter was removed.", set()),
    ],
)
def test_leak_locations_and_status(text: str, expected: set[tuple[str, str]]) -> None:
    assert leaks(read_case(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She developed paraparesis after the procedure.", {("paraparesis", "present")}),
        ("I can not pass urine since yesterday.", {("bladder_dysfunction", "present")}),
        ("My legs feel numb around the bottom.", {("cauda_equina", "present")}),
        (
            "No bladder or bowel dysfunction. Denies leg weakness.",
            {("bladder_dysfunction", "absent"), ("motor_weakness", "absent")},
        ),
        ("Possible left L4 radiculopathy.", {("radicular_pain", "possible")}),
    ],
)
def test_findings_and_their_status(text: str, expected: set[tuple[str, str]]) -> None:
    assert deficits(read_case(text)) >= expected


@pytest.mark.parametrize(
    ("text", "grade", "modifier"),
    [
        ("Power 2/5 over right iliopsoas.", 2, None),
        ("Quadriceps 4+/5 on the left.", 4, "+"),
        ("Grade 3 ankle dorsiflexion on the right.", 3, None),
        ("EHL MRC 4- bilaterally.", 4, "-"),
    ],
)
def test_motor_grades(text: str, grade: int, modifier: str | None) -> None:
    found = read_case(text).findings.motor_grades
    assert [(g.grade, g.modifier) for g in found] == [(grade, modifier)]


def test_weakness_lower_than_a_grade_is_not_that_grade() -> None:
    assert read_case("Muscle weakness lower than 4/5 in the left foot.").findings.motor_grades == []


def test_power_full_denies_weakness_and_asia_is_read() -> None:
    case = read_case("Power full in both legs. AIS B at discharge.")
    assert ("motor_weakness", "absent") in deficits(case)
    assert case.findings.asia_grade == "B"


def test_levels_d_notation_ranges_and_disc_levels() -> None:
    case = read_case(
        "Vertebroplasty of D12 for an osteoporotic fracture. Kyphoplasty T10-L2 in 2019 was uneventful."
    )
    assert case.procedures[0].levels == ["T12"]
    disc = read_case("PKP at L3. Cement leaked into the L3-4 disc.")
    assert disc.leaks[0].levels == ["L3", "L4"]


def test_unknown_level_is_a_warning_not_an_error() -> None:
    case = read_case("Vertebroplasty at L9 for a fracture.")
    assert any("'L9'" in w for w in case.warnings)
    assert case.procedures[0].levels == []


def test_history_advice_and_plans_are_kept_apart() -> None:
    case = read_case(
        "PMH: T12 vertebroplasty 2018.\n"
        "Now: L2 kyphoplasty today for an osteoporotic fracture.\n"
        "Management may include NSAIDs, physical therapy, surgery.\n"
        "Consented for decompression tonight. She was not anticoagulated.\n"
    )
    kinds = {(p.kind.value, p.historical) for p in case.procedures}
    assert kinds == {("vertebroplasty", True), ("kyphoplasty", False)}
    assert treatments(case) == {("decompression", "planned"), ("anticoagulation", "absent")}


def test_procedure_details() -> None:
    case = read_case("Unilateral PVP of L1 with 4.5 mL of high-viscosity PMMA for an osteoporotic fracture.")
    p = case.procedures[0]
    assert (p.kind.value, p.approach.value, p.cement_material.value) == (
        "vertebroplasty",
        "unilateral",
        "pmma",
    )
    assert (p.cement_viscosity.value, p.cement_volume_ml, p.indication.value) == ("high", 4.5, "osteoporotic")
    assert read_case("Kyphoplasty T8, 3 cc cement.").procedures[0].cement_volume_ml == 3.0


def test_lay_wording_of_the_procedure() -> None:
    assert read_case("They put cement injected into the bone of my back last week.").procedures


@pytest.mark.parametrize(
    ("text", "field", "days"),
    [
        ("Two weeks post-procedure, the patient developed paraparesis.", "symptom_onset_days", 14),
        ("On postoperative day 2 she noticed numbness in the left leg.", "symptom_onset_days", 2),
        ("Vertebroplasty was done 3 months prior. She presented with weakness.", "presentation_days", 90),
        ("I had kyphoplasty 5 day ago and now my leg is weak.", "presentation_days", 5),
        ("PKP on 4 September. Decompression surgery was performed on 20 September.", "treatment_days", 16),
    ],
)
def test_timeline(text: str, field: str, days: float) -> None:
    assert getattr(read_case(text).timeline, field) == days


def test_outcome() -> None:
    assert read_case("After decompression she made a full recovery.").outcome.status.value == "full_recovery"
    assert read_case("He died of pneumonia 16 days later.").outcome.status.value == "died"


def test_empty_and_unrelated_documents() -> None:
    assert read_case("   ").warnings == ["empty document: nothing to read"]
    hip = read_case("Cemented total hip arthroplasty. Labour epidural was uneventful.")
    assert hip.leaks == [] and hip.procedures == []
    assert any("no vertebroplasty" in w for w in hip.warnings)
    assert assess(hip).urgency.value == "none"


# --- the seeds, end to end ------------------------------------------------------------------
def _seed_items():
    return load_gold(require_shared() / "gold" / "seeds.jsonl")


def test_seeds_never_under_triaged_and_meet_the_targets() -> None:
    def read(item):
        case = read_case(item.file.read_text(encoding="utf-8"), source=item.file.name)
        return case, assess(case, with_case=False).urgency.value

    report = evaluate(_seed_items(), read)
    summary = report.to_dict()
    assert report.triage["under"] == 0
    assert report.micro.f1 is not None and report.micro.f1 >= 0.90, summary
    assert report.scalar_accuracy is not None and report.scalar_accuracy >= 0.90, summary


def test_seed_003_card_names_the_intradural_leak_at_t7_and_the_paraplegia_with_spans() -> None:
    path = require_shared() / "seeds" / "003_63fa46c042cc48fb.txt"
    text = path.read_text(encoding="utf-8")
    result = assess(read_case(text, source=path.name))
    assert result.urgency.value == "emergency"
    assert "intradural cement at T7" in result.headline and "paraplegia" in result.headline
    case = result.case
    assert case is not None
    intradural = [leak for leak in case.leaks if leak.location.value == "intradural"]
    paraplegia = [
        d for d in case.findings.deficits if d.kind.value == "paraplegia" and d.status.value == "present"
    ]
    assert intradural[0].evidence and paraplegia[0].evidence


def _all_spans(case: Case):
    yield from case.patient.evidence
    for group in (
        case.procedures,
        case.leaks,
        case.findings.deficits,
        case.findings.motor_grades,
        case.imaging,
        case.treatments,
    ):
        for item in group:
            yield from item.evidence
    yield from case.outcome.evidence


def test_every_span_of_every_seed_matches_the_text() -> None:
    for path in sorted((require_shared() / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        case = read_case(text)
        spans = list(_all_spans(case))
        assert spans, path.name
        for span in spans:
            assert text[span.start : span.end] == span.text, (path.name, span)


WORDS = st.sampled_from(
    [
        "cement",
        "leak",
        "leakage",
        "epidural",
        "intradural",
        "canal",
        "foramen",
        "disc",
        "no",
        "not",
        "possible",
        "without",
        "PMMA",
        "vertebroplasty",
        "kyphoplasty",
        "PVP",
        "T12",
        "D12",
        "L3-4",
        "L9",
        "T10-L2",
        "2/5",
        "4+/5",
        "grade",
        "weakness",
        "paraplegia",
        "numb",
        "urine",
        "CT",
        "MRI",
        "X-ray",
        "laminectomy",
        "decompression",
        "planned",
        "declined",
        "history",
        "PMH:",
        "References",
        "Discussion",
        "our",
        "patient",
        "September",
        "4",
        "two",
        "weeks",
        "post-procedure",
        "ago",
        ".",
        ",",
        ";",
        ":",
        "?",
        "\n",
        "\n\n",
        "-",
        "•",
        "(",
        ")",
        "ü",
        "ß",
        "中",
        "\t",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=60))
def test_reader_never_crashes_and_spans_always_match(parts: list[str]) -> None:
    text = " ".join(parts)
    case = read_case(text)
    for span in _all_spans(case):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
    assess(case)


def test_a_large_document_is_read(tmp_path: Path) -> None:
    text = ("Routine CT after T12 kyphoplasty shows no cement leakage. " * 4000)[:200_000]
    case = read_case(text)
    assert case.leaks == []  # "no cement leakage" names no location: nothing to record
    assert case.procedures[0].kind.value == "kyphoplasty"
    assert case.procedures[0].levels == ["T12"]


def test_pulmonary_cement_described_by_lung_anatomy() -> None:
    case = read_case(
        "Small dense opacities in peripheral subsegmental arteries of the left lower lobe, typical of "
        "cement emboli. The central pulmonary arteries are clear."
    )
    present = [
        leak for leak in case.leaks if leak.location.value == "pulmonary" and leak.status.value == "present"
    ]
    assert present and present[0].central is False
    central = read_case("Cement embolus in the right main pulmonary artery.").leaks[0]
    assert central.central is True


@pytest.mark.parametrize("split", ["dev", "test"])
def test_corpus_is_never_under_triaged(split: str) -> None:
    """Under-triage is a release blocker: no corpus document may be triaged below its gold."""
    corpus = Path(__file__).resolve().parents[1] / "corpus"

    def read(item):
        case = read_case(item.file.read_text(encoding="utf-8"), source=item.file.name)
        return case, assess(case, with_case=False).urgency.value

    report = evaluate(load_gold(corpus / f"{split}.jsonl"), read)
    assert report.errors == []
    assert report.triage["under"] == 0, [m for s in report.cases for m in s.misses if m.field == "urgency"]
    # regression floors, a little under the figures measured when this test was written
    floor = {"dev": 0.86, "test": 0.84}[split]
    assert report.micro.f1 is not None and report.micro.f1 >= floor
