"""Who may see and change partners."""

from accord.partners.models import Partner
from accord.people.models import Member, SiteRole
from accord.people.permissions import holds_office, holds_treasury, is_steward


def represents(actor: Member | None, partner: Partner) -> bool:
    return (
        actor is not None
        and actor.role == SiteRole.PARTNER_REP
        and partner.representatives.filter(member=actor).exists()
    )


def can_view_partner_members(actor: Member | None, partner: Partner) -> bool:
    """A partner's page of opted-in members: its own representatives and the stewards."""
    return is_steward(actor) or represents(actor, partner)


def can_manage_partners(actor: Member | None) -> bool:
    return is_steward(actor)


def can_evaluate(actor: Member | None) -> bool:
    """Score partnerships on the ten criteria: office holders (stewards, treasurers,
    auditors)."""
    return holds_office(actor)


def can_see_evaluation(actor: Member | None, partner: Partner) -> bool:
    """An agreement's evaluation scores: office holders and the partner's own
    representatives; everyone else sees the agreement without them."""
    return holds_office(actor) or represents(actor, partner)


def side_of(actor: Member | None, partner: Partner) -> str | None:
    """Which side `actor` speaks for in a partnership's updates channel: stewards for the
    community, the partner's own representatives for the partner; None for anyone else."""
    if is_steward(actor):
        return "community"
    if represents(actor, partner):
        return "partner"
    return None


def can_comment(actor: Member | None) -> bool:
    """Any signed-in member may comment on a partnership's updates."""
    return actor is not None and actor.erased_at is None


# -- goals and commitments ---------------------------------------------------------------------


def can_shape_agreement(actor: Member | None) -> bool:
    """Add goals and commitments, set the review cadence, amend the text: stewards."""
    return is_steward(actor)


def can_record_reading(actor: Member | None, partner: Partner) -> bool:
    """Record a goal's reading: stewards and the partner's own representatives."""
    return is_steward(actor) or represents(actor, partner)


def can_record_fulfilment(actor: Member | None, partner: Partner, *, financial: bool) -> bool:
    """Money received is recorded by a treasurer (it moves the community's money); any other
    delivery by a steward or the partner's own representatives."""
    if financial:
        return holds_treasury(actor)
    return is_steward(actor) or represents(actor, partner)


def can_read_documents(actor: Member | None, partner: Partner) -> bool:
    """An agreement's attached documents: office holders and the partner's own
    representatives."""
    return holds_office(actor) or represents(actor, partner)
