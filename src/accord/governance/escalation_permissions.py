"""Who may do what with escalation paths and concerns. Views, API and CLI all ask these.

Any member (not a partner's representative) raises a concern. A concern is read by its
raiser, by the handlers of every level it has reached, and by stewards, who oversee the
process. The handlers of the level it is at acknowledge, resolve or escalate it. Its raiser
is named to its handlers; to stewards only when it is not anonymous; to nobody else ever.
Stewards set up the community's ladder and any group's; a group's leads their group's.
The raiser does not escalate their own concern: a deadline that passes escalates it by
itself on the next tick, so nobody has to push.
"""

from accord.governance.models import Concern, EscalationLevel
from accord.governance.permissions import is_inside
from accord.people.models import Group, Member
from accord.people.permissions import is_steward, leads_group


def can_raise(actor: Member | None) -> bool:
    return is_inside(actor)


def can_set_levels(actor: Member | None, group: Group | None) -> bool:
    """Stewards, for the community and any group; a group's leads for their group."""
    if actor is None or not is_inside(actor):
        return False
    if is_steward(actor):
        return True
    return group is not None and leads_group(actor, group)


def handles(actor: Member, level: EscalationLevel) -> bool:
    return level.handlers.filter(pk=actor.pk).exists()


def has_handled(actor: Member, concern: Concern) -> bool:
    """A handler of the level it is at or of one below it on its ladder."""
    return concern.level.ladder().filter(rank__lte=concern.level.rank, handlers=actor).exists()


def can_handle(actor: Member | None, concern: Concern) -> bool:
    """Acknowledge, resolve, escalate: the handlers of the level it is at."""
    return actor is not None and is_inside(actor) and handles(actor, concern.level)


def can_read(actor: Member | None, concern: Concern) -> bool:
    if actor is None or not is_inside(actor):
        return False
    return concern.raiser_id == actor.pk or is_steward(actor) or has_handled(actor, concern)


def sees_raiser(actor: Member | None, concern: Concern) -> bool:
    """Whether `actor` is told who raised it: the raiser, its handlers, and stewards when
    it is not anonymous."""
    if actor is None or not is_inside(actor):
        return False
    if concern.raiser_id == actor.pk or has_handled(actor, concern):
        return True
    return not concern.anonymous and is_steward(actor)
