"""Calendar pages: the month and list views (anyone; members see more), each event's page,
the forms where stewards and group leads add, change and cancel events, members' private
feed links, and the iCalendar feeds.

Each view parses the form, calls one query or service and maps its errors: a refusal is
shown beside the form with the service's words (a name that matches nothing is bad input,
422), and nothing changes.
"""

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain import calendar
from accord.domain.errors import DomainError, Forbidden, NotFound
from accord.governance import calendar_feeds, queries, services
from accord.governance.models import CalendarKind, Visibility
from accord.governance.schemas import CalendarEventIn
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.people.schemas import parse
from accord.web.limits import limited
from accord.web.rendering import render_page

EVENT_FIELDS = (
    *("title", "description", "kind", "starts_at", "ends_at", "time_zone", "rule"),
    *("responsible", "group", "visibility"),
)
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
)


def _member(request: HttpRequest) -> Member:
    return request_member(request)


def _form_status(exc: DomainError) -> int:
    return 422 if exc.status == 404 else exc.status


def _local(text: str) -> datetime | str | None:
    """A datetime-local value, read by the service in the event's zone; anything else goes
    to the schema, which refuses it."""
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return text


def _event_in(values: dict[str, Any]) -> CalendarEventIn:
    given = {
        **{f: values[f] for f in ("title", "description", "rule", "responsible", "time_zone")},
        "kind": values["kind"] or CalendarKind.ACTIVITY,
        "starts_at": _local(values["starts_at"]) or "",
        "ends_at": _local(values["ends_at"]),
        "all_day": values["all_day"],
        "group": values["group"] or None,
        "visibility": values["visibility"] or Visibility.PUBLIC,
    }
    return parse(CalendarEventIn, given)


