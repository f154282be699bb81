"""Decision rights, and carrying out what a passed decision decided.

A gated action (`accord.domain.mandates`) is done by the app that owns it, which checks the
decision's result in the ledger; this module is the decisions' side: who decides each
action (read by `propose_decision`), and one door that does what a passed decision allows.
"""

from fractions import Fraction

from django.db import transaction

from accord.contributions import services as contributions
from accord.contributions.schemas import PolicyIn
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.mandates import Gated, right_target
from accord.domain.voting import parse_share
from accord.governance import permissions
from accord.governance.models import Decision, DecisionRight
from accord.governance.schemas import RightIn
from accord.ledger import mandates
from accord.ledger import queries as ledger_queries
from accord.ledger import services as ledger
from accord.partners import services as partners
from accord.partners.schemas import StatusIn
from accord.people.models import Group, Member, SiteRole


def right_for(action: Gated) -> DecisionRight:
    """The action's right, or Accord's default (unsaved): the whole community, by consent,
    agree above disagree, no quorum."""
    found = DecisionRight.objects.select_related("group").filter(action=action.value).first()
    return found or DecisionRight(action=action.value)


def checked_right(data: RightIn) -> tuple[Group | None, Fraction, Fraction, str]:
    """A proposed right's body, threshold and quorum, checked, with its mandate target."""
    threshold = parse_share(data.threshold, "threshold")
    quorum = parse_share(data.quorum, "quorum")
    group = None
    if data.group is not None:
        if data.action == Gated.CHANGE_DECISION_RIGHT:
            raise InvalidInput("Who decides the decision rights stays the whole community.")
        group = Group.objects.filter(slug=data.group, archived_at__isnull=True).first()
        if group is None:
            raise NotFound(f"No group {data.group!r}.")
        if data.action.about_benefits and not _seats_members(group):
            raise InvalidInput(
                f"{group.name} seats no member who holds no office: members hold seats in "
                "every body that decides about benefits."
            )
    return group, threshold, quorum, right_target(data.action, data.group, threshold, quorum)


def _seats_members(group: Group) -> bool:
    return group.memberships.filter(
        left_at__isnull=True, member__role=SiteRole.MEMBER, member__erased_at__isnull=True
    ).exists()


def carry_out_decision(actor: Member, decision_id: int) -> Decision:
    """Do what a passed decision allows: publish its policy, activate or end its
    partnership, or set its decision right. Each is the owning app's own service, which
    checks the decision's result in the ledger and records that it was carried out."""
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
    else:
        _set_right(actor, decision, RightIn.model_validate(proposal))
    return decision


def _set_right(actor: Member, decision: Decision, data: RightIn) -> None:
    if not permissions.can_run(actor, decision):
        raise Forbidden("Only stewards carry out a change of decision rights.")
    group, threshold, quorum, target = checked_right(data)
    with transaction.atomic(durable=True):
        right, _ = DecisionRight.objects.select_for_update().get_or_create(
            action=data.action.value
        )
        mandates.carry_out(decision.pk, Gated.CHANGE_DECISION_RIGHT, target, actor.pseudonym)
        right.group, right.threshold, right.quorum = group, str(threshold), str(quorum)
        right.decision = decision.pk
        right.save()
        ledger.append(
            "decision_right.changed",
            actor.pseudonym,
            f"decision_right:{data.action.value}",
            {
                "group": data.group,
                "threshold": str(threshold),
                "quorum": str(quorum),
                "decision": decision.pk,
            },
        )
