"""Governance reads shaped for pages, the API and the command line, one module per subject;
every app imports them from here."""

from accord.governance.queries import succession
from accord.governance.queries.decisions import (
    A_MEMBER,
    COMMUNITY,
    OUTCOME_DUE,
    CommentLine,
    DecisionLine,
    DecisionPage,
    Voter,
    agreement_exists,
    current_tally,
    decision_page,
    decision_scopes,
    electorate_for,
    has_open_disclosure,
    list_decisions,
    proposable_groups,
    subject_choices,
    vote_refusal,
)

__all__ = [
    "A_MEMBER",
    "COMMUNITY",
    "OUTCOME_DUE",
    "CommentLine",
    "DecisionLine",
    "DecisionPage",
    "Voter",
    "agreement_exists",
    "current_tally",
    "decision_page",
    "decision_scopes",
    "electorate_for",
    "has_open_disclosure",
    "list_decisions",
    "proposable_groups",
    "subject_choices",
    # succession: its reads are used as `queries.succession.*`
    "succession",
    "vote_refusal",
]
