from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.distribution import (
    Allocation,
    DistributionPlan,
    Method,
    balanced_amounts,
    decay_factor_ppb,
    decay_table,
    immediate_weights,
    plan_distribution,
    recent_weights,
)
from accord.domain.statements import explain


@dataclass(frozen=True)
class Inputs:
    pool: int
    method: Method
    keys: list[str]
    weights: list[int]
    received: list[int]
    carried_in: list[int]
    cap: int | None
    minimum: int

    def plan(self) -> DistributionPlan:
        balanced = self.method is Method.BALANCED
        return plan_distribution(
            pool=self.pool,
            method=self.method,
            keys=self.keys,
            weights=None if balanced else self.weights,
            lifetime_points=self.weights if balanced else None,
            received=self.received if balanced else None,
            carried_in=self.carried_in,
            cap=self.cap,
            minimum=self.minimum,
            seed="run-7",
        )

    def reordered(self, order: list[int]) -> "Inputs":
        return replace(
            self,
            keys=[self.keys[i] for i in order],
            weights=[self.weights[i] for i in order],
            received=[self.received[i] for i in order],
            carried_in=[self.carried_in[i] for i in order],
        )


ALL_METHODS = st.sampled_from(Method)


@st.composite
def inputs(
    draw: st.DrawFn,
    methods: st.SearchStrategy[Method] = ALL_METHODS,
    limits: bool = True,
) -> Inputs:
    keys = draw(st.lists(st.text(min_size=1, max_size=3), max_size=10, unique=True))
    n = len(keys)
    weight = st.one_of(st.integers(0, 20), st.integers(0, 10**12))
    pool = draw(st.integers(0, 10**6))
    return Inputs(
        pool=pool,
        method=draw(methods),
        keys=keys,
        weights=draw(st.lists(weight, min_size=n, max_size=n)),
        received=draw(st.lists(st.integers(0, 10**5), min_size=n, max_size=n)),
        carried_in=draw(st.lists(st.integers(0, 500), min_size=n, max_size=n)),
        cap=draw(st.none() | st.integers(0, pool)) if limits else None,
        minimum=draw(st.integers(0, 1000)) if limits else 0,
    )


def test_immediate_splits_the_pool_by_points_in_the_period() -> None:
    plan = plan_distribution(
        pool=1001, method=Method.IMMEDIATE, keys=["a", "b", "c"], weights=[5, 3, 2], seed="s"
    )

    assert [a.payout for a in plan.allocations] == [501, 300, 200]
    assert plan.unallocated == 0
    assert plan.total_paid() == 1001
    assert plan.allocations[1] == Allocation(
        member="b",
        weight=3,
        share=300,
        capped_excess=0,
        redistributed=0,
        carried_in=0,
        due=300,
        payout=300,
        carried_out=0,
        share_numerator=3003,
    )


def test_explain_lists_the_numbers_that_re_derive_an_amount() -> None:
    plan = plan_distribution(
        pool=1001, method=Method.IMMEDIATE, keys=["a", "b", "c"], weights=[5, 3, 2], seed="s"
    )

    assert explain(plan, 0) == {
        "member": "a",
        "method": "immediate",
        "seed": "s",
        "pool": 1001,
        "weight": 5,
        "total_weight": 10,
        "share_exact": "1001/2",
        "share_floor": 500,
        "rounding_units": 1,
        "share": 501,
        "capped_excess": 0,
        "redistributed": 0,
        "carried_in": 0,
        "due": 501,
        "minimum": 0,
        "payout": 501,
        "carried_out": 0,
    }


def test_a_cap_moves_the_excess_to_members_below_it() -> None:
    plan = plan_distribution(
        pool=1000,
        method=Method.RECENT,
        keys=["a", "b", "c"],
        weights=[6, 3, 1],
        cap=400,
        seed="s",
    )

    rows = [(a.share, a.capped_excess, a.redistributed, a.due) for a in plan.allocations]
    assert rows == [(600, 200, 0, 400), (300, 0, 100, 400), (100, 0, 100, 200)]
    assert plan.unallocated == 0
    assert explain(plan, 0)["cap"] == 400


