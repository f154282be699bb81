"""Governance records, one module per subject; every app imports them from here."""

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

__all__ = [
    "Ballot",
    "ChangeStatus",
    "Decision",
    "DecisionComment",
    "Document",
    "ElectorateEntry",
    "Kind",
    "ProposedChange",
    "Revision",
    "RevisionComment",
    "Status",
]
