"""Governance inputs and outputs shared by the API, the web forms and the command line."""

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
from accord.governance.schemas.escalations import (
    ConcernDetailOut,
    ConcernEventOut,
    ConcernIn,
    ConcernOut,
    ConcernStatsOut,
    FiguresOut,
    LevelIn,
    LevelOut,
    ResolutionIn,
)

__all__ = [
    "ConcernDetailOut",
    "ConcernEventOut",
    "ConcernIn",
    "ConcernOut",
    "ConcernStatsOut",
    "DecisionCommentIn",
    "DecisionCommentOut",
    "DecisionDetailOut",
    "DecisionIn",
    "DecisionOut",
    "FiguresOut",
    "LevelIn",
    "LevelOut",
    "Option",
    "OptionNumber",
    "OutcomeIn",
    "ResolutionIn",
    "Score",
    "VoteIn",
    "VoterOut",
]
