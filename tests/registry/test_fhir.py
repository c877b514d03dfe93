"""FHIR R4B exchange: case -> Bundle -> case loses nothing; bundles are valid, checked and stable."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cementwatch import case as c
from cementwatch.levels import ALL_LEVELS
from cementwatch.registry.fhir import (
    FhirError,
    bundle_to_case,
    case_to_bundle,
    check_bundle,
    read_bundles,
    write_bundles,
)
from cementwatch.registry.fhir_codes import (
    BASE,
    CONDITION_CLINICAL,
    CONDITION_VER_STATUS,
    DICOM,
    LOCAL,
    OBSERVATION_CATEGORY,
    OBSERVATION_INTERPRETATION,
    UCUM,
    V2_0074,
    VERIFIED_STANDARD_CODES,
    code_system,
    ext_url,
    system_url,
)
from tests.conftest import CASES, SEEDS

FIXTURES = sorted([*CASES.glob("*.case.json"), *SEEDS.glob("*.case.json")])
ALLOWED_SYSTEMS = {
    CONDITION_VER_STATUS,
    CONDITION_CLINICAL,
    OBSERVATION_CATEGORY,
    OBSERVATION_INTERPRETATION,
    V2_0074,
    DICOM,
    UCUM,
    *(system_url(name) for name in LOCAL),
    *VERIFIED_STANDARD_CODES,
}


def load(path: Path) -> c.Case:
    return c.parse_case(path.read_text(encoding="utf-8"), where=path.name)


def round_trip(case: c.Case) -> c.Case:
    return bundle_to_case(json.dumps(case_to_bundle(case)))


def resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def codings(node: Any) -> list[dict[str, Any]]:
    """Every Coding in a decoded resource (CodeableConcept.coding, valueCoding, ImagingStudy.modality)."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "coding":
                out.extend(value)
            elif key in ("valueCoding",) or (
                key == "modality" and node.get("resourceType") == "ImagingStudy"
            ):
                out.extend(value if isinstance(value, list) else [value])
            out.extend(codings(value))
    elif isinstance(node, list):
        for item in node:
            out.extend(codings(item))
    return out


def span(start: int, end: int, text: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text, **extra}


# A case that uses every field, evidence everywhere, extras at every level, and awkward strings.
RICH: dict[str, Any] = {
    "schema": "cementwatch.case/1",
    "source": "report 17.txt",
    "summary": "extra at the top",
    "patient": {"age": 71, "age_range": [70, 79], "sex": "male", "evidence": [span(0, 12, "71-year-old")]},
    "procedures": [
        {"kind": "vertebroplasty", "levels": ["L2"], "historical": True, "evidence": [span(1, 2)]},
        {
            "kind": "kyphoplasty",
            "levels": ["T12", "L1"],
            "indication": "metastatic",
            "approach": "bilateral",
            "cement_material": "pmma",
            "cement_viscosity": "low",
            "cement_volume_ml": 4.5,
            "evidence": [span(20, 40, "balloon kyphoplasty", page=3)],
            "operator": {"years": 4},
        },
    ],
    "leaks": [
        {
            "location": "pulmonary",
            "status": "present",
            "route": "S",
            "detected_by": "ct_angiography",
            "central": False,
            "evidence": [span(50, 60, "")],
        },
        {"location": "epidural", "status": "possible", "levels": ["T12"], "side": "left", "central": None},
        {"location": "intradural", "status": "absent", "levels": ["L1"], "side": "bilateral", "route": "C"},
    ],
    "findings": {
        "deficits": [
            {"kind": "paraparesis", "status": "present", "side": "bilateral", "progressive": True},
            {"kind": "bladder_dysfunction", "status": "absent", "progressive": False},
            {"kind": "chest_pain", "status": "possible", "evidence": [span(5, 9, "  ")]},
        ],
        "motor_grades": [
            {"grade": 4, "muscle": "quadriceps", "side": "right", "modifier": "-"},
            {"grade": 0, "muscle": "", "modifier": "+"},
            {"grade": 3},
        ],
        "asia_grade": "C",
        "pain_nrs": 7.5,
        "scale_note": ["extra", 1],
    },
    "imaging": [
        {"modality": "echocardiography", "day": 0.75},
        {"modality": "radiograph"},
        {"modality": "ct_myelography", "day": -1.0, "evidence": [span(3, 3, "\u2028")]},
    ],
    "treatments": [
        {"kind": "laminectomy", "status": "done", "levels": ["T12"], "day": 2},
        {"kind": "anticoagulation", "status": "recommended"},
        {"kind": "instrumented_fusion", "status": "declined"},
        {"kind": "steroids", "status": "planned", "day": 3.25},
        {"kind": "cement_removal", "status": "absent"},
    ],
    "timeline": {"symptom_onset_days": 0.5, "presentation_days": 1, "followup_days": 365, "unit_note": "d"},
    "outcome": {"status": "improved", "detail": "walks with a frame", "evidence": [span(7, 8)], "x": None},
    "warnings": ["could not read page 4", ""],
    "citation": {"text": "Doe J, 2020, Spine", "ref": "pmid:1", "case_id": "PC099", "volume": 12},
    "notes": "\u2029",
}


