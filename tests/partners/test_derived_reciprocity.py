"""Reciprocity read from where it happens: partner money paid to members (traced through the
community fund and its pools), offerings members claimed at their stated value, and members
who share who they are with the partner at ACCORD_CONTACT_VALUE each. Each is a dated line
with its basis on the page, in the API and in the portal, and counts towards the ratio and
the Extractive flag of the list; an input about 1 to 9 people is neither shown nor counted."""

from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import timezone

import accord
from accord.benefits import services as benefits
from accord.benefits.schemas import CommitIn, FundIn
from accord.partners import queries, services
from accord.partners.models import Agreement
from accord.partners.schemas import (
    AgreementIn,
    ClaimIn,
    CommitmentIn,
    FulfilmentIn,
    OfferingIn,
    ValueIn,
)
from accord.people.models import ConsentSource, Member
from accord.people.services import grant_partner_consent
from tests.conftest import Cast, client_for, run_python
from tests.factories import (
    decided_status,
    funded_pool,
    make_member,
    make_policy,
    verified_contribution,
)

TODAY = timezone.localdate()


def _agreement(cast: Cast, *, partner: str = "", title: str = "Mentoring") -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=partner or cast.partner.slug,
            title=title,
            purpose="Members mentor students.",
            reasons=["networks"],
        ),
    )


def _value(cast: Cast, agreement: Agreement, kind: str, amount: int) -> None:
    services.record_value(
        cast.steward,
        agreement.pk,
        ValueIn(kind=kind, amount=amount, on=TODAY - timedelta(days=3), basis=f"{kind} basis"),
    )


def _pay(cast: Cast, agreement: Agreement, amount: str) -> None:
    """The partner pays `amount` against a financial commitment: into the community fund."""
    commitment = services.add_commitment(
        cast.steward,
        agreement.pk,
        CommitmentIn(
            party="partner", kind="financial", description="A grant", amount=amount, due_on=TODAY
        ),
    )
    services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount=amount))


def _distribute_from_the_fund(cast: Cast, amount: int, *, name: str = "Travel grants") -> None:
    """A pool funded with `amount` cents from the community fund, and a round committed."""
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=120))
    verified_contribution(cast.member, cast.steward, days_ago=5)
    pool = funded_pool(cast.steward, policy, name=name, amount=0, treasurer=cast.treasurer)
    benefits.fund_pool(
        cast.treasurer,
        pool.slug,
        FundIn(amount=amount, source="the fund", from_community_fund=True, key=f"f-{name}"),
    )
    benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key=f"c-{name}"))


def _claimers(n: int, *, prefix: str = "Claimer") -> list[Member]:
    return [make_member(name=f"{prefix} {i}") for i in range(n)]


def _offering(cast: Cast, agreement: Agreement, value: str = "12.50") -> int:
    return services.create_offering(
        cast.steward,
        OfferingIn(
            partner=agreement.partner.slug,
            agreement=agreement.pk,
            kind="discount",
            title="Half-price course",
            eligibility="Every member",
            value=value,
        ),
    ).pk


def _claim(offering: int, members: list[Member], kind: str = "claim") -> None:
    for m in members:
        services.claim_offering(m, offering, ClaimIn(kind=kind))


def _share(members: list[Member], slug: str) -> None:
    for m in members:
        grant_partner_consent(m, slug, source=ConsentSource.WEB)


def _kinds(agreement: Agreement) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for line in queries.reciprocity_of(agreement).lines:
        found.setdefault(line.kind, []).append(line.amount)
    return found


# -- partner money paid to members -------------------------------------------------------------


def test_partner_money_counts_once_a_round_pays_it_to_members(cast: Cast) -> None:
    agreement = _agreement(cast)
    _pay(cast, agreement, "300.00")

    before = queries.reciprocity_of(agreement)
    _distribute_from_the_fund(cast, 20_000)
    after = queries.reciprocity_of(agreement)

    assert before.delivered == 0  # in the fund: not yet delivered to anyone
    [line] = [v for v in after.lines if v.kind == "distribution"]
    assert line.amount == 20_000
    assert line.on == TODAY
    assert "Travel grants round 1" in line.basis
    assert "Payments by Northbridge University, paid to members" in line.basis
    assert after.delivered == 20_000


