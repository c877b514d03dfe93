"""Assessment: triage of a case, and pre-procedure leakage risk. Pure functions."""

from cementwatch.assess.engine import assess
from cementwatch.assess.model import Action, Assessment, Reason, Urgency

__all__ = ["Action", "Assessment", "Reason", "Urgency", "assess"]