def rich() -> c.Case:
    return c.parse_case(copy.deepcopy(RICH))


# --- round trips ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_cases_round_trip_losing_nothing(path: Path) -> None:
    case = load(path)
    assert round_trip(case).to_json_dict() == case.to_json_dict()  # extras ("summary") included


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_bundles_are_valid_fhir_and_pass_the_checks(path: Path) -> None:
    bundle = case_to_bundle(load(path), case_id=path.stem)
    Bundle.model_validate(bundle)
    assert check_bundle(bundle) == []


def test_the_bundled_literature_cases_round_trip() -> None:
    from cementwatch.registry.literature import literature_cases

    cases = literature_cases()
    assert cases
    for case in cases:
        bundle = case_to_bundle(case)
        assert check_bundle(bundle) == []
        assert bundle_to_case(bundle).to_json_dict() == case.to_json_dict(), case.citation


def test_fixtures_were_found() -> None:
    assert len(FIXTURES) >= 50


def test_the_rich_case_round_trips_with_evidence_extras_and_awkward_strings() -> None:
    case = rich()
    assert c.unknown_fields(case)  # extras really are present
    back = round_trip(case)
    assert back.to_json_dict() == case.to_json_dict()
    assert back.leaks[0].evidence[0].text == ""
    assert back.procedures[1].evidence[0].model_extra == {"page": 3}
    assert back.findings.motor_grades[1].muscle == ""
    assert back.notes == "\u2029" and back.warnings == ["could not read page 4", ""]


def test_the_rich_bundle_is_valid_fhir_and_passes_the_checks() -> None:
    bundle = case_to_bundle(rich(), case_id="rich")
    Bundle.model_validate(bundle)
    assert check_bundle(bundle) == []


def test_the_bundle_is_a_collection_with_urn_uuid_references() -> None:
    bundle = case_to_bundle(rich())
    assert bundle["type"] == "collection"
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert all(url.startswith("urn:uuid:") for url in urls) and len(set(urls)) == len(urls)
    kinds = [r["resourceType"] for r in resources(bundle)]
    assert kinds[0] == "Patient" and kinds.count("Patient") == 1
    assert {"Basic", "Procedure", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"} <= set(
        kinds
    )


# --- the mapping ----------------------------------------------------------------------------------------


def test_patient_gender_age_and_age_range() -> None:
    patient = resources(case_to_bundle(rich()), "Patient")[0]
    assert patient["gender"] == "male"
    assert "birthDate" not in patient
    age = next(e for e in patient["extension"] if e["url"] == ext_url("age"))
    assert age["valueAge"] == {"value": 71, "unit": "years", "system": UCUM, "code": "a"}


def test_augmentations_have_a_body_site_per_level_and_are_completed() -> None:
    procedures = resources(case_to_bundle(rich()), "Procedure")
    kypho = next(p for p in procedures if p["code"]["coding"][0]["code"] == "kyphoplasty")
    assert kypho["status"] == "completed"
    assert [site["text"] for site in kypho["bodySite"]] == ["T12", "L1"]
    assert kypho["bodySite"][0]["coding"][0]["system"] == system_url("vertebra")
    assert kypho["usedCode"][0]["coding"][0]["code"] == "pmma"
    assert kypho["reasonCode"][0]["coding"][0]["code"] == "metastatic"
    historical = next(p for p in procedures if p["code"]["coding"][0]["code"] == "vertebroplasty")
    assert {"url": ext_url("historical"), "valueBoolean": True} in historical["extension"]


