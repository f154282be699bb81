"""A community with a policy, verified contributions and a funded pool."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.benefits import services
from accord.benefits.models import Pool
from accord.contributions import services as contributions
from accord.contributions.models import PolicyVersion
from accord.demo import policies
from accord.people.models import Member
from tests.conftest import Cast
from tests.factories import add_to_group, make_member

TODAY = timezone.localdate()


@dataclass
class Community:
    cast: Cast
    policy: PolicyVersion
    members: list[Member]
    pool: Pool


def contribute(
    member: Member,
    reviewer: Member,
    *,
    kind: str = "mentoring",
    level: int = 3,
    impact: int = 3,
    hours_h100: int = 200,
    days_ago: int = 10,
) -> None:
    c = contributions.record_contribution(
        member,
        contributions.ContributionInput(
            kind=kind,
            title=f"{kind} work",
            date=TODAY - timedelta(days=days_ago),
            level=level,
            hours_h100=hours_h100,
        ),
    )
    contributions.verify_contribution(reviewer, c.pk, impact=impact)


def make_pool(
    cast: Cast,
    policy: PolicyVersion,
    *,
    name: str = "Spring grants",
    method: str = "immediate",
    amount: int = 100_000,
    **options: object,
) -> Pool:
    pool = services.create_pool(
        cast.steward,
        services.PoolInput(
            name=name,
            unit="EUR",
            method=method,
            period_start=TODAY - timedelta(days=90),
            period_end=TODAY,
            policy=policy,
            **options,
        ),
    )  # type: ignore[arg-type]
    if amount:
        services.fund_pool(
            cast.steward, pool, amount=amount, source="Northbridge University", key=f"fund-{name}"
        )
    return pool


@pytest.fixture
def community(cast: Cast) -> Community:
    policy = contributions.publish_policy(
        cast.steward,
        policies.version(1),
        effective_from=TODAY - timedelta(days=400),
        reason="first",
    )
    members = [cast.member, cast.other] + [make_member(name=f"M{i}") for i in range(4)]
    for m in members[2:]:
        add_to_group(m, cast.group)
    for i, m in enumerate(members):
        for k in range(i + 1):
            contribute(
                m,
                cast.steward,
                level=1 + (i + k) % 5,
                impact=1 + k % 5,
                hours_h100=100 * (i + 1),
                days_ago=5 + 7 * k,
            )
    pool = make_pool(cast, policy)
    return Community(cast=cast, policy=policy, members=members, pool=pool)
