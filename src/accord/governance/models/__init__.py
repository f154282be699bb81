"""Governance records, one module per subject; every app imports them from here."""

from accord.governance.models.decisions import (
    Ballot,
    Decision,
    DecisionComment,
    ElectorateEntry,
    Status,
)
from accord.governance.models.rights import DecisionRight

__all__ = [
    "Ballot",
    "Decision",
    "DecisionComment",
    "DecisionRight",
    "ElectorateEntry",
    "Status",
]
