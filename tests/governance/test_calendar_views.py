"""The calendar pages: the month and list views show what each reader may see, the forms
add, change and cancel events (a bad rule is re-shown with its reason, 422, and changes
nothing), members make and revoke their private feed link, and the subscribe dialog is
there for everyone."""

from django.test import Client

from accord.governance.models import CalendarEvent, FeedToken
from accord.people.models import LeadershipTerm
from tests.conftest import Cast, client_for
from tests.governance.calendar_helpers import add
from tests.governance.conftest import opened

FORM = {
    "title": "Quarterly reflective review",
    "kind": "ritual",
    "starts_at": "2027-01-12T17:30",
    "ends_at": "2027-01-12T19:00",
    "time_zone": "Europe/London",
    "rule": "FREQ=MONTHLY;INTERVAL=3;COUNT=4",
    "responsible": "The stewards",
    "visibility": "public",
}


def test_a_steward_adds_a_ritual_through_the_form(cast: Cast) -> None:
    response = client_for(cast.steward).post("/calendar/events/new/", FORM)

    made = CalendarEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/calendar/events/{made.pk}/"
    assert (made.rule, made.time_zone) == ("FREQ=MONTHLY;INTERVAL=3;COUNT=4", "Europe/London")


def test_a_bad_rule_is_shown_beside_the_form_and_changes_nothing(cast: Cast) -> None:
    response = client_for(cast.steward).post(
        "/calendar/events/new/", {**FORM, "rule": "FREQ=NEVER"}
    )

    assert response.status_code == 422
    assert "recurs DAILY, WEEKLY, MONTHLY, YEARLY (not NEVER)" in response.content.decode()
    assert 'value="Quarterly reflective review"' in response.content.decode()
    assert CalendarEvent.objects.count() == 0


def test_a_plain_member_may_not_add_events(cast: Cast) -> None:
    assert client_for(cast.member).get("/calendar/events/new/").status_code == 403
    assert client_for(cast.member).post("/calendar/events/new/", FORM).status_code == 403
    assert CalendarEvent.objects.count() == 0


def test_the_month_view_shows_recurring_occurrences_to_a_visitor(cast: Cast) -> None:
    add(cast.steward)

    page = Client().get("/calendar/?month=2027-03").content.decode()

    assert page.count("Monthly check-in") == 1
    assert '<span class="time">18:00</span>' in page or "Monthly check-in" in page
    assert 'id="subscribe"' in page
    assert "http://testserver/calendar.ics" in page


def test_the_list_view_and_group_filter(cast: Cast) -> None:
    add(cast.steward, title="Chapter picnic", group=cast.group.slug, rule="FREQ=WEEKLY")
    add(cast.steward, title="Community ritual")

    page = Client().get(f"/calendar/?month=2027-02&view=list&group={cast.group.slug}")

    text = page.content.decode()
    assert text.count("Chapter picnic</a>") == 4
    assert "Community ritual" not in text
    assert f"http://testserver/calendar/groups/{cast.group.slug}.ics" in text


def test_members_see_decision_closings_and_term_endings_visitors_do_not(cast: Cast) -> None:
    decision = opened(cast, title="Adopt the guideline")
    month = decision.closes_at.strftime("%Y-%m")
    LeadershipTerm.objects.create(
        group=cast.group,
        member=cast.group_lead,
        start=decision.closes_at.date(),
        end=decision.closes_at.date(),
    )

    visitor = Client().get(f"/calendar/?month={month}").content.decode()
    member = client_for(cast.member).get(f"/calendar/?month={month}").content.decode()

    assert "Adopt the guideline" not in visitor
    assert "Term of the lead" not in visitor
    assert "Decision closes: Adopt the guideline" in member
    assert "Term of the lead of North Chapter ends" in member
    assert cast.group_lead.display_name not in member.split("<main", 1)[1]


def test_a_members_only_event_page_is_not_found_by_visitors(cast: Cast) -> None:
    made = add(cast.steward, visibility="members")

    assert Client().get(f"/calendar/events/{made.pk}/").status_code == 404
    assert client_for(cast.member).get(f"/calendar/events/{made.pk}/").status_code == 200


def test_an_event_page_lists_its_next_dates_and_editing_it(cast: Cast) -> None:
    made = add(cast.steward, starts_at="2030-01-01T09:00", ends_at="2030-01-01T10:00")
    steward = client_for(cast.steward)

    page = steward.get(f"/calendar/events/{made.pk}/").content.decode()
    edited = steward.post(f"/calendar/events/{made.pk}/edit/", {**FORM, "title": "Renamed"})
    cancelled = steward.post(f"/calendar/events/{made.pk}/cancel/")

    assert "Tuesday 1 January 2030, 09:00" in page
    assert "Tuesday 5 February 2030, 09:00" in page
    assert edited.status_code == 302
    assert cancelled.status_code == 302
    made.refresh_from_db()
    assert made.title == "Renamed"
    assert made.cancelled_at is not None


def test_a_member_makes_a_feed_link_shown_once_and_revokes_it(cast: Cast) -> None:
    member = client_for(cast.member)

    made = member.post("/calendar/feeds/")
    url = made.context["new_url"]
    again = member.get("/calendar/feeds/")
    works = Client().get(url.removeprefix("http://testserver"))
    token = FeedToken.objects.get()
    revoked = member.post(f"/calendar/feeds/{token.pk}/revoke/")
    after = Client().get(url.removeprefix("http://testserver"))

    assert made.status_code == 201
    assert url.startswith("http://testserver/calendar/private/cal_")
    assert url not in again.content.decode()
    assert works.status_code == 200
    assert revoked.status_code == 302
    assert after.status_code == 404


def test_a_group_with_only_members_only_events_is_not_offered_to_visitors(cast: Cast) -> None:
    add(cast.steward, title="Chapter huddle", group=cast.group.slug, visibility="members")

    visitor = Client().get("/calendar/").content.decode()
    member = client_for(cast.member).get("/calendar/").content.decode()

    assert f'value="{cast.group.slug}"' not in visitor
    assert f'value="{cast.group.slug}"' in member
