"""The partnership page reads its agreement once and every section in a fixed number of
queries, however many updates, comments, values, claims and consents it has; each update
lists its newest 50 comments and counts the rest. The representative's portal is pinned
the same way."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.partners import queries, services
from accord.partners.models import Agreement, UpdateComment
from accord.partners.schemas import (
    AgreementIn,
    ClaimIn,
    CommentIn,
    OfferingIn,
    UpdateIn,
    ValueIn,
)
from accord.people.models import ConsentSource, Member
from accord.people.services import grant_partner_consent
from tests.conftest import Cast, client_for
from tests.factories import make_member


def _agreement(cast: Cast, title: str = "Mentoring") -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title=title, purpose="P", reasons=["networks"]),
    )


def _grow(cast: Cast, agreement: Agreement, n: int) -> None:
    """`n` more of everything the page lists."""
    members = [make_member(name=f"Grower {agreement.pk}-{n}-{i}") for i in range(n)]
    offering = services.create_offering(
        cast.steward,
        OfferingIn(
            partner=cast.partner.slug,
            agreement=agreement.pk,
            kind="event",
            title=f"Event {n}",
            eligibility="All",
            value="5.00",
        ),
    )
    for m in members:
        update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="News"))
        services.comment_on_update(m, update.pk, CommentIn(body="Thanks"))
        services.claim_offering(m, offering.pk, ClaimIn(kind="claim"))
        grant_partner_consent(m, cast.partner.slug, source=ConsentSource.WEB)
        services.record_value(
            cast.steward,
            agreement.pk,
            ValueIn(kind="training", amount=100, on="2026-01-05", basis="b"),  # type: ignore[arg-type]
        )


def _count(viewer: Member | None, path: str) -> int:
    client = client_for(viewer)
    client.get(path)  # the session and the member, read on the first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_reads_the_same_number_of_queries_however_much_it_shows(cast: Cast) -> None:
    agreement = _agreement(cast)
    path = f"/partnerships/{agreement.pk}/"
    _grow(cast, agreement, 2)
    small = {who: _count(getattr(cast, who) if who else None, path) for who in WHO}

    _grow(cast, agreement, 12)
    large = {who: _count(getattr(cast, who) if who else None, path) for who in WHO}

    assert large == small
    # the session, user and member (signed in), the agreement with its changes, the
    # reader's standing, the body (with the pools the partner funded), reciprocity (with
    # the partners' direct pool fundings), registers and updates; then the reader again
    # and, for members, the institutional memory linked to it
    assert large == {None: 16, "member": 22, "partner_rep": 25, "steward": 26}


WHO = (None, "member", "partner_rep", "steward")


def test_the_agreement_is_read_once_for_the_whole_page(cast: Cast) -> None:
    agreement = _agreement(cast)
    client = client_for(cast.partner_rep)
    client.get(f"/partnerships/{agreement.pk}/")

    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/partnerships/{agreement.pk}/")

    by_id = f'WHERE "partners_agreement"."id" = {agreement.pk}'
    assert sum(1 for q in ctx.captured_queries if by_id in q["sql"]) == 1
    representative_checks = [
        q for q in ctx.captured_queries if "partners_representative" in q["sql"]
    ]
    assert len(representative_checks) == 1  # asked once, for every section


def test_an_update_lists_its_newest_50_comments_and_counts_the_rest(cast: Cast) -> None:
    agreement = _agreement(cast)
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="News"))
    for n in range(53):
        services.comment_on_update(cast.member, update.pk, CommentIn(body=f"Comment number {n}."))

    [view] = queries.updates_of(cast.member, agreement)
    page = client_for(cast.member).get(f"/partnerships/{agreement.pk}/").content.decode()
    api = client_for(cast.member).get(f"/api/v1/agreements/{agreement.pk}/updates").json()

    assert view.comments is not None
    assert [c.body for c in view.comments] == [f"Comment number {n}." for n in range(3, 53)]
    assert view.earlier == 3
    assert "3 earlier comments not shown" in page
    assert "Comment number 2." not in page
    assert "Comment number 52." in page
    assert api[0]["earlier_comments"] == 3
    assert len(api[0]["comments"]) == 50
    assert UpdateComment.objects.count() == 53


def test_the_portal_reads_a_fixed_number_of_queries_per_partnership(cast: Cast) -> None:
    first = _agreement(cast, "First")
    _grow(cast, first, 2)
    one = _count(cast.partner_rep, "/partners/mine/")

    _grow(cast, first, 6)
    same = _count(cast.partner_rep, "/partners/mine/")
    second = _agreement(cast, "Second")
    _grow(cast, second, 2)
    two = _count(cast.partner_rep, "/partners/mine/")

    assert same == one == 29
    assert two - one == 10  # each partnership's body, evaluation and updates
