"""Positions, calls and memory entries for the succession tests, made through the services."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accord.governance import services
from accord.governance.models import Position, VolunteerCall
from accord.governance.schemas import CallIn, PositionIn, PositionTermIn
from accord.people.models import Member

BACKGROUNDS = ["Students", "Retirees", "Newcomers"]


def position(steward: Member, **overrides: Any) -> Position:
    fields: dict[str, Any] = {"title": "Treasurer", "seats": 1, "term_limit": 2}
    return services.create_position(steward, PositionIn(**{**fields, **overrides}))


def held(steward: Member, p: Position, holder: Member, *, days: int = 200) -> None:
    """`holder` holds `p` from a while ago until `days` from today."""
    today = timezone.localdate()
    services.record_position_term(
        steward,
        p.pk,
        PositionTermIn(
            member=holder.pseudonym,
            start=today - timedelta(days=100),
            end=today + timedelta(days=days),
        ),
    )


def call(steward: Member, p: Position, **overrides: Any) -> VolunteerCall:
    fields: dict[str, Any] = {
        "position": p.pk,
        "asks": "Someone to keep the books, two hours a week.",
        "backgrounds": BACKGROUNDS,
        "closes_on": timezone.localdate() + timedelta(days=14),
    }
    return services.open_call(steward, CallIn(**{**fields, **overrides}))


def today() -> date:
    return timezone.localdate()
