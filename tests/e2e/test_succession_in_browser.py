"""In Chromium: a steward creates a vacant position and opens a call for volunteers for it;
a member answers the call; a signed-out visitor sees the call with its counts withheld and
the position on the risk list; the steward sees the answer, records the volunteer's term
and names a successor, and the position leaves the risk list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.governance.models import CallAnswer, Position
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_call_for_volunteers_fills_a_seat_at_risk(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    volunteer = make_member(name="Mo Member", email="mo@example.org")
    successor = make_member(name="Olu Other", email="olu@example.org")
    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "sam@example.org", PASSWORD)

    steward.goto(f"{live_server.url}/positions/")
    steward.get_by_label("Title").fill("Secretary")
    steward.get_by_role("button", name="Create the position").click()
    steward.wait_for_url(re.compile(r".*/positions/\d+/$"))
    position_url = steward.url
    assert "Vacant" in steward.locator("#position-facts").inner_text()
    steward.get_by_role("link", name="Call for volunteers for this position").click()
    steward.get_by_label("Who is asked for, and what it involves").fill("Someone to keep minutes.")
    steward.get_by_label("Backgrounds the body aims to draw on").fill("Students\nRetirees")
    closes = timezone.localdate() + timedelta(days=14)
    steward.get_by_label("Last day to answer").fill(closes.isoformat())
    steward.get_by_role("button", name="Open the call").click()
    steward.wait_for_url(re.compile(r".*/calls/\d+/$"))
    call_url = steward.url
    assert "The call for volunteers is open." in steward.content()
    assert serious(steward) == []

    member = browser.new_context().new_page()
    sign_in(member, live_server.url, "mo@example.org", PASSWORD)
    member.goto(call_url)
    member.get_by_label("Students").check()
    member.get_by_label("A note to the stewards (optional)").fill("I take good notes.")
    member.get_by_role("button", name="Volunteer").click()
    member.wait_for_url(call_url)
    assert "Only stewards see it." in member.content()
    assert serious(member) == []
    assert CallAnswer.objects.get().member == volunteer

    visitor = browser.new_context().new_page()
    visitor.goto(call_url)
    assert visitor.locator("#answered").inner_text() == "fewer than 10"
    assert "Mo Member" not in visitor.content()
    assert "I take good notes." not in visitor.content()
    assert serious(visitor) == []
    visitor.goto(f"{live_server.url}/positions/")
    assert "Secretary" in visitor.locator("#risk-list").inner_text()

    steward.reload()
    answers = steward.locator("#answer-list").inner_text()
    assert "Mo Member" in answers
    assert "I take good notes." in answers
    steward.goto(position_url)
    today = timezone.localdate()
    steward.get_by_label("Who (their public handle)").fill(volunteer.pseudonym)
    steward.get_by_label("From").fill(today.isoformat())
    steward.get_by_label("To (inclusive)").fill((today + timedelta(days=365)).isoformat())
    steward.get_by_role("button", name="Record the term").click()
    steward.wait_for_url(position_url)
    visitor.reload()
    assert "no successor or shadow" in visitor.locator("#risk-list").inner_text()
    steward.get_by_label("Member (their public handle)").fill(successor.pseudonym)
    steward.get_by_role("button", name="Name them in the plan").click()
    steward.wait_for_url(position_url)
    assert "Olu Other" in steward.locator("#plan-people").inner_text()
    assert serious(steward) == []

    visitor.reload()
    assert visitor.locator("#risk-list").count() == 0
    assert Position.objects.get().plan_people.count() == 1
