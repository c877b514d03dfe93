"""The vocabularies of CementWatch's FHIR R4B exchange, and the value-set checks the library does not do.

Every CementWatch concept is a code in a *local* code system,
``https://cementwatch.example/fhir/CodeSystem/<name>``, whose codes are exactly the case contract's enum
values. No SNOMED CT or LOINC code is used: the evidence brief (§9.4) verified none for vertebroplasty,
kyphoplasty, cement leakage or the findings here, and ``VERIFIED_STANDARD_CODES`` stays empty until one
is. FHIR's own code systems (statuses, gender, observation category and interpretation), DICOM modality
codes and UCUM units are used with their real URLs.

:func:`check_bundle` checks the required bindings a bundle uses, that references resolve inside it, that
every coding names its system, and that local codes exist. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from enum import StrEnum
from typing import Any, Final

from cementwatch import case as c
from cementwatch.levels import ALL_LEVELS

__all__ = [
    "BASE",
    "CONDITION_CLINICAL",
    "CONDITION_DUE_TO",
    "CONDITION_VER_STATUS",
    "DICOM",
    "DICOM_MODALITY",
    "FHIR_VALUE_SETS",
    "INTERPRETATION",
    "LOCAL",
    "OBSERVATION_CATEGORY",
    "OBSERVATION_INTERPRETATION",
    "TREATMENT_STATUS",
    "UCUM",
    "V2_0074",
    "VERIFICATION",
    "VERIFIED_STANDARD_CODES",
    "check_bundle",
    "code_system",
    "ext_url",
    "system_url",
]

BASE: Final = "https://cementwatch.example/fhir"
CONDITION_VER_STATUS: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
OBSERVATION_INTERPRETATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
V2_0074: Final = "http://terminology.hl7.org/CodeSystem/v2-0074"
DICOM: Final = "http://dicom.nema.org/resources/ontology/DCM"
UCUM: Final = "http://unitsofmeasure.org"
CONDITION_DUE_TO: Final = "http://hl7.org/fhir/StructureDefinition/condition-dueTo"

# Standard codes (system -> codes) the evidence brief marks verified *and* that a case can be mapped to
# without guessing. Empty: SNOMED CT is unverified throughout; the verified ICD-10-CM cement-embolism
# codes (I26.03, I26.95) depend on cor pulmonale, which a case does not record.
VERIFIED_STANDARD_CODES: Final[dict[str, frozenset[str]]] = {}

# DICOM acquisition modality for each CementWatch modality (radiograph: DX, digital radiography; the
# local code keeps the exact modality, e.g. CT myelography versus plain CT).
DICOM_MODALITY: Final = {
    c.Modality.RADIOGRAPH: "DX",
    c.Modality.FLUOROSCOPY: "RF",
    c.Modality.CT: "CT",
    c.Modality.MRI: "MR",
    c.Modality.CT_MYELOGRAPHY: "CT",
    c.Modality.CT_ANGIOGRAPHY: "CT",
    c.Modality.ECHOCARDIOGRAPHY: "US",
}
_DICOM_DISPLAY: Final = {
    "CT": "Computed Tomography",
    "MR": "Magnetic Resonance",
    "CR": "Computed Radiography",
    "DX": "Digital Radiography",
    "XA": "X-Ray Angiography",
    "RF": "Radio Fluoroscopy",
    "US": "Ultrasound",
}


# Required bindings (FHIR R4/R4B value sets) checked by check_bundle.
# How the case's statuses map onto FHIR's (reversible: fhir_read.py holds the inverse).
VERIFICATION: Final = {"present": "confirmed", "possible": "provisional", "absent": "refuted"}
INTERPRETATION: Final = {
    "present": ("POS", "Positive"),
    "absent": ("NEG", "Negative"),
    "possible": ("IND", "Indeterminate"),
}
TREATMENT_STATUS: Final = {
    "done": "completed",
    "planned": "preparation",
    "recommended": "preparation",  # told apart from planned by the treatment-status extension
    "declined": "not-done",  # with statusReason treatment-status#declined
    "absent": "not-done",
}


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split(" "))


FHIR_VALUE_SETS: Final[dict[str, frozenset[str]]] = {
    "bundle-type": _codes(
        "document message transaction transaction-response batch batch-response history searchset collection"
    ),
    "event-status": _codes(
        "preparation in-progress not-done on-hold stopped completed entered-in-error unknown"
    ),
    "observation-status": _codes(
        "registered preliminary final amended corrected cancelled entered-in-error unknown"
    ),
    "condition-ver-status": _codes("unconfirmed provisional differential confirmed refuted entered-in-error"),
    "condition-clinical": _codes("active recurrence relapse inactive remission resolved"),
    "administrative-gender": _codes("male female other unknown"),
    "imagingstudy-status": _codes("registered available cancelled entered-in-error unknown"),
    "diagnostic-report-status": _codes(
        "registered partial preliminary final amended corrected appended cancelled entered-in-error unknown"
    ),
}


def _table(enum: type[StrEnum], displays: Mapping[str, str] | None = None) -> dict[str, str]:
    displays = displays or {}
    return {m.value: displays.get(m.value, m.value.replace("_", " ").capitalize()) for m in enum}


# name -> {code: display}. Codes are the contract's enum values; the displays are ours.
LOCAL: Final[dict[str, dict[str, str]]] = {
    "procedure": _table(
        c.ProcedureKind,
        {
            "vertebroplasty": "Percutaneous vertebroplasty",
            "kyphoplasty": "Kyphoplasty (cavity-creating vertebral augmentation)",
            "other_augmentation": "Other vertebral augmentation",
        },
    ),
    "indication": _table(
        c.Indication,
        {
            "osteoporotic": "Osteoporotic vertebral fracture",
            "metastatic": "Vertebral metastasis",
            "myeloma": "Multiple myeloma",
            "hemangioma": "Vertebral hemangioma",
            "traumatic": "Traumatic vertebral fracture",
            "other": "Other indication",
        },
    ),
    "approach": _table(
        c.Approach, {"unilateral": "Unipedicular approach", "bilateral": "Bipedicular approach"}
    ),
    "cement-material": _table(
        c.CementMaterial,
        {"pmma": "Polymethyl methacrylate (PMMA) cement", "calcium_phosphate": "Calcium phosphate cement"},
    ),
    "cement-viscosity": _table(c.Viscosity, {"high": "High-viscosity cement", "low": "Low-viscosity cement"}),
    "vertebra": {level: ("Coccyx" if level == "Co" else f"Vertebra {level}") for level in ALL_LEVELS},
    "leak-location": _table(
        c.LeakLocation,
        {
            "intradural": "Intradural cement leakage",
            "epidural": "Epidural (spinal canal) cement leakage",
            "foraminal": "Foraminal cement leakage",
            "intradiscal": "Intradiscal cement leakage",
            "paravertebral": "Paravertebral cement leakage",
            "venous": "Venous cement leakage",
            "pulmonary": "Pulmonary cement embolism",
            "cardiac": "Intracardiac cement",
            "other": "Other cement leakage",
        },
    ),
    "leak-route": _table(
        c.Route,
        {
            "B": "Via the basivertebral vein (Yeom type B)",
            "S": "Via a segmental vein (Yeom type S)",
            "C": "Through a cortical defect (Yeom type C)",
        },
    ),
    "detection-method": _table(
        c.DetectedBy,
        {"ct": "CT", "mri": "MRI", "ct_myelography": "CT myelography", "ct_angiography": "CT angiography"},
    ),
    "side": _table(c.Side),
    "finding-status": _table(
        c.Status,
        {"present": "Present (asserted)", "absent": "Absent (denied)", "possible": "Possible (hedged)"},
    ),
    "deficit": _table(c.DeficitKind, {"paraparesis": "Paraparesis", "cauda_equina": "Cauda equina syndrome"}),
    "modality": _table(
        c.Modality,
        {"ct": "CT", "mri": "MRI", "ct_myelography": "CT myelography", "ct_angiography": "CT angiography"},
    ),
    "treatment": _table(
        c.TreatmentKind,
        {
            "nerve_block": "Nerve root block",
            "cement_removal": "Removal of leaked cement",
            "instrumented_fusion": "Instrumented fusion",
            "endovascular_retrieval": "Endovascular retrieval of cement",
        },
    ),
    "treatment-status": _table(c.TreatmentStatus, {"absent": "Explicitly not done"}),
    "outcome": _table(c.OutcomeStatus, {"full_recovery": "Full recovery"}),
    "asia-impairment-scale": {
        "A": "A: complete",
        "B": "B: sensory incomplete",
        "C": "C: motor incomplete, most key muscles below grade 3",
        "D": "D: motor incomplete, most key muscles grade 3 or more",
        "E": "E: normal",
    },
    "observation": {
        "motor-grade": "Muscle strength, MRC grade 0-5",
        "asia-grade": "ASIA impairment scale grade",
        "pain-nrs": "Pain, numeric rating scale 0-10",
        "timeline": "Timeline in days from the index augmentation (day 0)",
        "symptom_onset_days": "Days to symptom onset",
        "presentation_days": "Days to presentation",
        "treatment_days": "Days to treatment",
        "followup_days": "Days to last follow-up",
        "outcome": "Outcome of the episode",
    },
    "record": {"case": "CementWatch case record (source, citation, notes, warnings)"},
}


def system_url(name: str) -> str:
    """The URL of the local code system ``name`` (a key of :data:`LOCAL`)."""
    return f"{BASE}/CodeSystem/{name}"


def ext_url(name: str) -> str:
    """The URL of the CementWatch extension ``name``."""
    return f"{BASE}/StructureDefinition/{name}"


_LOCAL_BY_URL: Final = {system_url(name): table for name, table in LOCAL.items()}


def code_system(name: str) -> dict[str, Any]:
    """The local code system ``name`` as a FHIR R4B CodeSystem resource (JSON-ready)."""
    from fhir.resources.R4B.codesystem import CodeSystem, CodeSystemConcept

    resource = CodeSystem(
        id=f"cementwatch-{name}",
        url=system_url(name),
        name="CementWatch" + "".join(part.capitalize() for part in name.split("-")),
        status="draft",
        content="complete",
        caseSensitive=True,
        concept=[CodeSystemConcept(code=code, display=display) for code, display in LOCAL[name].items()],
    )
    return resource.model_dump(mode="json", exclude_none=True)


# --- checks -------------------------------------------------------------------------------------------

_STATUS_BINDINGS: Final = {
    "Procedure": "event-status",
    "Observation": "observation-status",
    "ImagingStudy": "imagingstudy-status",
    "DiagnosticReport": "diagnostic-report-status",
}


def _in(value: Any, allowed: Collection[str]) -> bool:
    return isinstance(value, str) and value in allowed


def _walk(node: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) for every key of every object under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, f"{path}[{i}]")


def _codings(resource: dict[str, Any], where: str) -> Iterator[tuple[str, Any]]:
    for path, key, value in _walk(resource, where):
        if key == "coding" and isinstance(value, list):
            yield from ((f"{path}.coding[{i}]", item) for i, item in enumerate(value))
        elif key == "valueCoding" or (key == "modality" and resource.get("resourceType") == "ImagingStudy"):
            items = value if isinstance(value, list) else [value]
            yield from ((f"{path}.{key}", item) for item in items)


def _check_coding(where: str, coding: Any) -> list[str]:
    if not isinstance(coding, dict):
        return [f"{where}: a coding is an object"]
    system, code = coding.get("system"), coding.get("code")
    if not system:
        return [f"{where}: coding {code!r} has no system"]
    if not isinstance(system, str):
        return [f"{where}: system {system!r} is not a string"]
    if system in _LOCAL_BY_URL and not _in(code, _LOCAL_BY_URL[system]):
        return [f"{where}: {code!r} is not a code of {system}"]
    if system.startswith(f"{BASE}/CodeSystem/") and system not in _LOCAL_BY_URL:
        return [f"{where}: unknown CementWatch code system {system}"]
    if system == DICOM and not _in(code, _DICOM_DISPLAY):
        return [f"{where}: {code!r} is not a DICOM modality CementWatch uses"]
    return []


def _concept_codes(concept: Any, system: str) -> list[Any]:
    if not isinstance(concept, dict):
        return [concept]
    listed = concept.get("coding")
    listed = listed if isinstance(listed, list) else []
    codings = [x for x in listed if isinstance(x, dict) and x.get("system") == system]
    return [x.get("code") for x in codings] or [None]


def _check_resource(resource: dict[str, Any], where: str) -> list[str]:
    kind = resource.get("resourceType")
    problems: list[str] = []
    binding = _STATUS_BINDINGS.get(str(kind))
    if binding and not _in(resource.get("status"), FHIR_VALUE_SETS[binding]):
        problems.append(f"{where}.status: {resource.get('status')!r} is not in {binding}")
    if (
        kind == "Patient"
        and "gender" in resource
        and not _in(resource["gender"], FHIR_VALUE_SETS["administrative-gender"])
    ):
        problems.append(f"{where}.gender: {resource['gender']!r} is not in administrative-gender")
    if kind == "Condition":
        for key, system, value_set in (
            ("verificationStatus", CONDITION_VER_STATUS, "condition-ver-status"),
            ("clinicalStatus", CONDITION_CLINICAL, "condition-clinical"),
        ):
            if key in resource:
                for code in _concept_codes(resource[key], system):
                    if not _in(code, FHIR_VALUE_SETS[value_set]):
                        problems.append(f"{where}.{key}: {code!r} is not a {system} code")
        erroneous = "entered-in-error" in _concept_codes(
            resource.get("verificationStatus"), CONDITION_VER_STATUS
        )
        if erroneous and "clinicalStatus" in resource:
            problems.append(f"{where}: clinicalStatus must be absent when entered-in-error (con-5)")
    for path, coding in _codings(resource, where):
        problems.extend(_check_coding(path, coding))
    return problems


def check_bundle(bundle: dict[str, Any]) -> list[str]:
    """Problems with ``bundle`` (a decoded FHIR Bundle) as ``path: message`` lines; empty when it passes.

    Checked: Bundle.type (bundle-type); Procedure, Observation, ImagingStudy and DiagnosticReport
    status; Condition verificationStatus and clinicalStatus; Patient.gender; every reference resolves to
    an entry of the bundle; every coding has a system; CementWatch codes exist in their code system.
    """
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return ["(bundle): not a FHIR Bundle"]
    problems: list[str] = []
    if not _in(bundle.get("type"), FHIR_VALUE_SETS["bundle-type"]):
        problems.append(f"Bundle.type: {bundle.get('type')!r} is not in bundle-type")
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        return [*problems, "Bundle.entry: not a list"]
    targets: set[str] = set()
    for i, entry in enumerate(entries):
        url = entry.get("fullUrl") if isinstance(entry, dict) else None
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(url, str) and url in targets:
            problems.append(f"entry[{i}].fullUrl: {url!r} is used twice")
        if isinstance(url, str):
            targets.add(url)
        if isinstance(resource, dict) and isinstance(resource.get("id"), str):
            targets.add(f"{resource.get('resourceType')}/{resource['id']}")
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            problems.append(f"entry[{i}]: no resource")
            continue
        where = f"entry[{i}].{resource.get('resourceType')}"
        problems.extend(_check_resource(resource, where))
        for path, key, value in _walk(resource, where):
            unresolved = isinstance(value, str) and value not in targets and not value.startswith("#")
            if key == "reference" and unresolved:
                problems.append(f"{path}.reference: {value!r} does not resolve inside the bundle")
    return problems
