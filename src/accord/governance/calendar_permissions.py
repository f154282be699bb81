"""Who may do what with the calendar. Views, API, CLI and feeds all ask these.

Anyone reads public events. Members-only events of the whole community are read by members
(not by partner representatives, who are outsiders); a group's members-only events by the
group's members and the stewards. Stewards add, change and cancel any event; a group's leads
those of their group. Each member keeps their own private feed links.
"""

from accord.governance.models import CalendarEvent
from accord.governance.permissions import belongs_to, is_inside
from accord.people.models import Group, Member
from accord.people.permissions import is_steward, leads_group


def can_manage_events(actor: Member | None, group: Group | None) -> bool:
    """Stewards for any event; a group's leads for their group's."""
    if actor is None or not is_inside(actor):
        return False
    if is_steward(actor):
        return True
    return group is not None and leads_group(actor, group)


def can_read_event(viewer: Member | None, event: CalendarEvent) -> bool:
    if event.is_public:
        return True
    if not is_inside(viewer):
        return False
    assert viewer is not None  # noqa: S101 - is_inside holds it
    if event.group is None or is_steward(viewer):
        return True
    return belongs_to(viewer, event.group) or leads_group(viewer, event.group)


def can_keep_a_feed(actor: Member | None) -> bool:
    """A private feed shows what members see: members, not partners' representatives."""
    return is_inside(actor)
