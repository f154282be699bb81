"""Calendar routes: members read the events and occurrences they may see; stewards (a
group's leads for the group) add, change and cancel events; each member keeps their own
private feed links. The feeds themselves are plain iCalendar addresses, not API routes."""

from datetime import datetime, timedelta

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from accord.domain.errors import InvalidInput
from accord.governance import queries, services
from accord.governance.models import CalendarEvent, FeedToken
from accord.governance.schemas import (
    CalendarEventIn,
    CalendarEventOut,
    CalendarItemOut,
    FeedLinkOut,
    NewFeedLinkOut,
)
from accord.people.auth import actor
from accord.web.errors import Error
from accord.web.inputs import Id

router = Router(tags=["calendar"])
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
MAX_WINDOW = timedelta(days=400)


def event_out(e: CalendarEvent) -> CalendarEventOut:
    return CalendarEventOut(
        id=e.pk,
        title=e.title,
        description=e.description,
        kind=e.kind,  # type: ignore[arg-type]
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        all_day=e.all_day,
        time_zone=e.time_zone,
        rule=e.rule,
        responsible=e.responsible,
        group=e.group.slug if e.group else None,
        visibility=e.visibility,  # type: ignore[arg-type]
        cancelled=e.cancelled_at is not None,
        url=reverse("governance:calendar_event", args=[e.pk]),
    )


def link_out(t: FeedToken) -> FeedLinkOut:
    return FeedLinkOut(id=t.pk, prefix=t.prefix, created_at=t.created_at, revoked_at=t.revoked_at)


@router.get(
    "/events",
    response={200: list[CalendarEventOut], 401: Error},
    url_name="api-calendar-events",
    operation_id="list_calendar_events",
)
def list_events(request: HttpRequest) -> list[CalendarEventOut]:
    """The events the reader may see, in start order (each recurring one once)."""
    return [event_out(e) for e in queries.list_events(actor(request))]


@router.post(
    "/events",
    response={201: CalendarEventOut, **WRITE_ERRORS},
    url_name="api-calendar-event-create",
    operation_id="add_calendar_event",
)
def add(request: HttpRequest, payload: CalendarEventIn) -> tuple[int, CalendarEventOut]:
    """Add an event for the community (stewards) or a group (its leads too)."""
    return 201, event_out(services.add_event(actor(request), payload))


@router.get(
    "/events/{event_id}",
    response={200: CalendarEventOut, 401: Error, 404: Error},
    url_name="api-calendar-event",
    operation_id="get_calendar_event",
)
def detail(request: HttpRequest, event_id: Id) -> CalendarEventOut:
    """One event the reader may see."""
    return event_out(queries.event_page(actor(request), event_id).event)


@router.put(
    "/events/{event_id}",
    response={200: CalendarEventOut, **WRITE_ERRORS},
    url_name="api-calendar-event-update",
    operation_id="update_calendar_event",
)
def update(request: HttpRequest, event_id: Id, payload: CalendarEventIn) -> CalendarEventOut:
    """Change an event's details."""
    return event_out(services.update_event(actor(request), event_id, payload))


@router.post(
    "/events/{event_id}/cancel",
    response={200: CalendarEventOut, **WRITE_ERRORS},
    url_name="api-calendar-event-cancel",
    operation_id="cancel_calendar_event",
)
def cancel(request: HttpRequest, event_id: Id) -> CalendarEventOut:
    """Cancel an event: it leaves the calendar and its feeds."""
    return event_out(services.cancel_event(actor(request), event_id))


@router.get(
    "/occurrences",
    response={200: list[CalendarItemOut], 401: Error, 422: Error},
    url_name="api-calendar-occurrences",
    operation_id="list_calendar_occurrences",
)
def occurrences(request: HttpRequest, start: datetime, end: datetime) -> list[CalendarItemOut]:
    """Every occurrence the reader may see in [start, end) (at most 400 days), recurring
    events expanded, with decision closings, partnership reviews and term endings."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("Give start and end with a time zone (e.g. 2027-03-01T00:00Z).")
    if not start < end <= start + MAX_WINDOW:
        raise InvalidInput("The end comes after the start, at most 400 days later.")
    found = queries.between(queries.calendar_items(actor(request)), start, end)
    return [
        CalendarItemOut(
            uid=o.item.uid,
            source=o.item.source,
            kind=o.item.kind,
            title=o.item.title,
            starts_at=o.start,
            ends_at=o.end,
            all_day=o.item.all_day,
            group=o.item.group.slug if o.item.group else None,
            responsible=o.item.responsible,
            recurring=bool(o.item.rule),
            url=o.item.path,
        )
        for o in found
    ]


@router.get(
    "/feed-links",
    response={200: list[FeedLinkOut], 401: Error},
    url_name="api-calendar-feed-links",
    operation_id="list_calendar_feed_links",
)
def feed_links(request: HttpRequest) -> list[FeedLinkOut]:
    """The reader's private feed links (never their secret)."""
    return [link_out(t) for t in queries.feed_links(actor(request))]


@router.post(
    "/feed-links",
    response={201: NewFeedLinkOut, **WRITE_ERRORS},
    url_name="api-calendar-feed-link-create",
    operation_id="create_calendar_feed_link",
)
def create_link(request: HttpRequest) -> tuple[int, NewFeedLinkOut]:
    """A new private feed link; its address is in this answer only."""
    made = services.create_feed_link(actor(request))
    url = request.build_absolute_uri(
        reverse("governance:calendar_private_ics", args=[made.secret])
    )
    return 201, NewFeedLinkOut(**link_out(made.token).model_dump(), url=url)


@router.post(
    "/feed-links/{token_id}/revoke",
    response={200: FeedLinkOut, **WRITE_ERRORS},
    url_name="api-calendar-feed-link-revoke",
    operation_id="revoke_calendar_feed_link",
)
def revoke_link(request: HttpRequest, token_id: Id) -> FeedLinkOut:
    """Stop one of the reader's feed links at once."""
    return link_out(services.revoke_feed_link(actor(request), token_id))