def test_leaks_are_conditions_with_verification_status_linked_to_the_index_procedure() -> None:
    bundle = case_to_bundle(rich())
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    conditions = resources(bundle, "Condition")
    statuses = [cond["verificationStatus"]["coding"][0] for cond in conditions]
    assert [s["code"] for s in statuses] == ["confirmed", "provisional", "refuted"]
    assert all(s["system"] == CONDITION_VER_STATUS for s in statuses)
    for cond in conditions:
        due = next(e for e in cond["extension"] if e["url"].endswith("condition-dueTo"))
        target = by_url[due["valueReference"]["reference"]]
        assert target["code"]["coding"][0]["code"] == "kyphoplasty"  # the first non-historical one
    index = next(p for p in resources(bundle, "Procedure") if "complicationDetail" in p)
    assert len(index["complicationDetail"]) == 2  # present and possible leaks, not the refuted one


def test_deficit_observations_carry_status_as_value_and_interpretation() -> None:
    observations = resources(case_to_bundle(rich()), "Observation")
    deficits = [o for o in observations if o["code"]["coding"][0]["system"] == system_url("deficit")]
    values = [o["valueCodeableConcept"]["coding"][0]["code"] for o in deficits]
    assert values == ["present", "absent", "possible"]
    assert [o["interpretation"][0]["coding"][0]["code"] for o in deficits] == ["POS", "NEG", "IND"]
    assert all(o["status"] == "final" for o in observations)


def test_motor_grades_are_integer_observations() -> None:
    observations = resources(case_to_bundle(rich()), "Observation")
    motor = [o for o in observations if o["code"]["coding"][0]["code"] == "motor-grade"]
    assert [o["valueInteger"] for o in motor] == [4, 0, 3]
    assert motor[0]["bodySite"] == {"text": "quadriceps"}


@pytest.mark.parametrize(
    ("status", "fhir_status", "reason"),
    [
        ("done", "completed", None),
        ("planned", "preparation", None),
        ("recommended", "preparation", None),
        ("declined", "not-done", "declined"),
        ("absent", "not-done", None),
    ],
)
def test_treatment_status_mapping(status: str, fhir_status: str, reason: str | None) -> None:
    case = c.parse_case({"treatments": [{"kind": "decompression", "status": status}]})
    procedure = resources(case_to_bundle(case), "Procedure")[0]
    assert procedure["status"] == fhir_status
    assert procedure.get("statusReason", {}).get("coding", [{}])[0].get("code") == reason
    kept = next(e for e in procedure["extension"] if e["url"] == ext_url("treatment-status"))
    assert kept["valueCoding"] == {
        "system": system_url("treatment-status"),
        "code": status,
        "display": LOCAL["treatment-status"][status],
    }
    assert round_trip(case).treatments[0].status == status


@pytest.mark.parametrize(
    ("fhir_status", "declined", "expected"),
    [
        ("completed", False, "done"),
        ("preparation", False, "planned"),
        ("not-done", True, "declined"),
        ("not-done", False, "absent"),
    ],
)
def test_treatment_status_is_read_without_the_extension(
    fhir_status: str, declined: bool, expected: str
) -> None:
    bundle = case_to_bundle(c.parse_case({"treatments": [{"kind": "oxygen", "status": "done"}]}))
    procedure = resources(bundle, "Procedure")[0]
    procedure["extension"] = [e for e in procedure["extension"] if e["url"] != ext_url("treatment-status")]
    procedure["status"] = fhir_status
    if declined:
        procedure["statusReason"] = {
            "coding": [{"system": system_url("treatment-status"), "code": "declined"}]
        }
    assert bundle_to_case(bundle).treatments[0].status == expected


def test_imaging_is_an_imaging_study_with_a_dicom_modality_and_a_report() -> None:
    bundle = case_to_bundle(rich())
    studies = resources(bundle, "ImagingStudy")
    assert [s["modality"][0]["code"] for s in studies] == ["US", "DX", "CT"]
    assert all(s["modality"][0]["system"] == DICOM for s in studies)
    reports = resources(bundle, "DiagnosticReport")
    assert [r["code"]["coding"][0]["code"] for r in reports] == [
        "echocardiography",
        "radiograph",
        "ct_myelography",
    ]
    assert "category" not in reports[0] and reports[1]["category"][0]["coding"][0]["code"] == "RAD"


