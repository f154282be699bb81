"""Governance records, one module per subject; every app imports them from here."""

from accord.governance.models.decisions import (
    Ballot,
    Decision,
    DecisionComment,
    ElectorateEntry,
    Status,
)

__all__ = [
    "Ballot",
    "Decision",
    "DecisionComment",
    "ElectorateEntry",
    "Status",
]
