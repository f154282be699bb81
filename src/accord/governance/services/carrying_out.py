"""Carrying out what a passed decision allows.

A gated action (`accord.domain.mandates`) is done by the service that owns it, which checks
the decision's result in the ledger and records that it was used; this is the one door that
calls the right one for a decision.
"""

from accord.contributions import services as contributions
from accord.contributions.schemas import PolicyIn
from accord.domain.errors import Conflict, NotFound
from accord.domain.mandates import Gated
from accord.governance import permissions
from accord.governance.models import Decision, ProposedChange
from accord.governance.schemas import RightIn
from accord.governance.services import documents, rights
from accord.ledger import queries as ledger_queries
from accord.partners import services as partners
from accord.partners.schemas import StatusIn
from accord.people.models import Member


def carry_out_decision(actor: Member, decision_id: int) -> Decision:
    """Do what a passed decision allows: publish its policy, activate or end its
    partnership, adopt its change to a governed document, or set its decision right. Each
    is the owning service, which checks the decision's result in the ledger and records
    that it was carried out."""
    decision = Decision.objects.select_related("group").filter(pk=decision_id).first()
    if decision is None or not permissions.can_read(actor, decision):
        raise NotFound(f"No decision {decision_id}.")
    if not decision.action:
        raise Conflict("This decision allows no action: there is nothing to carry out.")
    if not decision.passed:
        raise Conflict("Only a decision that closed and passed is carried out.")
    if ledger_queries.carried_out(decision.pk):
        raise Conflict("This decision has already been carried out.")
    action, proposal = Gated(decision.action), decision.proposal or {}
    reason = decision.outcome or f"Carries out decision {decision.pk}."
    if action == Gated.PUBLISH_POLICY:
        contributions.publish_policy(
            actor,
            PolicyIn(
                document=proposal["document"],
                effective_from=proposal["effective_from"],
                reason=reason,
                decision=decision.pk,
            ),
        )
    elif action in (Gated.ACTIVATE_PARTNERSHIP, Gated.END_PARTNERSHIP):
        assert decision.subject_id is not None  # noqa: S101 - propose_decision holds it
        status = "active" if action == Gated.ACTIVATE_PARTNERSHIP else "ended"
        partners.change_agreement_status(
            actor,
            decision.subject_id,
            StatusIn(status=status, reason=reason, decision=decision.pk),
        )
    elif action == Gated.CHANGE_DOCUMENT:
        change = ProposedChange.objects.select_related("document").get(decision=decision)
        documents.adopt_change(actor, change.document.slug, change.pk)
    else:
        rights.set_right(actor, decision, RightIn.model_validate(proposal))
    return decision
