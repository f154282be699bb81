"""Who may manage pools, pay out, and see statements."""

from accord.benefits.models import Statement
from accord.people.models import Member
from accord.people.permissions import is_steward


def can_manage_pools(actor: Member | None) -> bool:
    return is_steward(actor)


def can_pay(actor: Member | None) -> bool:
    """Treasury work is done by stewards (who sign in with MFA in production)."""
    return is_steward(actor)


def can_view_statement(actor: Member | None, statement: Statement) -> bool:
    return actor is not None and (actor.pk == statement.member_id or is_steward(actor))
