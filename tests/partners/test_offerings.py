"""Offerings: partners offer members something; members claim, express interest and
review; a partner sees its uptake as counts (none below 10) and the names of only those
members who consented to share who they are with that partner."""

from decimal import Decimal

import pytest
from django.test import Client
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain.disclosure import Hidden
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import Claim, Offering, Review
from accord.partners.schemas import AgreementIn, ClaimIn, OfferingIn, ReviewIn
from accord.people.models import ConsentSource, Member, Purpose
from accord.people.schemas import ErasureIn
from accord.people.services import erase_member, grant_partner_consent, withdraw_partner_consent
from tests.conftest import Cast, client_for
from tests.factories import grant, make_member, make_partner_rep


def _offering_in(cast: Cast, **overrides: object) -> OfferingIn:
    fields: dict[str, object] = {
        "partner": cast.partner.slug,
        "kind": "discount",
        "title": "20% off courses",
        "eligibility": "Every member",
        "value": "25.50",
    }
    fields.update(overrides)
    return OfferingIn(**fields)  # type: ignore[arg-type]


@pytest.fixture
def offering(cast: Cast) -> Offering:
    return services.create_offering(cast.steward, _offering_in(cast))


def _claim(member: Member, offering: Offering, kind: str = "claim") -> Claim:
    return services.claim_offering(member, offering.pk, ClaimIn(kind=kind))


def _email(member: Member) -> str:
    assert member.user is not None
    return member.user.email


# -- creating and closing -----------------------------------------------------------------


def test_a_representative_offers_for_their_own_partner_with_an_exact_value(cast: Cast) -> None:
    made = services.create_offering(cast.partner_rep, _offering_in(cast, value="0.10"))

    assert made.value == Decimal("0.10")
    assert made.currency == "EUR"
    entry = Entry.objects.get(kind="offering.created")
    assert entry.actor == cast.partner_rep.pseudonym
    assert b"20% off" not in bytes(entry.data)  # free text only as a hash


def test_a_representative_cannot_offer_for_another_partner(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.create_offering(
            cast.partner_rep, _offering_in(cast, partner=cast.other_partner.slug)
        )

    assert not Offering.objects.exists()
    assert not Entry.objects.filter(kind="offering.created").exists()


@pytest.mark.parametrize("role", ["member", "treasurer", "auditor"])
def test_only_stewards_and_representatives_make_offerings(cast: Cast, role: str) -> None:
    with pytest.raises(Forbidden):
        services.create_offering(getattr(cast, role), _offering_in(cast))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"value": "1.234"}, "at most 2 decimal places"),
        ({"value": "-1"}, "cannot be negative"),
        ({"value": "1e3"}, "is not an amount"),
        ({"kind": "gift"}, "'gift' is not a kind"),
        ({"title": "  "}, "A title is required"),
        ({"eligibility": ""}, "Say who is eligible"),
    ],
)
def test_bad_input_is_refused_with_its_reason(
    cast: Cast, overrides: dict[str, str], reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        services.create_offering(cast.steward, _offering_in(cast, **overrides))

    assert not Offering.objects.exists()


def test_an_agreement_of_another_partner_is_refused(cast: Cast) -> None:
    other = services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.other_partner.slug, title="X", purpose="p", reasons=["networks"]),
    )

    with pytest.raises(InvalidInput, match="has no agreement"):
        services.create_offering(cast.steward, _offering_in(cast, agreement=other.pk))


def test_closing_stops_new_claims_but_not_withdrawals(cast: Cast, offering: Offering) -> None:
    _claim(cast.member, offering)

    services.close_offering(cast.partner_rep, offering.pk)

    with pytest.raises(Conflict, match="closed"):
        _claim(cast.other, offering)
    with pytest.raises(Conflict, match="already closed"):
        services.close_offering(cast.steward, offering.pk)
    services.withdraw_claim(cast.member, offering.pk)
    assert not Claim.objects.exists()


def test_another_partners_representative_cannot_close(cast: Cast, offering: Offering) -> None:
    other_rep = make_partner_rep(cast.other_partner)

    with pytest.raises(Forbidden):
        services.close_offering(other_rep, offering.pk)

    offering.refresh_from_db()
    assert offering.is_open


# -- claims and reviews ------------------------------------------------------------------


def test_one_claim_per_member_interest_becomes_a_claim(cast: Cast, offering: Offering) -> None:
    _claim(cast.member, offering, "interest")
    _claim(cast.member, offering, "claim")

    with pytest.raises(Conflict, match="already claimed"):
        _claim(cast.member, offering, "claim")
    assert list(Claim.objects.values_list("kind", flat=True)) == ["claim"]


def test_the_uptake_ledger_entry_does_not_name_the_member(cast: Cast, offering: Offering) -> None:
    _claim(cast.member, offering)

    entry = Entry.objects.get(kind="offering.uptake")
    assert entry.actor == "member"
    assert cast.member.pseudonym.encode() not in bytes(entry.data)


