"""Who may see and change partners."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from accord.partners.models import Partner
from accord.people.models import Member, SiteRole
from accord.people.permissions import holds_office, holds_treasury, is_steward

# While a page is read (`remembered`), whether a reader represents a partner is asked of the
# database once: (member, partner) -> the answer. Never across writes.
_answers: ContextVar[dict[tuple[int, int], bool] | None] = ContextVar("answers", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Within this block, `represents` asks the database once per reader and partner (a
    page asks it of several predicates). Reads only: a write checks afresh."""
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def represents(actor: Member | None, partner: Partner) -> bool:
    if actor is None or actor.role != SiteRole.PARTNER_REP:
        return False
    answers = _answers.get()
    key = (actor.pk, partner.pk)
    if answers is not None and key in answers:
        return answers[key]
    answer = partner.representatives.filter(member=actor).exists()
    if answers is not None:
        answers[key] = answer
    return answer


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


# -- risks and conflicts of interest ----------------------------------------------------------


def can_manage_risks(actor: Member | None) -> bool:
    """Record risks in a partnership's register: stewards."""
    return is_steward(actor)


def can_see_risks(actor: Member | None, partner: Partner) -> bool:
    """A partnership's risk register names exposures (reputation, money) that are the
    partner's business too, and a risk written in the open can itself become the risk: office
    holders, who weigh it, and the partner's own representatives, who share it, see it;
    everyone else sees only that the partnership exists."""
    return holds_office(actor) or represents(actor, partner)


def can_disclose(actor: Member | None) -> bool:
    """Declare an interest in a partnership: those in a decision role (stewards, treasurers,
    auditors)."""
    return holds_office(actor)


def can_close_disclosure(actor: Member | None, discloser_id: int) -> bool:
    """Close a disclosure: the discloser, or a steward (each with a reason)."""
    return actor is not None and (actor.pk == discloser_id or is_steward(actor))


# -- offerings ---------------------------------------------------------------------------


def can_manage_offerings(actor: Member | None, partner: Partner) -> bool:
    """Create and close a partner's offerings: stewards, and the partner's own
    representatives for their partner only."""
    return is_steward(actor) or represents(actor, partner)


def can_take_up(actor: Member | None) -> bool:
    """Claim, express interest in or review an offering: a signed-in member who does not
    speak for a partner (a representative acts in office, not as a beneficiary)."""
    return actor is not None and actor.erased_at is None and actor.role != SiteRole.PARTNER_REP


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


# -- partner contacts --------------------------------------------------------------------------


def can_see_partner_contacts(actor: Member | None, partner: Partner) -> bool:
    """The people to write to at a partner organisation: office holders, who work with
    the partner, and the partner's own representatives; not the public, not members."""
    return holds_office(actor) or represents(actor, partner)


def can_manage_partner_contacts(actor: Member | None) -> bool:
    """Add, change and remove a partner's contacts: stewards."""
    return is_steward(actor)


def can_fund_pool(actor: Member | None) -> bool:
    """Who puts a partner's money straight into a pool: treasurers, who move money."""
    return holds_treasury(actor)
