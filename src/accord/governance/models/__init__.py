"""Governance records, one module per subject; every app imports them from here."""

from accord.governance.models.calendar import CalendarEvent, EventKind, FeedToken, Visibility
from accord.governance.models.decisions import (
    Ballot,
    Decision,
    DecisionComment,
    ElectorateEntry,
    Status,
)

__all__ = [
    "Ballot",
    "CalendarEvent",
    "Decision",
    "DecisionComment",
    "ElectorateEntry",
    "EventKind",
    "FeedToken",
    "Status",
    "Visibility",
]
