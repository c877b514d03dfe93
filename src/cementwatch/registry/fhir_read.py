"""Read a CementWatch FHIR R4B Bundle back into a :class:`~cementwatch.case.Case` (see ``fhir.py``).

The bundle is first validated with the ``fhir.resources`` R4B models (types, cardinality); then its
resources are read by their local codes. Anything that cannot be read raises :class:`FhirError` naming
the entry and the problem. Resources without a CementWatch code are skipped and listed in the case's
warnings.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Final

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from cementwatch import case as c
from cementwatch.registry.fhir_codes import CONDITION_VER_STATUS, LOCAL, ext_url, system_url

__all__ = ["FhirError", "bundle_to_case"]

_STATUS_OF: Final = {
    "confirmed": "present",
    "provisional": "possible",
    "unconfirmed": "possible",
    "differential": "possible",
    "refuted": "absent",
}
_TREATMENT_OF: Final = {"completed": "done", "preparation": "planned", "not-done": "absent"}

Json = dict[str, Any]


class FhirError(ValueError):
    """A bundle that cannot be read as a case, or a case FHIR cannot hold.

    ``message`` names the problem; ``line`` is the NDJSON line number when read by ``read_bundles``.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(message if line is None else f"line {line}: {message}")


def _decode(bundle: Json | str | bytes) -> Json:
    if isinstance(bundle, str | bytes):
        try:
            bundle = json.loads(bundle)
        except json.JSONDecodeError as error:
            raise FhirError(f"not JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
        except (RecursionError, UnicodeDecodeError) as error:
            raise FhirError(f"not JSON: {error}") from None
    if not isinstance(bundle, dict):
        raise FhirError(f"not a FHIR Bundle: a {type(bundle).__name__}, not a JSON object")
    if bundle.get("resourceType") != "Bundle":
        raise FhirError(f"not a FHIR Bundle: resourceType is {bundle.get('resourceType')!r}")
    entries = bundle.get("entry") or []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if resource is None:
            continue
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(kind, str):
            raise FhirError(f"invalid FHIR Bundle: entry[{i}].resource has no resourceType")
        try:
            get_fhir_model_class(kind)
        except ValueError:
            raise FhirError(
                f"invalid FHIR Bundle: entry[{i}].resource: {kind!r} is not an R4B resource type"
            ) from None
    try:
        Bundle.model_validate(bundle)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors(include_url=False)[:3]
        ]
        raise FhirError("invalid FHIR Bundle: " + "; ".join(problems)) from None
    except (TypeError, LookupError, ValueError, AttributeError, ImportError) as error:
        # fhir.resources raises these for some malformed input (e.g. an unknown resourceType)
        raise FhirError(f"invalid FHIR Bundle: {type(error).__name__}: {error}") from None
    return bundle


def _exts(node: Json, url: str) -> list[Json]:
    return [e for e in node.get("extension") or [] if e.get("url") == url]


def _ext(node: Json, name: str, where: str) -> Json | None:
    found = _exts(node, ext_url(name))
    if len(found) > 1:
        raise FhirError(f"{where}: extension {name!r} appears {len(found)} times")
    return found[0] if found else None


def _string(ext: Json, where: str) -> str:
    if isinstance(ext.get("valueString"), str):
        return str(ext["valueString"])
    encoded = _exts(ext, "json")
    if encoded and isinstance(encoded[0].get("valueString"), str):
        try:
            value = json.loads(encoded[0]["valueString"])
        except json.JSONDecodeError:
            value = None
        if isinstance(value, str):
            return value
    raise FhirError(f"{where}: extension {ext.get('url')!r} holds no text")


def _json_object(ext: Json | None, where: str) -> Json:
    if ext is None:
        return {}
    try:
        value = json.loads(_string(ext, where))
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise FhirError(f"{where}: the extras extension is not a JSON object")
    return value


def _code_in(codings: list[Any], system: str, where: str) -> str | None:
    codes = [x.get("code") for x in codings if isinstance(x, dict) and x.get("system") == system_url(system)]
    if not codes:
        return None
    if codes[0] not in LOCAL[system]:
        raise FhirError(f"{where}: unknown {system} code {codes[0]!r}")
    return str(codes[0])


def _code(concept: Any, system: str, where: str) -> str:
    code = _code_in((concept or {}).get("coding") or [], system, where)
    if code is None:
        raise FhirError(f"{where}: no code from {system_url(system)}")
    return code


def _coded(node: Json, name: str, system: str, where: str) -> str | None:
    ext = _ext(node, name, where)
    return None if ext is None else _code_in([ext.get("valueCoding")], system, f"{where} extension {name}")


def _value(node: Json, name: str, key: str, where: str) -> Any:
    ext = _ext(node, name, where)
    return None if ext is None else ext.get(key)


