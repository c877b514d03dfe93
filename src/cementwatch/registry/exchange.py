"""Export and import cases as JSON Lines (the case contract, lossless) and CSV (one row per case).

CSV is a flat summary for spreadsheets and statistics packages: one row per case, the columns in
:data:`CSV_COLUMNS` (documented in docs/registry.md). Lists are ``;``-separated; a leak is written
``location@L1+L2/side``, a deficit ``kind/side``, an imaging study ``modality@day``, a treatment
``kind:status@day``. Only the index (first current) augmentation is a column; evidence spans, motor
grades other than the worst and further augmentations are in the JSON Lines export only. Importing a
CSV row gives back a case that exports to the same row (a test checks this).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from cementwatch.case import Case, CaseError, parse_case
from cementwatch.registry.columns import decompression_day

__all__ = [
    "CSV_COLUMNS",
    "BadRecord",
    "case_from_row",
    "case_to_row",
    "read_csv",
    "read_jsonl",
    "write_csv",
]

CSV_COLUMNS: dict[str, str] = {
    "registry_id": "the case's id in the registry it was exported from (export only)",
    "source": "the file or identifier the case was read from",
    "citation": "literature cases: author, year, journal",
    "citation_ref": "literature cases: pmid:…, doi:… or URL",
    "citation_case_id": "literature cases: the case's id in its source dataset",
    "age": "years",
    "sex": "female | male",
    "procedure": "index augmentation: vertebroplasty | kyphoplasty | other_augmentation",
    "levels": "treated levels of the index augmentation, ;-separated (T12;L1)",
    "indication": "osteoporotic | metastatic | myeloma | hemangioma | traumatic | other",
    "approach": "unilateral | bilateral",
    "cement_material": "pmma | calcium_phosphate | other",
    "cement_viscosity": "high | low",
    "cement_volume_ml": "mL",
    "leaks_present": "leaks the document asserts: location@L1+L2/side, ;-separated",
    "leaks_possible": "leaks the document hedges on",
    "leaks_absent": "leaks the document denies",
    "deficits_present": "deficits found: kind/side, ;-separated",
    "deficits_possible": "deficits hedged on",
    "deficits_absent": "deficits denied",
    "worst_motor_grade": "lowest MRC grade recorded (0-5)",
    "asia_grade": "A-E",
    "pain_nrs": "0-10",
    "imaging": "modality@day, ;-separated",
    "treatments": "kind:status@day, ;-separated",
    "symptom_onset_days": "days from the index procedure",
    "presentation_days": "days from the index procedure",
    "treatment_days": "days from the index procedure",
    "followup_days": "days from the index procedure",
    "decompression_days": "days to the first done decompressive surgery (derived; export only)",
    "outcome": "full_recovery | improved | unchanged | worse | died",
    "outcome_detail": "the outcome in a few words",
    "urgency": "CementWatch triage at export (derived; export only)",
    "notes": "free-text remarks",
}
_EXPORT_ONLY = ("registry_id", "decompression_days", "urgency")


class BadRecord(ValueError):
    """A line or row that is not a case; ``where`` names it (``file:line``)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


