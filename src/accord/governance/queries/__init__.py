"""Governance reads shaped for pages, the API and the command line, one module per subject;
every app imports them from here."""

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
from accord.governance.queries.rights import RightLine, carried_out, decision_rights

__all__ = [
    "A_MEMBER",
    "COMMUNITY",
    "OUTCOME_DUE",
    "CommentLine",
    "DecisionLine",
    "DecisionPage",
    "RightLine",
    "Voter",
    "agreement_exists",
    "carried_out",
    "current_tally",
    "decision_page",
    "decision_rights",
    "decision_scopes",
    "electorate_for",
    "has_open_disclosure",
    "list_decisions",
    "proposable_groups",
    "subject_choices",
    "vote_refusal",
]
