"""Governance records, one module per subject; every app imports them from here."""

from accord.governance.models.calendar import (
    CalendarEvent,
    CalendarKind,
    FeedToken,
    Visibility,
)
from accord.governance.models.decisions import (
    Ballot,
    Decision,
    DecisionComment,
    ElectorateEntry,
    Status,
)
from accord.governance.models.documents import (
    ChangeStatus,
    Document,
    Kind,
    ProposedChange,
    Revision,
    RevisionComment,
)
from accord.governance.models.escalations import (
    Concern,
    ConcernEvent,
    ConcernKind,
    ConcernStatus,
    EscalationLevel,
    EventKind,
)
from accord.governance.models.rights import (
    DecisionRight,
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
    "CalendarEvent",
    "CalendarKind",
    "CallAnswer",
    "CallStatus",
    "ChangeStatus",
    "Concern",
    "ConcernEvent",
    "ConcernKind",
    "ConcernStatus",
    "Decision",
    "DecisionComment",
    "DecisionRight",
    "Document",
    "ElectorateEntry",
    "EscalationLevel",
    "EventKind",
    "FeedToken",
    "HandoverItem",
    "Kind",
    "MemoryEntry",
    "MemoryKind",
    "PlanPerson",
    "PlanRole",
    "Position",
    "PositionTerm",
    "ProposedChange",
    "Revision",
    "RevisionComment",
    "Status",
    "Visibility",
    "VolunteerCall",
]
