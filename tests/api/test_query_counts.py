"""One query-count pin per API list route: the same number of queries for 2 rows and for 12
more, so an N+1 (a query per row) cannot slip in."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Choice, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn
from accord.contributions import services as contributions
from accord.ledger.services import sign_head
from accord.partners.models import Partner, PartnerKind
from accord.people.models import GroupRole, Member, Purpose
from accord.people.schemas import ConsentIn, TokenIn
from accord.people.services import create_token, set_consent
from tests.conftest import Cast, client_for
from tests.factories import (
    add_to_group,
    contribution_in,
    funded_pool,
    grant,
    make_group,
    make_member,
    make_policy,
    verified_contribution,
)

TODAY = timezone.localdate()


@dataclass
class World:
    cast: Cast
    policy: object
    n: int = 0

    def more(self, k: int) -> None:
        """k more of every listed thing, for every reader below."""
        cast = self.cast
        for _ in range(k):
            self.n += 1
            i = self.n
            person = make_member(name=f"Row {i}")
            grant(person, Purpose.MEMBER_DIRECTORY)
            add_to_group(person, cast.group)
            group = make_group(name=f"Group {i}")
            add_to_group(cast.member, group)
            create_token(cast.member, TokenIn(name=f"t{i}"))
            Partner.objects.create(name=f"Partner {i}", slug=f"p-{i}", kind=PartnerKind.NGO)
            # the member's own contribution, waiting for review by the lead
            contributions.record_contribution(
                person,
                contribution_in(kind="code", title=f"w{i}", date=TODAY, level=2, group=cast.group),
            )
            verified_contribution(cast.member, cast.steward, days_ago=3)
            pool = funded_pool(cast.steward, self.policy, name=f"Pool {i}", amount=5_000)
            benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key=f"k{i}"))
            st = Statement.objects.get(distribution__pool=pool, member=cast.member)
            benefits.choose(cast.member, st.pk, ChoiceIn(choice=Choice.TAKE))
        set_consent(
            cast.member, Purpose.PARTNER_CONTACT, ConsentIn(granted=self.n % 2 == 0), source="web"
        )
        sign_head()


@pytest.fixture
def world(cast: Cast) -> World:
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=400), reason="p")
    cast.group.memberships.filter(member=cast.group_lead).update(role=GroupRole.LEAD)
    w = World(cast, policy)
    w.more(2)
    return w


# route -> who reads it (consents are left out: one row per offered purpose, however many)
LISTS: dict[str, Callable[[Cast], Member]] = {
    "/api/v1/members": lambda c: c.member,
    "/api/v1/groups": lambda c: c.member,
    "/api/v1/memberships": lambda c: c.member,
    "/api/v1/tokens": lambda c: c.member,
    "/api/v1/contributions": lambda c: c.member,
    "/api/v1/contributions/review-queue": lambda c: c.group_lead,
    "/api/v1/statements": lambda c: c.member,
    "/api/v1/pools": lambda c: c.member,
    "/api/v1/payouts": lambda c: c.treasurer,
    "/api/v1/partners/": lambda c: c.member,
    "/api/v1/ledger/entries?limit=1000": lambda c: c.member,
    "/api/v1/ledger/heads": lambda c: c.member,
}


def _queries(client, path: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    cache.clear()  # counted from scratch each time, not one read from the cache and one not
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:200])
    body = response.json()
    rows = len(body["items"] if isinstance(body, dict) and "items" in body else body)
    return len(captured.captured_queries), rows


@pytest.mark.parametrize("path", LISTS)
def test_a_list_route_costs_the_same_queries_for_few_rows_and_many(
    world: World, path: str
) -> None:
    client = client_for(LISTS[path](world.cast))
    client.get(path)  # warm the session and the per-process caches
    few, few_rows = _queries(client, path)

    world.more(10)
    many, many_rows = _queries(client, path)

    assert many_rows > few_rows, "the route lists more rows, so an N+1 would show"
    assert many == few, f"{path}: {few} queries for {few_rows} rows, {many} for {many_rows}"
