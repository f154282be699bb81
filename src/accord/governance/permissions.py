"""Who may do what with decisions. Views, API and CLI all ask these.

Members (site members, stewards, treasurers, auditors) read decisions; partner
representatives, who are outsiders, do not. Any member proposes a decision for the whole
community or for a group they belong to; a draft is seen by its proposer and by those who
run it: stewards for the community, stewards and the group's leads for a group. Whoever runs
a decision opens it, closes it and records its outcome. Who votes is the electorate fixed at
opening (`services.open_decision`).
"""

from accord.governance.models import Decision, Status
from accord.people.models import Group, Member, SiteRole
from accord.people.permissions import is_steward, leads_group


def is_inside(actor: Member | None) -> bool:
    """A signed-in member of the community: not a partner's representative, not erased."""
    return actor is not None and actor.erased_at is None and actor.role != SiteRole.PARTNER_REP


def belongs_to(actor: Member, group: Group) -> bool:
    return actor.memberships.filter(group=group, left_at__isnull=True).exists()


def can_propose(actor: Member | None, group: Group | None) -> bool:
    """Any member, for the whole community or for a group they belong to."""
    if not is_inside(actor):
        return False
    assert actor is not None  # noqa: S101 - is_inside holds it
    return group is None or is_steward(actor) or belongs_to(actor, group)


def can_run(actor: Member | None, decision: Decision) -> bool:
    """Open, close and record the outcome: stewards; a group's leads for their group."""
    if actor is None or not is_inside(actor):
        return False
    if is_steward(actor):
        return True
    return decision.group is not None and leads_group(actor, decision.group)


def can_read(actor: Member | None, decision: Decision) -> bool:
    """Members read every decision once it is open; a draft only its proposer and those
    who run it."""
    if not is_inside(actor):
        return False
    if decision.status != Status.DRAFT:
        return True
    assert actor is not None  # noqa: S101 - is_inside holds it
    return decision.proposer_id == actor.pk or can_run(actor, decision)
