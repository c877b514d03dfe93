"""CementWatch: decision support for bone-cement leakage after vertebroplasty and kyphoplasty.

The public API (pinned by ``tests/test_public_api.py``)::

    from cementwatch import parse_case, assess, estimate_risk, RiskInputs, load_evidence

    case = parse_case(open("case.json").read())
    assessment = assess(case)          # urgency, headline, reasons, actions, missing, patient summary
    print(assessment.urgency, assessment.headline)

Decision support, not a diagnosis: a clinician must examine the patient and decide.
"""

from cementwatch.assess import Action, Assessment, Reason, Urgency, assess
from cementwatch.assess.risk import RiskEstimate, RiskInputs, estimate_risk
from cementwatch.case import Case, CaseError, parse_case
from cementwatch.evidence import EvidenceBase, EvidenceError, load_evidence
from cementwatch.levels import LevelError, normalise_levels, parse_level

__version__ = "0.1.0"

__all__ = [
    "Action",
    "Assessment",
    "Case",
    "CaseError",
    "EvidenceBase",
    "EvidenceError",
    "LevelError",
    "Reason",
    "RiskEstimate",
    "RiskInputs",
    "Urgency",
    "__version__",
    "assess",
    "estimate_risk",
    "load_evidence",
    "normalise_levels",
    "parse_case",
    "parse_level",
]
