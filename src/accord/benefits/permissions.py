"""Who may manage pools, move money, approve rounds, pay out and see statements.

Stewards set pools up (create, edit); treasurers move the money (fund, commit, close, pay).
Anyone who commits a round they benefit from above the configured amount needs a second
office holder's approval first (`services.approve_round`)."""

from accord.benefits.models import Statement
from accord.people.models import Member
from accord.people.permissions import holds_office, holds_treasury, is_steward, is_treasurer


def can_manage_pools(actor: Member | None) -> bool:
    """Create pools and change their terms: stewards."""
    return is_steward(actor)


def can_move_money(actor: Member | None) -> bool:
    """Fund, commit and close pools: treasurers."""
    return holds_treasury(actor)


def can_preview(actor: Member | None) -> bool:
    """See the next round as it would be committed: those who set pools up, commit or approve
    rounds."""
    return holds_office(actor)


def can_approve_round(actor: Member | None) -> bool:
    """Approve a round someone else commits: any office holder (steward, treasurer, auditor)."""
    return holds_office(actor)


def can_pay(actor: Member | None) -> bool:
    """Treasury work (payouts) is done by treasurers, who sign in with a second factor."""
    return holds_treasury(actor)


def can_view_statement(actor: Member | None, statement: Statement) -> bool:
    return actor is not None and (
        actor.pk == statement.member_id or is_steward(actor) or is_treasurer(actor)
    )
