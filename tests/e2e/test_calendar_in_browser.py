"""In Chromium: a steward adds a recurring ritual from the calendar; a visitor sees it on
each month it recurs in and opens the subscribe dialog; a member makes a private feed link,
the feed answers at its address with the ritual and its link, and stops once the
member revokes the link."""

import re
from datetime import timedelta

import pytest
import vobject
from django.utils import timezone

from accord.governance.models import CalendarEvent
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recurring_ritual_from_the_form_to_a_private_feed(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    make_member(name="Mo Member", email="mo@example.org")
    today = timezone.localdate()
    start = (today + timedelta(days=1)).strftime("%Y-%m-%dT18:00")
    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "sam@example.org", PASSWORD)

    steward.get_by_role("link", name="Calendar").click()
    steward.get_by_role("link", name="Add an event").click()
    assert serious(steward) == []
    steward.get_by_label("Title").fill("Monthly check-in")
    steward.get_by_label("Kind").select_option("ritual")
    steward.get_by_label("Starts", exact=True).fill(start)
    steward.get_by_label("Time zone").fill("Europe/Paris")
    steward.get_by_label("Repeats", exact=False).fill("FREQ=NOPE")
    steward.get_by_role("button", name="Add the event").click()
    assert "recurs DAILY, WEEKLY, MONTHLY, YEARLY (not NOPE)" in steward.content()
    steward.get_by_label("Repeats", exact=False).fill("FREQ=MONTHLY;COUNT=6")
    steward.get_by_label("Responsible").fill("The stewards")
    steward.get_by_role("button", name="Add the event").click()
    steward.wait_for_url(re.compile(r".*/calendar/events/\d+/$"))
    assert "is on the calendar" in steward.content()
    assert steward.locator("#next-dates li").count() == 6
    assert serious(steward) == []
    event = CalendarEvent.objects.get()

    visitor = browser.new_context().new_page()
    later = today + timedelta(days=1)
    month = f"{(later.replace(day=28) + timedelta(days=10)):%Y-%m}"
    visitor.goto(f"{live_server.url}/calendar/?month={month}")
    grid = visitor.locator("#month-grid")
    assert grid.get_by_role("link", name=re.compile("Monthly check-in")).count() == 1
    assert serious(visitor) == []
    visitor.get_by_role("button", name="Subscribe").click()
    dialog = visitor.get_by_role("dialog", name="Subscribe to this calendar")
    assert dialog.is_visible()
    assert (
        dialog.get_by_label("Everything public").input_value() == f"{live_server.url}/calendar.ics"
    )
    assert "Google Calendar" in dialog.inner_text()
    assert serious(visitor) == []
    dialog.get_by_role("button", name="Close").click()
    assert not dialog.is_visible()
    visitor.goto(f"{live_server.url}/calendar/?month={month}&view=list")
    assert visitor.locator("#event-list").get_by_text("Monthly check-in").count() == 1
    assert serious(visitor) == []

    member = browser.new_context().new_page()
    sign_in(member, live_server.url, "mo@example.org", PASSWORD)
    member.goto(f"{live_server.url}/calendar/")
    member.get_by_role("link", name="My private feed").click()
    member.get_by_role("button", name="Make a new feed link").click()
    url = member.get_by_label("Your new feed link", exact=False).input_value()
    assert serious(member) == []
    feed = member.request.get(url)
    assert feed.status == 200
    events = vobject.readOne(feed.text()).vevent_list
    assert [e.url.value for e in events] == [f"{live_server.url}/calendar/events/{event.pk}/"]
    member.get_by_role("button", name=re.compile("Revoke")).click()
    assert "no longer works" in member.content()
    assert member.request.get(url).status == 404
