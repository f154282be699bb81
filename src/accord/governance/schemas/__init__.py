"""Governance inputs and outputs shared by the API, the web forms and the command line."""

from accord.governance.schemas.calendar import (
    CalendarEventIn,
    CalendarEventOut,
    CalendarItemOut,
    FeedLinkOut,
    NewFeedLinkOut,
)
from accord.governance.schemas.decisions import (
    DecisionCommentIn,
    DecisionCommentOut,
    DecisionDetailOut,
    DecisionIn,
    DecisionOut,
    Option,
    OptionNumber,
    OutcomeIn,
    Score,
    VoteIn,
    VoterOut,
)

__all__ = [
    "CalendarEventIn",
    "CalendarEventOut",
    "CalendarItemOut",
    "DecisionCommentIn",
    "DecisionCommentOut",
    "DecisionDetailOut",
    "DecisionIn",
    "DecisionOut",
    "FeedLinkOut",
    "NewFeedLinkOut",
    "Option",
    "OptionNumber",
    "OutcomeIn",
    "Score",
    "VoteIn",
    "VoterOut",
]
