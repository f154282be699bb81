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
from accord.governance.services.rights import carry_out_decision, right_for

__all__ = [
    "carry_out_decision",
    "cast_vote",
    "close_decision",
    "close_due_decisions",
    "comment_on_decision",
    "open_decision",
    "propose_decision",
    "record_outcome",
    "right_for",
]
