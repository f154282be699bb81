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
from accord.governance.services.succession import (
    add_handover_item,
    add_memory,
    add_to_plan,
    answer_call,
    close_call,
    create_position,
    hide_memory,
    open_call,
    record_position_term,
    remove_from_plan,
    tick_handover_item,
    withdraw_answer,
    write_transfer_notes,
)

__all__ = [
    "acknowledge_concern",
    "add_handover_item",
    "add_memory",
    "add_to_plan",
    "answer_call",
    "cast_vote",
    "close_call",
    "close_decision",
    "close_due_decisions",
    "comment_on_decision",
    "create_position",
    "escalate_concern",
    "escalate_overdue_concerns",
    "hide_memory",
    "open_call",
    "open_decision",
    "propose_decision",
    "raise_concern",
    "record_outcome",
    "record_position_term",
    "remove_from_plan",
    "resolve_concern",
    "set_escalation_level",
    "tick_handover_item",
    "withdraw_answer",
    "write_transfer_notes",
]