def test_the_oldest_money_in_the_fund_goes_first_and_nobody_is_credited_twice(
    cast: Cast,
) -> None:
    first = _agreement(cast, title="First")
    second = _agreement(cast, partner=cast.other_partner.slug, title="Second")
    _pay(cast, first, "100.00")
    _pay(cast, second, "100.00")

    _distribute_from_the_fund(cast, 15_000)

    assert _kinds(first)["distribution"] == [10_000]
    assert _kinds(second)["distribution"] == [5_000]


def test_money_from_elsewhere_in_a_pool_is_credited_to_no_partner(cast: Cast) -> None:
    agreement = _agreement(cast)
    _pay(cast, agreement, "50.00")
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=120))
    verified_contribution(cast.member, cast.steward, days_ago=5)
    pool = funded_pool(cast.steward, policy, amount=10_000, treasurer=cast.treasurer)  # direct
    benefits.fund_pool(
        cast.treasurer,
        pool.slug,
        FundIn(amount=5_000, source="fund", from_community_fund=True, key="from-fund"),
    )

    benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key="round-1"))

    # the pool paid out 150.00: the oldest 100.00 was not the partner's
    assert _kinds(agreement)["distribution"] == [5_000]


# -- offerings members claimed ---------------------------------------------------------------


def test_claims_count_at_the_stated_value_and_interest_does_not(cast: Cast) -> None:
    agreement = _agreement(cast)
    offering = _offering(cast, agreement, value="12.50")
    _claim(offering, _claimers(11))
    _claim(offering, _claimers(12, prefix="Curious"), kind="interest")

    figures = queries.reciprocity_of(agreement)

    [line] = [v for v in figures.lines if v.kind == "offering"]
    assert line.amount == 11 * 1250  # exact: 137.50
    assert line.basis == "11 claims of “Half-price course” at its stated value of 12.50 EUR each"
    assert figures.delivered == 13_750
    assert figures.withheld == 0


def test_fewer_than_ten_claims_are_neither_shown_nor_counted(cast: Cast) -> None:
    agreement = _agreement(cast)
    _value(cast, agreement, "exposure", 5_000)
    offering = _offering(cast, agreement, value="1000.00")
    _claim(offering, _claimers(9))

    figures = queries.reciprocity_of(agreement)
    page = client_for(None).get(f"/partnerships/{agreement.pk}/").content.decode()

    assert [v.kind for v in figures.lines] == ["exposure"]
    assert figures.delivered == 0  # 9 x 1000.00 would say 9
    assert figures.withheld == 1
    assert figures.extractive
    assert 'id="reciprocity-withheld"' in page
    assert "9 claims" not in page
    assert "9,000.00" not in page
    assert "9000.00" not in page


def test_claims_stay_hidden_when_the_partner_could_subtract_the_names_it_sees(
    cast: Cast,
) -> None:
    # 12 claims, 4 of them by members who share who they are with the partner: its
    # representatives see those 4 names, so 12 would tell them 8 others claimed
    agreement = _agreement(cast)
    offering = _offering(cast, agreement)
    claimers = _claimers(12)
    _claim(offering, claimers)
    _share(claimers[:4], cast.partner.slug)

    figures = queries.reciprocity_of(agreement)
    uptake = queries.uptake_page(cast.partner_rep, cast.partner.slug).offerings[0]

    assert not isinstance(uptake.counts.cells["claim others"], int)  # the page hides 8
    assert "offering" not in _kinds(agreement)
    assert figures.withheld == 2  # the offering, and the 4 members who share: too few


# -- members sharing who they are with the partner ----------------------------------------------


