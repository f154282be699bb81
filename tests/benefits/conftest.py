"""A community with a policy, verified contributions and a funded pool."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Choice, Payout, Pool, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn
from accord.contributions.models import PolicyVersion
from accord.people.models import Member, SiteRole
from tests.conftest import Cast
from tests.factories import (
    add_to_group,
    funded_pool,
    make_member,
    make_policy,
    verified_contribution,
)

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


def treasurer_with_a_payout(community: Community) -> tuple[Member, Payout]:
    """A second treasurer who also contributed, with their own share of the pool's committed
    round (committed by the cast's treasurer) taken and waiting to be paid."""
    cast = community.cast
    treasurer = make_member(name="Tom Treasurer", role=SiteRole.TREASURER)
    verified_contribution(treasurer, cast.steward, days_ago=3)
    benefits.commit_distribution(cast.treasurer, community.pool.slug, CommitIn(key="own-round"))
    st = Statement.objects.get(distribution__pool=community.pool, member=treasurer)
    benefits.choose(treasurer, st.pk, ChoiceIn(choice=Choice.TAKE))
    return treasurer, Payout.objects.get(statement=st)


@pytest.fixture
def community(cast: Cast) -> Community:
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=400))
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