def _posted(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {f: request.POST.get(f, "") for f in EVENT_FIELDS}
    values["all_day"] = request.POST.get("all_day") == "on"
    return values


def _feed_urls(request: HttpRequest, group_slug: str) -> dict[str, str]:
    urls = {"everything": request.build_absolute_uri(reverse("governance:calendar_ics"))}
    if group_slug:
        urls["group"] = request.build_absolute_uri(
            reverse("governance:calendar_group_ics", args=[group_slug])
        )
    return urls


@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The month (or, with view=list, its list) of what the reader may see."""
    viewer = current_member(request)
    first = calendar.parse_month(request.GET.get("month", ""), timezone.localdate())
    view = "list" if request.GET.get("view") == "list" else "month"
    slug = request.GET.get("group", "").strip()[:120]
    group = queries.visible_group(viewer, slug) if slug else None
    month = queries.month_of(queries.calendar_items(viewer, group=group), first)
    query = {"group": group.slug} if group else {}
    context = {
        "month": month,
        "view": view,
        "group": group,
        "groups": queries.calendar_groups(viewer),
        "may_add": bool(queries.manageable_groups(viewer)) or queries.manages_community(viewer),
        "feeds": _feed_urls(request, group.slug if group else ""),
        "query": urlencode(query),
        "today": timezone.localdate(),
        "month_param": f"{first:%Y-%m}",
        "weekdays": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    }
    return render_page(request, "governance/calendar.html", context)


def _form(
    request: HttpRequest,
    viewer: Member,
    values: dict[str, Any],
    *,
    event_id: int | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "values": values,
        "error": error,
        "event_id": event_id,
        "groups": queries.manageable_groups(viewer),
        "community": queries.manages_community(viewer),
        "kinds": CalendarKind.choices,
        "visibilities": Visibility.choices,
        "zones": ZONES,
    }
    return render_page(request, "governance/calendar_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_event(request: HttpRequest) -> HttpResponse:
    """Stewards (and group leads, for their groups) add an event."""
    actor = _member(request)
    if not queries.manageable_groups(actor) and not queries.manages_community(actor):
        raise PermissionDenied("Only stewards and group leads add calendar events.")
    if request.method == "GET":
        values = {"kind": "activity", "visibility": "public", "time_zone": actor.time_zone}
        return _form(request, actor, values)
    values = _posted(request)
    try:
        made = services.add_event(actor, _event_in(values))
    except DomainError as exc:
        if isinstance(exc, Forbidden):
            raise PermissionDenied(exc.detail) from exc
        return _form(request, actor, values, error=exc.detail, status=_form_status(exc))
    messages.success(request, f"“{made.title}” is on the calendar.")
    return redirect("governance:calendar_event", event_id=made.pk)


@require_safe
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    """An event: when, how often, who answers for it, and its next dates."""
    try:
        page = queries.event_page(current_member(request), event_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    return render_page(request, "governance/calendar_event.html", {"page": page, "e": page.event})


def _values_of(page: queries.EventPage) -> dict[str, Any]:
    e, item = page.event, page.item
    end = item.end - (timedelta(days=1) if e.all_day else timedelta(0))
    return {
        "title": e.title,
        "description": e.description,
        "kind": e.kind,
        "starts_at": item.start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "all_day": e.all_day,
        "time_zone": e.time_zone,
        "rule": e.rule,
        "responsible": e.responsible,
        "group": e.group.slug if e.group else "",
        "visibility": e.visibility,
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit_event(request: HttpRequest, event_id: int) -> HttpResponse:
    """Whoever may manage the event changes it."""
    actor = _member(request)
    try:
        page = queries.event_page(actor, event_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    if not page.may_manage:
        raise PermissionDenied("Only stewards and the group's leads change this event.")
    if request.method == "GET":
        return _form(request, actor, _values_of(page), event_id=event_id)
    values = _posted(request)
    try:
        services.update_event(actor, event_id, _event_in(values))
    except DomainError as exc:
        if isinstance(exc, Forbidden):
            raise PermissionDenied(exc.detail) from exc
        return _form(
            request, actor, values, event_id=event_id, error=exc.detail, status=_form_status(exc)
        )
    messages.success(request, "The event is changed.")
    return redirect("governance:calendar_event", event_id=event_id)


@login_required
@require_POST
def cancel_event(request: HttpRequest, event_id: int) -> HttpResponse:
    """Whoever may manage the event cancels it."""
    try:
        services.cancel_event(_member(request), event_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("governance:calendar_event", event_id=event_id)
    messages.success(request, "The event is cancelled and leaves the calendar and its feeds.")
    return redirect("governance:calendar")


# -- private feed links -------------------------------------------------------------------


def _private_url(request: HttpRequest, secret: str) -> str:
    return request.build_absolute_uri(reverse("governance:calendar_private_ics", args=[secret]))


@login_required
@require_http_methods(["GET", "POST"])
@limited("feed-link", "20/h")
def feed_links(request: HttpRequest) -> HttpResponse:
    """A member's private feed links: make one (its address is shown once) or revoke one."""
    actor = _member(request)
    context: dict[str, Any] = {"new_url": "", "error": ""}
    status = 200
    if request.method == "POST":
        try:
            made = services.create_feed_link(actor)
        except Forbidden as exc:
            raise PermissionDenied(exc.detail) from exc
        except DomainError as exc:
            context["error"], status = exc.detail, _form_status(exc)
        else:
            context["new_url"], status = _private_url(request, made.secret), 201
    context["links"] = queries.feed_links(actor)
    return render_page(request, "governance/calendar_feeds.html", context, status=status)


@login_required
@require_POST
def revoke_feed_link(request: HttpRequest, token_id: int) -> HttpResponse:
    """Stop one of the member's own feed links."""
    try:
        services.revoke_feed_link(_member(request), token_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, "That feed link no longer works.")
    return redirect("governance:calendar_feeds")


# -- iCalendar feeds ----------------------------------------------------------------------


def _ics(request: HttpRequest, name: str, items: list[queries.Item]) -> HttpResponse:
    body = calendar_feeds.feed(name, items, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    """Everything public, for anyone to subscribe to."""
    return _ics(request, "Accord", queries.calendar_items(None, public=True))


@require_safe
def group_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """A group's public events."""
    group = queries.visible_group(None, slug)
    if group is None:
        raise Http404(f"No group {slug!r}.")
    return _ics(
        request, f"Accord: {group.name}", queries.calendar_items(None, group=group, public=True)
    )


@require_safe
def private_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """Everything the link's member may see; an unknown or revoked link is not found."""
    member = queries.feed_member(secret)
    if member is None:
        raise Http404("No such feed.")
    return _ics(request, "Accord (private)", queries.calendar_items(member))
