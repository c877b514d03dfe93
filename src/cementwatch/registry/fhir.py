"""FHIR R4B exchange for cases: a :class:`~cementwatch.case.Case` to a Bundle and back, losing nothing.

A case becomes a ``collection`` Bundle built with the ``fhir.resources`` R4B models: a Patient, a
Procedure per augmentation, a Condition per leak, Observations for deficits, motor grades, the ASIA grade,
pain, the timeline and the outcome, an ImagingStudy and a DiagnosticReport per imaging item, a Procedure
per treatment, and a Basic "case record" for what belongs to the case itself (source, citation, notes,
warnings). Codes come from local code systems (:mod:`cementwatch.registry.fhir_codes`); what FHIR has no
element for is carried by ``https://cementwatch.example/fhir/StructureDefinition/<name>`` extensions,
including evidence spans and extra properties. ``docs/fhir.md`` has the mapping table.

Entries reference each other by ``urn:uuid:`` fullUrls made with uuid5 from the case id (or, without
one, the case's content), so the same case always exports to the same JSON.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any, Final

from fhir.resources.R4B.age import Age
from fhir.resources.R4B.basic import Basic
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.imagingstudy import ImagingStudy
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from cementwatch import case as c
from cementwatch.registry.fhir_codes import (
    BASE,
    CONDITION_DUE_TO,
    CONDITION_VER_STATUS,
    DICOM,
    DICOM_MODALITY,
    INTERPRETATION,
    LOCAL,
    OBSERVATION_CATEGORY,
    OBSERVATION_INTERPRETATION,
    TREATMENT_STATUS,
    UCUM,
    V2_0074,
    VERIFICATION,
    check_bundle,
    ext_url,
    system_url,
)
from cementwatch.registry.fhir_read import FhirError, bundle_to_case

__all__ = [
    "CASE_ID_SYSTEM",
    "FhirError",
    "bundle_to_case",
    "case_to_bundle",
    "check_bundle",
    "read_bundles",
    "write_bundles",
]

CASE_ID_SYSTEM: Final = f"{BASE}/case-id"
_FHIR_STRING: Final = re.compile(r"[ \r\n\t\S]")  # a FHIR string holds one such character at least
_EXAM: Final = CodeableConcept(coding=[Coding(system=OBSERVATION_CATEGORY, code="exam", display="Exam")])
_RADIOLOGY: Final = CodeableConcept(coding=[Coding(system=V2_0074, code="RAD", display="Radiology")])


def _coding(system: str, code: str) -> Coding:
    return Coding(system=system_url(system), code=code, display=LOCAL[system][code])


def _concept(system: str, code: str) -> CodeableConcept:
    return CodeableConcept(coding=[_coding(system, code)])


def _ext(name: str, **value: Any) -> Extension:
    return Extension(url=ext_url(name), **value)


def _string(url: str, text: str) -> Extension:
    """A string extension; a text FHIR cannot hold (empty, odd whitespace only) goes JSON-encoded."""
    if _FHIR_STRING.search(text):
        return Extension(url=url, valueString=text)
    return Extension(url=url, extension=[Extension(url="json", valueString=json.dumps(text))])


def _decimal(value: float) -> Decimal:
    if not math.isfinite(value):
        raise FhirError(f"{value} is not a finite number; FHIR decimals cannot hold it")
    return Decimal(repr(value))


def _days(value: float) -> Quantity:
    return Quantity(value=_decimal(value), unit="days", system=UCUM, code="d")


def _extras(model: BaseModel, url: str) -> list[Extension]:
    if not model.model_extra:
        return []
    text = json.dumps(to_jsonable_python(model.model_extra), ensure_ascii=False)
    return [Extension(url=url, valueString=text)]


def _tail(model: BaseModel) -> list[Extension]:
    """The evidence spans and extra properties of ``model`` as extensions."""
    out: list[Extension] = []
    for span in getattr(model, "evidence", []):
        parts = [Extension(url="start", valueInteger=span.start), Extension(url="end", valueInteger=span.end)]
        if span.text is not None:
            parts.append(_string("text", span.text))
        out.append(_ext("evidence", extension=parts + _extras(span, "extras")))
    return out + _extras(model, ext_url("extras"))


def _coded(name: str, system: str, value: str | None) -> list[Extension]:
    return [] if value is None else [_ext(name, valueCoding=_coding(system, value))]


def _sites(levels: list[str]) -> list[CodeableConcept]:
    return [CodeableConcept(coding=[_coding("vertebra", level)], text=level) for level in levels]


class _Writer:
    def __init__(self, case: c.Case, case_id: str | None) -> None:
        key = case_id if case_id is not None else hashlib.sha256(_canonical(case).encode()).hexdigest()
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/case/{key}")
        self.case, self.case_id = case, case_id
        self.entries: list[BundleEntry] = []
        self.patient = self.ref("Patient")

    def ref(self, name: str) -> Reference:
        return Reference(reference=f"urn:uuid:{uuid.uuid5(self.namespace, name)}")

    def add(self, name: str, resource: Resource) -> None:
        resource.id = str(uuid.uuid5(self.namespace, name))
        self.entries.append(BundleEntry(fullUrl=f"urn:uuid:{resource.id}", resource=resource))

    def observation(self, name: str, code: str, extension: list[Extension], **fields: Any) -> None:
        self.add(
            name,
            Observation(
                status="final",
                code=_concept("observation", code),
                subject=self.patient,
                extension=extension,
                **fields,
            ),
        )

    def bundle(self) -> dict[str, Any]:
        case = self.case
        self._patient(case.patient)
        self._record()
        index = next((i for i, p in enumerate(case.procedures) if not p.historical), 0)
        for i, proc in enumerate(case.procedures):
            self._augmentation(i, proc, index)
        for i, leak in enumerate(case.leaks):
            self._leak(i, leak, index)
        self._findings(case.findings)
        self._timeline(case.timeline)
        self._outcome(case.outcome)
        for i, item in enumerate(case.imaging):
            self._imaging(i, item)
        for i, treatment in enumerate(case.treatments):
            self._treatment(i, treatment)
        identifier = None if self.case_id is None else Identifier(system=CASE_ID_SYSTEM, value=self.case_id)
        bundle = Bundle(id=str(self.namespace), identifier=identifier, type="collection", entry=self.entries)
        return bundle.model_dump(mode="json", exclude_none=True)

    def _patient(self, p: c.Patient) -> None:
        exts: list[Extension] = []
        if p.age is not None:
            exts.append(_ext("age", valueAge=Age(value=p.age, unit="years", system=UCUM, code="a")))
        if p.age_range is not None:
            bounds = [
                Extension(url=k, valueInteger=v) for k, v in zip(("low", "high"), p.age_range, strict=True)
            ]
            exts.append(_ext("age-range", extension=bounds))
        gender = None if p.sex is None else p.sex.value
        self.add("Patient", Patient(gender=gender, extension=exts + _tail(p)))

    def _record(self) -> None:
        case = self.case
        exts = [] if case.source is None else [_string(ext_url("source"), case.source)]
        exts += [_string(ext_url("warning"), warning) for warning in case.warnings]
        if case.notes is not None:
            exts.append(_string(ext_url("notes"), case.notes))
        if case.citation is not None:
            cite = case.citation
            parts = [_string("text", cite.text)]
            parts += [] if cite.ref is None else [_string("ref", cite.ref)]
            parts += [] if cite.case_id is None else [_string("case-id", cite.case_id)]
            exts.append(_ext("citation", extension=parts + _extras(cite, "extras")))
        exts += _extras(case, ext_url("extras")) + _extras(case.findings, ext_url("findings-extras"))
        if exts:
            self.add(
                "Basic/case", Basic(code=_concept("record", "case"), subject=self.patient, extension=exts)
            )

    def _augmentation(self, i: int, p: c.Procedure, index: int) -> None:
        exts = _coded("approach", "approach", p.approach) + _coded(
            "cement-viscosity", "cement-viscosity", p.cement_viscosity
        )
        if p.cement_volume_ml is not None:
            volume = Quantity(value=_decimal(p.cement_volume_ml), unit="mL", system=UCUM, code="mL")
            exts.append(_ext("cement-volume", valueQuantity=volume))
        if p.historical:
            exts.append(_ext("historical", valueBoolean=True))
        leaks = [
            f"Condition/{k}" for k, leak in enumerate(self.case.leaks) if leak.status is not c.Status.ABSENT
        ]
        resource = Procedure(
            status="completed",
            code=_concept("procedure", p.kind),
            subject=self.patient,
            bodySite=_sites(p.levels),
            reasonCode=[] if p.indication is None else [_concept("indication", p.indication)],
            usedCode=[] if p.cement_material is None else [_concept("cement-material", p.cement_material)],
            complicationDetail=[self.ref(name) for name in leaks] if i == index else [],
            extension=exts + _tail(p),
        )
        self.add(f"Procedure/{i}", resource)

    def _leak(self, i: int, leak: c.Leak, index: int) -> None:
        exts = (
            []
            if not self.case.procedures
            else [Extension(url=CONDITION_DUE_TO, valueReference=self.ref(f"Procedure/{index}"))]
        )
        exts += _coded("laterality", "side", leak.side) + _coded("leak-route", "leak-route", leak.route)
        exts += _coded("detected-by", "detection-method", leak.detected_by)
        if leak.central is not None:
            exts.append(_ext("central-pulmonary", valueBoolean=leak.central))
        code = VERIFICATION[leak.status]
        status = Coding(system=CONDITION_VER_STATUS, code=code, display=code.capitalize())
        resource = Condition(
            code=_concept("leak-location", leak.location),
            verificationStatus=CodeableConcept(coding=[status]),
            subject=self.patient,
            bodySite=_sites(leak.levels),
            extension=exts + _tail(leak),
        )
        self.add(f"Condition/{i}", resource)

    def _findings(self, f: c.Findings) -> None:
        for i, d in enumerate(f.deficits):
            code, display = INTERPRETATION[d.status]
            interpretation = CodeableConcept(
                coding=[Coding(system=OBSERVATION_INTERPRETATION, code=code, display=display)]
            )
            exts = _coded("laterality", "side", d.side)
            exts += [] if d.progressive is None else [_ext("progressive", valueBoolean=d.progressive)]
            resource = Observation(
                status="final",
                category=[_EXAM],
                code=_concept("deficit", d.kind),
                subject=self.patient,
                valueCodeableConcept=_concept("finding-status", d.status),
                interpretation=[interpretation],
                extension=exts + _tail(d),
            )
            self.add(f"Observation/deficit/{i}", resource)
        for i, g in enumerate(f.motor_grades):
            exts = _coded("laterality", "side", g.side)
            exts += [] if g.modifier is None else [_ext("mrc-modifier", valueCode=g.modifier)]
            muscle = g.muscle if g.muscle is not None and _FHIR_STRING.search(g.muscle) else None
            if g.muscle is not None and muscle is None:
                exts.append(_string(ext_url("muscle"), g.muscle))
            site = None if muscle is None else CodeableConcept(text=muscle)
            self.observation(
                f"Observation/motor/{i}",
                "motor-grade",
                exts + _tail(g),
                category=[_EXAM],
                valueInteger=g.grade,
                bodySite=site,
            )
        if f.asia_grade is not None:
            asia = _concept("asia-impairment-scale", f.asia_grade)
            self.observation(
                "Observation/asia", "asia-grade", [], category=[_EXAM], valueCodeableConcept=asia
            )
        if f.pain_nrs is not None:
            pain = Quantity(value=_decimal(f.pain_nrs), unit="score", system=UCUM, code="{score}")
            self.observation("Observation/pain", "pain-nrs", [], category=[_EXAM], valueQuantity=pain)

    def _timeline(self, t: c.Timeline) -> None:
        days = {name: getattr(t, name) for name in type(t).model_fields}
        components = [
            ObservationComponent(code=_concept("observation", name), valueQuantity=_days(value))
            for name, value in days.items()
            if value is not None
        ]
        if components or t.model_extra:
            self.observation("Observation/timeline", "timeline", _tail(t), component=components)

    def _outcome(self, o: c.Outcome) -> None:
        if o.status is None and o.detail is None and not o.evidence and not o.model_extra:
            return
        exts = _tail(o)
        text = o.detail if o.detail is not None and _FHIR_STRING.search(o.detail) else None
        if o.detail is not None and text is None:
            exts.append(_string(ext_url("outcome-detail"), o.detail))
        codings = [] if o.status is None else [_coding("outcome", o.status)]
        value = CodeableConcept(coding=codings, text=text) if codings or text else None
        self.observation("Observation/outcome", "outcome", exts, valueCodeableConcept=value)

    def _imaging(self, i: int, item: c.Imaging) -> None:
        dicom = DICOM_MODALITY[item.modality]
        study = ImagingStudy(
            status="unknown",
            subject=self.patient,
            modality=[Coding(system=DICOM, code=dicom)],
            procedureCode=[_concept("modality", item.modality)],
        )
        self.add(f"ImagingStudy/{i}", study)
        exts = [] if item.day is None else [_ext("day", valueDecimal=_decimal(item.day))]
        report = DiagnosticReport(
            status="final",
            category=[] if item.modality is c.Modality.ECHOCARDIOGRAPHY else [_RADIOLOGY],
            code=_concept("modality", item.modality),
            subject=self.patient,
            imagingStudy=[self.ref(f"ImagingStudy/{i}")],
            extension=exts + _tail(item),
        )
        self.add(f"DiagnosticReport/{i}", report)

    def _treatment(self, i: int, t: c.Treatment) -> None:
        exts = _coded("treatment-status", "treatment-status", t.status)
        exts += [] if t.day is None else [_ext("day", valueDecimal=_decimal(t.day))]
        declined = t.status is c.TreatmentStatus.DECLINED
        resource = Procedure(
            status=TREATMENT_STATUS[t.status],
            statusReason=_concept("treatment-status", t.status) if declined else None,
            code=_concept("treatment", t.kind),
            subject=self.patient,
            bodySite=_sites(t.levels),
            extension=exts + _tail(t),
        )
        self.add(f"Procedure/treatment/{i}", resource)


def _canonical(case: c.Case) -> str:
    return json.dumps(case.to_json_dict(), sort_keys=True, ensure_ascii=False)


def case_to_bundle(case: c.Case, *, case_id: str | None = None) -> dict[str, Any]:
    """``case`` as a FHIR R4B ``collection`` Bundle (decoded JSON); the same input gives the same output.

    ``case_id`` (e.g. the registry's id) becomes the Bundle's identifier and seeds the entries' uuids;
    without it they are derived from the case's content. Raises :class:`FhirError` for a value FHIR
    cannot hold (a non-finite number, an integer beyond 32 bits).
    """
    try:
        return _Writer(case, case_id).bundle()
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise FhirError(
            f"the case cannot be written as FHIR: {error.title}.{where}: {first['msg']}"
        ) from None


def _line(bundle: dict[str, Any]) -> str:
    text = json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))
    # characters some line splitters break on; inside JSON they can only be in strings, so escape them
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def write_bundles(cases: Iterable[c.Case | tuple[str, c.Case]], stream: IO[str]) -> int:
    """Write one Bundle per line (NDJSON); items are cases or ``(case_id, case)`` pairs. Returns the count."""
    count = 0
    for item in cases:
        case_id, case = item if isinstance(item, tuple) else (None, item)
        stream.write(_line(case_to_bundle(case, case_id=case_id)) + "\n")
        count += 1
    return count


def read_bundles(stream: Iterable[str]) -> Iterator[c.Case | FhirError]:
    """Read NDJSON Bundles: a :class:`Case` per line, or a :class:`FhirError` carrying the line number.

    Blank lines are skipped; a bad line does not stop the rest.
    """
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield bundle_to_case(line)
        except FhirError as error:
            yield FhirError(error.message, line=number)