def test_excess_nobody_can_take_returns_to_the_pool() -> None:
    plan = plan_distribution(
        pool=100, method=Method.IMMEDIATE, keys=["a", "b"], weights=[1, 1], cap=30, seed="s"
    )

    assert [a.payout for a in plan.allocations] == [30, 30]
    assert plan.unallocated == 40
    assert plan.conserves()


def test_amounts_below_the_minimum_carry_over() -> None:
    plan = plan_distribution(
        pool=100,
        method=Method.IMMEDIATE,
        keys=["a", "b"],
        weights=[9, 1],
        carried_in=[0, 5],
        minimum=20,
        seed="s",
    )

    rows = [(a.due, a.payout, a.carried_out) for a in plan.allocations]
    assert rows == [(90, 90, 0), (15, 0, 15)]
    assert plan.total_paid() + plan.total_carried() == plan.pool + plan.total_carried_in()


def test_without_any_weight_the_whole_pool_is_unallocated() -> None:
    plan = plan_distribution(
        pool=500,
        method=Method.IMMEDIATE,
        keys=["a", "b"],
        weights=[0, 0],
        carried_in=[0, 7],
        seed="s",
    )

    assert [(a.share, a.payout) for a in plan.allocations] == [(0, 0), (0, 7)]
    assert plan.unallocated == 500


def test_balanced_pays_those_furthest_below_their_fair_share_first() -> None:
    # Everything ever shared T = 10 + 20 = 30; fair shares 7.5, 7.5, 15; deficits 7.5, 0, 15.
    # 20 lowers both deficits to 1.25: 6.25 and 13.75, rounded to 6 and 14.
    plan = plan_distribution(
        pool=20,
        method=Method.BALANCED,
        keys=["a", "b", "c"],
        lifetime_points=[1, 1, 2],
        received=[0, 10, 0],
        seed="s",
    )

    assert [a.payout for a in plan.allocations] == [6, 0, 14]
    described = explain(plan, 2)
    assert described["share_exact"] == "55/4"
    assert described["fair_share"] == "15/1"
    assert described["deficit"] == "15/1"
    assert described["received_before"] == 0
    assert described["total_received_before"] == 10


def test_balanced_pays_every_deficit_when_nobody_is_above_their_share() -> None:
    assert balanced_amounts(30, [1, 1, 2], [0, 10, 0], ["a", "b", "c"], seed="s") == [10, 0, 20]


def test_balanced_leaves_the_pool_unallocated_without_lifetime_points() -> None:
    assert balanced_amounts(30, [0, 0], [0, 0], ["a", "b"], seed="s") == [0, 0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weights": None}, "needs weights"),
        ({"method": Method.BALANCED}, "needs lifetime_points"),
        ({"pool": -1}, "pool cannot be negative"),
        ({"cap": -1}, "cap cannot be negative"),
        ({"minimum": -1}, "minimum cannot be negative"),
        ({"keys": ["a", "a"]}, "unique"),
        ({"weights": [1]}, "Expected 2 weights"),
        ({"weights": [1, -1]}, "cannot be negative"),
        ({"carried_in": [1]}, "Expected 2 carry-ins"),
        ({"method": "monthly"}, "monthly"),
        (
            {"method": Method.BALANCED, "lifetime_points": [1, 1], "received": [1]},
            "Expected 2 amounts received",
        ),
    ],
)
def test_plan_distribution_rejects_bad_input(changes: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "pool": 10,
        "method": Method.IMMEDIATE,
        "keys": ["a", "b"],
        "weights": [1, 2],
        "seed": "s",
    } | changes

    with pytest.raises(ValueError, match=message):
        plan_distribution(**arguments)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_every_unit_is_paid_carried_or_returned(given_inputs: Inputs) -> None:
    plan = given_inputs.plan()

    assert plan.conserves()
    assert [a.member for a in plan.allocations] == given_inputs.keys
    for row in plan.allocations:
        assert min(row.share, row.capped_excess, row.redistributed, row.due) >= 0
        assert min(row.payout, row.carried_out, row.carried_in) >= 0
        assert row.due == row.share - row.capped_excess + row.redistributed + row.carried_in
        assert row.payout + row.carried_out == row.due
    assert plan.unallocated >= 0


