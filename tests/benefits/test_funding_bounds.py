"""A pool's balance, and the balance of the account that funds it, stay within the 64-bit
amount column: a funding that would pass the bound is refused (422, naming whose balance),
moves nothing and records nothing, while a funding up to the bound lands."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accord.benefits import accounts, services
from accord.benefits.models import Pool, Posting
from accord.benefits.schemas import FundIn
from accord.contributions.models import PolicyVersion
from accord.domain.errors import InvalidInput
from accord.ledger.models import Entry
from accord.web.inputs import BIGINT_MAX
from tests.conftest import Cast, client_for
from tests.factories import funded_pool, make_policy

GIVER = "Northbridge University"


@pytest.fixture
def policy(cast: Cast) -> PolicyVersion:
    return make_policy(cast.steward, effective_from=timezone.localdate() - timedelta(days=400))


def _near_the_bound(pool: Pool, *, short_by: int, source: str = GIVER) -> None:
    """What many maximal fundings leave behind, in one posting: `source` has given the pool
    all but `short_by` of the largest balance a column holds."""
    amount = BIGINT_MAX - short_by - accounts.balance(accounts.pool_account(pool))
    accounts.post(
        f"test:near-bound:{pool.slug}",
        "many fundings",
        [
            (accounts.funding_account(source, pool.unit), -amount),
            (accounts.pool_account(pool), amount),
        ],
    )


def _state() -> tuple[int, int]:
    return Posting.objects.count(), Entry.objects.filter(kind="pool.funded").count()


def test_a_funding_up_to_the_bound_lands_and_one_past_it_is_refused(
    cast: Cast, policy: PolicyVersion
) -> None:
    pool = funded_pool(cast.steward, policy)
    _near_the_bound(pool, short_by=10, source="Lumen Software")

    full = services.fund_pool(
        cast.treasurer, pool.slug, FundIn(amount=10, source="Lumen Software")
    )
    before = _state()
    with pytest.raises(InvalidInput, match="would take the pool Spring grants past the largest"):
        services.fund_pool(cast.treasurer, pool.slug, FundIn(amount=1, source="Someone new"))

    assert full.balance == BIGINT_MAX
    assert _state() == before


def test_the_funding_account_is_bounded_too(cast: Cast, policy: PolicyVersion) -> None:
    first = funded_pool(cast.steward, policy, name="First", amount=0)
    second = funded_pool(cast.steward, policy, name="Second", amount=0)
    _near_the_bound(first, short_by=5)
    before = _state()

    with pytest.raises(InvalidInput, match=f"the funding account {GIVER} past the largest"):
        services.fund_pool(cast.treasurer, second.slug, FundIn(amount=6, source=GIVER))
    services.fund_pool(cast.treasurer, second.slug, FundIn(amount=5, source=GIVER))

    assert before[1] + 1 == _state()[1]
    assert accounts.balance(accounts.funding_account(GIVER, "EUR")) == -BIGINT_MAX


def test_a_retried_funding_at_the_bound_still_lands_once(
    cast: Cast, policy: PolicyVersion
) -> None:
    pool = funded_pool(cast.steward, policy, amount=0)
    _near_the_bound(pool, short_by=7)
    data = FundIn(amount=7, source=GIVER, key="last")

    first = services.fund_pool(cast.treasurer, pool.slug, data)
    again = services.fund_pool(cast.treasurer, pool.slug, data)

    assert first.balance == again.balance == BIGINT_MAX


def test_the_api_refuses_it_with_422_and_the_reason(cast: Cast, policy: PolicyVersion) -> None:
    pool = funded_pool(cast.steward, policy)
    _near_the_bound(pool, short_by=0)
    before = _state()

    response = client_for(cast.treasurer).post(
        f"/api/v1/pools/{pool.slug}/funding",
        {"amount": 1_000_000_000_000_000, "source": "Lumen Software"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert (
        "Funding 10000000000000.00 EUR would take the pool Spring grants"
        in (response.json()["detail"])
    )
    assert _state() == before
