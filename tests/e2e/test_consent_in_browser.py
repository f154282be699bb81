"""A member withdraws a consent in Chromium and disappears from another member's listing."""

import pytest

from accord.people.models import ConsentEvent, Purpose
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    add_to_group,
    grant,
    make_group,
    make_member,
    make_partner,
    make_partner_rep,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_withdrawing_consent_removes_the_member_from_a_listing(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    group = make_group(name="Harbour Local")
    leaving = make_member(name="Lee Leaving", email="lee@example.org")
    viewer = make_member(name="Vic Viewer", email="vic@example.org")
    add_to_group(leaving, group)
    add_to_group(viewer, group)
    grant(leaving, Purpose.MEMBER_DIRECTORY)
    viewer_page = browser.new_context().new_page()
    sign_in(viewer_page, live_server.url, "vic@example.org", PASSWORD)
    viewer_page.goto(f"{live_server.url}/groups/{group.slug}/")
    assert viewer_page.locator("#group-members").get_by_text("Lee Leaving").count() == 1

    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "lee@example.org", PASSWORD)
    page.goto(f"{live_server.url}/me/consents/")
    row = page.locator("#consent-member_directory")
    row.get_by_role("button", name="Turn off").click()
    # htmx swaps the row in place: the page does not reload.
    row.get_by_role("button", name="Turn on").wait_for()
    assert "Off" in row.locator(".state").inner_text()

    viewer_page.reload()
    assert viewer_page.get_by_text("Lee Leaving").count() == 0
    assert "2 members; 1 chose not to be listed" in viewer_page.content()
    assert ConsentEvent.objects.filter(
        member=leaving, purpose=Purpose.MEMBER_DIRECTORY, granted=False, source="web"
    ).exists()


def test_a_partner_representative_sees_only_who_shares_with_partners(live_server, browser) -> None:  # type: ignore[no-untyped-def]

    group = make_group(name="Harbour Local")
    to_members = make_member(name="Mia Members")
    to_partners = make_member(name="Pia Partners", email="pia@example.org")
    for person in (to_members, to_partners):
        add_to_group(person, group)
    grant(to_members, Purpose.MEMBER_DIRECTORY)
    rep = make_partner_rep(make_partner(name="Northbridge University"))
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, rep.user.email, PASSWORD)

    page.goto(f"{live_server.url}/members/")
    assert page.get_by_text("Mia Members").count() == 0
    assert page.get_by_text("Pia Partners").count() == 0

    # Pia says yes to partners, in her own browser, and appears to the partner only then.
    pia = browser.new_context().new_page()
    sign_in(pia, live_server.url, "pia@example.org", PASSWORD)
    pia.goto(f"{live_server.url}/me/consents/")
    row = pia.locator("#consent-share_profile_with_partners")
    assert row.get_by_role("link", name="our partners").count() == 1
    row.get_by_role("button", name="Turn on").click()
    row.get_by_role("button", name="Turn off").wait_for()

    page.reload()
    assert page.get_by_text("Pia Partners").count() == 1
    assert page.get_by_text("Mia Members").count() == 0
    page.goto(f"{live_server.url}/groups/{group.slug}/")
    assert page.locator("#group-members").get_by_text("Pia Partners").count() == 1
    assert page.locator("#group-members").get_by_text("Mia Members").count() == 0
    assert "fewer than 10 members" in page.content()  # a partner gets no small counts