@settings(deadline=None)
@given(inputs())
def test_shares_before_caps_add_up_to_the_pool(given_inputs: Inputs) -> None:
    plan = given_inputs.plan()

    shared = sum(a.share for a in plan.allocations)
    assert shared == (plan.pool if plan.total_weight else 0)
    assert (
        shared
        + sum(a.redistributed - a.capped_excess for a in plan.allocations)
        + (plan.unallocated)
        == plan.pool
    )


@settings(deadline=None)
@given(inputs())
def test_caps_and_minimums_hold(given_inputs: Inputs) -> None:
    plan = given_inputs.plan()

    for row, weight in zip(plan.allocations, given_inputs.weights, strict=True):
        if plan.cap is not None:
            assert row.due - row.carried_in <= plan.cap
            if plan.unallocated and plan.total_weight and weight:
                assert row.due - row.carried_in == plan.cap
        assert row.payout == 0 or row.payout >= plan.minimum
        assert row.carried_out == 0 or row.carried_out < plan.minimum


@settings(deadline=None)
@given(inputs())
def test_identical_inputs_give_byte_identical_plans(given_inputs: Inputs) -> None:
    assert repr(given_inputs.plan()).encode() == repr(given_inputs.plan()).encode()


@settings(deadline=None)
@given(inputs(), st.data())
def test_reordering_members_only_reorders_their_rows(
    given_inputs: Inputs, data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(given_inputs.keys))))

    plan = given_inputs.plan()
    shuffled = given_inputs.reordered(order).plan()

    assert shuffled.allocations == tuple(plan.allocations[i] for i in order)
    assert shuffled.unallocated == plan.unallocated


@settings(deadline=None)
@given(inputs(methods=st.just(Method.IMMEDIATE), limits=False), st.data())
def test_more_points_never_mean_less_under_immediate(
    given_inputs: Inputs, data: st.DataObject
) -> None:
    if not given_inputs.keys:
        return
    member = data.draw(st.integers(0, len(given_inputs.keys) - 1))
    more = list(given_inputs.weights)
    more[member] += data.draw(st.integers(1, 10**6))

    before = given_inputs.plan().allocations[member]
    after = replace(given_inputs, weights=more).plan().allocations[member]

    assert after.share >= before.share
    assert after.payout >= before.payout


@settings(deadline=None)
@given(inputs(methods=st.just(Method.IMMEDIATE)), st.data())
def test_more_points_never_mean_a_smaller_share_before_caps(
    given_inputs: Inputs, data: st.DataObject
) -> None:
    if not given_inputs.keys:
        return
    member = data.draw(st.integers(0, len(given_inputs.keys) - 1))
    more = list(given_inputs.weights)
    more[member] += data.draw(st.integers(1, 100))

    before = given_inputs.plan().allocations[member]
    after = replace(given_inputs, weights=more).plan().allocations[member]

    assert after.share >= before.share


@settings(max_examples=200, deadline=None)
@given(inputs(methods=st.just(Method.BALANCED), limits=False))
def test_balanced_never_lifts_anyone_above_fair_while_another_is_below(
    given_inputs: Inputs,
) -> None:
    plan = given_inputs.plan()
    whole = sum(given_inputs.weights)
    everything = sum(given_inputs.received) + given_inputs.pool
    fair = [Fraction(everything * p, whole or 1) for p in given_inputs.weights]
    after = [r + a.share for r, a in zip(given_inputs.received, plan.allocations, strict=True)]

    lifted_above = any(
        a.share > 0 and total >= share + 1
        for a, total, share in zip(plan.allocations, after, fair, strict=True)
    )
    left_below = any(total <= share - 1 for total, share in zip(after, fair, strict=True))
    assert not (lifted_above and left_below)
    for a, r, share in zip(plan.allocations, given_inputs.received, fair, strict=True):
        assert a.share <= max(Fraction(0), share - r).__ceil__()


