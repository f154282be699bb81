"""The calendar's rules: RFC 5545 recurrence rules read and checked, their occurrences
expanded inside a window, and a month laid out as weeks.

Times are aware datetimes in the zone an event was set in, so a weekly ritual at 18:00 stays
at 18:00 local time across daylight-saving changes. All-day events use naive midnights.
"""

import calendar as stdlib_calendar
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrule, rrulestr

from accord.domain.errors import InvalidInput

RULE_MAX = 300  # characters of an RRULE value
MAX_OCCURRENCES = 500  # per event and window: a daily rule over years stays bounded
# Sub-daily rules would flood a calendar; rituals recur daily at most.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called `name`; `InvalidInput` for an unknown one."""
    if name not in available_timezones():
        raise InvalidInput(f"{name!r} is not a known time zone (e.g. Europe/Paris).")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - listed above
        raise InvalidInput(f"{name!r} is not a known time zone.") from exc


def _parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if not sep or not key or not value:
            raise InvalidInput(f"The recurrence rule part {part!r} is not NAME=VALUE.")
        if key.upper() in parts:
            raise InvalidInput(f"The recurrence rule gives {key.upper()} twice.")
        parts[key.upper()] = value
    return parts


def _line(text: str) -> str:
    cleaned = text.strip()
    if cleaned.upper().startswith("RRULE:"):
        cleaned = cleaned[6:].strip()
    if len(cleaned) > RULE_MAX:
        raise InvalidInput(f"The recurrence rule is longer than {RULE_MAX} characters.")
    if any(c.isspace() for c in cleaned):
        raise InvalidInput("The recurrence rule is one line without spaces, e.g. FREQ=WEEKLY.")
    return cleaned.upper()


def parse_rule(text: str, start: datetime) -> str:
    """The RRULE value `text` (an optional "RRULE:" prefix dropped, upper-cased), checked
    against an event starting at `start`: one rule, a FREQ of DAILY to YEARLY, not both
    COUNT and UNTIL, an UNTIL in UTC (ending in Z) for a timed event, at least one
    occurrence. Empty text means no recurrence (""). Raises `InvalidInput` with the reason."""
    cleaned = _line(text)
    if not cleaned:
        return ""
    parts = _parts(cleaned)
    freq = parts.get("FREQ")
    if freq is None:
        raise InvalidInput("The recurrence rule needs a FREQ, e.g. FREQ=MONTHLY;BYDAY=1TU.")
    if freq not in FREQUENCIES:
        raise InvalidInput(f"A calendar event recurs {', '.join(FREQUENCIES)} (not {freq}).")
    if "COUNT" in parts and "UNTIL" in parts:
        raise InvalidInput("A recurrence rule gives COUNT or UNTIL, not both.")
    if "UNTIL" in parts and start.tzinfo is not None and not parts["UNTIL"].endswith("Z"):
        raise InvalidInput("UNTIL must be in UTC, ending in Z (e.g. UNTIL=20271231T235959Z).")
    try:
        rule = rrulestr(cleaned, dtstart=start)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise InvalidInput(f"The recurrence rule cannot be read: {exc}.") from exc
    if not isinstance(rule, rrule) or rule.after(start, inc=True) is None:
        raise InvalidInput("The recurrence rule gives no occurrence from the event's start.")
    return cleaned


def _starts(start: datetime, rule: str) -> Iterator[datetime]:
    if not rule:
        yield start
        return
    parsed = rrulestr(rule, dtstart=start)
    yield from parsed


def occurrences(
    start: datetime,
    duration: timedelta,
    rule: str,
    window_start: datetime,
    window_end: datetime,
    *,
    limit: int = MAX_OCCURRENCES,
) -> tuple[datetime, ...]:
    """The starts of the occurrences of an event (first at `start`, lasting `duration`,
    recurring by `rule`, "" for once) that overlap [window_start, window_end): sorted,
    without repeats, at most `limit`. Every start is one the rule gives, on or after
    `start`; COUNT and UNTIL are the rule's own."""
    found: list[datetime] = []
    for at in _starts(start, rule):
        if at >= window_end or len(found) >= limit:
            break
        if at + max(duration, timedelta(0)) > window_start or at >= window_start:
            found.append(at)
    return tuple(found)


def parse_month(text: str, today: date) -> date:
    """The first day of the month "YYYY-MM"; `today`'s month when empty or unreadable."""
    match = _MONTH.match(text.strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1 <= year <= 9998:
            return date(year, month, 1)
    return today.replace(day=1)


def shift_month(first: date, months: int) -> date:
    """The first day of the month `months` after `first`'s (before, if negative)."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_grid(year: int, month: int) -> tuple[tuple[date | None, ...], ...]:
    """The month as weeks from Monday to Sunday: each day of the month once, in order, with
    None for the days of neighbouring months."""
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
    return tuple(tuple(date(year, month, d) if d else None for d in week) for week in weeks)