def test_consented_contacts_count_at_the_configured_value(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACCORD_CONTACT_VALUE = "2.50"
    agreement = _agreement(cast)
    _share(_claimers(10), cast.partner.slug)
    _share(_claimers(3, prefix="Elsewhere"), cast.other_partner.slug)

    figures = queries.reciprocity_of(agreement)

    [line] = [v for v in figures.lines if v.kind == "consented_contacts"]
    assert line.side == "to_partner"
    assert line.amount == 2_500
    assert line.basis == (
        "10 members share who they are with Northbridge University, at 2.50 EUR each"
    )
    assert figures.received == 2_500


def test_with_no_configured_value_contacts_are_counted_not_valued(cast: Cast) -> None:
    agreement = _agreement(cast)
    _share(_claimers(10), cast.partner.slug)

    [line] = [v for v in queries.reciprocity_of(agreement).lines if v.kind == "consented_contacts"]

    assert line.amount == 0
    assert "10 members" in line.basis
    assert "counted, not valued" in line.basis


def test_fewer_than_ten_contacts_are_withheld_count_and_value(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACCORD_CONTACT_VALUE = "100.00"
    agreement = _agreement(cast)
    _value(cast, agreement, "training", 1_000)
    _share(_claimers(9), cast.partner.slug)

    figures = queries.reciprocity_of(agreement)
    api = client_for(cast.member).get(f"/api/v1/agreements/{agreement.pk}/reciprocity").json()

    assert figures.received == 0
    assert not figures.extractive
    assert figures.withheld == 1
    assert api["withheld"] == 1
    assert api["received"] == 0
    assert [line["kind"] for line in api["lines"]] == ["training"]


def test_contacts_are_shared_among_the_partners_current_partnerships(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACCORD_CONTACT_VALUE = "0.01"
    agreements = [_agreement(cast, title=f"P{n}") for n in range(3)]
    ended = _agreement(cast, title="Over")
    decided_status(cast.steward, ended.pk, "ended", "Done.")
    _share(_claimers(10), cast.partner.slug)

    amounts = [_kinds(a)["consented_contacts"][0] for a in agreements]

    assert sorted(amounts) == [3, 3, 4]  # 10 cents, largest remainder
    assert "consented_contacts" not in _kinds(ended)


# -- one computation at every door --------------------------------------------------------------


def test_the_page_the_api_the_portal_and_the_list_agree(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACCORD_CONTACT_VALUE = "50.00"
    agreement = _agreement(cast)
    _value(cast, agreement, "training", 10_000)
    _share(_claimers(10), cast.partner.slug)  # 500.00 to the partner: extractive

    page = client_for(None).get(f"/partnerships/{agreement.pk}/").content.decode()
    api = client_for(cast.member).get(f"/api/v1/agreements/{agreement.pk}/reciprocity").json()
    portal = client_for(cast.partner_rep).get("/partners/mine/").content.decode()
    rows = queries.agreement_rows(queries.AgreementFilters())
    listing = client_for(None).get("/partnerships/").content.decode()

    basis = "10 members share who they are with Northbridge University, at 50.00 EUR each"
    assert basis in page
    assert basis in portal
    assert 'id="extractive-flag"' in page
    assert api["received"] == 50_000
    assert api["ratio"] == "1/5"
    assert api["extractive"] is True
    assert {"kind": "consented_contacts", "side": "to_partner", "amount": 50_000} in [
        {k: line[k] for k in ("kind", "side", "amount")} for line in api["lines"]
    ]
    assert [r.extractive for r in rows] == [True]
    assert "Extractive" in listing
    assert queries.reciprocity_of(agreement).ratio == Fraction(1, 5)


def test_no_derived_line_names_a_member(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACCORD_CONTACT_VALUE = "1.00"
    agreement = _agreement(cast)
    claimers = _claimers(10, prefix="Zed Unique")
    _claim(_offering(cast, agreement), claimers)
    _share(claimers, cast.partner.slug)

    page = client_for(None).get(f"/partnerships/{agreement.pk}/").content.decode()
    api = (
        client_for(cast.member)
        .get(f"/api/v1/agreements/{agreement.pk}/reciprocity")
        .content.decode()
    )

    assert "10 claims" in page
    assert "10 members share" in page
    for m in claimers:
        assert m.display_name not in page
        assert m.pseudonym not in page
        assert m.display_name not in api
        assert m.pseudonym not in api


@pytest.mark.parametrize(
    ("value", "starts"),
    [
        ("25.00", True),
        ("0", True),
        ("abc", False),
        ("-1", False),
        ("1e3", False),
        ("1.23456", False),
    ],
)
def test_a_bad_contact_value_is_refused_at_start(tmp_path: Path, value: str, starts: bool) -> None:
    env = {
        "ACCORD_CONTACT_VALUE": value,
        "DEBUG": "1",
        "ACCORD_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(Path(accord.__file__).parents[1]),
    }

    result = run_python("-c", "import accord.settings", env=env, timeout=60)

    assert (result.returncode == 0) == starts, result.stderr
    assert ("ACCORD_CONTACT_VALUE" in result.stderr) != starts
