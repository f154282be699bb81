"""A community with a policy, verified contributions and a funded pool."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.benefits.models import Pool
from accord.contributions import services as contributions
from accord.contributions.models import PolicyVersion
from accord.contributions.schemas import PolicyIn
from accord.demo import policies
from accord.people.models import Member
from tests.conftest import Cast
from tests.factories import add_to_group, funded_pool, make_member, verified_contribution

TODAY = timezone.localdate()


@dataclass
class Community:
    cast: Cast
    policy: PolicyVersion
    members: list[Member]
    pool: Pool


def make_pool(cast: Cast, policy: PolicyVersion, **options: object) -> Pool:
    """A funded pool of the last 90 days, created by the cast's steward."""
    return funded_pool(cast.steward, policy, **options)  # type: ignore[arg-type]


@pytest.fixture
def community(cast: Cast) -> Community:
    policy = contributions.publish_policy(
        cast.steward,
        PolicyIn(
            document=policies.version(1),
            effective_from=TODAY - timedelta(days=400),
            reason="first",
        ),
    )
    members = [cast.member, cast.other] + [make_member(name=f"M{i}") for i in range(4)]
    for m in members[2:]:
        add_to_group(m, cast.group)
    for i, m in enumerate(members):
        for k in range(i + 1):
            verified_contribution(
                m,
                cast.steward,
                level=1 + (i + k) % 5,
                impact=1 + k % 5,
                hours_h100=100 * (i + 1),
                days_ago=5 + 7 * k,
            )
    pool = make_pool(cast, policy)
    return Community(cast=cast, policy=policy, members=members, pool=pool)
