"""Decision rights: who decides each gated action (read by `propose_decision`), and
changing one by carrying out a passed decision of the whole community."""

from fractions import Fraction

from django.db import transaction

from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.domain.mandates import Gated, right_target
from accord.domain.voting import parse_share
from accord.governance import permissions
from accord.governance.models import Decision, DecisionRight
from accord.governance.schemas import RightIn
from accord.ledger import mandates
from accord.ledger import services as ledger
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


def set_right(actor: Member, decision: Decision, data: RightIn) -> None:
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
