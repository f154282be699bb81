"""In Chromium: a steward records a prospective partnership and moves it to evaluation, three
office holders score it on all ten criteria through the form, the steward activates it with
the members' passed decision, and
a signed-out visitor reads its purpose and maturity but none of its scores."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from accord.demo.decided import pass_decision
from accord.domain.mandates import Gated
from accord.domain.partnerships import CRITERIA
from accord.ledger.models import Entry
from accord.partners.models import Agreement, EvaluationScore
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_member, make_partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PURPOSE = "Members mentor students; students research what members need."


def serious(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical WCAG 2.2 AA findings on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _score_all(page, url: str, score: int) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    for c in CRITERIA:
        page.locator(f'input[name="score-{c.key}"][value="{score}"]').check()
    page.get_by_role("button", name="Save my scores").click()
    page.wait_for_url(url)
    assert "Your scores are saved." in page.content()


def test_a_partnership_goes_from_prospect_to_active_in_the_browser(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    partner = make_partner(name="Northbridge University")
    sam = make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    make_member(name="Tia Treasurer", role=SiteRole.TREASURER, email="tia@example.org")
    make_member(name="Avery Auditor", role=SiteRole.AUDITOR, email="avery@example.org")
    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "sam@example.org", PASSWORD)

    steward.goto(f"{live_server.url}/home/")
    steward.get_by_role("link", name="Partnerships").click()
    steward.wait_for_url(f"{live_server.url}/partnerships/")
    assert serious(steward) == []
    steward.locator("#agreement-partner").select_option(partner.slug)
    steward.get_by_label("Title").fill("Student research placements")
    steward.get_by_label("Shared purpose").fill(PURPOSE)
    steward.get_by_label("Stronger networks").check()
    steward.get_by_label("Enhanced member benefits").check()
    steward.get_by_label("Member needs it addresses").fill("Evidence for our advocacy.")
    steward.locator("#agreement-target").select_option("4")
    steward.get_by_role("button", name="Record the agreement").click()
    steward.wait_for_url(re.compile(r".*/partnerships/\d+/$"))
    url = steward.url
    assert "is recorded as a prospect" in steward.content()
    assert serious(steward) == []

    steward.get_by_label("New status").select_option("evaluating")
    steward.get_by_label("Reason").first.fill("Met twice; promising.")
    steward.get_by_role("button", name="Change the status").click()
    steward.wait_for_url(url)
    assert "The partnership is now evaluating." in steward.content()
    assert serious(steward) == []  # with the scoring form

    _score_all(steward, url, 4)
    for email in ("tia@example.org", "avery@example.org"):
        evaluator = browser.new_context().new_page()
        sign_in(evaluator, live_server.url, email, PASSWORD)
        _score_all(evaluator, url, 4)
    steward.reload()
    assert "meets the community's rule" in steward.locator("#activation-rule").inner_text()
    # the members decided it (the decision's own flow is driven in the decisions' test)
    decision = pass_decision(sam, Gated.ACTIVATE_PARTNERSHIP, subject=Agreement.objects.get().pk)
    steward.get_by_label("New status").select_option("active")
    steward.get_by_label("Reason").first.fill("The evaluation passed.")
    steward.get_by_label("Decision number (activating or ending)").fill(str(decision.pk))
    steward.get_by_role("button", name="Change the status").click()
    steward.wait_for_url(url)
    assert "The partnership is now active." in steward.content()

    visitor = browser.new_context().new_page()
    visitor.goto(url)
    facts = visitor.locator("#agreement-facts").inner_text()
    assert "Active" in facts
    assert "1: Transactional" in facts
    assert "4: Integrated" in facts
    assert PURPOSE in visitor.content()
    assert "The evaluation passed." in visitor.locator("#agreement-history").inner_text()
    assert visitor.locator("#evaluation").count() == 0
    assert visitor.locator("#evaluation-criteria").count() == 0
    assert "Score this partnership" not in visitor.content()
    assert "4.00" not in visitor.content()
    assert serious(visitor) == []

    agreement = Agreement.objects.get()
    assert (agreement.status, agreement.target_level) == ("active", 4)
    assert EvaluationScore.objects.filter(agreement=agreement).count() == 30
    assert Entry.objects.filter(kind="agreement.status").count() == 2
