"""Calendar events for the tests: made through the services, as a steward would."""

from typing import Any

import vobject

from accord.governance import services
from accord.governance.models import CalendarEvent
from accord.governance.schemas import CalendarEventIn
from accord.people.models import Member


def event_in(**overrides: Any) -> CalendarEventIn:
    fields: dict[str, Any] = {
        "title": "Monthly check-in",
        "kind": "ritual",
        "starts_at": "2027-01-05T18:00",
        "ends_at": "2027-01-05T19:00",
        "time_zone": "Europe/Paris",
        "rule": "FREQ=MONTHLY;BYDAY=1TU",
        "responsible": "The stewards",
    }
    return CalendarEventIn(**{**fields, **overrides})


def add(actor: Member, **overrides: Any) -> CalendarEvent:
    return services.add_event(actor, event_in(**overrides))


def parsed(body: bytes) -> Any:
    """The feed read by an independent parser (vobject), not the library that wrote it."""
    return vobject.readOne(body.decode())


def events_of(body: bytes) -> dict[str, Any]:
    """The feed's VEVENTs by SUMMARY."""
    return {e.summary.value: e for e in getattr(parsed(body), "vevent_list", [])}