def test_codes_are_never_snomed_or_loinc_unless_verified() -> None:
    bundles = [case_to_bundle(rich()), *(case_to_bundle(load(path)) for path in FIXTURES)]
    systems = {coding["system"] for bundle in bundles for coding in codings(bundle)}
    assert systems <= ALLOWED_SYSTEMS
    assert not any("snomed" in s or "loinc" in s for s in systems - set(VERIFIED_STANDARD_CODES))
    assert all(s.startswith(BASE) for s in systems if "cementwatch" in s)


@pytest.mark.parametrize("name", sorted(LOCAL))
def test_the_local_code_systems_are_valid_code_system_resources(name: str) -> None:
    resource = CodeSystem.model_validate(code_system(name))
    assert resource.url == f"{BASE}/CodeSystem/{name}"
    assert [concept.code for concept in resource.concept or []] == list(LOCAL[name])


@pytest.mark.parametrize(
    ("name", "enum"),
    [
        ("procedure", c.ProcedureKind),
        ("leak-location", c.LeakLocation),
        ("deficit", c.DeficitKind),
        ("treatment", c.TreatmentKind),
        ("modality", c.Modality),
        ("detection-method", c.DetectedBy),
        ("outcome", c.OutcomeStatus),
        ("treatment-status", c.TreatmentStatus),
    ],
)
def test_local_codes_are_exactly_the_contract_enums(name: str, enum: Any) -> None:
    assert set(LOCAL[name]) == {member.value for member in enum}
    assert all(display for display in LOCAL[name].values())


def test_vertebra_codes_are_every_level() -> None:
    assert list(LOCAL["vertebra"]) == list(ALL_LEVELS)


# --- determinism ----------------------------------------------------------------------------------------


def test_export_is_deterministic() -> None:
    first = json.dumps(case_to_bundle(rich(), case_id="r-1"))
    assert json.dumps(case_to_bundle(rich(), case_id="r-1")) == first
    assert json.dumps(case_to_bundle(rich())) == json.dumps(case_to_bundle(rich()))


def test_the_case_id_is_the_identifier_and_seeds_the_uuids() -> None:
    one, two = case_to_bundle(rich(), case_id="a"), case_to_bundle(rich(), case_id="b")
    assert one["identifier"] == {"system": f"{BASE}/case-id", "value": "a"}
    assert one["entry"][0]["fullUrl"] != two["entry"][0]["fullUrl"]
    assert "identifier" not in case_to_bundle(rich())


def test_different_content_gives_different_uuids_without_a_case_id() -> None:
    one = case_to_bundle(c.parse_case({"source": "a"}))
    two = case_to_bundle(c.parse_case({"source": "b"}))
    assert one["id"] != two["id"] and one["entry"][0]["fullUrl"] != two["entry"][0]["fullUrl"]


def test_an_empty_case_is_a_patient_only() -> None:
    bundle = case_to_bundle(c.Case())
    assert [r["resourceType"] for r in resources(bundle)] == ["Patient"]
    assert bundle_to_case(bundle).to_json_dict() == c.Case().to_json_dict()


# --- check_bundle ---------------------------------------------------------------------------------------


REMOVE = object()


def broken(path: str, value: Any) -> dict[str, Any]:
    """The rich bundle with ``path`` (kind.key, first resource of that kind) set to ``value`` or removed."""
    bundle = case_to_bundle(rich())
    kind, key = path.split(".")
    resource = resources(bundle, kind)[0] if kind != "Bundle" else bundle
    if value is REMOVE:
        del resource[key]
    else:
        resource[key] = value
    return bundle


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("Bundle.type", "pile", "bundle-type"),
        ("Procedure.status", "bogus", "event-status"),
        ("Observation.status", "done", "observation-status"),
        ("ImagingStudy.status", "final", "imagingstudy-status"),
        ("DiagnosticReport.status", "done", "diagnostic-report-status"),
        ("Patient.gender", "woman", "administrative-gender"),
        (
            "Condition.verificationStatus",
            {"coding": [{"system": CONDITION_VER_STATUS, "code": "yes"}]},
            "'yes'",
        ),
        ("Condition.verificationStatus", {"coding": [{"system": "urn:x", "code": "confirmed"}]}, "None"),
        ("Condition.clinicalStatus", {"coding": [{"system": CONDITION_CLINICAL, "code": "gone"}]}, "'gone'"),
        (
            "Condition.subject",
            {"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"},
            "does not resolve",
        ),
        ("Condition.code", {"coding": [{"code": "epidural"}]}, "has no system"),
        (
            "Condition.code",
            {"coding": [{"system": system_url("leak-location"), "code": "spinal"}]},
            "'spinal'",
        ),
        (
            "Condition.code",
            {"coding": [{"system": f"{BASE}/CodeSystem/nope", "code": "x"}]},
            "unknown CementWatch",
        ),
        ("ImagingStudy.modality", [{"system": DICOM, "code": "ZZ"}], "DICOM"),
        ("ImagingStudy.modality", [{"code": "CT"}], "has no system"),
    ],
)
def test_check_bundle_reports_broken_bindings(path: str, value: Any, message: str) -> None:
    problems = check_bundle(broken(path, value))
    assert len(problems) == 1, problems
    assert message in problems[0]


