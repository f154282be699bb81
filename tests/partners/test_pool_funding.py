"""A partner funds a pool directly under a partnership: a treasurer records it (page, API,
command line), it is posted in the benefits accounts from the partner's funding account to
the pool's and linked to the partnership, and reciprocity and revenue count it as that
partner's money, once, to the cent."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from accord.benefits import accounts
from accord.benefits import services as benefits
from accord.benefits.models import Pool, Transaction
from accord.benefits.schemas import CloseIn, CommitIn, FundIn
from accord.cli.app import app
from accord.contributions.models import PolicyVersion
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import Agreement, PoolFunding
from accord.partners.schemas import (
    AgreementIn,
    CommitmentIn,
    FulfilmentIn,
    PoolFundingIn,
    StatusIn,
)
from accord.people.models import Member
from tests.conftest import Cast, client_for
from tests.factories import funded_pool, make_policy, verified_contribution

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


def _pool(cast: Cast, name: str = "Travel grants", unit: str = "EUR") -> Pool:
    policy = PolicyVersion.objects.first()
    if policy is None:
        policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=120))
        verified_contribution(cast.member, cast.steward, days_ago=5)
    pool = funded_pool(cast.steward, policy, name=name, amount=0, treasurer=cast.treasurer)
    if unit != "EUR":
        Pool.objects.filter(pk=pool.pk).update(unit=unit)
        pool.refresh_from_db()
    return pool


def _fund(
    cast: Cast,
    agreement: Agreement,
    pool: Pool,
    amount: str,
    *,
    key: str = "",
    by: Member | None = None,
) -> PoolFunding:
    return services.fund_pool_from_partnership(
        by or cast.treasurer,
        agreement.pk,
        PoolFundingIn(pool=pool.slug, amount=amount, key=key),
    )


def _pay_into_the_fund(cast: Cast, agreement: Agreement, amount: str) -> None:
    commitment = services.add_commitment(
        cast.steward,
        agreement.pk,
        CommitmentIn(
            party="partner", kind="financial", description="A grant", amount=amount, due_on=TODAY
        ),
    )
    services.record_fulfilment(cast.treasurer, commitment.pk, FulfilmentIn(amount=amount))


# -- the service -------------------------------------------------------------------------------


def test_a_treasurer_records_a_partner_funding_a_pool(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)

    made = _fund(cast, agreement, pool, "250.50")

    assert (made.agreement, made.pool, made.amount, made.currency) == (
        agreement,
        pool,
        25_050,
        "EUR",
    )
    assert made.on == TODAY
    assert accounts.balance(accounts.pool_account(pool)) == 25_050
    giver = accounts.funding_account(f"partner:{cast.partner.slug}", "EUR")
    assert accounts.balance(giver) == -25_050
    assert {p.account_id: p.amount for p in made.transaction.postings.all()} == {
        giver.pk: -25_050,
        accounts.pool_account(pool).pk: 25_050,
    }
    entry = json.loads(bytes(Entry.objects.get(kind="pool.funded_by_partner").data))
    assert entry["subject"] == f"agreement:{agreement.pk}"
    assert entry["payload"]["amount"] == 25_050
    assert entry["payload"]["partner"] == cast.partner.slug
    assert entry["payload"]["pool"] == pool.slug
    assert "Travel grants" not in str(entry)  # ids and slugs, never names


def test_a_retry_with_the_same_key_lands_once(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)

    first = _fund(cast, agreement, pool, "100.00", key="k1")
    again = _fund(cast, agreement, pool, "100.00", key="k1")

    assert again.pk == first.pk
    assert PoolFunding.objects.count() == 1
    assert accounts.balance(accounts.pool_account(pool)) == 10_000
    with pytest.raises(Conflict, match="already used"):
        _fund(cast, agreement, pool, "90.00", key="k1")


@pytest.mark.parametrize("who", ["steward", "member", "partner_rep", "auditor"])
def test_only_treasurers_record_it(cast: Cast, who: str) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)

    with pytest.raises(Forbidden, match="Only treasurers"):
        _fund(cast, agreement, pool, "10.00", by=getattr(cast, who))

    assert not PoolFunding.objects.exists()
    assert not Transaction.objects.filter(key__startswith="partnership:").exists()


def test_refusals_change_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    credits = _pool(cast, name="Training credits", unit="training_credit")
    closed = _pool(cast, name="Old grants")
    benefits.close_pool(cast.treasurer, closed.slug, CloseIn(reason="Done."))

    with pytest.raises(InvalidInput, match="more than zero"):
        _fund(cast, agreement, pool, "0")
    with pytest.raises(InvalidInput):
        _fund(cast, agreement, pool, "ten euros")
    with pytest.raises(NotFound, match="No pool"):
        services.fund_pool_from_partnership(
            cast.treasurer, agreement.pk, PoolFundingIn(pool="nowhere", amount="1.00")
        )
    with pytest.raises(NotFound, match="No agreement"):
        services.fund_pool_from_partnership(
            cast.treasurer, 99_999, PoolFundingIn(pool=pool.slug, amount="1.00")
        )
    with pytest.raises(InvalidInput, match="training_credit"):
        _fund(cast, agreement, credits, "1.00")
    with pytest.raises(Conflict, match="closed"):
        _fund(cast, agreement, closed, "1.00")
    with pytest.raises(InvalidInput, match="future"):
        services.fund_pool_from_partnership(
            cast.treasurer,
            agreement.pk,
            PoolFundingIn(pool=pool.slug, amount="1.00", on=TODAY + timedelta(days=1)),
        )

    assert not PoolFunding.objects.exists()
    assert accounts.balance(accounts.pool_account(pool)) == 0


def test_an_ended_partnership_records_no_new_funding(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    services.change_agreement_status(
        cast.steward, agreement.pk, StatusIn(status="ended", reason="Over.")
    )

    with pytest.raises(Conflict, match="ended"):
        _fund(cast, agreement, pool, "1.00")


# -- reciprocity and revenue ---------------------------------------------------------------------


def _distribution_lines(agreement: Agreement) -> list[tuple[int, str]]:
    return [
        (v.amount, v.basis)
        for v in queries.reciprocity_of(agreement).lines
        if v.kind == "distribution"
    ]


def test_a_round_paying_out_direct_funding_counts_as_distributions_it_funded(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    _fund(cast, agreement, pool, "123.45")

    assert _distribution_lines(agreement) == []  # in the pool: not yet delivered

    benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key="round-1"))

    [(amount, basis)] = _distribution_lines(agreement)
    assert amount == 12_345
    assert basis.startswith("Pool funding by Northbridge University, paid to members in ")
    assert "Travel grants round 1 (given straight into the pool" in basis
    assert queries.reciprocity_of(agreement).delivered == 12_345


def test_direct_and_traced_money_are_each_counted_once(cast: Cast) -> None:
    agreement = _agreement(cast)
    other = _agreement(cast, partner=cast.other_partner.slug, title="Other")
    pool = _pool(cast)
    _pay_into_the_fund(cast, agreement, "100.00")
    benefits.fund_pool(
        cast.treasurer,
        pool.slug,
        FundIn(amount=6_000, source="fund", from_community_fund=True, key="from-fund"),
    )
    _fund(cast, other, pool, "40.01")
    benefits.fund_pool(cast.treasurer, pool.slug, FundIn(amount=999, source="Dues", key="dues"))

    benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key="round-1"))

    assert [a for a, _ in _distribution_lines(agreement)] == [6_000]
    assert [a for a, _ in _distribution_lines(other)] == [4_001]
    # revenue: the commitment's 100.00 once (moving it on from the fund is not new income),
    # the direct 40.01 once, the dues not at all
    page = queries.revenue()
    assert {line.key: line.total for line in page.partners} == {
        cast.partner.slug: 10_000,
        cast.other_partner.slug: 4_001,
    }
    assert page.total == 14_001


def test_revenue_counts_a_direct_funding_in_its_period(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    last_year = TODAY.replace(year=TODAY.year - 1, month=1, day=15)
    services.fund_pool_from_partnership(
        cast.treasurer,
        agreement.pk,
        PoolFundingIn(pool=pool.slug, amount="75.25", on=last_year),
    )

    page = queries.revenue()

    assert page.periods == (str(TODAY.year - 1),)
    [line] = page.partners
    assert line.amounts == (7_525,)
    assert line.name == "Northbridge University"


# -- the doors -----------------------------------------------------------------------------------


def test_the_page_lists_fundings_and_gives_treasurers_the_form(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    path = f"/partnerships/{agreement.pk}/"

    form = f'action="/partnerships/{agreement.pk}/pool-fundings/"'
    for who in (None, cast.member, cast.steward):
        assert form not in client_for(who).get(path).content.decode()
    treasurer = client_for(cast.treasurer)
    assert form in treasurer.get(path).content.decode()

    done = treasurer.post(f"{path}pool-fundings/", {"pool": pool.slug, "amount": "80.00"})

    assert done.status_code == 302
    assert done["Location"].endswith("#agreement-pool-funding")
    public = client_for(None).get(path).content.decode()
    assert 'id="pool-fundings"' in public
    assert "Travel grants" in public
    assert "80.00 EUR" in public


def test_a_refused_form_shows_the_reason_beside_it(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    path = f"/partnerships/{agreement.pk}/pool-fundings/"

    bad = client_for(cast.treasurer).post(path, {"pool": pool.slug, "amount": "-3"})
    unknown = client_for(cast.treasurer).post(path, {"pool": "nowhere", "amount": "3"})
    denied = client_for(cast.member).post(path, {"pool": pool.slug, "amount": "3"})

    assert bad.status_code == 422
    text = bad.content.decode()
    assert 'id="pool-funding-error"' in text
    assert 'value="-3"' in text  # what was typed is kept
    assert unknown.status_code == 422
    assert denied.status_code == 403
    assert not PoolFunding.objects.exists()


def test_the_api_records_it_and_answers_with_exact_figures(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    path = f"/api/v1/agreements/{agreement.pk}/pool-fundings"
    body = {"pool": pool.slug, "amount": "12.34", "key": "api-1"}

    made = client_for(cast.treasurer).post(path, body, content_type="application/json")
    again = client_for(cast.treasurer).post(path, body, content_type="application/json")
    denied = client_for(cast.steward).post(path, body, content_type="application/json")
    bad = client_for(cast.treasurer).post(
        path, {**body, "amount": "x", "key": ""}, content_type="application/json"
    )

    assert made.status_code == 201
    assert made.json() == {
        "id": made.json()["id"],
        "agreement": agreement.pk,
        "partner": cast.partner.slug,
        "pool": pool.slug,
        "amount": "12.34 EUR",
        "minor_units": 1_234,
        "on": TODAY.isoformat(),
    }
    assert again.json()["id"] == made.json()["id"]
    assert denied.status_code == 403
    assert bad.status_code == 422
    assert PoolFunding.objects.count() == 1


def _email(member: Member) -> str:
    assert member.user is not None
    return member.user.email


def test_the_command_line_records_it_and_refuses_in_one_line(cast: Cast) -> None:
    agreement = _agreement(cast)
    pool = _pool(cast)
    runner = CliRunner()

    done = runner.invoke(
        app,
        ["partner", "fund-pool", str(agreement.pk), pool.slug, "--amount", "500.00",
         "--as", _email(cast.treasurer)],
    )  # fmt: skip
    refused = runner.invoke(
        app,
        ["partner", "fund-pool", str(agreement.pk), pool.slug, "--amount", "5.00",
         "--as", _email(cast.steward)],
    )  # fmt: skip

    assert done.exit_code == 0, done.output
    assert "Recorded 500.00 EUR from Northbridge University into Travel grants" in done.output
    assert refused.exit_code == 1
    assert "Only treasurers" in refused.output
    assert PoolFunding.objects.get().amount == 50_000
