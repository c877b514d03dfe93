"""Gold scoring (``cementwatch.evaluate``) against ``../shared/contracts/gold.md``.

The seed figures are measured: the five structured seed cases scored against
``../shared/gold/seeds.jsonl`` with the urgency ``assess`` gives them. The hand-built cases below each
exercise one scoring rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cementwatch.assess import Urgency, assess
from cementwatch.case import Case, parse_case
from cementwatch.evaluate import (
    CaseScore,
    Counts,
    GoldItem,
    Miss,
    Report,
    evaluate,
    load_gold,
    score_case,
)
from tests.conftest import SEEDS

# --- helpers ---------------------------------------------------------------------------------------


def _line(
    gold: dict[str, Any], *, id: str = "x", ok: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    ok = ok or ["urgent"]
    return {
        "id": id,
        "file": f"{id}.txt",
        "gold": gold,
        "urgency": ok[0],
        "urgency_ok": ok,
        "note": "",
    } | extra


def _write(tmp_path: Path, *lines: dict[str, Any] | str) -> Path:
    path = tmp_path / "gold.jsonl"
    text = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def _item(tmp_path: Path, gold: dict[str, Any], **kw: Any) -> GoldItem:
    (item,) = load_gold(_write(tmp_path, _line(gold, **kw)))
    return item


def _case(**data: Any) -> Case:
    return parse_case(data)


def _score(tmp_path: Path, gold: dict[str, Any], case: Case, urgency: str = "urgent", **kw: Any) -> CaseScore:
    return score_case(_item(tmp_path, gold, **kw), case, urgency)


def _deficits(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"deficits": [{"kind": k, "status": s} for k, s in pairs]}


def _treatments(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"kind": k, "status": s} for k, s in pairs]


# --- the seeds -------------------------------------------------------------------------------------


def _read_seed(item: GoldItem) -> tuple[Case, str]:
    path = SEEDS / f"seed-{item.id}.case.json"
    case = parse_case(path.read_text(encoding="utf-8"), where=path.name)
    return case, assess(case).urgency


def test_load_gold_reads_the_seed_gold_as_written(shared: Path, gold: list[dict[str, Any]]) -> None:
    items = load_gold(shared / "gold" / "seeds.jsonl")
    assert [i.id for i in items] == [g["id"] for g in gold]
    assert [i.urgency_ok for i in items] == [g["urgency_ok"] for g in gold]
    for item, raw in zip(items, gold, strict=True):
        assert item.file == (shared / "gold" / raw["file"]).resolve()
        assert item.file.is_file(), item.file  # `file` is relative to the gold file's folder
        assert item.gold == raw["gold"]  # already normal: levels like T12, outcome as lists


def test_the_seed_cases_score_perfectly(shared: Path) -> None:
    # Measured: every list field, every scalar and every triage of the five structured seed cases
    # agrees with the gold. Fields a gold line does not name are not scored (seed 001's imaging,
    # seed 004's age, seed 003's indication, which is only in `optional`).
    report = evaluate(load_gold(shared / "gold" / "seeds.jsonl"), _read_seed)
    assert report.lists == {
        "procedure_kinds": Counts(5, 0, 0),
        "treated_levels": Counts(5, 0, 0),
        "leaks_present": Counts(7, 0, 0),
        "deficits_present": Counts(12, 0, 0),  # back_pain read in 000, 003, 004 is optional there
        "imaging": Counts(7, 0, 0),  # fluoroscopy (002) and ct (003) are optional
        "treatments_done": Counts(14, 0, 0),  # physiotherapy (000), rehabilitation (002) optional
    }
    assert report.scalars == {
        "age": (4, 4),
        "sex": (5, 5),
        "indication": (2, 2),
        "approach": (1, 1),
        "cement_material": (1, 1),
        "worst_motor_grade": (1, 1),
        "outcome": (3, 3),  # 002 reads full_recovery; gold accepts full_recovery or improved
        "symptom_onset_days": (3, 3),
        "presentation_days": (1, 1),
        "treatment_days": (3, 3),
    }
    assert report.contradictions == 0  # 000: instrumented_fusion is read as absent, not done
    assert report.errors == []
    assert [(c.id, c.urgency, c.triage) for c in report.cases] == [
        ("000", "emergency", "right"),
        ("001", "urgent", "right"),  # gold expects emergency, accepts urgent too
        ("002", "emergency", "right"),
        ("003", "emergency", "right"),
        ("004", "emergency", "right"),  # gold expects urgent, accepts emergency too
    ]
    assert all(c.misses == () for c in report.cases)
    assert report.lines()[-3:] == [
        "list-field micro F1 1.000 (tp 50 fp 0 fn 0)",
        "scalar accuracy 1.000 (24/24)",
        "triage right 5/5, under 0, over 0",
    ]


# --- list fields and optional items ----------------------------------------------------------------


def test_optional_items_are_neither_required_nor_false_positives(tmp_path: Path) -> None:
    gold = {
        "deficits_present": ["motor_weakness"],
        "imaging": ["mri"],
        "procedure_kinds": ["kyphoplasty"],
        "optional": {"deficits": ["back_pain", "bladder_dysfunction"], "imaging": ["ct"]},
    }
    case = _case(
        procedures=[{"kind": "kyphoplasty"}],
        findings=_deficits(
            ("motor_weakness", "present"), ("back_pain", "present"), ("paraplegia", "present")
        ),
        imaging=[{"modality": "mri"}, {"modality": "ct"}, {"modality": "radiograph"}],
    )
    score = _score(tmp_path, gold, case)
    # back_pain (optional) ignored, bladder_dysfunction (optional, not read) not a miss, paraplegia an fp
    assert score.lists["deficits_present"] == Counts(1, 1, 0)
    assert score.lists["imaging"] == Counts(1, 1, 0)  # ct optional; radiograph not
    assert score.lists["procedure_kinds"] == Counts(1, 0, 0)
    assert Miss("deficits_present", [], ["paraplegia"]) in score.misses


def test_optional_procedure_kind_is_ignored_and_missing_items_are_false_negatives(tmp_path: Path) -> None:
    gold = {"procedure_kinds": ["vertebroplasty"], "optional": {"procedure_kinds": ["kyphoplasty"]}}
    read = _score(tmp_path, gold, _case(procedures=[{"kind": "kyphoplasty"}]))
    assert read.lists["procedure_kinds"] == Counts(0, 0, 1)
    assert read.misses[0] == Miss("procedure_kinds", ["vertebroplasty"], [])


def test_a_field_not_in_gold_is_not_scored(tmp_path: Path) -> None:
    case = _case(patient={"age": 40}, imaging=[{"modality": "ct"}], outcome={"status": "died"})
    score = _score(tmp_path, {"sex": "male"}, case)
    assert score.lists == {}
    assert score.scalars == {"sex": False}


def test_treated_levels_union_and_normalised_gold(tmp_path: Path) -> None:
    case = _case(
        procedures=[{"kind": "vertebroplasty", "levels": ["L1"]}, {"kind": "kyphoplasty", "levels": ["T12"]}]
    )
    item = _item(tmp_path, {"treated_levels": ["D12", "L1", "L2"]})
    assert item.gold["treated_levels"] == ["T12", "L1", "L2"]
    assert score_case(item, case, "urgent").lists["treated_levels"] == Counts(2, 0, 1)


# --- the surgical family ---------------------------------------------------------------------------


def test_surgical_family_widened_on_the_predicted_side(tmp_path: Path) -> None:
    # gold decompression vs predicted laminectomy: the laminectomy implies the decompression
    # (tp), and is itself a false positive since the gold does not name it.
    case = _case(treatments=_treatments(("laminectomy", "done")))
    score = _score(tmp_path, {"treatments_done": ["decompression"]}, case)
    assert score.lists["treatments_done"] == Counts(1, 1, 0)
    assert score.misses == (Miss("treatments_done", [], ["laminectomy"]),)


def test_surgical_family_widened_on_the_gold_side(tmp_path: Path) -> None:
    # gold laminectomy vs predicted decompression + laminectomy: the gold implies the decompression.
    case = _case(treatments=_treatments(("decompression", "done"), ("laminectomy", "done")))
    assert _score(tmp_path, {"treatments_done": ["laminectomy"]}, case).lists["treatments_done"] == Counts(
        2, 0, 0
    )


@pytest.mark.parametrize("kind", ["laminectomy", "hemilaminectomy", "foraminotomy", "corpectomy"])
def test_every_member_of_the_surgical_family_implies_decompression(tmp_path: Path, kind: str) -> None:
    case = _case(treatments=_treatments((kind, "done")))
    assert _score(tmp_path, {"treatments_done": [kind]}, case).lists["treatments_done"] == Counts(2, 0, 0)
    # and nothing else implies it
    other = _case(treatments=_treatments(("durotomy", "done")))
    assert _score(tmp_path, {"treatments_done": [kind]}, other).lists["treatments_done"] == Counts(0, 1, 2)


def test_optional_surgery_is_widened_too(tmp_path: Path) -> None:
    gold = {"treatments_done": [], "optional": {"treatments": ["corpectomy"]}}
    case = _case(treatments=_treatments(("corpectomy", "done")))
    assert _score(tmp_path, gold, case).lists["treatments_done"] == Counts(0, 0, 0)


def test_only_done_treatments_count(tmp_path: Path) -> None:
    case = _case(treatments=_treatments(("steroids", "planned"), ("laminectomy", "recommended")))
    assert _score(tmp_path, {"treatments_done": ["steroids"]}, case).lists["treatments_done"] == Counts(
        0, 0, 1
    )


# --- absent items ----------------------------------------------------------------------------------


def test_absent_items_read_as_present_are_contradictions_and_false_positives(tmp_path: Path) -> None:
    gold = {
        "leaks_present": ["intradural"],
        "leaks_absent": ["epidural", "venous"],
        "deficits_present": ["radicular_pain"],
        "deficits_absent": ["paraplegia", "bladder_dysfunction"],
        "treatments_done": ["cement_removal"],
        "treatments_absent": ["instrumented_fusion", "steroids"],
    }
    case = _case(
        leaks=[
            {"location": "intradural", "status": "present"},
            {"location": "epidural", "status": "present"},
            {"location": "venous", "status": "possible"},  # hedged: not read as present
        ],
        findings=_deficits(
            ("radicular_pain", "present"), ("paraplegia", "present"), ("bladder_dysfunction", "absent")
        ),
        treatments=_treatments(
            ("cement_removal", "done"), ("instrumented_fusion", "done"), ("steroids", "planned")
        ),
    )
    score = _score(tmp_path, gold, case)
    assert score.contradictions == (
        Miss("leaks_absent", "no epidural", "epidural"),
        Miss("deficits_absent", "no paraplegia", "paraplegia"),
        Miss("treatments_absent", "no instrumented_fusion", "instrumented_fusion"),
    )
    assert score.lists["leaks_present"] == Counts(1, 1, 0)
    assert score.lists["deficits_present"] == Counts(1, 1, 0)
    assert score.lists["treatments_done"] == Counts(1, 1, 0)
    report = Report((score,))
    assert report.contradictions == 3
    assert report.to_dict()["contradictions"] == 3


def test_an_absent_item_is_contradicted_even_when_optional(tmp_path: Path) -> None:
    gold = {"deficits_present": [], "deficits_absent": ["back_pain"], "optional": {"deficits": ["back_pain"]}}
    score = _score(tmp_path, gold, _case(findings=_deficits(("back_pain", "present"))))
    assert len(score.contradictions) == 1
    assert score.lists["deficits_present"] == Counts(0, 1, 0)


def test_absent_decompression_is_contradicted_by_a_laminectomy(tmp_path: Path) -> None:
    score = _score(
        tmp_path,
        {"treatments_absent": ["decompression"]},
        _case(treatments=_treatments(("laminectomy", "done"))),
    )
    assert [m.got for m in score.contradictions] == ["decompression"]
    # only the absent field is in gold: its contradictions are the list field's only count
    assert score.lists == {"treatments_done": Counts(0, 1, 0)}


def test_an_absent_field_alone_without_contradiction_scores_nothing_wrong(tmp_path: Path) -> None:
    score = _score(
        tmp_path,
        {"leaks_absent": ["pulmonary"]},
        _case(leaks=[{"location": "epidural", "status": "present"}]),
    )
    assert score.contradictions == ()
    assert score.lists == {"leaks_present": Counts(0, 0, 0)}


# --- scalars ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "right"),
    [(3, True), (3.0, True), (5, True), (7, True), (2.9, False), (7.5, False), (None, False)],
)
def test_day_ranges_are_inclusive_at_both_ends(tmp_path: Path, day: float | None, right: bool) -> None:
    gold = {"symptom_onset_days": [3, 7], "presentation_days": [3, 7], "treatment_days": [3, 7]}
    case = _case(timeline={"symptom_onset_days": day, "presentation_days": day, "treatment_days": day})
    assert _score(tmp_path, gold, case).scalars == dict.fromkeys(gold, right)


def test_a_one_day_range(tmp_path: Path) -> None:
    gold = {"treatment_days": [0, 0]}
    assert _score(tmp_path, gold, _case(timeline={"treatment_days": 0})).scalars == {"treatment_days": True}
    assert _score(tmp_path, gold, _case(timeline={"treatment_days": 1})).scalars == {"treatment_days": False}


@pytest.mark.parametrize(
    ("gold", "volume", "right"),
    [
        (5.0, 5.0, True),
        (5.0, 5.1, True),
        (5.0, 4.9, True),
        (5.0, 5.05, True),
        (1.2, 1.3, True),  # |1.3 - 1.2| is 0.10000000000000009 in floating point: still inside
        (1.2, 1.1, True),
        (5.0, 5.11, False),
        (5.0, 4.85, False),
        (5.0, None, False),
    ],
)
def test_cement_volume_within_a_tenth_of_a_millilitre(
    tmp_path: Path, gold: float, volume: float | None, right: bool
) -> None:
    case = _case(procedures=[{"kind": "vertebroplasty", "cement_volume_ml": volume}])
    assert _score(tmp_path, {"cement_volume_ml": gold}, case).scalars == {"cement_volume_ml": right}


@pytest.mark.parametrize(
    ("status", "right"), [("improved", True), ("full_recovery", True), ("unchanged", False), (None, False)]
)
def test_outcome_is_one_of_the_listed_values(tmp_path: Path, status: str | None, right: bool) -> None:
    case = _case(outcome={"status": status})
    assert _score(tmp_path, {"outcome": ["full_recovery", "improved"]}, case).scalars == {"outcome": right}


def test_a_single_outcome_is_a_one_item_list(tmp_path: Path) -> None:
    item = _item(tmp_path, {"outcome": "died"})
    assert item.gold["outcome"] == ["died"]
    assert score_case(item, _case(outcome={"status": "died"}), "emergency").scalars == {"outcome": True}


def test_first_procedure_that_states_one_and_historical_procedures(tmp_path: Path) -> None:
    case = _case(
        procedures=[
            {"kind": "vertebroplasty", "levels": ["L1"], "historical": True},
            {"kind": "kyphoplasty", "levels": ["T12"], "indication": "osteoporotic", "approach": "bilateral",
             "cement_volume_ml": 3.0},
            {"kind": "kyphoplasty", "indication": "metastatic", "approach": "unilateral",
             "cement_material": "pmma"},
        ]
    )  # fmt: skip
    gold = {
        "procedure_kinds": ["vertebroplasty", "kyphoplasty"],
        "treated_levels": ["L1", "T12"],
        "indication": "osteoporotic",
        "approach": "bilateral",
        "cement_material": "pmma",
        "cement_volume_ml": 3.0,
    }
    score = _score(tmp_path, gold, case)
    assert score.lists == {"procedure_kinds": Counts(2, 0, 0), "treated_levels": Counts(2, 0, 0)}
    # gold.md reads the volume off the first procedure itself (not the first that states one):
    # procedures[0] states none, so the 3.0 mL of the second does not count.
    assert score.scalars == {
        "indication": True,
        "approach": True,
        "cement_material": True,
        "cement_volume_ml": False,
    }
    assert Miss("cement_volume_ml", 3.0, None) in score.misses


def test_optional_widens_the_accepted_values_of_a_scalar(tmp_path: Path) -> None:
    gold = {"indication": "osteoporotic", "optional": {"indication": ["metastatic"]}}
    for indication, right in [("osteoporotic", True), ("metastatic", True), ("myeloma", False)]:
        case = _case(procedures=[{"kind": "vertebroplasty", "indication": indication}])
        assert _score(tmp_path, gold, case).scalars == {"indication": right}, indication
    wrong = _score(tmp_path, gold, _case(procedures=[{"kind": "vertebroplasty", "indication": "myeloma"}]))
    assert wrong.misses == (Miss("indication", ["osteoporotic", "metastatic"], "myeloma"),)


def test_a_scalar_only_in_optional_is_not_scored(tmp_path: Path) -> None:
    gold = {"optional": {"indication": ["osteoporotic", "metastatic"]}}
    case = _case(procedures=[{"kind": "vertebroplasty", "indication": "myeloma"}])
    assert _score(tmp_path, gold, case).scalars == {}


def test_exact_scalars(tmp_path: Path) -> None:
    case = _case(
        patient={"age": 70, "sex": "female"},
        findings={"motor_grades": [{"grade": 4}, {"grade": 2}, {"grade": 3}], "asia_grade": "C"},
    )
    gold = {"age": 70, "sex": "female", "worst_motor_grade": 2, "asia": "C"}
    assert _score(tmp_path, gold, case).scalars == dict.fromkeys(gold, True)
    off = {"age": 71, "sex": "male", "worst_motor_grade": 3, "asia": "D"}
    assert _score(tmp_path, off, case).scalars == dict.fromkeys(off, False)
    assert _score(tmp_path, gold, _case()).scalars == dict.fromkeys(gold, False)  # nothing read: wrong


# --- triage ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ok", "urgency", "triage"),
    [
        (["urgent", "emergency"], "urgent", "right"),
        (["urgent", "emergency"], "emergency", "right"),
        (["urgent", "emergency"], "routine", "under"),
        (["urgent", "emergency"], "none", "under"),
        (["routine"], "urgent", "over"),
        (["none", "routine"], "emergency", "over"),
        (["routine", "emergency"], "urgent", "between"),
    ],
)
def test_triage_right_under_over(tmp_path: Path, ok: list[str], urgency: str, triage: str) -> None:
    score = _score(tmp_path, {}, _case(), urgency, ok=ok)
    assert score.triage == triage
    assert (Miss("urgency", ok, urgency) in score.misses) == (triage != "right")


def test_triage_counts_and_summary(tmp_path: Path) -> None:
    item = _item(tmp_path, {}, ok=["urgent"])
    urgencies = iter(["urgent", "routine", "emergency", Urgency.URGENT])
    report = evaluate([item] * 4, lambda _: (_case(), next(urgencies)))
    assert report.triage == {"right": 2, "under": 1, "over": 1, "between": 0}
    assert report.lines()[-1] == "triage right 2/4, under 1, over 1"


def test_score_case_refuses_an_urgency_that_is_not_a_level(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'soon'"):
        score_case(_item(tmp_path, {}), _case(), "soon")


# --- a read that fails -----------------------------------------------------------------------------


def test_a_read_that_raises_is_recorded_and_the_others_are_scored(tmp_path: Path) -> None:
    gold_ok = {"sex": "female", "leaks_present": ["epidural"]}
    gold_bad = {"sex": "male", "leaks_present": ["intradural", "foraminal"], "treatment_days": [1, 2]}
    path = _write(tmp_path, _line(gold_ok, id="a"), _line(gold_bad, id="b"), _line(gold_ok, id="c"))
    good = _case(patient={"sex": "female"}, leaks=[{"location": "epidural", "status": "present"}])

    def read(item: GoldItem) -> tuple[Case, str]:
        if item.id == "b":
            raise OSError("no such document")
        return good, "urgent"

    report = evaluate(load_gold(path), read)
    assert [c.id for c in report.cases] == ["a", "b", "c"]
    assert report.errors == [("b", "OSError: no such document")]
    failed = report.cases[1]
    assert failed.triage == "under" and failed.urgency is None
    assert failed.lists == {"leaks_present": Counts(0, 0, 2)}
    assert failed.scalars == {"sex": False, "treatment_days": False}
    assert report.lists == {"leaks_present": Counts(2, 0, 2)}
    assert report.scalars == {"sex": (2, 3), "treatment_days": (0, 1)}
    assert report.triage == {"right": 2, "under": 1, "over": 0, "between": 0}
    lines = report.lines()
    assert "unreadable b: OSError: no such document" in lines
    assert lines[-3:] == [
        "list-field micro F1 0.667 (tp 2 fp 0 fn 2)",
        "scalar accuracy 0.500 (2/4)",
        "triage right 2/3, under 1, over 0",
    ]
    data = json.loads(json.dumps(report.to_dict()))
    assert data["errors"] == [{"id": "b", "message": "OSError: no such document"}]
    assert data["items"][1]["misses"][0] == {
        "field": "leaks_present",
        "expected": ["foraminal", "intradural"],
        "got": [],
    }


def test_a_read_returning_no_level_is_an_error(tmp_path: Path) -> None:
    report = evaluate([_item(tmp_path, {"sex": "male"})], lambda i: (_case(patient={"sex": "male"}), "soon"))
    assert report.errors[0][0] == "x" and "'soon'" in report.errors[0][1]
    assert report.scalars == {"sex": (0, 1)}


# --- the report ------------------------------------------------------------------------------------


def test_micro_f1_sums_every_list_field(tmp_path: Path) -> None:
    gold = {"imaging": ["ct", "mri"], "procedure_kinds": ["vertebroplasty"]}
    case = _case(
        procedures=[{"kind": "kyphoplasty"}], imaging=[{"modality": "ct"}, {"modality": "radiograph"}]
    )
    report = Report((_score(tmp_path, gold, case),))
    assert report.micro == Counts(tp=1, fp=2, fn=2)
    assert report.micro.f1 == pytest.approx(1 / 3)
    assert report.lists["imaging"].precision == 0.5 and report.lists["imaging"].recall == 0.5
    assert report.lists["procedure_kinds"].f1 == 0.0
    assert report.lines()[-3] == "list-field micro F1 0.333 (tp 1 fp 2 fn 2)"


def test_lines_with_errors_lists_every_miss(tmp_path: Path) -> None:
    gold = {"imaging": ["mri"], "age": 60, "treatments_absent": ["steroids"]}
    case = _case(
        patient={"age": 61}, imaging=[{"modality": "ct"}], treatments=_treatments(("steroids", "done"))
    )
    report = Report((_score(tmp_path, gold, case, "none"),))
    plain, full = report.lines(), report.lines(errors=True)
    assert not any(line.startswith("miss ") for line in plain)
    assert [line for line in full if line.startswith("miss ")] == [
        "miss x imaging: expected [mri], got [ct]",
        "miss x treatments_done: expected [], got [steroids]",
        "miss x treatments_absent: expected no steroids, got steroids",
        "miss x age: expected 60, got 61",
        "miss x urgency: expected [urgent], got none",
    ]
    assert full[-3:] == plain[-3:]


def test_an_empty_report_measures_nothing() -> None:
    report = Report(())
    assert report.micro.f1 is None and report.scalar_accuracy is None
    assert report.lines()[-3:] == [
        "list-field micro F1 n/a (tp 0 fp 0 fn 0)",
        "scalar accuracy n/a (0/0)",
        "triage right 0/0, under 0, over 0",
    ]
    assert json.loads(json.dumps(report.to_dict()))["micro"]["f1"] is None


# --- loading ---------------------------------------------------------------------------------------


def test_file_is_resolved_against_the_gold_files_folder(tmp_path: Path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    (item,) = load_gold(_write(folder, _line({}, file="../seeds/a.txt")))
    assert item.file == (tmp_path / "seeds" / "a.txt").resolve()


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, _line({}, id="a"), "", "   ", _line({}, id="b"))
    assert [i.id for i in load_gold(path)] == ["a", "b"]


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "a gold line is a JSON object"),
        (_line({}) | {"id": 7}, "id: missing or not a str"),
        ({k: v for k, v in _line({}).items() if k != "urgency_ok"}, "urgency_ok"),
        (_line({}, ok=["soon"]), "urgency_ok"),
        (_line({}, urgency="none"), "urgency: 'none' is not in urgency_ok"),
        (_line({"leak_present": ["epidural"]}), "gold.leak_present: unknown gold field"),
        (_line({"leaks_present": ["epidual"]}), "gold.leaks_present[0]: 'epidual'"),
        (_line({"treated_levels": ["L1", "L9"]}), "gold.treated_levels[1]: 'L9' is not a vertebra"),
        (_line({"sex": "f"}), "gold.sex: 'f'"),
        (_line({"age": "69"}), "gold.age"),
        (_line({"worst_motor_grade": 6}), "gold.worst_motor_grade"),
        (_line({"treatment_days": [5, 1]}), "gold.treatment_days: low 5 is above high 1"),
        (_line({"treatment_days": 5}), "gold.treatment_days: expected [low, high]"),
        (_line({"cement_volume_ml": "4"}), "gold.cement_volume_ml"),
        (_line({"outcome": ["better"]}), "gold.outcome[0]: 'better'"),
        (_line({"optional": {"deficit": ["back_pain"]}}), "gold.optional: unknown key(s) ['deficit']"),
        (_line({"optional": {"treatments": ["surgery"]}}), "gold.optional.treatments[0]: 'surgery'"),
        (_line({"deficits_present": ["ileus"], "deficits_absent": ["ileus"]}), "both in deficits_present"),
        (_line({}, id="a"), "id 'a' repeats line 1"),
    ],
)
def test_load_gold_errors_name_the_line(tmp_path: Path, bad: dict[str, Any] | str, fragment: str) -> None:
    path = _write(tmp_path, _line({}, id="a"), "", bad)
    with pytest.raises(ValueError) as caught:
        load_gold(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: "), message
    assert fragment in message, message
