"""A member shares who they are with partner A only and claims an offering of A and of B in
Chromium; A's representative sees them named on A's uptake page, B's representative sees
only hidden counts, never the member, and cannot open A's uptake page."""

import pytest

from accord.partners import services
from accord.partners.models import Claim
from accord.partners.schemas import OfferingIn
from accord.people.models import PartnerConsent, SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_partners_in_browser import serious
from tests.factories import PASSWORD, make_member, make_partner, make_partner_rep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offering(steward, partner, title: str) -> int:  # type: ignore[no-untyped-def]
    made = services.create_offering(
        steward,
        OfferingIn(
            partner=partner.slug, kind="discount", title=title, eligibility="All", value="10"
        ),
    )
    return made.pk


def test_a_representative_sees_only_members_who_shared_with_their_partner(  # type: ignore[no-untyped-def]
    live_server, browser
) -> None:
    steward = make_member(name="Sam Steward", email="sam@example.org", role=SiteRole.STEWARD)
    alpha, beta = make_partner(name="Alpha Books"), make_partner(name="Beta Tools")
    make_partner_rep(alpha, email="ann@example.org")
    make_partner_rep(beta, email="ben@example.org")
    make_member(name="Mia Member", email="mia@example.org")
    a_offer = _offering(steward, alpha, "Alpha discount")
    b_offer = _offering(steward, beta, "Beta discount")
    base = live_server.url

    mia = browser.new_context().new_page()
    sign_in(mia, base, "mia@example.org", PASSWORD)
    mia.goto(f"{base}/me/consents/")
    assert serious(mia) == []
    mia.get_by_role("button", name="Share with Alpha Books").click()
    mia.wait_for_load_state()
    mia.get_by_role("link", name="Offerings").first.click()
    mia.wait_for_url(f"{base}/offerings/")
    assert serious(mia) == []
    for offer in (a_offer, b_offer):
        mia.goto(f"{base}/offerings/{offer}/")
        mia.get_by_role("button", name="Claim", exact=True).click()
        mia.wait_for_url(f"{base}/offerings/{offer}/")
    assert serious(mia) == []
    assert Claim.objects.count() == 2
    assert list(PartnerConsent.objects.values_list("partner__slug", "granted")) == [
        (alpha.slug, True)
    ]

    ann = browser.new_context().new_page()
    sign_in(ann, base, "ann@example.org", PASSWORD)
    ann.goto(f"{base}/partners/{alpha.slug}/uptake/")
    assert serious(ann) == []
    assert ann.get_by_role("listitem").filter(has_text="Mia Member (claimed)").count() == 1

    ben = browser.new_context().new_page()
    sign_in(ben, base, "ben@example.org", PASSWORD)
    ben.goto(f"{base}/partners/{beta.slug}/uptake/")
    assert serious(ben) == []
    assert "Mia Member" not in ben.content()
    assert ben.get_by_role("cell", name="fewer than 10").count() >= 1
    assert ben.goto(f"{base}/partners/{alpha.slug}/uptake/").status == 404  # type: ignore[union-attr]
    assert "Mia Member" not in ben.content()
    ben.goto(f"{base}/offerings/{b_offer}/")
    assert "Mia Member" not in ben.content()
