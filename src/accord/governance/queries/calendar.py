"""Reads for the calendar: the items a reader may see (events, and the decision closings,
partnership reviews and term endings read from their own records), their occurrences in a
window, one event's page, and whose private feed a secret opens.

Decision closings and term endings are members' business: they appear to members and in
private feeds, never on the public page or feed. A term ending names the role and group,
never its holder.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accord.domain import calendar
from accord.domain.errors import NotFound
from accord.governance import calendar_permissions as rules
from accord.governance.models import CalendarEvent, Decision, FeedToken, Status
from accord.governance.permissions import is_inside
from accord.partners.models import Agreement
from accord.partners.queries import review_of
from accord.people.models import Group, LeadershipTerm, Member, Membership
from accord.people.permissions import is_steward, leads_group

EVENT, DECISION, REVIEW, TERM = "event", "decision", "review", "term"
LIST_DAYS = 92  # the list view's reach from its first day


@dataclass(frozen=True)
class Item:
    """Something on the calendar, once or recurring; `start` and `end` in its own zone."""

    uid: str
    source: str
    kind: str
    title: str
    description: str
    start: datetime
    end: datetime
    all_day: bool
    zone: str
    rule: str
    group: Group | None
    responsible: str
    path: str
    public: bool
    event: CalendarEvent | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Occurrence:
    item: Item
    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        """The day it starts on, in the zone it was set in (shown in that zone too)."""
        return self.start.date()


def community_zone() -> str:
    return str(settings.TIME_ZONE)


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


def event_item(event: CalendarEvent) -> Item:
    zone = ZoneInfo(event.time_zone)
    return Item(
        uid=f"event-{event.pk}@accord",
        source=EVENT,
        kind=event.kind,
        title=event.title,
        description=event.description,
        start=event.starts_at.astimezone(zone),
        end=event.ends_at.astimezone(zone),
        all_day=event.all_day,
        zone=event.time_zone,
        rule=event.rule,
        group=event.group,
        responsible=event.responsible,
        path=reverse("governance:calendar_event", args=[event.pk]),
        public=event.is_public,
        event=event,
    )


def _day_item(uid: str, source: str, title: str, day: date, path: str, **more: object) -> Item:
    zone = community_zone()
    return Item(
        uid=uid,
        source=source,
        kind=source,
        title=title,
        description=str(more.get("description", "")),
        start=_midnight(day, zone),
        end=_midnight(day + timedelta(days=1), zone),
        all_day=True,
        zone=zone,
        rule="",
        group=more.get("group"),  # type: ignore[arg-type]
        responsible=str(more.get("responsible", "")),
        path=path,
        public=bool(more.get("public", False)),
    )


def _reviews(today: date) -> list[Item]:
    found = []
    agreements = Agreement.objects.filter(review_every_months__isnull=False).select_related(
        "partner"
    )
    for agreement in agreements.prefetch_related("changes"):
        upcoming = review_of(agreement, today).next_on
        if upcoming is None:
            continue
        found.append(
            _day_item(
                f"review-{agreement.pk}-{upcoming:%Y%m%d}@accord",
                REVIEW,
                f"Partnership review: {agreement}",
                upcoming,
                reverse("partners:agreement", args=[agreement.pk]),
                description=f"Every {agreement.review_every_months} months, the stewards "
                "review how this partnership serves members.",
                responsible="The stewards",
                public=True,
            )
        )
    return found


def _decisions(group: Group | None) -> list[Item]:
    found = []
    decisions = Decision.objects.exclude(status=Status.DRAFT).select_related("group")
    if group is not None:
        decisions = decisions.filter(group=group)
    zone = community_zone()
    for d in decisions:
        when = d.closes_at.astimezone(ZoneInfo(zone))
        item = Item(
            uid=f"decision-{d.pk}-closes@accord",
            source=DECISION,
            kind=DECISION,
            title=f"Decision closes: {d.title}",
            description="Votes are taken until this time.",
            start=when,
            end=when,
            all_day=False,
            zone=zone,
            rule="",
            group=d.group,
            responsible=f"The leads of {d.group.name}" if d.group else "The stewards",
            path=reverse("governance:decision", args=[d.pk]),
            public=False,
        )
        found.append(item)
    return found


def _terms(group: Group | None) -> list[Item]:
    terms = LeadershipTerm.objects.select_related("group")
    if group is not None:
        terms = terms.filter(group=group)
    return [
        _day_item(
            f"term-{t.pk}-ends@accord",
            TERM,
            f"Term of the {t.get_role_display().lower()} of {t.group.name} ends",
            t.end,
            reverse("people:group", args=[t.group.slug]),
            description="The last day of this leadership term.",
            group=t.group,
            responsible="The stewards",
        )
        for t in terms
    ]


def _readable(viewer: Member | None, events: Iterable[CalendarEvent]) -> list[CalendarEvent]:
    """`events` filtered by `rules.can_read_event`, asking the database once for the
    reader's groups rather than once per event."""
    found = list(events)
    if not any(not e.is_public for e in found):
        return found
    inside, steward = is_inside(viewer), is_steward(viewer)
    mine = (
        set(
            Membership.objects.filter(member=viewer, left_at__isnull=True).values_list(
                "group_id", flat=True
            )
        )
        if inside and not steward
        else set()
    )
    return [
        e
        for e in found
        if e.is_public or (inside and (e.group_id is None or steward or e.group_id in mine))
    ]


