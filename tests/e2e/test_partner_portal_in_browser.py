"""In Chromium: a partner's representative signs in, finds their partnership on their own
page (the portal), posts an update on the partnership page and is refused another partner's
pages; a member comments on that update. Each page passes axe's WCAG 2.2 AA checks."""

import re

import pytest

from accord.partners import services
from accord.partners.models import Update, UpdateComment
from accord.partners.schemas import AgreementIn
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, make_member, make_partner, make_partner_rep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_representative_posts_an_update_a_member_comments(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    ours = make_partner(name="Northbridge University")
    theirs = make_partner(name="Lumen Software")
    steward = make_member(name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org")
    make_partner_rep(ours, email="pat@example.org")
    make_member(name="Mo Member", email="mo@example.org")
    agreement = services.create_agreement(
        steward,
        AgreementIn(
            partner=ours.slug,
            title="Student placements",
            purpose="Mentoring.",
            reasons=["networks"],
        ),
    )
    services.create_agreement(
        steward,
        AgreementIn(
            partner=theirs.slug, title="Lumen licences", purpose="Software.", reasons=["networks"]
        ),
    )
    url = f"{live_server.url}/partnerships/{agreement.pk}/"

    rep = browser.new_context().new_page()
    sign_in(rep, live_server.url, "pat@example.org", PASSWORD)
    rep.goto(f"{live_server.url}/partners/mine/")
    portal = rep.locator("#portal").locator("..")
    assert "Student placements" in portal.inner_text()
    assert "Lumen licences" not in rep.content()
    assert serious(rep) == []

    rep.get_by_role("link", name="Student placements").click()
    rep.wait_for_url(url)
    rep.get_by_label("Your update").fill("Two students start in May.")
    rep.get_by_role("button", name="Post the update").click()
    rep.wait_for_url(re.compile(r".*/partnerships/\d+/#updates$"))
    assert "Your update is posted." in rep.content()
    assert "Two students start in May." in rep.locator("#update-list").inner_text()
    assert serious(rep) == []

    for other_page in (f"/partners/{theirs.slug}/", f"/partners/{theirs.slug}/uptake/"):
        response = rep.goto(f"{live_server.url}{other_page}")
        assert response is not None
        assert response.status in (403, 404)

    member = browser.new_context().new_page()
    sign_in(member, live_server.url, "mo@example.org", PASSWORD)
    member.goto(url)
    assert member.get_by_role("button", name="Post the update").count() == 0
    update = Update.objects.get()
    member.locator(f"#comment-{update.pk}-body").fill("Welcome, both of you.")
    member.get_by_role("button", name="Comment").click()
    member.wait_for_url(re.compile(rf".*#update-{update.pk}$"))
    assert "Welcome, both of you." in member.locator(f"#update-{update.pk}").inner_text()
    assert serious(member) == []
    assert UpdateComment.objects.get().body == "Welcome, both of you."
