"""Property tests: more danger never lowers urgency; imaging and treatment never lower it;
every reason and action cites real sources; the output always honours the contract."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cementwatch.assess import assess
from cementwatch.case import DeficitKind, LeakLocation, Modality, TreatmentKind, TreatmentStatus, parse_case
from cementwatch.evidence import load_evidence
from cementwatch.levels import ALL_LEVELS

RANK = {"none": 0, "routine": 1, "urgent": 2, "emergency": 3}
STATUS = st.sampled_from(["present", "absent", "possible"])
ACTIVE = st.sampled_from(["present", "possible"])
SIDE = st.sampled_from(["left", "right", "bilateral", None])
LEVELS = st.lists(st.sampled_from(ALL_LEVELS), max_size=3)

deficits = st.builds(
    dict,
    kind=st.sampled_from([k.value for k in DeficitKind]),
    status=STATUS,
    side=SIDE,
    progressive=st.sampled_from([True, False, None]),
)
leaks = st.builds(
    dict,
    location=st.sampled_from([x.value for x in LeakLocation]),
    status=STATUS,
    levels=LEVELS,
    central=st.sampled_from([True, False, None]),
    detected_by=st.sampled_from(["radiograph", "fluoroscopy", "ct", "mri", None]),
)
grades = st.builds(
    dict,
    grade=st.integers(0, 5),
    modifier=st.sampled_from(["+", "-", None]),
    side=SIDE,
)
imaging = st.builds(
    dict,
    modality=st.sampled_from([m.value for m in Modality]),
    day=st.one_of(st.none(), st.floats(0, 400, allow_nan=False)),
)
treatments = st.builds(
    dict,
    kind=st.sampled_from([t.value for t in TreatmentKind]),
    status=st.sampled_from([s.value for s in TreatmentStatus]),
    day=st.one_of(st.none(), st.floats(0, 400, allow_nan=False)),
)
days = st.one_of(st.none(), st.floats(0, 2000, allow_nan=False))


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "procedures": draw(
            st.lists(
                st.builds(
                    dict,
                    kind=st.sampled_from(["vertebroplasty", "kyphoplasty", "other_augmentation"]),
                    levels=LEVELS,
                    historical=st.booleans(),
                ),
                max_size=2,
            )
        ),
        "leaks": draw(st.lists(leaks, max_size=4)),
        "findings": {
            "deficits": draw(st.lists(deficits, max_size=5)),
            "motor_grades": draw(st.lists(grades, max_size=3)),
        },
        "imaging": draw(st.lists(imaging, max_size=3)),
        "treatments": draw(st.lists(treatments, max_size=3)),
        "timeline": {
            "symptom_onset_days": draw(days),
            "presentation_days": draw(days),
            "treatment_days": draw(days),
        },
    }


def urgency(data: dict[str, Any]) -> int:
    return RANK[assess(parse_case(data), with_case=False).urgency.value]


def with_(data: dict[str, Any], section: str, item: dict[str, Any]) -> dict[str, Any]:
    out = {**data, "findings": dict(data["findings"])}
    if section == "deficits":
        out["findings"]["deficits"] = [*data["findings"]["deficits"], item]
    else:
        out[section] = [*data[section], item]
    return out


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DANGEROUS = [k.value for k in DeficitKind]


@SETTINGS
@given(cases(), st.sampled_from(DANGEROUS), ACTIVE, st.sampled_from([True, False, None]))
def test_adding_a_deficit_never_lowers_urgency(
    data: dict[str, Any], kind: str, status: str, progressive: bool | None
) -> None:
    more = with_(data, "deficits", {"kind": kind, "status": status, "progressive": progressive})
    assert urgency(more) >= urgency(data)


@SETTINGS
@given(cases(), st.sampled_from(["epidural", "foraminal", "intradural"]), ACTIVE, LEVELS)
def test_adding_a_canal_leak_never_lowers_urgency(
    data: dict[str, Any], location: str, status: str, levels: list[str]
) -> None:
    more = with_(data, "leaks", {"location": location, "status": status, "levels": levels})
    assert urgency(more) >= urgency(data)
    assert urgency(more) >= RANK["urgent"]


@SETTINGS
@given(
    cases(), st.sampled_from(["pulmonary", "cardiac", "venous"]), ACTIVE, st.sampled_from([True, False, None])
)
def test_adding_an_embolism_never_lowers_urgency(
    data: dict[str, Any], location: str, status: str, central: bool | None
) -> None:
    more = with_(data, "leaks", {"location": location, "status": status, "central": central})
    assert urgency(more) >= urgency(data)


@SETTINGS
@given(cases(), st.sampled_from(["dyspnea", "chest_pain", "hypoxemia", "hypotension", "arrhythmia"]))
def test_a_symptomatic_embolism_is_always_an_emergency(data: dict[str, Any], kind: str) -> None:
    more = with_(data, "deficits", {"kind": kind, "status": "present"})
    assert urgency(more) == RANK["emergency"]


@SETTINGS
@given(cases(), st.sampled_from(["paraparesis", "paraplegia", "bladder_dysfunction", "cauda_equina"]))
def test_cord_or_sphincter_signs_are_always_an_emergency(data: dict[str, Any], kind: str) -> None:
    more = with_(data, "deficits", {"kind": kind, "status": "present"})
    assert urgency(more) == RANK["emergency"]


@SETTINGS
@given(cases(), st.data())
def test_removing_imaging_never_lowers_urgency(data: dict[str, Any], pick: st.DataObject) -> None:
    if not data["imaging"]:
        return
    index = pick.draw(st.integers(0, len(data["imaging"]) - 1))
    fewer = {**data, "imaging": [x for i, x in enumerate(data["imaging"]) if i != index]}
    assert urgency(fewer) >= urgency(data)
    assert urgency({**data, "imaging": []}) >= urgency(data)


@SETTINGS
@given(cases())
def test_what_was_done_never_changes_urgency(data: dict[str, Any]) -> None:
    assert urgency(data) == urgency({**data, "treatments": []})


@SETTINGS
@given(cases())
def test_every_reason_and_action_cites_existing_sources(data: dict[str, Any]) -> None:
    sources = load_evidence().sources
    result = assess(parse_case(data))
    assert result.reasons
    for item in [*result.reasons, *result.actions]:
        assert item.sources, item
        assert set(item.sources) <= set(sources), item
    assert len(result.headline) <= 140
    assert [r for r in result.reasons if r.urgency is result.urgency]