def calendar_items(
    viewer: Member | None, *, group: Group | None = None, public: bool = False
) -> list[Item]:
    """What `viewer` may see on the calendar (with `public`, what anyone may), for `group`
    or everything. Cancelled events are left out."""
    reader = None if public else viewer
    events = CalendarEvent.objects.filter(cancelled_at__isnull=True).select_related("group")
    if group is not None:
        events = events.filter(group=group)
    items = [event_item(e) for e in _readable(reader, events)]
    if group is None:
        items += _reviews(timezone.localdate())
    if is_inside(reader):
        items += _decisions(group) + _terms(group)
    return items


def list_events(viewer: Member | None) -> list[CalendarEvent]:
    """The events (not cancelled) the reader may see, in start order."""
    events = CalendarEvent.objects.filter(cancelled_at__isnull=True).select_related("group")
    return _readable(viewer, events)


def between(items: list[Item], start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence of `items` overlapping [start, end), in time order."""
    found = []
    for item in items:
        duration = item.end - item.start
        for at in calendar.occurrences(item.start, duration, item.rule, start, end):
            found.append(Occurrence(item, at, at + duration))
    return sorted(found, key=lambda o: (o.start, o.item.title, o.item.uid))


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[tuple[date | None, list[Occurrence]]]]
    occurrences: list[Occurrence]
    previous: date
    next: date


def month_of(items: list[Item], first: date) -> Month:
    """The month starting on `first`: its grid with each day's occurrences, and the list."""
    after = calendar.shift_month(first, 1)
    zone = timezone.get_current_timezone()
    found = between(
        items,
        datetime.combine(first, time(0), tzinfo=zone),
        datetime.combine(after, time(0), tzinfo=zone),
    )
    found = [o for o in found if first <= o.day < after]
    by_day: dict[date, list[Occurrence]] = {}
    for o in found:
        by_day.setdefault(o.day, []).append(o)
    weeks = [
        [(d, by_day.get(d, []) if d else []) for d in week]
        for week in calendar.month_grid(first.year, first.month)
    ]
    return Month(first, weeks, found, calendar.shift_month(first, -1), after)


def visible_group(viewer: Member | None, slug: str) -> Group | None:
    """The group a filter or feed names, if it exists and is not archived."""
    del viewer  # a group's public events are public; the items check the rest
    return Group.objects.filter(slug=slug, archived_at__isnull=True).first()


def calendar_groups(viewer: Member | None) -> list[Group]:
    """The groups the calendar can be filtered by: those with events the reader may see."""
    events = CalendarEvent.objects.filter(
        cancelled_at__isnull=True, group__archived_at__isnull=True
    ).select_related("group")
    seen = {e.group for e in _readable(viewer, events) if e.group is not None}
    return sorted(seen, key=lambda g: (g.name, g.pk))


def manageable_groups(actor: Member | None) -> list[Group]:
    """The groups whose events `actor` may add: all for stewards, else those they lead."""
    if actor is None or not is_inside(actor):
        return []
    groups = Group.objects.filter(archived_at__isnull=True)
    if is_steward(actor):
        return list(groups)
    return [g for g in groups if leads_group(actor, g)]


def manages_community(actor: Member | None) -> bool:
    """Whether `actor` may add events for the whole community (stewards)."""
    return rules.can_manage_events(actor, None)


@dataclass(frozen=True)
class EventPage:
    event: CalendarEvent
    item: Item
    upcoming: list[Occurrence]
    may_manage: bool


def event_page(viewer: Member | None, event_id: int, *, count: int = 6) -> EventPage:
    """An event the reader may see, with its next occurrences."""
    event = CalendarEvent.objects.select_related("group").filter(pk=event_id).first()
    if event is None or not rules.can_read_event(viewer, event):
        raise NotFound(f"No event {event_id}.")
    item = event_item(event)
    now = timezone.now()
    duration = item.end - item.start
    starts = calendar.occurrences(
        item.start, duration, item.rule, now, now + timedelta(days=3660), limit=count
    )
    return EventPage(
        event,
        item,
        [Occurrence(item, at, at + duration) for at in starts],
        rules.can_manage_events(viewer, event.group),
    )


def feed_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_member(secret: str) -> Member | None:
    """The member whose live feed link holds `secret` (None: unknown or revoked)."""
    token = (
        FeedToken.objects.select_related("member")
        .filter(digest=feed_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not rules.can_keep_a_feed(token.member):
        return None
    return token.member


def feed_links(member: Member | None) -> list[FeedToken]:
    if member is None:
        return []
    return list(FeedToken.objects.filter(member=member))
