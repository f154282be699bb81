"""A passed decision as the licence for the one action it decided.

The apps that carry out a gated action (publishing a policy, activating or ending a
partnership) sit below governance and cannot read its tables; they read the decision's
result where it was recorded for everyone: its `decision.closed` entry. Using a decision
appends `decision.carried_out` for it, so each decision licenses its action once.
"""

from accord.domain.errors import Conflict
from accord.domain.mandates import Gated
from accord.ledger import services
from accord.ledger.models import Entry
from accord.ledger.queries import CARRIED_OUT, carried_out, parsed

CLOSED = "decision.closed"


def carry_out(decision_id: int | None, action: Gated, target: str, actor: str) -> None:
    """Refuse unless decision `decision_id` passed, decided `action` on `target`, and has not
    been carried out; then record that it is. Call it inside the action's transaction,
    after locking the row the action changes, so two uses of one decision cannot both pass."""
    if decision_id is None:
        raise Conflict(
            f"{action.label} needs a passed decision: propose one on the Decisions page, and "
            "carry it out from there once it passes."
        )
    subject = f"decision:{decision_id}"
    closed = Entry.objects.filter(kind=CLOSED, subject=subject).first()
    if closed is None:
        raise Conflict(f"Decision {decision_id} has not closed with a result.")
    facts = parsed(closed)["payload"]
    if facts.get("action") != action.value or facts.get("target") != target:
        raise Conflict(f"Decision {decision_id} did not decide this ({action.label.lower()}).")
    if not facts.get("passed"):
        raise Conflict(f"Decision {decision_id} did not pass.")
    if carried_out(decision_id):
        raise Conflict(f"Decision {decision_id} has already been carried out.")
    services.append(CARRIED_OUT, actor, subject, {"action": action.value, "target": target})
