"""Living document pages: public reading, members' forms, owners' forms, and refusals shown
beside the form with nothing changed."""

from datetime import timedelta

from django.utils import timezone

from accord.governance.models import ChangeStatus, Document, ProposedChange, Revision
from accord.people.models import Purpose
from tests.conftest import Cast, client_for
from tests.factories import grant
from tests.governance.documents_setup import (
    CHANGED,
    decided,
    document,
    proposal,
    put_to_decision,
)


def test_a_visitor_reads_documents_their_score_history_and_diff(cast: Cast) -> None:
    doc = document(cast, governed=False)
    proposal(cast, doc)
    client = client_for(None)
    client_for(cast.steward).post(
        f"/documents/{doc.slug}/revise/", {"body": CHANGED, "summary": "Report monthly."}
    )

    listed = client.get("/documents/")
    page = client.get(f"/documents/{doc.slug}/")
    first = client.get(f"/documents/{doc.slug}/revisions/1/")
    diff = client.get(f"/documents/{doc.slug}/diff/?from=1&to=2")

    assert listed.status_code == page.status_code == first.status_code == diff.status_code == 200
    assert "Funding guideline" in listed.text
    assert "Readability:" in page.text
    assert "the target is 60 or more" in page.text
    assert "Report monthly." in page.text
    assert "a member" in page.text
    assert "Sam Steward" not in page.text  # the public never sees a member's name
    assert "Propose the change" not in page.text
    assert "sign in" in page.text
    assert "Report monthly." not in page.text.split("Proposed changes")[1]
    assert '<del><span class="visually-hidden">[removed: </span>each<' in diff.text
    assert '<ins><span class="visually-hidden">[added: </span>every<' in diff.text
    assert "Publish a document" not in listed.text


def test_a_member_sees_proposals_and_names_they_may_see(cast: Cast) -> None:
    grant(cast.other, Purpose.MEMBER_DIRECTORY)
    doc = document(cast)
    proposal(cast, doc, by=cast.other)

    page = client_for(cast.member).get(f"/documents/{doc.slug}/")

    assert "Report monthly." in page.text
    assert "Olu Other" in page.text
    assert "Propose the change" in page.text
    assert "Publish the revision" not in page.text  # not an owner, and it is governed


def test_a_member_proposes_a_change_and_blank_text_is_refused_beside_the_form(cast: Cast) -> None:
    doc = document(cast)
    client = client_for(cast.member)

    blank = client.post(f"/documents/{doc.slug}/propose/", {"body": " ", "summary": "s"})
    made = client.post(f"/documents/{doc.slug}/propose/", {"body": CHANGED, "summary": "Monthly"})

    assert blank.status_code == 422
    assert "proposed text is empty" in blank.text
    change = ProposedChange.objects.get()
    assert made.status_code == 302
    assert made["Location"] == f"/documents/{doc.slug}/proposals/{change.pk}/"


def test_a_governed_document_refuses_a_revision_from_its_page(cast: Cast) -> None:
    doc = document(cast)

    response = client_for(cast.steward).post(
        f"/documents/{doc.slug}/revise/", {"body": CHANGED, "summary": "s"}
    )

    assert response.status_code == 409
    assert "only through a passed decision" in response.text
    assert Revision.objects.count() == 1


def test_an_owner_puts_a_change_to_a_decision_and_adopts_it(cast: Cast) -> None:
    doc = document(cast)
    change = proposal(cast, doc)
    client = client_for(cast.steward)
    url = f"/documents/{doc.slug}/proposals/{change.pk}/"
    closes = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    shown = client.get(url)
    put = client.post(f"{url}decision/", {"closes_at": closes})
    early = client.post(f"{url}adopt/")
    change.refresh_from_db()
    assert change.decision is not None
    decided(cast, change.decision)
    adopted = client.post(f"{url}adopt/")

    assert "Put to a decision" in shown.text
    assert "Accept the change" not in shown.text
    assert put.status_code == 302
    assert early.status_code == 409
    assert "has not closed yet" in early.text
    assert adopted.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.ADOPTED
    assert Document.objects.get().revisions.count() == 2


def test_a_proposal_is_the_members_own(cast: Cast) -> None:
    doc = document(cast)
    change = proposal(cast, doc)
    url = f"/documents/{doc.slug}/proposals/{change.pk}/"

    assert client_for(None).get(url).status_code == 302
    assert client_for(cast.partner_rep).get(url).status_code == 404
    assert client_for(cast.other).get(url).status_code == 200


def test_a_member_comments_on_a_revision(cast: Cast) -> None:
    doc = document(cast)
    client = client_for(cast.member)

    posted = client.post(f"/documents/{doc.slug}/revisions/1/comments/", {"body": "Clear to me."})
    shown = client.get(f"/documents/{doc.slug}/revisions/1/")
    public = client_for(None).get(f"/documents/{doc.slug}/revisions/1/")

    assert posted.status_code == 302
    assert "Clear to me." in shown.text
    assert "(you)" in shown.text
    assert "Clear to me." not in public.text


def test_a_stale_proposal_is_flagged_on_its_page(cast: Cast) -> None:
    doc = document(cast)
    old = proposal(cast, doc, body="Something else.")
    first = proposal(cast, doc)
    decided(cast, put_to_decision(cast, first))
    client_for(cast.steward).post(f"/documents/{doc.slug}/proposals/{first.pk}/adopt/")

    page = client_for(cast.member).get(f"/documents/{doc.slug}/proposals/{old.pk}/")

    assert "Written on an older revision" in page.text


def test_an_unknown_revision_or_document_is_not_found(cast: Cast) -> None:
    doc = document(cast)
    client = client_for(None)

    assert client.get(f"/documents/{doc.slug}/revisions/7/").status_code == 404
    assert client.get(f"/documents/{doc.slug}/diff/?from=x&to=1").status_code == 404
    assert client.get("/documents/nope/").status_code == 404


def test_a_steward_publishes_a_document_from_the_list(cast: Cast) -> None:
    client = client_for(cast.steward)

    blank = client.post("/documents/", {"title": "", "kind": "plan", "body": "b", "summary": "s"})
    made = client.post(
        "/documents/",
        {"title": "Plan 2027", "kind": "plan", "body": "We do this.", "summary": "First."},
    )

    assert blank.status_code == 422
    assert made.status_code == 302
    assert made["Location"] == "/documents/plan-2027/"
    refused = client_for(cast.member).post(
        "/documents/", {"title": "Plan", "kind": "plan", "body": "b", "summary": "s"}
    )
    assert refused.status_code == 403
    assert "Only stewards create documents." in refused.text
