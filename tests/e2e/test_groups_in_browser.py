"""A member starts a group in Chromium; a steward appoints its co-lead and records a term."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accord.people.models import Group, GroupRole, LeadershipTerm, Membership, Purpose, SiteRole
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, add_to_group, grant, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_starts_a_group_and_a_steward_appoints_and_records(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    make_member(name="Fran Founder", email="fran@example.org")
    helper = make_member(name="Cory Colead", email="cory@example.org")
    grant(helper, Purpose.MEMBER_DIRECTORY)
    make_member(name="Stevie Steward", email="stevie@example.org", role=SiteRole.STEWARD)

    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "fran@example.org", PASSWORD)
    page.goto(f"{live_server.url}/groups/")
    page.get_by_role("link", name="Start a group").click()
    page.get_by_label("Name").fill("Harbour Makers")
    page.get_by_label("Kind").select_option("working_group")
    page.get_by_label("Description").fill("We build things by the harbour.")
    page.get_by_role("button", name="Start the group").click()
    page.wait_for_url(f"{live_server.url}/groups/harbour-makers/")
    assert "Harbour Makers is started, and you lead it." in page.content()
    group = Group.objects.get(slug="harbour-makers")
    add_to_group(helper, group)

    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "stevie@example.org", PASSWORD)
    steward.goto(f"{live_server.url}/groups/harbour-makers/")
    steward.get_by_label("Member (their public handle)").fill(helper.pseudonym)
    steward.get_by_label("Role", exact=True).select_option(GroupRole.CO_LEAD)
    steward.get_by_role("button", name="Set role").click()
    steward.wait_for_url(f"{live_server.url}/groups/harbour-makers/")
    assert "Cory Colead is now Co-lead." in steward.content()
    assert Membership.objects.get(group=group, member=helper).role == GroupRole.CO_LEAD

    start = timezone.localdate()
    steward.get_by_role("link", name="Leadership").click()
    form = steward.locator("#record-term")
    form.get_by_label("Group").select_option("harbour-makers")
    form.get_by_label("Who (their public handle)").fill(helper.pseudonym)
    form.get_by_label("Role").select_option(GroupRole.CO_LEAD)
    form.get_by_label("From").fill(start.isoformat())
    form.get_by_label("To (inclusive)").fill((start - timedelta(days=1)).isoformat())
    form.get_by_role("button", name="Record the term").click()
    assert "A term cannot end before it starts." in steward.locator("#term-error").inner_text()
    form.get_by_label("To (inclusive)").fill((start + timedelta(days=364)).isoformat())
    form.get_by_role("button", name="Record the term").click()
    steward.wait_for_url(f"{live_server.url}/leadership/")
    assert "Term recorded: Harbour Makers" in steward.content()
    term = LeadershipTerm.objects.get(group=group)
    assert (term.member, term.role) == (helper, GroupRole.CO_LEAD)
