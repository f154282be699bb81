"""In Chromium: a steward sets up a new pool from the web, funds it, previews and commits a
round, and a member takes their benefit, without opening the admin."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from accord.benefits.models import Distribution, Payout, Pool
from accord.ledger.models import Entry
from accord.people.models import SiteRole
from tests.benefits.flow import FLOW_KINDS, collapsed
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_member, make_policy, verified_contribution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _serious(page) -> list[str]:  # type: ignore[no-untyped-def]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_steward_sets_up_a_pool_and_a_member_takes_the_benefit(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    steward = make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    member = make_member(name="Mo Member", email="mo@example.org")
    make_policy(steward, effective_from=today - timedelta(days=400))
    verified_contribution(member, steward, days_ago=3)
    start = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "sam@example.org", PASSWORD)

    page.goto(f"{live_server.url}/pools/")
    page.get_by_role("link", name="New pool").click()
    assert _serious(page) == []
    page.get_by_label("Name").fill("Harbour grants")
    page.get_by_label("Unit").fill("EUR")
    page.get_by_label("Method").select_option("immediate")
    page.get_by_label("Period start").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Period end").fill(today.isoformat())
    page.get_by_label("Formats", exact=True).fill("bank transfer, vouchers")
    # The first format is what an unanswered statement gets: it cannot publish the member.
    page.get_by_label("Publishing formats").fill("bank transfer")
    page.get_by_role("button", name="Create the pool").click()
    assert "cannot publish the member" in page.content()
    assert page.get_by_label("Name").input_value() == "Harbour grants"
    page.get_by_label("Publishing formats").fill("")
    page.get_by_role("button", name="Create the pool").click()

    page.wait_for_url(f"{live_server.url}/pools/harbour-grants/fund/")
    page.get_by_label("Amount").fill("50000")
    page.get_by_label("Source").fill("Harbour Community Radio")
    page.get_by_role("button", name="Fund").click()
    page.wait_for_url(f"{live_server.url}/pools/harbour-grants/")
    assert "500.00 EUR to share" in page.locator("#preview-summary").inner_text()
    page.get_by_role("button", name="Commit round 1").click()
    page.wait_for_url(f"{live_server.url}/pools/harbour-grants/")
    assert "Round 1 committed" in page.content()

    mine = browser.new_context().new_page()
    sign_in(mine, live_server.url, "mo@example.org", PASSWORD)
    mine.goto(f"{live_server.url}/benefits/")
    mine.get_by_role("link", name="Harbour grants").click()
    assert "smallest units" in mine.locator("#exact-share").inner_text()
    mine.get_by_role("button", name="Record my choice").click()
    assert "Your choice is recorded." in mine.content()

    pool = Pool.objects.get(slug="harbour-grants")
    assert Distribution.objects.get(pool=pool).key == "harbour-grants:1"
    assert Payout.objects.get(statement__member=member).amount == 50_000
    kinds = Entry.objects.filter(seq__gt=start).order_by("seq").values_list("kind", flat=True)
    assert collapsed(kinds) == FLOW_KINDS