def test_check_bundle_reports_entered_in_error_with_a_clinical_status() -> None:
    bundle = broken(
        "Condition.verificationStatus",
        {"coding": [{"system": CONDITION_VER_STATUS, "code": "entered-in-error"}]},
    )
    resources(bundle, "Condition")[0]["clinicalStatus"] = {
        "coding": [{"system": CONDITION_CLINICAL, "code": "active"}]
    }
    assert any("con-5" in p for p in check_bundle(bundle))


def test_check_bundle_reports_duplicate_full_urls_and_non_bundles() -> None:
    bundle = case_to_bundle(rich())
    bundle["entry"][1]["fullUrl"] = bundle["entry"][0]["fullUrl"]
    assert any("used twice" in p for p in check_bundle(bundle))
    assert check_bundle({"resourceType": "Patient"}) == ["(bundle): not a FHIR Bundle"]
    assert any(
        "no resource" in p
        for p in check_bundle({"resourceType": "Bundle", "type": "collection", "entry": [{}]})
    )


def test_check_bundle_finds_a_coding_without_a_system_inside_an_extension() -> None:
    bundle = case_to_bundle(rich())
    leak = resources(bundle, "Condition")[0]
    leak["extension"].append({"url": ext_url("laterality"), "valueCoding": {"code": "left"}})
    assert check_bundle(bundle) and "has no system" in check_bundle(bundle)[0]


# --- reading errors -------------------------------------------------------------------------------------


def without(kind: str) -> dict[str, Any]:
    bundle = case_to_bundle(rich())
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != kind]
    return bundle


def with_code(kind: str, system: str, code: str) -> dict[str, Any]:
    bundle = case_to_bundle(rich())
    resources(bundle, kind)[0]["code"]["coding"] = [{"system": system_url(system), "code": code}]
    return bundle


@pytest.mark.parametrize(
    ("bundle", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a FHIR Bundle"),
        (json.dumps({"resourceType": "Patient"}), "resourceType is 'Patient'"),
        ({"type": "collection"}, "resourceType is None"),
        ({"resourceType": "Bundle", "type": "collection"}, "no Patient"),
        (without("Patient"), "no Patient"),
        (with_code("Condition", "leak-location", "spinal"), "unknown leak-location code 'spinal'"),
        (with_code("Procedure", "procedure", "sacroplasty"), "unknown procedure code 'sacroplasty'"),
        (with_code("Observation", "deficit", "headache"), "unknown deficit code 'headache'"),
        (with_code("DiagnosticReport", "modality", "pet"), "unknown modality code 'pet'"),
        (
            broken("Condition.bodySite", [{"coding": [{"system": system_url("vertebra"), "code": "L9"}]}]),
            "'L9'",
        ),
        (broken("Condition.verificationStatus", None), "verificationStatus None"),
        (
            broken(
                "Condition.verificationStatus",
                {"coding": [{"system": CONDITION_VER_STATUS, "code": "entered-in-error"}]},
            ),
            "entered-in-error",
        ),
        (broken("Observation.valueCodeableConcept", None), "no code from"),
        (broken("Procedure.subject", REMOVE), "invalid FHIR Bundle: entry.2.resource.subject"),
        (broken("Procedure.status", 5), "invalid FHIR Bundle"),
        (broken("Observation.valueInteger", 9), None),
    ],
)
def test_unreadable_bundles_raise_a_fhir_error_naming_the_problem(bundle: Any, message: str | None) -> None:
    with pytest.raises(FhirError) as caught:
        bundle_to_case(bundle)
    assert isinstance(caught.value, ValueError)
    if message:
        assert message in str(caught.value)


