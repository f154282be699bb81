"""In Chromium: on a partnership's page a steward adds a goal, records its first reading, adds
a commitment and a risk and edits the risk through the page's forms, and a treasurer records
the partner funding a pool; each is seen on the page; a refused form says why beside itself;
the page passes axe-core with its forms open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accord.partners import services
from accord.partners.models import Commitment, Goal, PoolFunding, Reading, Risk
from accord.partners.schemas import AgreementIn
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, funded_pool, make_member, make_partner, make_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_steward_shapes_a_partnership_through_its_page(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    partner = make_partner(name="Northbridge University")
    steward = make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    agreement = services.create_agreement(
        steward,
        AgreementIn(
            partner=partner.slug, title="Placements", purpose="Mentoring.", reasons=["networks"]
        ),
    )
    url = f"{live_server.url}/partnerships/{agreement.pk}/"
    due = (timezone.localdate() + timedelta(days=120)).isoformat()
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "sam@example.org", PASSWORD)
    page.goto(url)

    page.get_by_text("Add a goal", exact=True).click()
    page.get_by_label("Goal name").fill("Member engagement")
    page.get_by_label("Measured by").fill("members taking part")
    page.get_by_label("Unit", exact=True).fill("members")
    page.get_by_label("Target", exact=True).fill("120")
    page.get_by_label("Due on").first.fill(due)
    page.get_by_role("button", name="Add the goal").click()
    page.wait_for_url(f"{url}#agreement-goals")
    assert "The goal “Member engagement” is set." in page.content()

    page.get_by_text("Record a reading", exact=True).click()
    page.get_by_label("Value", exact=True).fill("abc")
    page.get_by_role("button", name="Record the reading").click()
    error = page.locator("#reading-error")
    assert "must be a number" in error.inner_text()
    assert page.locator("form[aria-describedby='reading-error']").count() == 1
    assert serious(page) == []  # the page as re-shown with its error
    page.get_by_label("Value", exact=True).fill("30")
    page.get_by_role("button", name="Record the reading").click()
    page.wait_for_url(f"{url}#agreement-goals")
    goals = page.locator("section.agreement-body table").first.inner_text()
    assert "Member engagement" in goals
    assert "25%" in goals  # 30 of the way from 0 to 120

    page.get_by_text("Add a commitment", exact=True).click()
    page.get_by_label("Committed by").select_option("partner")
    page.locator("#commitment-kind").select_option("financial")
    page.get_by_label("What is committed").fill("Sponsors the spring meetups")
    page.locator("#commitment-amount").fill("1500.00")
    page.locator("#commitment-due").fill(due)
    page.get_by_role("button", name="Add the commitment").click()
    page.wait_for_url(f"{url}#agreement-commitments")
    assert "Sponsors the spring meetups" in page.content()
    assert "1500.00 EUR" in page.content()

    page.get_by_text("Add a risk", exact=True).click()
    page.get_by_label("Risk", exact=True).fill("The venue falls through")
    page.get_by_label("Category").select_option("operational")
    page.locator("#risk-likelihood").select_option("3")
    page.locator("#risk-impact").select_option("4")
    page.get_by_label("Or the owning party").fill("the events team")
    page.get_by_role("button", name="Add the risk").click()
    page.wait_for_url(f"{url}#risks-{agreement.pk}")
    risks = page.locator("section.registers table").inner_text()
    assert "The venue falls through" in risks
    assert "12 high" in " ".join(risks.split())

    # the steward renames the risk, moves it to another category and gives it to a party;
    # naming two owners at once is refused beside the form first
    risk = Risk.objects.get()
    edit = "Edit “The venue falls through”"
    page.get_by_text(edit, exact=True).click()
    page.locator(f"#risk-{risk.pk}-title").fill("The venue cancels late")
    page.locator(f"#risk-{risk.pk}-category").select_option("financial")
    page.locator(f"#risk-{risk.pk}-owner").fill(steward.pseudonym)
    page.get_by_role("button", name="Update the risk").click()
    error = page.locator(f"#risk-{risk.pk}-error")
    assert "not both" in error.inner_text()
    assert page.locator(f"#risk-{risk.pk}-title").input_value() == "The venue cancels late"
    page.locator(f"#risk-{risk.pk}-owner").fill("")
    page.locator(f"#risk-{risk.pk}-owner-label").fill("the partner's events office")
    page.get_by_role("button", name="Update the risk").click()
    page.wait_for_url(f"{url}#risk-{risk.pk}")
    risks = page.locator("section.registers table").inner_text()
    assert "The venue cancels late" in risks
    assert "the partner's events office" in risks

    edit = "Edit “The venue cancels late”"
    for summary in ("Add a goal", "Record a reading", "Add a commitment", "Add a risk", edit):
        page.get_by_text(summary, exact=True).click()  # open every form for the check
    assert serious(page) == []

    assert Goal.objects.get().name == "Member engagement"
    assert [str(r.value) for r in Reading.objects.all()] == ["30.0000"]
    assert Commitment.objects.get().amount == 150000
    risk.refresh_from_db()
    assert (risk.title, risk.category, risk.owner_label) == (
        "The venue cancels late",
        "financial",
        "the partner's events office",
    )


def test_a_treasurer_records_a_partner_funding_a_pool_on_its_page(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    partner = make_partner(name="Civic Futures Foundation")
    steward = make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    make_member(name="Tia Treasurer", role=SiteRole.TREASURER, email="tia@example.org")
    agreement = services.create_agreement(
        steward,
        AgreementIn(partner=partner.slug, title="Grants", purpose="Grants.", reasons=["revenue"]),
    )
    policy = make_policy(steward, effective_from=timezone.localdate() - timedelta(days=60))
    pool = funded_pool(steward, policy, name="Learning grants", amount=0, days=30)
    url = f"{live_server.url}/partnerships/{agreement.pk}/"
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "tia@example.org", PASSWORD)
    page.goto(url)

    page.get_by_text("Record the partner funding a pool", exact=True).click()
    page.get_by_label("Pool", exact=True).select_option(pool.slug)
    page.locator("#pool-funding-amount").fill("lots")
    page.get_by_role("button", name="Record the funding").click()
    assert page.locator("#pool-funding-error").inner_text()  # refused beside the form
    assert page.locator("#pool-funding-amount").input_value() == "lots"
    page.locator("#pool-funding-amount").fill("2000.00")
    page.get_by_role("button", name="Record the funding").click()
    page.wait_for_url(f"{url}#agreement-pool-funding")

    funded = page.locator("#pool-fundings").inner_text()
    assert "Learning grants" in funded
    assert "2000.00 EUR" in funded
    page.get_by_text("Record the partner funding a pool", exact=True).click()
    assert serious(page) == []
    assert PoolFunding.objects.get().amount == 200_000