def _levels(resource: Json, where: str) -> list[str]:
    return [_code(site, "vertebra", f"{where}.bodySite") for site in resource.get("bodySite") or []]


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _tail(resource: Json, where: str) -> Json:
    """Extra properties and ``evidence`` spans carried by extensions (the fields of a case item)."""
    spans = []
    for ext in _exts(resource, ext_url("evidence")):
        span = _json_object(next(iter(_exts(ext, "extras")), None), f"{where} evidence")
        for key in ("start", "end"):
            part = next(iter(_exts(ext, key)), None)
            if part is None:
                raise FhirError(f"{where}: an evidence extension has no {key!r}")
            span[key] = part.get("valueInteger")
        text = next(iter(_exts(ext, "text")), None)
        if text is not None:
            span["text"] = _string(text, f"{where} evidence")
        spans.append(span)
    out = _json_object(_ext(resource, "extras", where), where)
    return {**out, "evidence": spans} if spans else out


class _Reader:
    def __init__(self, bundle: Json) -> None:
        self.case: Json = {"procedures": [], "leaks": [], "imaging": [], "treatments": []}
        self.findings: Json = {"deficits": [], "motor_grades": []}
        self.skipped: Counter[str] = Counter()
        self.seen: set[str] = set()
        patients = 0
        for i, entry in enumerate(bundle.get("entry") or []):
            resource: Json = entry.get("resource") or {}
            kind = str(resource.get("resourceType"))
            where = f"entry[{i}] {kind}"
            if kind == "Patient":
                patients += 1
                self._patient(resource, where)
            elif not self._read(kind, resource, where):
                self.skipped[kind] += 1
        if patients != 1:
            raise FhirError(
                "the bundle holds no Patient" if not patients else f"the bundle holds {patients} Patients"
            )

    def _once(self, what: str, where: str) -> None:
        if what in self.seen:
            raise FhirError(f"{where}: a second {what}; a case has one")
        self.seen.add(what)

    def _read(self, kind: str, r: Json, where: str) -> bool:
        codings = (r.get("code") or {}).get("coding") or []
        if kind == "Basic" and _code_in(codings, "record", where):
            self._record(r, where)
        elif kind == "Procedure" and _code_in(codings, "procedure", where):
            self._augmentation(r, where)
        elif kind == "Procedure" and _code_in(codings, "treatment", where):
            self._treatment(r, where)
        elif kind == "Condition" and _code_in(codings, "leak-location", where):
            self._leak(r, where)
        elif kind == "Observation" and _code_in(codings, "deficit", where):
            self._deficit(r, where)
        elif kind == "Observation" and (code := _code_in(codings, "observation", where)):
            self._observation(code, r, where)
        elif kind == "DiagnosticReport" and _code_in(codings, "modality", where):
            self._imaging(r, where)
        else:  # an ImagingStudy of ours is read through its DiagnosticReport
            return (
                kind == "ImagingStudy"
                and _code_in(
                    [x for cc in r.get("procedureCode") or [] for x in cc.get("coding") or []],
                    "modality",
                    where,
                )
                is not None
            )
        return True

    def _patient(self, r: Json, where: str) -> None:
        patient = _tail(r, where)
        if (age := _value(r, "age", "valueAge", where)) is not None:
            patient["age"] = age.get("value")
        if (bounds := _ext(r, "age-range", where)) is not None:
            patient["age_range"] = [
                next(iter(_exts(bounds, k)), {}).get("valueInteger") for k in ("low", "high")
            ]
        if r.get("gender") in ("female", "male"):
            patient["sex"] = r["gender"]
        self.case["patient"] = patient

    def _record(self, r: Json, where: str) -> None:
        self._once("case record", where)
        self.case.update(_tail(r, where))
        self.findings.update(_json_object(_ext(r, "findings-extras", where), where))
        for name, key in (("source", "source"), ("notes", "notes")):
            if (ext := _ext(r, name, where)) is not None:
                self.case[key] = _string(ext, where)
        self.case["warnings"] = [_string(e, where) for e in _exts(r, ext_url("warning"))]
        if (cite := _ext(r, "citation", where)) is not None:
            citation = _json_object(next(iter(_exts(cite, "extras")), None), where)
            for key, url in (("text", "text"), ("ref", "ref"), ("case_id", "case-id")):
                if part := next(iter(_exts(cite, url)), None):
                    citation[key] = _string(part, f"{where} citation")
            self.case["citation"] = citation

    def _augmentation(self, r: Json, where: str) -> None:
        proc = _tail(r, where)
        proc["kind"] = _code(r.get("code"), "procedure", where)
        proc["levels"] = _levels(r, where)
        for key, element, system in (
            ("indication", "reasonCode", "indication"),
            ("cement_material", "usedCode", "cement-material"),
        ):
            if r.get(element):
                proc[key] = _code(r[element][0], system, f"{where}.{element}")
        proc["approach"] = _coded(r, "approach", "approach", where)
        proc["cement_viscosity"] = _coded(r, "cement-viscosity", "cement-viscosity", where)
        if (volume := _value(r, "cement-volume", "valueQuantity", where)) is not None:
            proc["cement_volume_ml"] = _number(volume.get("value"))
        proc["historical"] = bool(_value(r, "historical", "valueBoolean", where))
        self.case["procedures"].append(proc)

    def _leak(self, r: Json, where: str) -> None:
        leak = _tail(r, where)
        leak["location"] = _code(r.get("code"), "leak-location", where)
        codings = (r.get("verificationStatus") or {}).get("coding") or []
        status = [x.get("code") for x in codings if x.get("system") == CONDITION_VER_STATUS]
        if not status or status[0] not in _STATUS_OF:
            raise FhirError(
                f"{where}: verificationStatus {status[0] if status else None!r} does not map to a status"
            )
        leak["status"] = _STATUS_OF[status[0]]
        leak["levels"] = _levels(r, where)
        leak["side"] = _coded(r, "laterality", "side", where)
        leak["route"] = _coded(r, "leak-route", "leak-route", where)
        leak["detected_by"] = _coded(r, "detected-by", "detection-method", where)
        leak["central"] = _value(r, "central-pulmonary", "valueBoolean", where)
        self.case["leaks"].append(leak)

    def _deficit(self, r: Json, where: str) -> None:
        deficit = _tail(r, where)
        deficit["kind"] = _code(r.get("code"), "deficit", where)
        deficit["status"] = _code(r.get("valueCodeableConcept"), "finding-status", f"{where}.value")
        deficit["side"] = _coded(r, "laterality", "side", where)
        deficit["progressive"] = _value(r, "progressive", "valueBoolean", where)
        self.findings["deficits"].append(deficit)

    def _observation(self, code: str, r: Json, where: str) -> None:
        item = _tail(r, where)
        if code == "motor-grade":
            item["grade"] = r.get("valueInteger")
            muscle = _ext(r, "muscle", where)
            item["muscle"] = _string(muscle, where) if muscle else (r.get("bodySite") or {}).get("text")
            item["side"] = _coded(r, "laterality", "side", where)
            item["modifier"] = _value(r, "mrc-modifier", "valueCode", where)
            self.findings["motor_grades"].append(item)
        elif code == "asia-grade":
            self._once(code, where)
            self.findings["asia_grade"] = _code(r.get("valueCodeableConcept"), "asia-impairment-scale", where)
        elif code == "pain-nrs":
            self._once(code, where)
            self.findings["pain_nrs"] = _number((r.get("valueQuantity") or {}).get("value"))
        elif code == "timeline":
            self._once(code, where)
            for part in r.get("component") or []:
                name = _code(part.get("code"), "observation", f"{where}.component")
                if name not in c.Timeline.model_fields:
                    raise FhirError(f"{where}.component: {name!r} is not a timeline field")
                item[name] = _number((part.get("valueQuantity") or {}).get("value"))
            self.case["timeline"] = item
        elif code == "outcome":
            self._once(code, where)
            value = r.get("valueCodeableConcept") or {}
            item["status"] = _code_in(value.get("coding") or [], "outcome", where)
            detail = _ext(r, "outcome-detail", where)
            item["detail"] = _string(detail, where) if detail else value.get("text")
            self.case["outcome"] = item
        else:
            raise FhirError(f"{where}: {code!r} is not an Observation CementWatch reads on its own")

    def _imaging(self, r: Json, where: str) -> None:
        item = _tail(r, where)
        item["modality"] = _code(r.get("code"), "modality", where)
        item["day"] = _number(_value(r, "day", "valueDecimal", where))
        self.case["imaging"].append(item)

    def _treatment(self, r: Json, where: str) -> None:
        item = _tail(r, where)
        item["kind"] = _code(r.get("code"), "treatment", where)
        status = _coded(r, "treatment-status", "treatment-status", where)
        if status is None:
            reason = (r.get("statusReason") or {}).get("coding") or []
            declined = _code_in(reason, "treatment-status", where) == "declined"
            status = (
                "declined"
                if declined and r.get("status") == "not-done"
                else _TREATMENT_OF.get(r.get("status", ""))
            )
        if status is None:
            raise FhirError(
                f"{where}: Procedure.status {r.get('status')!r} does not map to a treatment status"
            )
        item["status"] = status
        item["levels"] = _levels(r, where)
        item["day"] = _number(_value(r, "day", "valueDecimal", where))
        self.case["treatments"].append(item)

    def result(self) -> c.Case:
        data = {**self.case, "findings": self.findings}
        if self.skipped:
            listed = ", ".join(f"{kind} ×{n}" for kind, n in sorted(self.skipped.items()))
            data["warnings"] = [
                *data.get("warnings", []),
                f"FHIR import skipped resources without CementWatch codes: {listed}",
            ]
        try:
            return c.parse_case(data)
        except c.CaseError as error:
            raise FhirError("the bundle does not make a valid case: " + "; ".join(error.problems)) from None


def bundle_to_case(bundle: Json | str | bytes) -> c.Case:
    """Read a Bundle (decoded or JSON text) made by :func:`case_to_bundle` back into a case.

    Raises :class:`FhirError` naming the problem: invalid JSON, not a Bundle, invalid FHIR, no (or more
    than one) Patient, an unknown CementWatch code, a status that does not map.
    """
    return _Reader(_decode(bundle)).result()
