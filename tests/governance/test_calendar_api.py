"""The calendar through the API: adding, changing and cancelling events, occurrences in a
window with recurrences expanded, and private feed links made, listed and revoked."""

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accord.governance.models import CalendarEvent
from tests.conftest import Cast, client_for
from tests.governance.calendar_helpers import add

EVENT = {
    "title": "Monthly check-in",
    "kind": "ritual",
    "starts_at": "2027-01-05T18:00",
    "time_zone": "Europe/Paris",
    "rule": "FREQ=MONTHLY;BYDAY=1TU;COUNT=6",
}


def _send(client: Client, path: str, body: Any = None, method: str = "post") -> Any:
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_an_event_is_added_changed_and_cancelled(cast: Cast) -> None:
    steward = client_for(cast.steward)

    made = _send(steward, "/api/v1/calendar/events", EVENT)
    pk = made.json()["id"]
    changed = _send(
        steward, f"/api/v1/calendar/events/{pk}", {**EVENT, "title": "Check-in"}, "put"
    )
    cancelled = _send(steward, f"/api/v1/calendar/events/{pk}/cancel")

    assert made.status_code == 201
    assert made.json()["starts_at"] == "2027-01-05T18:00:00+01:00"
    assert made.json()["url"] == f"/calendar/events/{pk}/"
    assert changed.json()["title"] == "Check-in"
    assert cancelled.json()["cancelled"] is True


def test_a_bad_rule_is_a_422_with_its_reason(cast: Cast) -> None:
    response = _send(client_for(cast.steward), "/api/v1/calendar/events", {**EVENT, "rule": "X"})

    assert response.status_code == 422
    assert response.json()["detail"] == "The recurrence rule part 'X' is not NAME=VALUE."
    assert CalendarEvent.objects.count() == 0


def test_a_member_may_not_add_an_event(cast: Cast) -> None:
    response = _send(client_for(cast.member), "/api/v1/calendar/events", EVENT)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_occurrences_expand_the_rule_inside_the_window(cast: Cast) -> None:
    add(cast.steward, rule="FREQ=MONTHLY;BYDAY=1TU;COUNT=6")

    response = client_for(cast.member).get(
        "/api/v1/calendar/occurrences",
        {"start": "2027-02-01T00:00:00Z", "end": "2027-12-31T00:00:00Z"},
    )

    starts = [o["starts_at"] for o in response.json()]
    assert starts == [
        "2027-02-02T18:00:00+01:00",
        "2027-03-02T18:00:00+01:00",
        "2027-04-06T18:00:00+02:00",
        "2027-05-04T18:00:00+02:00",
        "2027-06-01T18:00:00+02:00",
    ]


def test_a_window_without_a_zone_or_too_long_is_refused(cast: Cast) -> None:
    member = client_for(cast.member)

    naive = member.get(
        "/api/v1/calendar/occurrences", {"start": "2027-02-01T00:00", "end": "2027-03-01T00:00"}
    )
    long = member.get(
        "/api/v1/calendar/occurrences",
        {"start": "2027-01-01T00:00Z", "end": "2029-01-01T00:00Z"},
    )

    assert (naive.status_code, long.status_code) == (422, 422)


def test_a_feed_link_is_shown_once_and_revoked(cast: Cast) -> None:
    member = client_for(cast.member)

    made = _send(member, "/api/v1/calendar/feed-links")
    listed = member.get("/api/v1/calendar/feed-links")
    url = made.json()["url"]
    works = Client().get(url.removeprefix("http://testserver"))
    revoked = _send(member, f"/api/v1/calendar/feed-links/{made.json()['id']}/revoke")
    other = _send(
        client_for(cast.other), f"/api/v1/calendar/feed-links/{made.json()['id']}/revoke"
    )

    assert made.status_code == 201
    assert "url" not in listed.json()[0]
    assert works.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert other.status_code == 404
    assert Client().get(url.removeprefix("http://testserver")).status_code == 404


def test_listing_events_asks_the_database_a_fixed_number_of_times(cast: Cast) -> None:
    member = client_for(cast.member)
    add(cast.steward, group=cast.group.slug, visibility="members")
    with CaptureQueriesContext(connection) as one:
        member.get("/api/v1/calendar/events")
    for _ in range(4):
        add(cast.steward, group=cast.group.slug, visibility="members")

    with CaptureQueriesContext(connection) as five:
        listed = member.get("/api/v1/calendar/events")

    assert len(listed.json()) == 5
    assert len(five) == len(one)