def read_jsonl(stream: IO[str], name: str) -> Iterator[Case | BadRecord]:
    """One case per non-empty line; a bad line yields an error naming ``name:line`` and the rest goes on."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield parse_case(line)
        except CaseError as error:
            yield BadRecord(f"{name}:{number}", "; ".join(error.problems))


def _days(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _side(value: Any) -> str:
    return f"/{value.value}" if value is not None else ""


def case_to_row(case: Case, *, registry_id: int | None = None, urgency: str | None = None) -> dict[str, str]:
    """The CSV row of a case (every column present; blanks are empty strings)."""
    current = [p for p in case.procedures if not p.historical]
    index = current[0] if current else None
    row = dict.fromkeys(CSV_COLUMNS, "")
    row["registry_id"] = "" if registry_id is None else str(registry_id)
    row["source"] = case.source or ""
    if case.citation:
        row["citation"] = case.citation.text
        row["citation_ref"] = case.citation.ref or ""
        row["citation_case_id"] = case.citation.case_id or ""
    row["age"] = "" if case.patient.age is None else str(case.patient.age)
    row["sex"] = case.patient.sex.value if case.patient.sex else ""
    if index:
        row["procedure"] = index.kind.value
        row["levels"] = ";".join(index.levels)
        for name in ("indication", "approach", "cement_material", "cement_viscosity"):
            value = getattr(index, name)
            row[name] = value.value if value is not None else ""
        row["cement_volume_ml"] = _days(index.cement_volume_ml)
    for status in ("present", "possible", "absent"):
        row[f"leaks_{status}"] = ";".join(
            k.location.value + ("@" + "+".join(k.levels) if k.levels else "") + _side(k.side)
            for k in case.leaks
            if k.status.value == status
        )
        row[f"deficits_{status}"] = ";".join(
            d.kind.value + _side(d.side) for d in case.findings.deficits if d.status.value == status
        )
    grades = [g.grade for g in case.findings.motor_grades]
    row["worst_motor_grade"] = str(min(grades)) if grades else ""
    row["asia_grade"] = case.findings.asia_grade or ""
    row["pain_nrs"] = _days(case.findings.pain_nrs)
    row["imaging"] = ";".join(
        i.modality.value + ("@" + _days(i.day) if i.day is not None else "") for i in case.imaging
    )
    row["treatments"] = ";".join(
        f"{t.kind.value}:{t.status.value}" + ("@" + _days(t.day) if t.day is not None else "")
        for t in case.treatments
    )
    for name in ("symptom_onset_days", "presentation_days", "treatment_days", "followup_days"):
        row[name] = _days(getattr(case.timeline, name))
    row["decompression_days"] = _days(decompression_day(case))
    row["outcome"] = case.outcome.status.value if case.outcome.status else ""
    row["outcome_detail"] = case.outcome.detail or ""
    row["urgency"] = urgency or ""
    row["notes"] = case.notes or ""
    return row


def write_csv(rows: Iterable[dict[str, str]], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _at(text: str) -> tuple[str, str | None]:
    head, _, day = text.partition("@")
    return head, (day or None)


def case_from_row(row: dict[str, str]) -> Case:
    """A case from a CSV row (columns as :data:`CSV_COLUMNS`; export-only columns are ignored).
    Raises :class:`CaseError` naming the column for a value outside the contract."""
    unknown = [key for key in row if key not in CSV_COLUMNS]
    if unknown:
        raise CaseError([f"unknown column(s): {', '.join(sorted(unknown))}"])
    get = {key: (value or "").strip() for key, value in row.items()}
    data: dict[str, Any] = {"source": get.get("source") or None}
    if get.get("citation"):
        data["citation"] = {
            "text": get["citation"],
            "ref": get.get("citation_ref") or None,
            "case_id": get.get("citation_case_id") or None,
        }
    data["patient"] = {"age": _number(get, "age", int), "sex": get.get("sex") or None}
    if get.get("procedure"):
        data["procedures"] = [
            {
                "kind": get["procedure"],
                "levels": _split(get.get("levels", "")),
                **{
                    n: get.get(n) or None
                    for n in ("indication", "approach", "cement_material", "cement_viscosity")
                },
                "cement_volume_ml": _number(get, "cement_volume_ml", float),
            }
        ]
    data["leaks"] = []
    deficits = []
    for status in ("present", "possible", "absent"):
        for item in _split(get.get(f"leaks_{status}", "")):
            head, _, side = item.partition("/")
            location, levels = _at(head)
            data["leaks"].append(
                {
                    "location": location,
                    "status": status,
                    "levels": levels.split("+") if levels else [],
                    "side": side or None,
                }
            )
        for item in _split(get.get(f"deficits_{status}", "")):
            kind, _, side = item.partition("/")
            deficits.append({"kind": kind, "status": status, "side": side or None})
    grade = _number(get, "worst_motor_grade", int)
    data["findings"] = {
        "deficits": deficits,
        "motor_grades": [{"grade": grade}] if grade is not None else [],
        "asia_grade": get.get("asia_grade") or None,
        "pain_nrs": _number(get, "pain_nrs", float),
    }
    data["imaging"] = []
    for item in _split(get.get("imaging", "")):
        modality, day = _at(item)
        data["imaging"].append({"modality": modality, "day": _float(day, "imaging")})
    data["treatments"] = []
    for item in _split(get.get("treatments", "")):
        head, day = _at(item)
        kind, _, status = head.partition(":")
        data["treatments"].append(
            {"kind": kind, "status": status or "done", "day": _float(day, "treatments")}
        )
    data["timeline"] = {
        name: _number(get, name, float)
        for name in ("symptom_onset_days", "presentation_days", "treatment_days", "followup_days")
    }
    data["outcome"] = {"status": get.get("outcome") or None, "detail": get.get("outcome_detail") or None}
    data["notes"] = get.get("notes") or None
    return parse_case(data)


def _float(text: str | None, column: str) -> float | None:
    if text is None or text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise CaseError([f"{column}: {text!r} is not a number"]) from None


def _number(get: dict[str, str], column: str, kind: type[int] | type[float]) -> Any:
    value = get.get(column, "")
    if value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        raise CaseError([f"{column}: {value!r} is not a number"]) from None


def read_csv(stream: IO[str], name: str) -> Iterator[Case | BadRecord]:
    """One case per row; a bad row yields an error naming ``name:line`` and the rest goes on."""
    reader = csv.DictReader(stream)
    for row in reader:
        try:
            yield case_from_row({k: v for k, v in row.items() if k is not None and k not in _EXPORT_ONLY})
        except CaseError as error:
            yield BadRecord(f"{name}:{reader.line_num}", "; ".join(error.problems))


def dumps_jsonl(case: Case) -> str:
    return json.dumps(case.to_json_dict(), ensure_ascii=False)