def test_a_representative_does_not_take_up_offerings(cast: Cast, offering: Offering) -> None:
    with pytest.raises(Forbidden):
        _claim(cast.partner_rep, offering)
    with pytest.raises(Forbidden):
        services.review_offering(cast.partner_rep, offering.pk, ReviewIn(rating=5))


def test_a_claim_kind_must_be_claim_or_interest(cast: Cast, offering: Offering) -> None:
    with pytest.raises(InvalidInput):
        _claim(cast.member, offering, "maybe")


def test_withdrawing_nothing_is_not_found(cast: Cast, offering: Offering) -> None:
    with pytest.raises(NotFound):
        services.withdraw_claim(cast.member, offering.pk)
    with pytest.raises(NotFound):
        services.withdraw_review(cast.member, offering.pk)
    with pytest.raises(NotFound):
        _claim(cast.member, Offering(pk=999_999))


def test_a_member_reviews_what_they_claimed_and_may_withdraw(
    cast: Cast, offering: Offering
) -> None:
    with pytest.raises(Conflict):
        services.review_offering(cast.member, offering.pk, ReviewIn(rating=4))
    _claim(cast.member, offering)

    services.review_offering(cast.member, offering.pk, ReviewIn(rating=4, text="Fine"))
    services.review_offering(cast.member, offering.pk, ReviewIn(rating=5, text="Great"))

    assert list(Review.objects.values_list("rating", "text")) == [(5, "Great")]
    services.withdraw_review(cast.member, offering.pk)
    assert not Review.objects.exists()


def test_a_review_is_rated_one_to_five_and_at_most_2000_characters(cast: Cast) -> None:
    with pytest.raises(ValueError, match="rating"):
        ReviewIn(rating=6)
    with pytest.raises(ValueError, match="text"):
        ReviewIn(rating=3, text="x" * 2001)


def test_reviewers_are_named_only_as_visibility_allows(cast: Cast, offering: Offering) -> None:
    _claim(cast.member, offering)
    services.review_offering(cast.member, offering.pk, ReviewIn(rating=4))
    other_rep = make_partner_rep(cast.other_partner)

    anonymous = queries.offering_page(None, offering.pk).reviews[0]
    by_rep_before = queries.offering_page(cast.partner_rep, offering.pk).reviews[0]
    grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    by_rep_after = queries.offering_page(cast.partner_rep, offering.pk).reviews[0]
    by_other_rep = queries.offering_page(other_rep, offering.pk).reviews[0]
    by_self = queries.offering_page(cast.member, offering.pk).reviews[0]

    assert anonymous.reviewer is None
    assert by_rep_before.reviewer is None
    assert by_rep_after.reviewer == cast.member.display_name
    assert by_other_rep.reviewer is None
    assert (by_self.reviewer, by_self.mine) == (cast.member.display_name, True)


# -- uptake ------------------------------------------------------------------------------


def test_uptake_below_ten_is_hidden_and_names_only_consenting_claimers(
    cast: Cast, offering: Offering
) -> None:
    _claim(cast.member, offering)
    _claim(cast.other, offering, "interest")
    grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    grant_partner_consent(cast.other, cast.other_partner.slug, source=ConsentSource.WEB)

    uptake = queries.uptake_page(cast.partner_rep, cast.partner.slug).offerings[0]

    assert [n.name for n in uptake.named] == [cast.member.display_name]
    assert uptake.counts.cells["claim named"] == 1  # named on the page already (a list)
    assert uptake.counts.cells["interest others"] == Hidden(small=True)
    assert uptake.counts.total == Hidden(small=True)


def test_uptake_of_ten_or_more_is_shown(cast: Cast, offering: Offering) -> None:
    for _ in range(12):
        _claim(make_member(), offering)

    uptake = queries.uptake_page(cast.steward, cast.partner.slug).offerings[0]

    assert uptake.counts.cells["claim others"] == 12
    assert uptake.counts.total == 12
    assert uptake.named == []


def test_the_all_partners_switch_does_not_name_claimers(cast: Cast, offering: Offering) -> None:
    grant(cast.member, Purpose.SHARE_PROFILE_WITH_PARTNERS, Purpose.PARTNER_CONTACT)
    _claim(cast.member, offering)

    uptake = queries.uptake_page(cast.partner_rep, cast.partner.slug).offerings[0]

    assert uptake.named == []


def test_another_partners_representative_cannot_reach_the_uptake(
    cast: Cast, offering: Offering
) -> None:
    other_rep = make_partner_rep(cast.other_partner)
    _claim(cast.member, offering)
    grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)

    with pytest.raises(NotFound):
        queries.uptake_page(other_rep, cast.partner.slug)
    page = client_for(other_rep).get(f"/partners/{cast.partner.slug}/uptake/")
    api = client_for(other_rep).get(f"/api/v1/partners/{cast.partner.slug}/uptake")
    own = client_for(other_rep).get(f"/partners/{cast.other_partner.slug}/uptake/")

    assert page.status_code == 404
    assert api.status_code == 404
    assert own.status_code == 200
    assert cast.member.display_name not in own.content.decode()


# -- doors -------------------------------------------------------------------------------


