"""Who may see, review and publish what about contributions."""

from accord.contributions.models import Contribution
from accord.people.models import Member
from accord.people.permissions import is_steward, leads_group


def can_review(actor: Member, contribution: Contribution) -> bool:
    """Stewards and leads of the contribution's group; never the contributor themself."""
    if actor.pk == contribution.member_id:
        return False
    if is_steward(actor):
        return True
    return contribution.group is not None and leads_group(actor, contribution.group)


def can_view(actor: Member, contribution: Contribution) -> bool:
    return actor.pk == contribution.member_id or can_review(actor, contribution)


def can_publish_policy(actor: Member | None) -> bool:
    return is_steward(actor)


def can_import(actor: Member | None) -> bool:
    return is_steward(actor)
