"""The calendar as RFC 5545 iCalendar: one VEVENT per item, in the zone it was set in (with
its VTIMEZONE), its recurrence rule, and its page's absolute URL (also in its description,
since some calendar apps show only that)."""

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from accord.governance.queries import Item

PRODID = "-//Accord//Community calendar//EN"


def _rule(item: Item) -> vRecur:
    rule: vRecur = vRecur.from_ical(item.rule)
    return rule


def _event(item: Item, absolute: Callable[[str], str], stamp: datetime) -> Event:
    url = absolute(item.path)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    if item.all_day:
        event.add("dtstart", item.start.date())
        event.add("dtend", item.end.date())
    else:
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
    if item.rule:
        event.add("rrule", _rule(item))
    if item.event is not None:  # so calendar apps pick up a change
        event.add("last-modified", item.event.updated_at)
    event.add("summary", item.title)
    details = [item.description] if item.description else []
    if item.responsible:
        details.append(f"Responsible: {item.responsible}")
    if item.group is not None:
        details.append(f"Group: {item.group.name}")
    details.append(url)
    event.add("description", "\n\n".join(details))
    event.add("url", url)
    event.add("categories", [item.kind])
    return event


def feed(name: str, items: list[Item], absolute: Callable[[str], str]) -> bytes:
    """The iCalendar text of `items`, named `name`, each event's URL made by `absolute`."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for item in sorted(items, key=lambda i: (i.start, i.uid)):
        cal.add_component(_event(item, absolute, stamp))
    cal.add_missing_timezones()
    body: bytes = cal.to_ical()
    return body
