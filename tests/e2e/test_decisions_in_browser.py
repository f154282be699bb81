"""In Chromium: a steward proposes a consent decision from the Decisions page and opens it, a
member votes and changes their vote, the steward closes it once its time has passed and
records the outcome; another member reads the tally explained, and a signed-out visitor is
asked to sign in (decisions are the community's members' business)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.governance.models import Ballot, Decision, Status
from accord.ledger.models import Entry
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consent_decision_from_proposal_to_outcome_in_the_browser(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    make_member(name="Mo Member", email="mo@example.org")
    make_member(name="Olu Other", email="olu@example.org")
    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "sam@example.org", PASSWORD)

    steward.get_by_role("link", name="Decisions").click()
    steward.wait_for_url(f"{live_server.url}/decisions/")
    assert serious(steward) == []
    steward.get_by_label("Title").fill("Adopt the funding guideline")
    steward.get_by_label("What is proposed, and why").fill("We publish how partner money is used.")
    steward.get_by_label("Consent proposal", exact=False).check()
    closes = timezone.localtime(timezone.now() + timedelta(days=7))
    steward.get_by_label("Votes are taken until").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    steward.get_by_role("button", name="Propose").click()
    steward.wait_for_url(re.compile(r".*/decisions/\d+/$"))
    url = steward.url
    assert "is drafted" in steward.content()
    steward.get_by_role("button", name="Open for votes").click()
    steward.wait_for_url(url)
    assert "The decision is open for votes." in steward.content()
    assert "0 of 3 voted" in steward.locator("#decision-facts").inner_text()
    assert serious(steward) == []

    member = browser.new_context().new_page()
    sign_in(member, live_server.url, "mo@example.org", PASSWORD)
    member.goto(url)
    assert serious(member) == []  # with the ballot's fieldset
    member.get_by_label("Disagree", exact=True).check()
    member.get_by_role("button", name="Vote").click()
    member.wait_for_url(f"{url}#vote")
    assert "Disagree" in member.locator("#my-ballot").inner_text()
    member.get_by_label("Agree", exact=True).check()
    member.get_by_role("button", name="Change my vote").click()
    member.wait_for_url(f"{url}#vote")
    assert "Agree" in member.locator("#my-ballot").inner_text()
    assert member.get_by_label("Agree", exact=True).is_checked()
    assert Ballot.objects.get().choice == {"stance": "agree"}

    decision = Decision.objects.get()
    Decision.objects.filter(pk=decision.pk).update(  # the week has gone by
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    steward.reload()
    steward.get_by_role("button", name="Close and count").click()
    steward.wait_for_url(f"{url}#result")
    assert "The decision is closed and its tally recorded." in steward.content()
    steward.get_by_label("Outcome statement").fill("Adopted: we publish it in March.")
    steward.get_by_role("button", name="Record the outcome").click()
    steward.wait_for_url(f"{url}#outcome")
    assert "Adopted: we publish it in March." in steward.locator("#outcome-text").inner_text()
    assert serious(steward) == []

    reader = browser.new_context().new_page()
    sign_in(reader, live_server.url, "olu@example.org", PASSWORD)
    reader.goto(url)
    words = reader.locator("#result-words").inner_text()
    assert "1 member of the 3 entitled voted" in words
    assert "1 agreed, 0 abstained, 0 disagreed, 0 blocked." in words
    assert "so it passed" in words
    assert "Mo Member" not in reader.content()  # Mo chose not to be shown to members
    assert serious(reader) == []

    visitor = browser.new_context().new_page()
    visitor.goto(url)
    assert "/accounts/login/" in visitor.url
    assert "so it passed" not in visitor.content()

    closed = Decision.objects.get()
    assert (closed.status, closed.outcome) == (Status.CLOSED, "Adopted: we publish it in March.")
    assert [
        e.kind for e in Entry.objects.filter(subject=f"decision:{closed.pk}").order_by("seq")
    ] == [
        "decision.opened",
        "decision.closed",
        "decision.outcome",
    ]
