"""A steward adds a partner and appoints its representative in Chromium; the
representative signs in and finds their partner's page."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from accord.contributions.models import PolicyVersion
from accord.demo import policies
from accord.demo.decided import pass_decision
from accord.domain.mandates import Gated
from accord.ledger.models import Entry
from accord.partners.models import Partner
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical WCAG 2.2 AA findings on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_steward_adds_a_partner_and_appoints_its_representative(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    make_member(name="Sam Steward", email="sam@example.org", role=SiteRole.STEWARD)
    rep = make_member(name="Rae Rep", email="rae@example.org")
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "sam@example.org", PASSWORD)

    page.goto(f"{live_server.url}/partners/")
    assert serious(page) == []
    page.get_by_label("Name").fill("Harbour Trust")
    page.get_by_label("Type").select_option("foundation")
    page.get_by_label("Website").fill("https://harbour.example")
    page.get_by_label("About the partner").fill("Funds the sailing club.")
    page.get_by_role("button", name="Add partner").click()
    page.wait_for_url(f"{live_server.url}/partners/harbour-trust/manage/")

    page.get_by_label("Member's handle or e-mail address").fill("rae@example.org")
    page.get_by_role("button", name="Appoint").click()
    page.wait_for_url(f"{live_server.url}/partners/harbour-trust/manage/")
    assert serious(page) == []
    assert (
        page.locator("#representatives").get_by_role("cell", name="Rae Rep", exact=True).count()
        == 1
    )

    rae = browser.new_context().new_page()
    sign_in(rae, live_server.url, "rae@example.org", PASSWORD)
    rae.get_by_role("link", name="My partner").click()
    rae.wait_for_url(f"{live_server.url}/partners/mine/")
    assert serious(rae) == []
    assert rae.get_by_role("heading", name="Harbour Trust", level=1).count() == 1
    assert rae.goto(f"{live_server.url}/partners/harbour-trust/manage/").status == 404

    assert Partner.objects.get(slug="harbour-trust").representatives.get().member == rep
    assert Entry.objects.filter(kind="partner.added").count() == 1
    assert Entry.objects.filter(kind="role.changed", subject=rep.pseudonym).count() == 1


def test_a_steward_publishes_a_policy_version_from_the_criteria_page(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    sam = make_member(name="Sam Steward", email="sam@example.org", role=SiteRole.STEWARD)
    today = timezone.localdate()
    decision = pass_decision(
        sam, Gated.PUBLISH_POLICY, policy=policies.version(1), effective_from=today
    )
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "sam@example.org", PASSWORD)

    page.goto(f"{live_server.url}/criteria/")
    page.get_by_role("link", name="Publish a new version").click()
    page.wait_for_url(f"{live_server.url}/criteria/publish/")
    page.get_by_label("Document").fill(json.dumps(policies.version(1)))
    page.get_by_label("Takes effect on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Publish").click()
    assert "This field is required." in page.content()  # no reason given
    assert "base_points" in page.get_by_label("Document").input_value()  # nothing lost
    assert serious(page) == []
    page.get_by_label("Reason").fill("First version, agreed at the annual meeting")
    page.get_by_role("button", name="Publish").click()
    assert "needs a passed decision" in page.content()  # the members decide it
    page.get_by_label("Decision number").fill(str(decision.pk))
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"{live_server.url}/criteria/")

    assert "Version 1, in force from" in page.content()
    assert PolicyVersion.objects.get().reason == "First version, agreed at the annual meeting"
