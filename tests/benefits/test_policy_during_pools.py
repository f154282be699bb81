"""A pool's policy version stays in force for its whole period: a new version may not take
effect on or before the end of a pool still open (the refusal names the pool and the first
day that would do), and may once that pool is closed or its period is over."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.benefits import services
from accord.benefits.models import Pool
from accord.benefits.schemas import CloseIn, PoolIn
from accord.contributions import services as contributions
from accord.contributions.models import PolicyVersion
from accord.contributions.schemas import PolicyIn
from accord.demo import policies
from accord.domain.errors import InvalidInput
from accord.ledger.models import Entry
from tests.conftest import Cast, client_for
from tests.factories import make_policy, publish

TODAY = timezone.localdate()


@pytest.fixture
def v1(cast: Cast) -> PolicyVersion:
    return make_policy(cast.steward, effective_from=TODAY - timedelta(days=400))


def _v2(effective_from: object) -> PolicyIn:
    return PolicyIn(
        document=policies.version(2),
        effective_from=effective_from,  # type: ignore[arg-type]
        reason="Mentoring counts more",
    )


def _pool(cast: Cast, v1: PolicyVersion, name: str, *, ends_in_days: int) -> Pool:
    """An open pool under v1 from 60 days ago to `ends_in_days` from today."""
    return services.create_pool(
        cast.steward,
        PoolIn(
            name=name,
            unit="EUR",
            method="immediate",
            period_start=TODAY - timedelta(days=60),
            period_end=TODAY + timedelta(days=ends_in_days),
            policy=v1.version,
        ),
    )


def test_a_version_cannot_take_effect_inside_an_open_pool(cast: Cast, v1: PolicyVersion) -> None:
    _pool(cast, v1, "Winter grants", ends_in_days=30)
    _pool(cast, v1, "Short grants", ends_in_days=12)
    before = (PolicyVersion.objects.count(), Entry.objects.count())
    end = TODAY + timedelta(days=30)

    with pytest.raises(InvalidInput) as refused:
        contributions.publish_policy(cast.steward, _v2(TODAY + timedelta(days=10)))

    assert refused.value.detail == (
        f"The open pool 'Winter grants' runs until {end} under policy version 1 (and 1 more "
        "open pool(s)), which must stay in force for its whole period: take effect on "
        f"{end + timedelta(days=1)} or later, or close the pool first."
    )
    assert (PolicyVersion.objects.count(), Entry.objects.count()) == before
    later = publish(cast.steward, _v2(end + timedelta(days=1)))
    assert later.version == 2


def test_closing_the_pool_lets_the_version_in(cast: Cast, v1: PolicyVersion) -> None:
    pool = _pool(cast, v1, "Winter grants", ends_in_days=30)
    on = TODAY + timedelta(days=10)
    with pytest.raises(InvalidInput, match="Winter grants"):
        contributions.publish_policy(cast.steward, _v2(on))

    services.close_pool(cast.treasurer, pool.slug, CloseIn(reason="Merged into spring"))
    version = publish(cast.steward, _v2(on))

    assert version.effective_from == on


def test_a_pool_whose_period_is_over_does_not_hold_a_version_back(
    cast: Cast, v1: PolicyVersion
) -> None:
    _pool(cast, v1, "Autumn grants", ends_in_days=-1)

    version = publish(cast.steward, _v2(TODAY))

    assert version.version == 2


def test_every_door_says_which_pool(cast: Cast, v1: PolicyVersion) -> None:
    _pool(cast, v1, "Winter grants", ends_in_days=30)

    response = client_for(cast.steward).post(
        "/api/v1/criteria",
        json.dumps(
            {
                "document": policies.version(2),
                "effective_from": (TODAY + timedelta(days=3)).isoformat(),
                "reason": "r",
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("The open pool 'Winter grants' runs until")