def test_two_patients_are_an_error() -> None:
    bundle = case_to_bundle(rich())
    bundle["entry"].append({"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient"}})
    with pytest.raises(FhirError, match="2 Patients"):
        bundle_to_case(bundle)


def test_a_second_asia_grade_is_an_error() -> None:
    bundle = case_to_bundle(rich())
    asia = next(
        e
        for e in bundle["entry"]
        if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "asia-grade"
    )
    bundle["entry"].append(copy.deepcopy(asia))
    with pytest.raises(FhirError, match="second asia-grade"):
        bundle_to_case(bundle)


def test_invalid_case_values_are_reported_as_fhir_errors() -> None:
    bundle = case_to_bundle(c.parse_case({"findings": {"motor_grades": [{"grade": 3}]}}))
    resources(bundle, "Observation")[0]["valueInteger"] = 9
    with pytest.raises(FhirError, match=r"findings\.motor_grades\[0\]\.grade"):
        bundle_to_case(bundle)


def test_resources_without_cementwatch_codes_are_skipped_with_a_warning() -> None:
    bundle = case_to_bundle(c.parse_case({"leaks": [{"location": "venous", "status": "present"}]}))
    foreign = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "blood pressure"},
    }
    bundle["entry"].append({"fullUrl": "urn:uuid:ffffffff-0000-0000-0000-000000000000", "resource": foreign})
    case = bundle_to_case(bundle)
    assert case.leaks[0].location is c.LeakLocation.VENOUS
    assert case.warnings == ["FHIR import skipped resources without CementWatch codes: Observation ×1"]


def test_a_non_finite_number_cannot_be_written() -> None:
    case = c.parse_case({"imaging": [{"modality": "ct", "day": 1.0}]})
    case.imaging[0].day = float("inf")
    with pytest.raises(FhirError, match="finite"):
        case_to_bundle(case)


def test_an_integer_beyond_32_bits_cannot_be_written() -> None:
    case = c.parse_case({"patient": {"age_range": [60, 2**31]}})
    with pytest.raises(FhirError, match="cannot be written as FHIR"):
        case_to_bundle(case)


# --- NDJSON ---------------------------------------------------------------------------------------------


def test_write_and_read_bundles_round_trip() -> None:
    cases = [load(path) for path in FIXTURES[:5]] + [rich()]
    stream = io.StringIO()
    assert write_bundles([*cases[:-1], ("rich-1", cases[-1])], stream) == len(cases)
    text = stream.getvalue()
    assert len(text.splitlines()) == len(cases)  # U+2028/2029 in the rich case stay escaped
    assert json.loads(text.splitlines()[-1])["identifier"]["value"] == "rich-1"
    back = list(read_bundles(io.StringIO(text)))
    assert [b.to_json_dict() for b in back if isinstance(b, c.Case)] == [x.to_json_dict() for x in cases]


def test_a_bad_line_is_an_error_with_its_number_and_the_rest_goes_on() -> None:
    good = io.StringIO()
    write_bundles([rich(), c.Case()], good)
    first, second = good.getvalue().splitlines()
    patient_only = json.dumps({"resourceType": "Bundle", "type": "collection"})
    lines = [first, "{oops", "", patient_only, second]
    results = list(read_bundles(io.StringIO("\n".join(lines) + "\n")))
    assert len(results) == 4
    assert isinstance(results[0], c.Case) and isinstance(results[3], c.Case)
    errors = [r for r in results if isinstance(r, FhirError)]
    assert [e.line for e in errors] == [2, 4]
    assert str(errors[0]).startswith("line 2: not JSON") and "no Patient" in str(errors[1])


# --- properties -----------------------------------------------------------------------------------------

INT32 = 2**31 - 1
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
texts = st.text(max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | finite | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
extras = st.dictionaries(texts.map(lambda key: f"x_{key}"), json_values, max_size=2)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def enum(kind: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in kind])


@st.composite
def spans(draw: st.DrawFn) -> dict[str, Any]:
    start, end = sorted(draw(st.lists(st.integers(0, INT32), min_size=2, max_size=2)))
    return {**draw(extras), "start": start, "end": end, "text": draw(optional(texts))}


