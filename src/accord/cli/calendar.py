"""The calendar: anyone lists what they may see; stewards (a group's leads for the group)
add and cancel events, recurring ones with an RFC 5545 rule."""

from datetime import datetime, time, timedelta
from typing import Annotated, Any

import typer
from django.utils import timezone
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, out
from accord.domain import calendar
from accord.domain.errors import DomainError
from accord.governance import queries, services
from accord.governance.schemas import CalendarEventIn
from accord.people.schemas import parse

calendar_app = typer.Typer(help="The community calendar.", no_args_is_help=True)


@calendar_app.command("list")
def list_occurrences(
    as_member: AsOption,
    month: Annotated[str, typer.Option(help="The month, YYYY-MM (default: this one).")] = "",
    days: Annotated[int, typer.Option(min=1, max=400, help="How many days to show.")] = 31,
) -> None:
    """What is on the calendar that you may see, from the month's first day."""
    viewer = acting(as_member)
    first = calendar.parse_month(month, timezone.localdate())
    start = datetime.combine(first, time(0), tzinfo=timezone.get_current_timezone())
    found = queries.between(queries.calendar_items(viewer), start, start + timedelta(days=days))
    table = Table("When", "What", "Kind", "For", "Event")
    for o in found:
        when = f"{o.start:%Y-%m-%d}" if o.item.all_day else f"{o.start:%Y-%m-%d %H:%M %Z}"
        scope = o.item.group.name if o.item.group else "community"
        number = str(o.item.event.pk) if o.item.event else "—"
        table.add_row(when, o.item.title, o.item.kind, scope, number)
    out.print(table)


@calendar_app.command("add")
def add(
    title: Annotated[str, typer.Argument(help="The event's title.")],
    *,
    as_member: AsOption,
    start: Annotated[str, typer.Option(help="Start, e.g. 2027-03-02T18:00 (in --zone).")],
    end: Annotated[str, typer.Option(help="End (default: an hour after the start).")] = "",
    zone: Annotated[str, typer.Option(help="IANA time zone (default: the community's).")] = "",
    kind: Annotated[str, typer.Option(help="activity, deadline, milestone or ritual.")] = (
        "activity"
    ),
    rule: Annotated[str, typer.Option(help="RFC 5545 rule, e.g. FREQ=MONTHLY;BYDAY=1TU.")] = "",
    all_day: Annotated[bool, typer.Option(help="An all-day event.")] = False,
    description: Annotated[str, typer.Option(help="What it is about.")] = "",
    responsible: Annotated[str, typer.Option(help="A role, or an office holder.")] = "",
    group: Annotated[str, typer.Option(help="A group's slug (default: everyone).")] = "",
    members_only: Annotated[bool, typer.Option(help="Only members (of the group) see it.")] = (
        False
    ),
) -> None:
    """Add an event to the calendar."""
    actor = acting(as_member)
    fields: dict[str, Any] = {
        "title": title,
        "description": description,
        "kind": kind,
        "starts_at": start,
        "ends_at": end or None,
        "all_day": all_day,
        "time_zone": zone,
        "rule": rule,
        "responsible": responsible,
        "group": group or None,
        "visibility": "members" if members_only else "public",
    }
    try:
        made = services.add_event(actor, parse(CalendarEventIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    repeats = f", repeating {made.rule}" if made.rule else ""
    out.print(f"Added event {made.pk}: {made.title}{repeats}.", markup=False)


@calendar_app.command("cancel")
def cancel(
    event_id: Annotated[int, typer.Argument(help="The event's number.")], as_member: AsOption
) -> None:
    """Cancel an event: it leaves the calendar and its feeds."""
    try:
        services.cancel_event(acting(as_member), event_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Event {event_id} is cancelled.")
