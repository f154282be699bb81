"""Every statement re-derives from the ledger export and the published policy alone."""

import json

from accord.benefits import services
from accord.contributions.policy import parse_policy
from accord.domain import distribution as dist
from accord.domain.attribution import ContributionFacts, score
from accord.ledger import queries as ledger_queries
from tests.benefits.conftest import Community, make_pool


def rederive(lines: list[str], policy_document: dict) -> dict[str, int]:  # type: ignore[type-arg]
    """From export lines only: each member's payout in the (single) distribution."""
    entries = [
        json.loads(json.loads(line)["entry"])
        for line in lines
        if json.loads(line)["type"] == "entry"
    ]
    verified = {
        e["payload"]["contribution"]: e["payload"]
        for e in entries
        if e["kind"] == "contribution.verified"
    }
    [committed] = [e["payload"] for e in entries if e["kind"] == "distribution.committed"]
    statements = [e["payload"] for e in entries if e["kind"] == "distribution.statement"]
    policy = parse_policy(policy_document).to_domain(committed["policy"])
    keys, weights, carried = [], [], []
    for s in statements:
        points = sum(
            score(
                ContributionFacts(
                    kind=f["kind"],
                    level=f["level"],
                    impact=f["impact"],
                    hours_h100=f["hours_h100"],
                    tenure_months=f["tenure_months"],
                ),
                policy,
            ).points_cp
            for f in (verified[c] for c in s["contributions"])
        )
        if policy.member_cap_cp is not None:
            points = min(points, policy.member_cap_cp)
        assert points == s["points_cp"]
        assert str(points) == s["weight"]  # IMMEDIATE: the weight is the period's points
        keys.append(s["member"])
        weights.append(points)
        carried.append(s["carried_in"])
    plan = dist.plan_distribution(
        pool=committed["total"],
        method=dist.Method(committed["method"]),
        keys=keys,
        weights=weights,
        carried_in=carried,
        cap=committed["member_cap"],
        minimum=committed["minimum_payout"],
        seed=committed["seed"],
    )
    return {a.member: a.payout for a in plan.allocations}


def test_statements_re_derive_from_the_export_without_the_database(
    community: Community,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    pool = make_pool(
        community.cast,
        community.policy,
        name="Capped",
        amount=123_457,
        member_cap=40_000,
        minimum_payout=500,
    )
    services.commit_distribution(community.cast.steward, pool, key="capped-1")
    lines = list(ledger_queries.export_lines())
    published = dict(community.policy.document)  # as served at /criteria/v1.json

    with django_assert_num_queries(0):
        derived = rederive(lines, published)

    recorded = {
        json.loads(json.loads(line)["entry"])["payload"]["member"]: json.loads(
            json.loads(line)["entry"]
        )["payload"]["payout"]
        for line in lines
        if '"distribution.statement' in line
    }
    assert derived == recorded
    assert sum(derived.values()) > 0
