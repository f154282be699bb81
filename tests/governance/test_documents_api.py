"""The documents API: reads for members, the same refusals as the services, and a
governed document that no route changes without a passed decision."""

from datetime import timedelta

from django.utils import timezone

from accord.governance import queries
from accord.governance.models import ChangeStatus, ProposedChange
from tests.conftest import Cast, client_for
from tests.governance.documents_setup import CHANGED, FIRST, decided, document, proposal


def test_a_document_its_revisions_and_a_diff_through_the_api(cast: Cast) -> None:
    client = client_for(cast.steward)
    made = client.post(
        "/api/v1/documents",
        {"title": "Code of conduct", "kind": "conduct", "body": FIRST},
        content_type="application/json",
    )
    slug = made.json()["slug"]

    revised = client.post(
        f"/api/v1/documents/{slug}/revisions",
        {"body": CHANGED, "summary": "Monthly."},
        content_type="application/json",
    )
    listed = client_for(cast.member).get("/api/v1/documents?kind=conduct")
    second = client_for(cast.member).get(f"/api/v1/documents/{slug}/revisions/2")
    diff = client_for(cast.member).get(f"/api/v1/documents/{slug}/diff?from=1&to=2")

    assert made.status_code == 201
    assert revised.status_code == 201
    assert revised.json()["revision"] == 2
    assert [d["slug"] for d in listed.json()] == [slug]
    assert second.json()["readability"]["target"] == 60
    assert len(second.json()["body_sha256"]) == 64
    pieces = diff.json()["pieces"]
    assert "".join(p["text"] for p in pieces if p["kind"] != "ins") == FIRST
    assert "".join(p["text"] for p in pieces if p["kind"] != "del") == CHANGED


def test_a_governed_change_goes_through_a_decision_in_the_api(cast: Cast) -> None:
    doc = document(cast)
    member, steward = client_for(cast.member), client_for(cast.steward)
    base = f"/api/v1/documents/{doc.slug}"

    proposed = member.post(
        f"{base}/proposals",
        {"body": CHANGED, "summary": "Monthly."},
        content_type="application/json",
    )
    pk = proposed.json()["id"]
    direct = steward.post(
        f"{base}/revisions", {"body": CHANGED, "summary": "x"}, content_type="application/json"
    )
    accepted = steward.post(f"{base}/proposals/{pk}/accept")
    put = steward.post(
        f"{base}/proposals/{pk}/decision",
        {"closes_at": (timezone.now() + timedelta(days=2)).isoformat()},
        content_type="application/json",
    )
    decided(cast, ProposedChange.objects.get(pk=pk).decision)  # type: ignore[arg-type]
    adopted = steward.post(f"{base}/proposals/{pk}/adopt")

    assert proposed.status_code == 201
    assert proposed.json()["status"] == "open"
    assert (direct.status_code, direct.json()["code"]) == (409, "conflict")
    assert accepted.status_code == 409
    assert put.status_code == 200
    assert put.json()["decision"] is not None
    assert adopted.status_code == 200
    assert (adopted.json()["status"], adopted.json()["revision"]) == (ChangeStatus.ADOPTED, 2)


def test_members_comment_and_the_api_names_them_only_with_consent(cast: Cast) -> None:
    doc = document(cast)
    url = f"/api/v1/documents/{doc.slug}/revisions/1/comments"

    made = client_for(cast.member).post(url, {"body": "Good."}, content_type="application/json")
    seen = client_for(cast.other).get(url)
    refused = client_for(cast.partner_rep).post(
        url, {"body": "Hi"}, content_type="application/json"
    )

    assert made.status_code == 201
    assert made.json()["mine"] is True
    assert seen.json()[0]["author"] == "a member"
    assert refused.status_code == 403


def test_declining_needs_a_reason_and_an_owner(cast: Cast) -> None:
    doc = document(cast, governed=False)
    pk = proposal(cast, doc).pk
    url = f"/api/v1/documents/{doc.slug}/proposals/{pk}/decline"

    blank = client_for(cast.steward).post(url, {"reason": " "}, content_type="application/json")
    member = client_for(cast.other).post(url, {"reason": "No"}, content_type="application/json")
    done = client_for(cast.steward).post(url, {"reason": "No"}, content_type="application/json")

    assert blank.status_code == 422
    assert member.status_code == 403
    assert done.json()["status"] == "declined"
    assert done.json()["reason"] == "No"


def test_the_list_reads_in_two_queries_however_many_documents(
    cast: Cast,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for _ in range(3):
        document(cast)

    with django_assert_num_queries(2):
        lines = queries.list_documents()

    assert [line.current.number for line in lines] == [1, 1, 1]
