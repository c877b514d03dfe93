"""The assessment: the ``cementwatch.assessment/1`` contract as pydantic models."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cementwatch.assess.prognosis import Prognosis
from cementwatch.case import Case
from cementwatch.evidence.model import Urgency

__all__ = ["Action", "Assessment", "Reason", "Urgency"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Reason(_Model):
    """Why: the rule that fired, what in this case fired it, and the sources behind the rule."""

    rule: str
    text: str
    sources: Annotated[list[str], Field(min_length=1)]
    urgency: Urgency | None = Field(default=None, description="the level this rule sets, if any")


class Action(_Model):
    """What to consider doing, with its sources."""

    code: str
    text: str
    sources: Annotated[list[str], Field(min_length=1)]


class Assessment(_Model):
    schema_: Literal["cementwatch.assessment/1"] = Field(default="cementwatch.assessment/1", alias="schema")
    urgency: Urgency
    headline: Annotated[str, Field(max_length=140)]
    reasons: list[Reason]
    actions: list[Action]
    missing: list[str]
    patient_summary: str
    red_flags: list[str] = Field(default_factory=list)
    disclaimer: str
    evidence_version: str
    case: Case | None = None
    prognosis: Prognosis | None = Field(
        default=None, description="similar published cases and their outcomes, when candidates were given"
    )

    def to_json_dict(self, *, with_case: bool = True) -> dict[str, Any]:
        # Without similar cases the JSON stays as it was: no "prognosis" key at all.
        exclude = {"case"} if self.prognosis is not None else {"case", "prognosis"}
        data = self.model_dump(mode="json", by_alias=True, exclude=exclude)
        if with_case and self.case is not None:
            data["case"] = self.case.to_json_dict()
        return data

    def to_json(self, *, indent: int | None = None, with_case: bool = True) -> str:
        return json.dumps(self.to_json_dict(with_case=with_case), indent=indent, ensure_ascii=False)
