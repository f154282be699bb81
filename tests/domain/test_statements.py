"""One explanation of a statement: from a plan's row or from the published numbers alike."""

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.demo import policies
from accord.domain.attribution import ContributionFacts, policy_from_document, score
from accord.domain.distribution import Method, balanced_level, plan_distribution
from accord.domain.statements import (
    DatedFacts,
    StatementFacts,
    explain,
    explain_statement,
    member_points,
)


def _published(plan, index: int, level: Fraction | None) -> StatementFacts:  # type: ignore[no-untyped-def]
    # What a statement row and its distribution keep, without the plan's exact numerators.
    row = plan.allocations[index]
    return StatementFacts(
        method=plan.method,
        pool=plan.pool,
        weight=row.weight,
        total_weight=plan.total_weight,
        share=row.share,
        capped_excess=row.capped_excess,
        redistributed=row.redistributed,
        carried_in=row.carried_in,
        payout=row.payout,
        carried_out=row.carried_out,
        minimum=plan.minimum,
        cap=plan.cap,
        received_before=plan.received[index] if plan.received else 0,
        total_received=plan.total_received,
        level=level,
    )


def test_it_explains_a_balanced_share_with_the_fair_share_and_shortfall() -> None:
    plan = plan_distribution(
        pool=20,
        method=Method.BALANCED,
        keys=["a", "b", "c"],
        lifetime_points=[1, 1, 2],
        received=[0, 10, 0],
        seed="s",
    )
    level = balanced_level(20, [1, 1, 2], [0, 10, 0])

    x = explain_statement(_published(plan, 2, level))

    assert x.fair_share == Fraction(15)
    assert x.shortfall == Fraction(15)
    assert x.share_exact == Fraction(55, 4)
    assert x.as_dict("s", "c") == explain(plan, 2)


@settings(max_examples=60, deadline=None)
@given(
    pool=st.integers(0, 10_000),
    rows=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 500)), min_size=1, max_size=8),
)
def test_the_published_numbers_give_the_plans_exact_balanced_share(
    pool: int, rows: list[tuple[int, int]]
) -> None:
    lifetime, received = [p for p, _ in rows], [r for _, r in rows]
    keys = [f"k{i}" for i in range(len(rows))]
    plan = plan_distribution(
        pool=pool,
        method=Method.BALANCED,
        keys=keys,
        lifetime_points=lifetime,
        received=received,
        seed="s",
    )
    level = balanced_level(pool, lifetime, received)

    for i in range(len(rows)):
        assert explain_statement(_published(plan, i, level)).as_dict("s", keys[i]) == explain(
            plan, i
        )


def test_without_the_level_a_balanced_statement_still_states_its_fair_share() -> None:
    plan = plan_distribution(
        pool=20, method=Method.BALANCED, keys=["a", "b"], lifetime_points=[1, 3], seed="s"
    )

    x = explain_statement(_published(plan, 0, None))

    assert x.share_exact is None
    assert x.fair_share == Fraction(5)
    assert "share_exact" not in x.as_dict("s")


def test_an_immediate_share_is_the_pool_times_the_weight_over_the_total() -> None:
    plan = plan_distribution(
        pool=1001, method=Method.IMMEDIATE, keys=["a", "b", "c"], weights=[5, 3, 2], seed="s"
    )

    x = explain_statement(_published(plan, 0, None))

    assert x.share_exact == Fraction(1001, 2)
    assert (x.share_floor, x.rounding_units, x.due) == (500, 1, 501)
    assert x.fair_share is None


def test_member_points_total_the_scores_and_cap_the_period() -> None:
    policy = policy_from_document(policies.version(1), 1)
    facts = ContributionFacts(kind="code", level=3, impact=3, hours_h100=200, tenure_months=0)
    one = score(facts, policy).points_cp
    given_ = [
        DatedFacts(facts, date(2026, 1, 10)),
        DatedFacts(facts, date(2025, 6, 1)),  # before the period: lifetime only
    ]

    points = member_points(
        given_, policy, period_start=date(2026, 1, 1), as_of=date(2026, 1, 10), half_life_days=30
    )

    assert [line.points_cp for line in points.lines] == [one, one]
    assert points.period_before_cap_cp == one
    assert points.lifetime_cp == 2 * one
    assert points.weight(Method.BALANCED) == 2 * one
    # Today's points count in full (10**9 ppb); 223 days old, they have nearly decayed.
    assert one * 10**9 < points.decayed < one * 10**9 + one * 10**7
