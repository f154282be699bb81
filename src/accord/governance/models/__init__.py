"""Governance records, one module per subject; every app imports them from here."""

from accord.governance.models.decisions import (
    Ballot,
    Decision,
    DecisionComment,
    ElectorateEntry,
    Status,
)
from accord.governance.models.succession import (
    CallAnswer,
    CallStatus,
    HandoverItem,
    MemoryEntry,
    MemoryKind,
    PlanPerson,
    PlanRole,
    Position,
    PositionTerm,
    VolunteerCall,
)

__all__ = [
    "Ballot",
    # succession
    "CallAnswer",
    "CallStatus",
    "Decision",
    "DecisionComment",
    "ElectorateEntry",
    "HandoverItem",
    "MemoryEntry",
    "MemoryKind",
    "PlanPerson",
    "PlanRole",
    "Position",
    "PositionTerm",
    "Status",
    "VolunteerCall",
]
