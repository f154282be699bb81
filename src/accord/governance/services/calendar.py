"""Writes about the calendar: one function per action.

Adding, changing and cancelling an event are acts of office, named in the ledger by the
handle of the steward or group lead who did it, with the event's text only as a salted hash.
A member's private feed links are their own: they stay out of the ledger.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accord.domain import calendar
from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.domain.text import required
from accord.governance import calendar_permissions as rules
from accord.governance import queries
from accord.governance.models import CalendarEvent, FeedToken
from accord.governance.schemas import CalendarEventIn
from accord.ledger import services as ledger
from accord.people.models import Group, Member

FEED_PREFIX = "cal_"
MAX_LIVE_FEED_LINKS = 5


def _subject(event: CalendarEvent) -> str:
    return f"calendar_event:{event.pk}"


def _group(slug: str | None) -> Group | None:
    if not slug:
        return None
    group = Group.objects.filter(slug=slug, archived_at__isnull=True).first()
    if group is None:
        raise NotFound(f"No group {slug!r}.")
    return group


def _in_zone(when: datetime, zone: str) -> datetime:
    tz = calendar.zone(zone)
    if timezone.is_naive(when):
        return when.replace(tzinfo=tz, second=0, microsecond=0)
    return when.astimezone(tz).replace(second=0, microsecond=0)


@dataclass(frozen=True)
class Timing:
    starts_at: datetime
    ends_at: datetime
    zone: str
    rule: str


def _timing(data: CalendarEventIn) -> Timing:
    """The start and end in the event's zone, checked, and its recurrence rule read."""
    zone = data.time_zone.strip() or queries.community_zone()
    start = _in_zone(data.starts_at, zone)
    if data.all_day:
        start = datetime.combine(start.date(), time(0), tzinfo=start.tzinfo)
        last = _in_zone(data.ends_at, zone).date() if data.ends_at else start.date()
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=start.tzinfo)
    else:
        end = _in_zone(data.ends_at, zone) if data.ends_at else start + timedelta(hours=1)
    if end < start or (end == start and data.all_day):
        raise InvalidInput("The event ends before it starts.")
    if end - start > timedelta(days=366):
        raise InvalidInput("An event lasts a year at most; make a longer one recur.")
    # All-day rules run on dates, so their UNTIL need not be in UTC.
    rule = calendar.parse_rule(data.rule, start.replace(tzinfo=None) if data.all_day else start)
    return Timing(start, end, zone, rule)


def _check(actor: Member, group: Group | None) -> None:
    if not rules.can_manage_events(actor, group):
        who = "Only stewards and the group's leads" if group else "Only stewards"
        raise Forbidden(f"{who} add or change this calendar's events.")


def _facts(event: CalendarEvent) -> dict[str, object]:
    return {
        "title_sha256": ledger.note(event.title),
        "kind": event.kind,
        "scope": f"group:{event.group.slug}" if event.group else "community",
        "visibility": event.visibility,
        "starts_at": ledger.format_at(event.starts_at),
        "recurring": bool(event.rule),
    }


def add_event(actor: Member, data: CalendarEventIn) -> CalendarEvent:
    """A steward adds an event for the community or any group; a group's lead for their
    group. A bad recurrence rule or time zone is refused with its reason."""
    group = _group(data.group)
    _check(actor, group)
    title = required(data.title, "The title is empty: write something.")
    timing = _timing(data)
    with transaction.atomic(durable=True):
        event = CalendarEvent.objects.create(
            title=title,
            description=data.description.strip(),
            kind=data.kind,
            starts_at=timing.starts_at,
            ends_at=timing.ends_at,
            all_day=data.all_day,
            time_zone=timing.zone,
            rule=timing.rule,
            responsible=data.responsible.strip(),
            group=group,
            visibility=data.visibility,
            created_by=actor,
        )
        ledger.append("calendar.event_added", actor.pseudonym, _subject(event), _facts(event))
    return event


def _locked(actor: Member, event_id: int) -> CalendarEvent:
    event = (
        CalendarEvent.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk=event_id)
        .first()
    )
    if event is None or not rules.can_read_event(actor, event):
        raise NotFound(f"No event {event_id}.")
    _check(actor, event.group)
    if event.cancelled_at is not None:
        raise InvalidInput("This event is cancelled: add a new one instead.")
    return event


def update_event(actor: Member, event_id: int, data: CalendarEventIn) -> CalendarEvent:
    """Change an event's details (who may change it may also move it to a group they run)."""
    group = _group(data.group)
    title = required(data.title, "The title is empty: write something.")
    timing = _timing(data)
    with transaction.atomic(durable=True):
        event = _locked(actor, event_id)
        _check(actor, group)
        event.title, event.description = title, data.description.strip()
        event.kind, event.all_day, event.rule = data.kind, data.all_day, timing.rule
        event.starts_at, event.ends_at, event.time_zone = (
            timing.starts_at,
            timing.ends_at,
            timing.zone,
        )
        event.responsible, event.group = data.responsible.strip(), group
        event.visibility, event.updated_at = data.visibility, timezone.now()
        event.save()
        ledger.append("calendar.event_changed", actor.pseudonym, _subject(event), _facts(event))
    return event


def cancel_event(actor: Member, event_id: int) -> CalendarEvent:
    """Cancel an event: it leaves the calendar and its feeds; its page says it was cancelled."""
    with transaction.atomic(durable=True):
        event = _locked(actor, event_id)
        event.cancelled_at = timezone.now()
        event.save(update_fields=["cancelled_at"])
        ledger.append("calendar.event_cancelled", actor.pseudonym, _subject(event), {})
    return event


@dataclass(frozen=True)
class NewFeedLink:
    token: FeedToken
    secret: str  # shown to the member once, never stored


def create_feed_link(actor: Member) -> NewFeedLink:
    """A secret link to the member's private feed (everything they may see, decision
    closings included). The secret is shown once; only its digest is stored."""
    if not rules.can_keep_a_feed(actor):
        raise Forbidden("Private calendar feeds are for the community's members.")
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        live = FeedToken.objects.filter(member=actor, revoked_at__isnull=True).count()
        if live >= MAX_LIVE_FEED_LINKS:
            raise InvalidInput(
                f"You already have {MAX_LIVE_FEED_LINKS} feed links: revoke one first."
            )
        token = FeedToken.objects.create(
            member=actor, prefix=secret[:10], digest=queries.feed_digest(secret)
        )
    return NewFeedLink(token, secret)


def revoke_feed_link(actor: Member, token_id: int) -> FeedToken:
    """Stop one of the member's own feed links at once. Another's is not found."""
    with transaction.atomic(durable=True):
        token = FeedToken.objects.select_for_update().filter(pk=token_id, member=actor).first()
        if token is None:
            raise NotFound(f"No feed link {token_id}.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