def test_decay_halves_every_half_life() -> None:
    assert decay_factor_ppb(0, 30) == 1_000_000_000
    assert decay_factor_ppb(30, 30) == 500_000_000
    assert decay_factor_ppb(60, 30) == 250_000_000
    assert decay_factor_ppb(1, 30) == 977_159_968
    assert decay_factor_ppb(32 * 30, 30) == 0


def test_the_decay_table_is_the_published_factors() -> None:
    table = decay_table(7, 300)

    assert len(table) == 301
    assert list(table) == [decay_factor_ppb(d, 7) for d in range(301)]
    assert table[7 * 32 :] == (0,) * (301 - 7 * 32)


@pytest.mark.parametrize(("age", "half_life"), [(-1, 30), (1, 0)])
def test_decay_refuses_negative_ages_and_empty_half_lives(age: int, half_life: int) -> None:
    with pytest.raises(ValueError, match=r"negative|half-life"):
        decay_factor_ppb(age, half_life)


def test_recent_weights_decay_each_contribution_by_its_age() -> None:
    weights = recent_weights([0, 0, 1], [100, 100, 50], [0, 30, 60], 3, 30)

    assert weights == [100 * 10**9 + 100 * 5 * 10**8, 50 * 25 * 10**7, 0]


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 9 * 10**9), st.integers(0, 2000)),
        max_size=12,
    ),
    st.integers(1, 400),
)
def test_recent_weights_are_exact_sums_of_decayed_points(
    rows: list[tuple[int, int, int]], half_life: int
) -> None:
    index, points, ages = (np.array([row[i] for row in rows], dtype=np.int64) for i in range(3))

    weights = recent_weights(index, points, ages, 4, half_life)

    assert weights == [
        sum(cp * decay_factor_ppb(age, half_life) for m, cp, age in rows if m == member)
        for member in range(4)
    ]


def test_recent_weights_stay_exact_past_int64() -> None:
    points = 9_000_000_000  # 9 * 10**18 per contribution at age 0
    huge = 10**12  # beyond what int64 can multiply by 10**9

    split = recent_weights([0, 0, 0, 1], [points] * 4, [0, 0, 0, 0], 2, 30)
    python = recent_weights([0, 1], [huge, 1], [0, 30], 2, 30)

    assert split == [3 * points * 10**9, points * 10**9]
    assert python == [huge * 10**9, 5 * 10**8]


def test_immediate_weights_are_the_period_totals() -> None:
    assert immediate_weights(np.array([5, 0, 7], dtype=np.int64)) == [5, 0, 7]
    assert immediate_weights([3, 4]) == [3, 4]

    with pytest.raises(ValueError, match="negative"):
        immediate_weights([-1])


@pytest.mark.parametrize(
    ("index", "points", "ages", "message"),
    [
        ([0, 1], [1], [0], "same length"),
        ([0, 3], [1, 1], [0, 0], "range"),
        ([0], [-1], [0], "Points cannot be negative"),
        ([0], [1], [-1], "Ages cannot be negative"),
    ],
)
def test_recent_weights_refuse_bad_input(
    index: list[int], points: list[int], ages: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        recent_weights(index, points, ages, 3, 30)


def test_recent_weights_of_nobody_are_zero() -> None:
    assert recent_weights([], [], [], 2, 30) == [0, 0]


@pytest.mark.parametrize(("half_life", "max_age"), [(0, 10), (7, -1)])
def test_the_decay_table_refuses_empty_half_lives_and_negative_ages(
    half_life: int, max_age: int
) -> None:
    with pytest.raises(ValueError, match=r"half-life|negative"):
        decay_table(half_life, max_age)


@pytest.mark.parametrize(
    ("pool", "lifetime", "received", "message"),
    [(-1, [1], [0], "pool cannot be negative"), (1, [1], [0, 0], "equal lengths")],
)
def test_balanced_amounts_refuse_bad_input(
    pool: int, lifetime: list[int], received: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        balanced_amounts(pool, lifetime, received, ["a"], seed="s")
