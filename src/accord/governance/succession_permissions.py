"""Who may do what with positions, calls for volunteers and the institutional memory.

Stewards create positions, record terms and run calls. A position's succession plan is kept
by stewards and by its current holders; those and the members named in it (successor
candidates and shadows) read it, while everyone else learns only whether a successor exists.
Answers to a call are seen by stewards and by each answerer (their own). Any member adds to
the institutional memory, which members read; stewards hide an entry, with a reason.
"""

from datetime import date

from accord.governance.models import Position
from accord.governance.permissions import is_inside
from accord.people.models import Member
from accord.people.permissions import is_steward


def can_manage_positions(actor: Member | None) -> bool:
    return is_steward(actor)


def holds(actor: Member | None, position: Position, today: date) -> bool:
    """Whether `actor` holds the position today."""
    if actor is None:
        return False
    return position.terms.filter(member=actor, start__lte=today, end__gte=today).exists()


def can_keep_plan(actor: Member | None, position: Position, today: date) -> bool:
    """Stewards and the position's current holders keep its succession plan."""
    if not is_inside(actor):
        return False
    return is_steward(actor) or holds(actor, position, today)


def can_read_plan(actor: Member | None, position: Position, today: date) -> bool:
    """Those who keep the plan, and the members it names."""
    if can_keep_plan(actor, position, today):
        return True
    return (
        is_inside(actor)
        and actor is not None
        and position.plan_people.filter(member=actor).exists()
    )


def can_answer(actor: Member | None) -> bool:
    return is_inside(actor)


def can_read_answers(actor: Member | None) -> bool:
    return is_steward(actor)


def can_read_memory(actor: Member | None) -> bool:
    return is_inside(actor)


def can_hide_memory(actor: Member | None) -> bool:
    return is_steward(actor)
