"""Every governance write: one function per action, in one module per subject; every app
imports them from here."""

from accord.governance.services.calendar import (
    NewFeedLink,
    add_event,
    cancel_event,
    create_feed_link,
    revoke_feed_link,
    update_event,
)
from accord.governance.services.carrying_out import (
    carry_out_decision,
)
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
from accord.governance.services.escalations import (
    acknowledge_concern,
    escalate_concern,
    escalate_overdue_concerns,
    raise_concern,
    resolve_concern,
    set_escalation_level,
)
from accord.governance.services.rights import (
    right_for,
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
    "NewFeedLink",
    "accept_change",
    "acknowledge_concern",
    "add_event",
    "add_handover_item",
    "add_memory",
    "add_to_plan",
    "adopt_change",
    "answer_call",
    "cancel_event",
    "carry_out_decision",
    "cast_vote",
    "close_call",
    "close_decision",
    "close_due_decisions",
    "comment_on_decision",
    "comment_on_revision",
    "create_document",
    "create_feed_link",
    "create_position",
    "decline_change",
    "escalate_concern",
    "escalate_overdue_concerns",
    "hide_memory",
    "open_call",
    "open_decision",
    "propose_change",
    "propose_decision",
    "put_change_to_decision",
    "raise_concern",
    "record_outcome",
    "record_position_term",
    "remove_from_plan",
    "resolve_concern",
    "revise_document",
    "revoke_feed_link",
    "right_for",
    "set_escalation_level",
    "tick_handover_item",
    "update_event",
    "withdraw_answer",
    "write_transfer_notes",
]
