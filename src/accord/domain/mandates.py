"""Actions only a passed decision allows, and how a decision names what it allows.

A decision that gates an action carries the action and a target: the exact thing decided
(an agreement, a policy document as its SHA-256 with the day it takes effect, or a decision
right as its new setting). The service that carries the action out builds the same target
from what it is asked to do and goes ahead only when a passed decision names it, once.
"""

from datetime import date
from enum import StrEnum
from fractions import Fraction


class Gated(StrEnum):
    PUBLISH_POLICY = "policy.publish"
    ACTIVATE_PARTNERSHIP = "partnership.activate"
    END_PARTNERSHIP = "partnership.end"
    CHANGE_DOCUMENT = "document.change"
    CHANGE_DECISION_RIGHT = "decision_right.change"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def about_benefits(self) -> bool:
        """Whether it decides how benefits are shared: its deciding body must seat members
        who hold no office."""
        return self is Gated.PUBLISH_POLICY


_LABELS = {
    Gated.PUBLISH_POLICY: "Publish an attribution policy",
    Gated.ACTIVATE_PARTNERSHIP: "Activate a partnership",
    Gated.END_PARTNERSHIP: "End a partnership",
    Gated.CHANGE_DOCUMENT: "Change a governed document",
    Gated.CHANGE_DECISION_RIGHT: "Change who decides an action",
}


def agreement_target(agreement_id: int) -> str:
    return f"agreement:{agreement_id}"


def policy_target(sha256: str, effective_from: date) -> str:
    return f"policy:{sha256}:{effective_from.isoformat()}"


def document_target(document_id: int, change_id: int) -> str:
    return f"document:{document_id}:change:{change_id}"


def right_target(action: Gated, group: str | None, threshold: Fraction, quorum: Fraction) -> str:
    return f"right:{action.value}:{group or '-'}:{threshold}:{quorum}"
