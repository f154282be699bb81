"""The calendar's services and feeds: stewards and group leads add, change and cancel
events; bad rules are refused and change nothing; the feeds parse with an independent
parser and give the right times, zones, recurrences and links; the public feeds hold
nothing members-only; a private feed needs its secret and stops when revoked."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.governance import services
from accord.governance.models import CalendarEvent, FeedToken
from accord.ledger.models import Entry
from accord.partners.models import Agreement
from accord.people.models import LeadershipTerm
from tests.conftest import Cast, client_for
from tests.governance.calendar_helpers import add, event_in, events_of, parsed
from tests.governance.conftest import agreement, opened

PARIS = ZoneInfo("Europe/Paris")


def test_a_steward_adds_a_recurring_ritual_and_the_ledger_keeps_no_text(cast: Cast) -> None:
    made = add(cast.steward)

    assert made.rule == "FREQ=MONTHLY;BYDAY=1TU"
    assert made.starts_at == datetime(2027, 1, 5, 17, 0, tzinfo=UTC)
    assert made.time_zone == "Europe/Paris"
    entry = Entry.objects.get(kind="calendar.event_added")
    assert entry.actor == cast.steward.pseudonym
    assert b"Monthly" not in bytes(entry.data)
    assert b'"recurring":true' in bytes(entry.data)


def test_a_group_lead_adds_for_their_group_only(cast: Cast) -> None:
    add(cast.group_lead, group=cast.group.slug, rule="")

    with pytest.raises(Forbidden):
        add(cast.group_lead, rule="")
    with pytest.raises(Forbidden):
        add(cast.member, group=cast.group.slug, rule="")
    assert CalendarEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"rule": "FREQ=SOMETIMES"}, "recurs DAILY"),
        ({"rule": "BYDAY=MO"}, "needs a FREQ"),
        ({"time_zone": "Mars/Olympus"}, "not a known time zone"),
        ({"ends_at": "2027-01-05T17:00"}, "ends before it starts"),
        ({"title": "  "}, "title is empty"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_changes_nothing(
    cast: Cast, overrides: dict[str, str], reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        add(cast.steward, **overrides)

    assert CalendarEvent.objects.count() == 0
    assert not Entry.objects.filter(kind__startswith="calendar.").exists()


def test_an_all_day_event_spans_whole_days(cast: Cast) -> None:
    made = add(cast.steward, all_day=True, ends_at="2027-01-06T00:00", rule="")

    start = made.starts_at.astimezone(PARIS)
    end = made.ends_at.astimezone(PARIS)
    assert (start.date(), start.hour, end.date(), end.hour) == (
        date(2027, 1, 5),
        0,
        date(2027, 1, 7),
        0,
    )


def test_changing_and_cancelling_an_event(cast: Cast) -> None:
    made = add(cast.steward)

    services.update_event(cast.steward, made.pk, event_in(title="Check-in", rule="FREQ=WEEKLY"))
    services.cancel_event(cast.steward, made.pk)

    made.refresh_from_db()
    assert (made.title, made.rule) == ("Check-in", "FREQ=WEEKLY")
    assert made.cancelled_at is not None
    with pytest.raises(InvalidInput):
        services.cancel_event(cast.steward, made.pk)


def test_a_members_only_group_event_is_not_found_by_outsiders(cast: Cast) -> None:
    made = add(cast.steward, group=cast.group.slug, visibility="members")

    with pytest.raises(NotFound):
        services.cancel_event(cast.treasurer, made.pk)
    with pytest.raises(Forbidden):
        services.cancel_event(cast.member, made.pk)


def _feed(client: Client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


def test_the_public_feed_parses_with_times_zones_recurrences_and_links(cast: Cast) -> None:
    made = add(cast.steward)
    add(cast.steward, title="Grant report due", kind="deadline", all_day=True, rule="")

    body = _feed(Client(), "/calendar.ics")

    events = events_of(body)
    ritual = events["Monthly check-in"]
    assert ritual.dtstart.value == datetime(2027, 1, 5, 18, 0, tzinfo=PARIS)
    assert ritual.dtstart.value.tzinfo.utcoffset(ritual.dtstart.value) == timedelta(hours=1)
    assert ritual.dtend.value - ritual.dtstart.value == timedelta(hours=1)
    assert ritual.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Paris"]
    assert ritual.url.value == f"http://testserver/calendar/events/{made.pk}/"
    assert ritual.url.value in ritual.description.value
    assert ritual.uid.value == f"event-{made.pk}@accord"
    assert ritual.last_modified.value == made.updated_at.replace(microsecond=0)
    firsts = list(ritual.getrruleset(addRDate=True))[:4]
    assert [(d.month, d.day, d.hour) for d in firsts] == [
        (1, 5, 18),
        (2, 2, 18),
        (3, 2, 18),
        (4, 6, 18),
    ]
    # Summer time from 28 March: the same local hour, two hours ahead of UTC (read, as
    # calendar apps do, by the event's TZID; the feed's VTIMEZONE names that change too).
    zone = ZoneInfo(ritual.dtstart.params["X-VOBJ-ORIGINAL-TZID"][0])
    assert firsts[3].replace(tzinfo=zone).utcoffset() == timedelta(hours=2)
    assert parsed(body).vtimezone.tzid.value == "Europe/Paris"
    assert "20270328T030000" in body.decode().replace("\r\n ", "")
    deadline = events["Grant report due"]
    assert deadline.dtstart.value == date(2027, 1, 5)
    assert deadline.dtend.value == date(2027, 1, 6)


def test_members_only_things_never_reach_the_public_feeds(cast: Cast) -> None:
    add(cast.steward, title="Public ritual")
    add(cast.steward, title="Members' evening", visibility="members", rule="")
    add(cast.steward, title="Chapter huddle", group=cast.group.slug, visibility="members")
    add(cast.steward, title="Chapter picnic", group=cast.group.slug, rule="")
    opened(cast, title="Secret plan")
    LeadershipTerm.objects.create(
        group=cast.group, member=cast.group_lead, start=date(2026, 1, 1), end=date(2027, 6, 30)
    )

    public = events_of(_feed(Client(), "/calendar.ics"))
    group = events_of(_feed(Client(), f"/calendar/groups/{cast.group.slug}.ics"))

    assert set(public) == {"Public ritual", "Chapter picnic"}
    assert set(group) == {"Chapter picnic"}


def test_a_partnership_review_appears_by_itself_in_the_public_feed(cast: Cast) -> None:
    pk = agreement(cast)
    Agreement.objects.filter(pk=pk).update(
        review_every_months=6, last_reviewed_on=date(2027, 1, 15)
    )

    events = events_of(_feed(Client(), "/calendar.ics"))

    review = next(e for title, e in events.items() if title.startswith("Partnership review"))
    assert review.dtstart.value == date(2027, 7, 15)
    assert review.url.value == f"http://testserver/partnerships/{pk}/"


def test_a_private_feed_shows_what_its_member_may_see_until_revoked(cast: Cast) -> None:
    add(cast.steward, title="Chapter huddle", group=cast.group.slug, visibility="members")
    decision = opened(cast, title="Adopt the guideline")
    LeadershipTerm.objects.create(
        group=cast.group, member=cast.group_lead, start=date(2026, 1, 1), end=date(2027, 6, 30)
    )
    link = services.create_feed_link(cast.member)
    path = f"/calendar/private/{link.secret}.ics"

    events = events_of(_feed(Client(), path))

    assert set(events) == {
        "Chapter huddle",
        "Decision closes: Adopt the guideline",
        "Term of the lead of North Chapter ends",
    }
    closing = events["Decision closes: Adopt the guideline"]
    assert closing.dtstart.value == decision.closes_at.replace(microsecond=0)
    assert cast.group_lead.display_name not in _feed(Client(), path).decode()
    assert FeedToken.objects.get().digest != link.secret
    assert link.secret not in str(list(FeedToken.objects.values()))

    services.revoke_feed_link(cast.member, link.token.pk)

    assert Client().get(path).status_code == 404
    assert Client().get("/calendar/private/cal_nonsense.ics").status_code == 404


def test_another_members_feed_link_cannot_be_revoked(cast: Cast) -> None:
    link = services.create_feed_link(cast.member)

    with pytest.raises(NotFound):
        services.revoke_feed_link(cast.other, link.token.pk)
    assert FeedToken.objects.get().revoked_at is None


def test_partner_representatives_keep_no_private_feed(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.create_feed_link(cast.partner_rep)


def test_a_private_feed_of_a_group_event_the_member_is_not_in_leaves_it_out(cast: Cast) -> None:
    add(cast.steward, title="Chapter huddle", group=cast.group.slug, visibility="members")
    link = services.create_feed_link(cast.treasurer)

    events = events_of(_feed(client_for(None), f"/calendar/private/{link.secret}.ics"))

    assert "Chapter huddle" not in events
    assert timezone.now()  # the feed is read at request time
