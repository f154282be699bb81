"""Every governance write: one function per action, in one module per subject; every app
imports them from here."""

from accord.governance.services.decisions import (
    cast_vote,
    close_decision,
    close_due_decisions,
    comment_on_decision,
    open_decision,
    propose_decision,
    record_outcome,
)
from accord.governance.services.documents import (
    accept_change,
    adopt_change,
    comment_on_revision,
    create_document,
    decline_change,
    propose_change,
    put_change_to_decision,
    revise_document,
)

__all__ = [
    "accept_change",
    "adopt_change",
    "cast_vote",
    "close_decision",
    "close_due_decisions",
    "comment_on_decision",
    "comment_on_revision",
    "create_document",
    "decline_change",
    "open_decision",
    "propose_change",
    "propose_decision",
    "put_change_to_decision",
    "record_outcome",
    "revise_document",
]
