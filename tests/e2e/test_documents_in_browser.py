"""In Chromium: a member proposes a change to a governed guideline; a steward puts it to a
decision and opens it; once the decision has passed the steward adopts the change; a
signed-out visitor reads the new revision, its readability and what changed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.governance import services
from accord.governance.models import ChangeStatus, Decision, ProposedChange
from accord.governance.schemas import DocumentIn, VoteIn
from accord.ledger.models import Entry
from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.e2e.test_agreements_in_browser import serious
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Partner money goes to the community fund.\n\nThe treasurer reports each quarter."


def test_a_governed_change_from_proposal_to_adoption_in_the_browser(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    steward_member = make_member(
        name="Sam Steward", role=SiteRole.STEWARD, email="sam@example.org"
    )
    mo = make_member(name="Mo Member", email="mo@example.org")
    doc = services.create_document(
        steward_member,
        DocumentIn.model_validate(
            {"title": "Funding guideline", "kind": "funding", "governed": True, "body": FIRST}
        ),
    )
    url = f"{live_server.url}/documents/{doc.slug}/"

    member = browser.new_context().new_page()
    sign_in(member, live_server.url, "mo@example.org", PASSWORD)
    member.get_by_role("link", name="Documents").click()
    member.get_by_role("link", name="Funding guideline").click()
    member.wait_for_url(url)
    assert "Publish the revision" not in member.content()  # governed: no direct revision
    member.get_by_label("Proposed text").fill(FIRST.replace("each quarter", "every month"))
    member.get_by_label("What it changes, and why").fill("Report monthly.")
    member.get_by_role("button", name="Propose the change").click()
    member.wait_for_url(re.compile(r".*/proposals/\d+/$"))
    assert "Your proposed change is published" in member.content()
    assert "every" in member.locator("#proposal-diff ins").first.inner_text()
    assert serious(member) == []
    proposal_url = member.url

    steward = browser.new_context().new_page()
    sign_in(steward, live_server.url, "sam@example.org", PASSWORD)
    steward.goto(proposal_url)
    assert steward.get_by_role("button", name="Accept the change").count() == 0
    closes = timezone.localtime(timezone.now() + timedelta(days=7))
    steward.get_by_label("Votes are taken until").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    steward.get_by_role("button", name="Put to a decision").click()
    steward.wait_for_url(proposal_url)
    assert "A decision on the change is drafted" in steward.content()
    steward.get_by_role("link", name=re.compile(r"^Decision \d+$")).click()
    steward.get_by_role("button", name="Open for votes").click()
    assert "The decision is open for votes." in steward.content()

    change = ProposedChange.objects.get()
    assert change.decision_id is not None
    services.cast_vote(mo, change.decision_id, VoteIn.model_validate({"stance": "agree"}))
    Decision.objects.filter(pk=change.decision_id).update(  # the week has gone by
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    services.close_decision(steward_member, change.decision_id)

    steward.goto(proposal_url)
    steward.get_by_role("button", name="Adopt the change").click()
    steward.wait_for_url(proposal_url)
    assert "The change is adopted" in steward.content()
    assert serious(steward) == []

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/documents/")
    visitor.get_by_role("link", name="Funding guideline").click()
    visitor.wait_for_url(url)
    assert "every month" in visitor.locator("#document-text").inner_text()
    assert "adopted by decision" in visitor.content()
    assert "Readability:" in visitor.locator("#readability").inner_text()
    assert "Mo Member" not in visitor.content()
    assert "Report monthly." in visitor.content()
    assert serious(visitor) == []
    visitor.get_by_role("link", name="what changed").first.click()
    visitor.wait_for_url(re.compile(r".*/diff/\?from=1&to=2$"))
    removed, added = visitor.locator("#diff del").first, visitor.locator("#diff ins").first
    assert removed.text_content() == "[removed: each]"  # said in words, not colour alone
    assert added.text_content() == "[added: every]"
    assert serious(visitor) == []

    assert ProposedChange.objects.get().status == ChangeStatus.ADOPTED
    kinds = [e.kind for e in Entry.objects.filter(subject=f"document:{doc.pk}").order_by("seq")]
    assert kinds == ["document.created", "document.revised", "document.revised"]
