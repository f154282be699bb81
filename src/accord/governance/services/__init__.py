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
from accord.governance.services.decisions import (
    cast_vote,
    close_decision,
    close_due_decisions,
    comment_on_decision,
    open_decision,
    propose_decision,
    record_outcome,
)

__all__ = [
    "NewFeedLink",
    "add_event",
    "cancel_event",
    "cast_vote",
    "close_decision",
    "close_due_decisions",
    "comment_on_decision",
    "create_feed_link",
    "open_decision",
    "propose_decision",
    "record_outcome",
    "revoke_feed_link",
    "update_event",
]