def item(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    evidence = st.lists(spans(), max_size=2)
    return st.tuples(extras, st.fixed_dictionaries(fields, optional={"evidence": evidence})).map(
        lambda pair: {**pair[0], **pair[1]}
    )


levels = st.lists(st.sampled_from(ALL_LEVELS), max_size=3)
cases = st.builds(
    lambda top, **parts: c.parse_case({**top, **parts}),
    extras,
    source=optional(texts),
    patient=item(
        age=optional(st.integers(0, 120)),
        age_range=optional(st.lists(st.integers(-INT32, INT32), min_size=2, max_size=2)),
        sex=optional(enum(c.Sex)),
    ),
    procedures=st.lists(
        item(
            kind=enum(c.ProcedureKind),
            levels=levels,
            indication=optional(enum(c.Indication)),
            approach=optional(enum(c.Approach)),
            cement_material=optional(enum(c.CementMaterial)),
            cement_viscosity=optional(enum(c.Viscosity)),
            cement_volume_ml=optional(st.floats(0, 1e6)),
            historical=st.booleans(),
        ),
        max_size=2,
    ),
    leaks=st.lists(
        item(
            location=enum(c.LeakLocation),
            status=enum(c.Status),
            levels=levels,
            side=optional(enum(c.Side)),
            route=optional(enum(c.Route)),
            detected_by=optional(enum(c.DetectedBy)),
            central=optional(st.booleans()),
        ),
        max_size=3,
    ),
    findings=st.tuples(
        extras,
        st.fixed_dictionaries(
            {
                "deficits": st.lists(
                    item(
                        kind=enum(c.DeficitKind),
                        status=enum(c.Status),
                        side=optional(enum(c.Side)),
                        progressive=optional(st.booleans()),
                    ),
                    max_size=3,
                ),
                "motor_grades": st.lists(
                    item(
                        grade=st.integers(0, 5),
                        muscle=optional(texts),
                        side=optional(enum(c.Side)),
                        modifier=optional(st.sampled_from(["+", "-"])),
                    ),
                    max_size=3,
                ),
                "asia_grade": optional(st.sampled_from("ABCDE")),
                "pain_nrs": optional(st.floats(0, 10)),
            }
        ),
    ).map(lambda pair: {**pair[0], **pair[1]}),
    imaging=st.lists(item(modality=enum(c.Modality), day=optional(finite)), max_size=2),
    treatments=st.lists(
        item(kind=enum(c.TreatmentKind), status=enum(c.TreatmentStatus), levels=levels, day=optional(finite)),
        max_size=3,
    ),
    timeline=st.tuples(
        extras,
        st.fixed_dictionaries({name: optional(finite) for name in c.Timeline.model_fields}),
    ).map(lambda pair: {**pair[0], **pair[1]}),
    outcome=item(status=optional(enum(c.OutcomeStatus)), detail=optional(texts)),
    warnings=st.lists(texts, max_size=2),
    citation=optional(
        st.tuples(
            extras, st.fixed_dictionaries({"text": texts, "ref": optional(texts), "case_id": optional(texts)})
        ).map(lambda pair: {**pair[0], **pair[1]})
    ),
    notes=optional(texts),
)

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(cases)
def test_property_any_valid_case_round_trips(case: c.Case) -> None:
    bundle = case_to_bundle(case)
    assert bundle_to_case(json.dumps(bundle)).to_json_dict() == case.to_json_dict()


@PROPERTY
@given(cases)
def test_property_every_bundle_is_valid_checked_and_stable(case: c.Case) -> None:
    bundle = case_to_bundle(case)
    Bundle.model_validate(bundle)
    assert check_bundle(bundle) == []
    assert json.dumps(case_to_bundle(case)) == json.dumps(bundle)
    assert {coding["system"] for coding in codings(bundle)} <= ALLOWED_SYSTEMS


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(paths(value, (*prefix, i)))
    return out


DAMAGED_BASE = case_to_bundle(c.parse_case(copy.deepcopy(RICH)))
DELETE = object()


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(paths(DAMAGED_BASE)), st.sampled_from([DELETE, None, "x", 7, -1.5, True, [], {}, [{}]])
)
def test_property_a_damaged_bundle_reads_or_raises_fhir_error_only(path: tuple[Any, ...], value: Any) -> None:
    bundle = copy.deepcopy(DAMAGED_BASE)
    parent = bundle
    for step in path[:-1]:
        parent = parent[step]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    assert isinstance(check_bundle(bundle), list)  # never raises either
    try:
        result = bundle_to_case(bundle)
    except FhirError:
        return
    assert isinstance(result, c.Case)
