"""In Chromium: a steward proposes a consent decision from the Decisions page and opens it, a
member votes and changes their vote, the steward closes it once its time has passed and
records the outcome; another member reads the tally explained, and a signed-out visitor is
asked to sign in (decisions are the community's members' business)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.domain.partnerships import CRITERIA
from accord.governance.models import Ballot, Decision, Status
from accord.ledger.models import Entry
from accord.partners import services as partners
from accord.partners.models import Agreement
from accord.partners.schemas import AgreementIn, ScoreIn, StatusIn
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, make_member, make_partner

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


def test_a_partnership_is_activated_by_carrying_out_a_passed_decision(  # type: ignore[no-untyped-def]
    live_server, browser
) -> None:
    steward_member = make_member(
        name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org"
    )
    auditor = make_member(name="Avery Auditor", role=SiteRole.AUDITOR)
    make_member(name="Mo Member", email="mo@example.org")
    partner = make_partner(name="Northbridge University")
    agreement = partners.create_agreement(
        steward_member,
        AgreementIn(partner=partner.slug, title="Placements", purpose="P", reasons=["networks"]),
    )
    partners.change_agreement_status(
        steward_member, agreement.pk, StatusIn(status="evaluating", reason="Promising.")
    )
    for evaluator in (steward_member, auditor):
        for c in CRITERIA:
            partners.score_agreement(evaluator, agreement.pk, ScoreIn(criterion=c.key, score=4))
    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "sam@example.org", PASSWORD)

    # activating straight from the partnership page is refused: it needs a decision
    steward.goto(f"{live_server.url}/partnerships/{agreement.pk}/")
    steward.get_by_label("New status").select_option("active")
    steward.locator("#status-reason").fill("The evaluation passed.")
    steward.get_by_role("button", name="Change the status").click()
    assert "needs a passed decision" in steward.locator("#status-error").inner_text()

    steward.goto(f"{live_server.url}/decisions/")
    steward.get_by_label("Title").fill("Activate the placements partnership")
    steward.get_by_label("What is proposed, and why").fill("The evaluation passed.")
    steward.get_by_label("If it passes, it allows").select_option("partnership.activate")
    steward.get_by_label("The partnership it is about, if any").select_option(str(agreement.pk))
    closes = timezone.localtime(timezone.now() + timedelta(days=7))
    steward.get_by_label("Votes are taken until").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    steward.get_by_role("button", name="Propose").click()
    steward.wait_for_url(re.compile(r".*/decisions/\d+/$"))
    url = steward.url
    assert "Activate a partnership" in steward.locator("#decision-action").inner_text()
    steward.get_by_role("button", name="Open for votes").click()
    steward.wait_for_url(url)

    member = browser.new_context().new_page()
    sign_in(member, live_server.url, "mo@example.org", PASSWORD)
    member.goto(url)
    member.get_by_label("Agree", exact=True).check()
    member.get_by_role("button", name="Vote").click()
    member.wait_for_url(f"{url}#vote")

    Decision.objects.update(closes_at=timezone.now() - timedelta(seconds=1))  # a week later
    steward.reload()
    steward.get_by_role("button", name="Close and count").click()
    steward.wait_for_url(f"{url}#result")
    steward.get_by_role("button", name="Carry it out").click()
    steward.wait_for_url(f"{url}#outcome")
    assert "Carried out" in steward.locator("#carried-out").inner_text()
    assert serious(steward) == []
    member.reload()
    assert "Carried out" in member.locator("#carried-out").inner_text()
    assert "Carry it out" not in member.content()

    steward.goto(f"{live_server.url}/partnerships/{agreement.pk}/")
    assert Agreement.objects.get(pk=agreement.pk).status == "active"
    decision = Decision.objects.get()
    assert Entry.objects.filter(
        kind="decision.carried_out", subject=f"decision:{decision.pk}"
    ).exists()

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/decisions/rights/")
    assert "Activate a partnership" in visitor.locator("#decision-rights").inner_text()
    assert serious(visitor) == []
