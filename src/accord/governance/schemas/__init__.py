"""Governance inputs and outputs shared by the API, the web forms and the command line."""

from accord.governance.schemas.decisions import (
    DecisionCommentIn,
    DecisionCommentOut,
    DecisionDetailOut,
    DecisionIn,
    DecisionOut,
    DecisionRightOut,
    Option,
    OptionNumber,
    OutcomeIn,
    RightIn,
    Score,
    VoteIn,
    VoterOut,
)

__all__ = [
    "DecisionCommentIn",
    "DecisionCommentOut",
    "DecisionDetailOut",
    "DecisionIn",
    "DecisionOut",
    "DecisionRightOut",
    "Option",
    "OptionNumber",
    "OutcomeIn",
    "RightIn",
    "Score",
    "VoteIn",
    "VoterOut",
]
