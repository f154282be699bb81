"""In Chromium: a steward sets up a new pool from the web, a treasurer funds it and previews
its round, which gives the treasurer a share too, so an auditor approves it before the
treasurer commits it; then a member takes their benefit and the treasurer pays it from the
treasury page. Nobody opens the admin."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from accord.benefits.models import Distribution, Payout, Pool
from accord.ledger.models import Entry
from accord.people.models import Member, SiteRole
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
    make_member(name="Tia Treasurer", role=SiteRole.TREASURER, email="tia@example.org")
    make_member(name="Avery Auditor", role=SiteRole.AUDITOR, email="avery@example.org")
    member = make_member(name="Mo Member", email="mo@example.org")
    make_policy(steward, effective_from=today - timedelta(days=400))
    verified_contribution(member, steward, days_ago=3)
    treasurer = Member.objects.get(user__email="tia@example.org")
    verified_contribution(treasurer, steward, days_ago=3)  # the round gives them a share
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
    page.wait_for_url(f"{live_server.url}/pools/harbour-grants/")
    assert "a treasurer funds it next" in page.content()
    assert page.get_by_role("link", name="Fund").count() == 0  # stewards hold no purse

    purse = browser.new_context().new_page()
    sign_in(purse, live_server.url, "tia@example.org", PASSWORD)
    purse.goto(f"{live_server.url}/pools/harbour-grants/")
    purse.get_by_role("link", name="Fund").click()
    purse.get_by_label("Amount").fill("50000")
    purse.get_by_label("Source").fill("Harbour Community Radio")
    purse.get_by_role("button", name="Fund").click()
    purse.wait_for_url(f"{live_server.url}/pools/harbour-grants/")
    assert "500.00 EUR to share" in purse.locator("#preview-summary").inner_text()
    assert "must approve it" in purse.locator("#needs-approval").inner_text()
    assert purse.get_by_role("button", name="Commit round 1").is_disabled()
    assert _serious(purse) == []

    audit = browser.new_context().new_page()
    sign_in(audit, live_server.url, "avery@example.org", PASSWORD)
    audit.goto(f"{live_server.url}/pools/harbour-grants/")
    audit.get_by_role("button", name="Approve round 1").click()
    audit.wait_for_url(f"{live_server.url}/pools/harbour-grants/")
    assert "You approved round 1" in audit.content()

    purse.reload()
    assert "Approved as previewed now by Avery Auditor" in purse.locator("#approvals").inner_text()
    purse.get_by_role("button", name="Commit round 1").click()
    purse.wait_for_url(f"{live_server.url}/pools/harbour-grants/")
    assert "Round 1 committed" in purse.content()

    mine = browser.new_context().new_page()
    sign_in(mine, live_server.url, "mo@example.org", PASSWORD)
    mine.goto(f"{live_server.url}/benefits/")
    mine.get_by_role("link", name="Harbour grants").click()
    assert "smallest units" in mine.locator("#exact-share").inner_text()
    mine.get_by_role("button", name="Record my choice").click()
    assert "Your choice is recorded." in mine.content()

    payout = Payout.objects.get(statement__member=member)
    purse.goto(f"{live_server.url}/treasury/")
    purse.get_by_label(f"Reference for payout {payout.pk}", exact=True).fill("BANK-2026-0042")
    purse.get_by_role("button", name=f"Paid payout {payout.pk}", exact=True).click()
    purse.wait_for_url(f"{live_server.url}/treasury/")
    assert "Marked as paid." in purse.content()
    assert purse.get_by_label(f"Reference for payout {payout.pk}", exact=True).count() == 0
    payout.refresh_from_db()
    assert (payout.status, payout.reference) == ("paid", "BANK-2026-0042")
    assert payout.paid_by == treasurer

    pool = Pool.objects.get(slug="harbour-grants")
    assert Distribution.objects.get(pool=pool).key == "harbour-grants:1"
    assert Payout.objects.get(statement__member=member).amount == 25_000
    kinds = Entry.objects.filter(seq__gt=start).order_by("seq").values_list("kind", flat=True)
    assert collapsed(kinds) == [*FLOW_KINDS[:2], "round.approved", *FLOW_KINDS[2:], "payout.paid"]
