"""In Chromium: a steward sets up a two-level escalation path, a member raises a concern,
the level-1 handler acknowledges it, its deadline passes and it escalates by itself (the
raiser sees the new level and deadline), and the level-2 handler resolves it in writing,
which the raiser reads. A visitor reads the public statistics, which withhold small
numbers."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.governance import services
from accord.governance.models import Concern, ConcernStatus
from accord.people.models import Member, SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _set_level(page, rank: str, name: str, hours: str, handle: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Rank").fill(rank)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Answers within (hours)").fill(hours)
    page.get_by_label("Handlers' handles").fill(handle)
    page.get_by_role("button", name="Set up the level").click()
    page.wait_for_url(re.compile(r".*/concerns/levels/$"))


def test_a_concern_escalates_by_its_deadline_and_is_resolved_in_the_browser(
    live_server, browser
) -> None:  # type: ignore[no-untyped-def]
    make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    make_member(name="Mo Member", email="mo@example.org")
    lead = make_member(name="Lee Lead", email="lee@example.org")
    board = make_member(name="Bea Board", email="bea@example.org")

    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "sam@example.org", PASSWORD)
    steward.goto(f"{live_server.url}/concerns/levels/")
    _set_level(steward, "1", "Group leads", "72", lead.pseudonym)
    _set_level(steward, "2", "Steering committee", "168", board.pseudonym)
    assert "Steering committee" in steward.content()
    assert "3 days" in steward.content()
    assert serious(steward) == []

    member = browser.new_context().new_page()
    sign_in(member, live_server.url, "mo@example.org", PASSWORD)
    member.get_by_role("link", name="My concerns").click()
    member.wait_for_url(f"{live_server.url}/concerns/")
    assert serious(member) == []
    member.get_by_label("Conduct").check()
    member.get_by_label("In a line").fill("Meetings run past ten")
    member.get_by_label("What happened, and what you would like").fill("Can they end at nine?")
    member.get_by_label("Anonymous", exact=False).check()
    member.get_by_role("button", name="Raise the concern").click()
    member.wait_for_url(re.compile(r".*/concerns/\d+/$"))
    url = member.url
    assert "Your concern is with Group leads" in member.content()
    assert "1: Group leads" in member.locator("#concern-level").inner_text()
    assert serious(member) == []

    handler = browser.new_context().new_page()
    sign_in(handler, live_server.url, "lee@example.org", PASSWORD)
    handler.goto(f"{live_server.url}/concerns/queue/")
    assert "Mo Member" in handler.content()  # handlers are told who raised it
    assert serious(handler) == []
    handler.get_by_role("link", name="Meetings run past ten").click()
    handler.get_by_role("button", name="Acknowledge").click()
    handler.wait_for_url(url)
    assert "Acknowledged" in handler.locator("#concern-status").inner_text()

    member.reload()
    assert "Acknowledged" in member.locator("#concern-status").inner_text()

    concern = Concern.objects.get()
    assert services.escalate_overdue_concerns(now=concern.deadline + timedelta(minutes=5)) == 1

    member.reload()
    assert "2: Steering committee" in member.locator("#concern-level").inner_text()
    new_deadline = timezone.localtime(Concern.objects.get().deadline)
    assert (
        new_deadline.strftime("%Y-%m-%d %H:%M") in member.locator("#concern-deadline").inner_text()
    )
    assert "Escalated: its deadline passed" in member.locator("#concern-history").inner_text()

    handler.reload()
    assert handler.get_by_role("button", name="Acknowledge").count() == 0  # no longer theirs

    second = browser.new_context().new_page()
    sign_in(second, live_server.url, "bea@example.org", PASSWORD)
    second.goto(url)
    assert serious(second) == []
    second.get_by_label("Resolution").fill("Meetings now end at nine; the chair keeps time.")
    second.get_by_role("button", name="Resolve").click()
    second.wait_for_url(url)

    member.reload()
    assert "Resolved" in member.locator("#concern-status").inner_text()
    assert "end at nine" in member.locator("#resolution-text").inner_text()
    assert Concern.objects.get().status == ConcernStatus.RESOLVED

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/concerns/statistics/")
    assert "fewer than 10" in visitor.content()
    assert "Mo Member" not in visitor.content()
    assert serious(visitor) == []
    visitor.goto(url)
    assert "/accounts/login/" in visitor.url
    assert Member.objects.count() == 4