def test_the_pages_list_offer_claim_and_review(cast: Cast) -> None:
    rep = client_for(cast.partner_rep)
    member = client_for(cast.member)
    fields = {
        "partner": cast.partner.slug,
        "kind": "event",
        "title": "Open lab day",
        "eligibility": "Everyone",
        "value": "0",
        "agreement": "",
    }

    made = rep.post("/offerings/", fields)
    offering = Offering.objects.get()
    listed = Client().get("/offerings/")
    claimed = member.post(f"/offerings/{offering.pk}/claim/", {"kind": "claim"})
    reviewed = member.post(f"/offerings/{offering.pk}/review/", {"rating": "5", "text": "Yes"})
    page = member.get(f"/offerings/{offering.pk}/")

    assert made.status_code == 302
    assert "Open lab day" in listed.content.decode()
    assert claimed.status_code == 302
    assert reviewed.status_code == 302
    assert "Withdraw my review" in page.content.decode()


def test_the_page_shows_a_refusal_with_its_reason(cast: Cast, offering: Offering) -> None:
    bad = client_for(cast.steward).post(
        "/offerings/",
        {
            "partner": cast.partner.slug,
            "kind": "x",
            "title": "T",
            "eligibility": "E",
            "value": "1",
        },
    )
    review = client_for(cast.member).post(f"/offerings/{offering.pk}/review/", {"rating": "9"})

    assert bad.status_code == 422
    assert "is not a kind" in bad.content.decode()
    assert review.status_code == 422
    assert not Review.objects.exists()


def test_the_api_creates_claims_reviews_and_reports_uptake(cast: Cast) -> None:
    rep, member = client_for(cast.partner_rep), client_for(cast.member)
    body = {
        "partner": cast.partner.slug,
        "kind": "education",
        "title": "Course",
        "eligibility": "All",
        "value": "100",
    }

    made = rep.post("/api/v1/offerings", body, content_type="application/json")
    oid = made.json()["id"]
    claim = member.put(
        f"/api/v1/offerings/{oid}/claim", {"kind": "claim"}, content_type="application/json"
    )
    review = member.put(
        f"/api/v1/offerings/{oid}/review", {"rating": 3}, content_type="application/json"
    )
    bad = member.put(
        f"/api/v1/offerings/{oid}/review", {"rating": 0}, content_type="application/json"
    )
    uptake = rep.get(f"/api/v1/partners/{cast.partner.slug}/uptake")

    assert made.status_code == 201
    assert made.json()["value"] == "100.00"
    assert claim.status_code == 200
    assert review.json()["reviews"][0]["reviewer"] == cast.member.display_name  # self
    assert bad.status_code == 422
    assert bad.json()["code"]
    assert uptake.json()[0]["counts"]["claim others"] is None
    assert uptake.json()[0]["named"] == []


def test_the_commands_create_claim_review_and_close(cast: Cast) -> None:
    runner = CliRunner()
    rep, member = _email(cast.partner_rep), _email(cast.member)

    made = runner.invoke(
        app,
        [
            *("offering", "create", cast.partner.slug, "Tickets", "--kind", "event"),
            *("--eligibility", "All", "--value", "12.00", "--as", rep),
        ],
    )
    oid = str(Offering.objects.get().pk)
    claimed = runner.invoke(app, ["offering", "claim", oid, "--as", member])
    reviewed = runner.invoke(app, ["offering", "review", oid, "--rating", "4", "--as", member])
    listed = runner.invoke(app, ["offering", "list"])
    closed = runner.invoke(app, ["offering", "close", oid, "--as", rep])
    refused = runner.invoke(app, ["offering", "claim", oid, "--as", member])

    assert made.exit_code == 0, made.output
    assert claimed.exit_code == 0, claimed.output
    assert reviewed.exit_code == 0, reviewed.output
    assert "Tickets" in listed.stdout
    assert closed.exit_code == 0
    assert refused.exit_code != 0
    assert refused.stderr.strip() == "accord: error: This offering is closed."


def test_withdrawing_consent_keeps_the_claim_and_only_hides_the_name(
    cast: Cast, offering: Offering
) -> None:
    grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    _claim(cast.member, offering)

    withdraw_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)

    assert Claim.objects.filter(member=cast.member).exists()
    assert queries.uptake_page(cast.partner_rep, cast.partner.slug).offerings[0].named == []


def test_erasure_removes_the_members_claims_and_reviews(cast: Cast, offering: Offering) -> None:
    _claim(cast.member, offering)
    services.review_offering(cast.member, offering.pk, ReviewIn(rating=2, text="Mine"))

    erase_member(cast.member, cast.member.pseudonym, ErasureIn(reason=""))

    assert not Claim.objects.exists()
    assert not Review.objects.exists()


def test_the_list_and_the_uptake_page_take_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    for n in range(5):
        made = services.create_offering(cast.steward, _offering_in(cast, title=f"O{n}"))
        _claim(make_member(), made)

    with django_assert_max_num_queries(3):  # type: ignore[operator]
        queries.offering_list(None)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        queries.uptake_page(cast.steward, cast.partner.slug)
