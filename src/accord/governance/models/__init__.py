"""Governance records, one module per subject; every app imports them from here."""

from accord.governance.models.decisions import (
    Ballot,
    Decision,
    DecisionComment,
    ElectorateEntry,
    Status,
)
from accord.governance.models.escalations import (
    Concern,
    ConcernEvent,
    ConcernKind,
    ConcernStatus,
    EscalationLevel,
    EventKind,
)

__all__ = [
    "Ballot",
    "Concern",
    "ConcernEvent",
    "ConcernKind",
    "ConcernStatus",
    "Decision",
    "DecisionComment",
    "ElectorateEntry",
    "EscalationLevel",
    "EventKind",
    "Status",
]
