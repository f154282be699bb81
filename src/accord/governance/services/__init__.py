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
from accord.governance.services.escalations import (
    acknowledge_concern,
    escalate_concern,
    escalate_overdue_concerns,
    raise_concern,
    resolve_concern,
    set_escalation_level,
)

__all__ = [
    "acknowledge_concern",
    "cast_vote",
    "close_decision",
    "close_due_decisions",
    "comment_on_decision",
    "escalate_concern",
    "escalate_overdue_concerns",
    "open_decision",
    "propose_decision",
    "raise_concern",
    "record_outcome",
    "resolve_concern",
    "set_escalation_level",
]
