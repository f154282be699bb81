import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.attribution import (
    MAX_BASE_CP,
    MAX_HOURS_CAP_H100,
    MAX_MULTIPLIER_PM,
    MAX_PER_HOUR_CP,
    MAX_RAW,
    MAX_TENURE_PM,
    AttributionPolicy,
    ContributionFacts,
    check_policy,
    member_totals,
    round_half_even,
    score,
    score_many,
    tenure_months,
    tenure_months_many,
)

KINDS = ["mentoring", "code", "event"]


def make_policy(**overrides: object) -> AttributionPolicy:
    policy = AttributionPolicy(
        version=1,
        base_cp={"mentoring": 1000, "code": 1500, "event": 500},
        level_pm={1: 1000, 2: 1250, 3: 1500, 4: 1750, 5: 2000},
        impact_pm={1: 1000, 2: 1100, 3: 1200, 4: 1250, 5: 1500},
        per_hour_cp=200,
        hours_cap_h100=2000,
        tenure_pm=((0, 1000), (12, 1050), (24, 1100)),
        member_cap_cp=None,
    )
    return dataclasses.replace(policy, **overrides)  # type: ignore[arg-type]


def facts(**overrides: object) -> ContributionFacts:
    base = ContributionFacts(kind="mentoring", level=3, impact=4, hours_h100=350, tenure_months=30)
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def test_it_scores_a_contribution_with_a_breakdown_that_re_derives_it() -> None:
    breakdown = score(facts(), make_policy())

    # (10.00 x 1.5 x 1.25 + 2.00 x 3.5) x 1.1 = 28.325 -> 28.32 (half to even)
    assert breakdown.points_cp == 2832
    assert breakdown.lines == (
        "Base for mentoring: 10.00 points",
        "x level 3: 1.500",
        "x impact 4: 1.250",
        "+ 2.00 points per hour x 3.50 h (cap 20.00 h) = 7.00 points",
        "= 25.75 points before tenure",
        "x tenure (24+ months): 1.100",
        "= 28.32 points (rounded half to even)",
    )


def test_it_counts_hours_only_up_to_the_cap() -> None:
    breakdown = score(facts(hours_h100=2575, tenure_months=0), make_policy())

    assert breakdown.points_cp == 1875 + 4000
    assert breakdown.lines[3] == (
        "+ 2.00 points per hour x 20.00 h (of 25.75 h; cap 20.00 h) = 40.00 points"
    )
    assert breakdown.lines[5] == "x tenure (0+ months): 1.000"


def test_it_shows_exact_fractions_of_a_point() -> None:
    policy = make_policy(per_hour_cp=201, base_cp={"mentoring": 1})

    breakdown = score(facts(level=1, impact=1, hours_h100=333, tenure_months=12), policy)

    # 0.01 + 2.01 x 3.33 = 6.7033; x 1.05 = 7.038465 -> 7.04
    assert breakdown.lines[3].endswith("= 6.6933 points")
    assert breakdown.lines[4] == "= 6.7033 points before tenure"
    assert breakdown.points_cp == 704


@pytest.mark.parametrize(
    ("base_cp", "points_cp"),
    [(1, 0), (3, 2), (5, 2), (7, 4)],  # 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4
)
def test_it_rounds_half_to_even(base_cp: int, points_cp: int) -> None:
    policy = make_policy(base_cp={"mentoring": base_cp}, tenure_pm=((0, 500),))

    assert score(facts(level=1, impact=1, hours_h100=0), policy).points_cp == points_cp


def test_round_half_even_rounds_the_exact_quotient() -> None:
    assert [round_half_even(n, 4) for n in (1, 2, 3, 6, 10, 14)] == [0, 0, 1, 2, 2, 4]


def test_it_uses_the_last_tenure_step_reached() -> None:
    policy = make_policy(base_cp={"mentoring": 10_000}, per_hour_cp=0)
    one = facts(level=1, impact=1)

    assert score(dataclasses.replace(one, tenure_months=11), policy).points_cp == 10_000
    assert score(dataclasses.replace(one, tenure_months=12), policy).points_cp == 10_500
    assert score(dataclasses.replace(one, tenure_months=600), policy).points_cp == 11_000


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "juggling"}, "no contribution kind 'juggling'"),
        ({"level": 6}, "no level 6"),
        ({"impact": 0}, "no impact 0"),
        ({"hours_h100": -1}, "Hours cannot be negative"),
        ({"tenure_months": -1}, "Tenure cannot be negative"),
    ],
)
def test_it_names_what_the_policy_does_not_cover(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score(facts(**changes), make_policy())


def test_a_sound_policy_has_no_problems() -> None:
    assert check_policy(make_policy()) == []


def test_check_policy_returns_every_problem() -> None:
    policy = make_policy(
        version=0,
        base_cp={"mentoring": MAX_BASE_CP + 1, "": 1},
        level_pm={0: 1000, 1: -1},
        impact_pm={1: MAX_MULTIPLIER_PM + 1},
        per_hour_cp=MAX_PER_HOUR_CP + 1,
        hours_cap_h100=-1,
        tenure_pm=((1, 1000), (1, MAX_TENURE_PM + 1)),
        member_cap_cp=-5,
    )

    problems = check_policy(policy)

    assert len(problems) == 12
    assert "The base for 'mentoring' is 1000001; it must be between 0 and 1000000." in problems
    assert "The first tenure step must start at 0 months." in problems
    assert "level 0 is not allowed; levels go from 1 to 5." in problems


def test_scoring_refuses_an_invalid_policy() -> None:
    with pytest.raises(ValueError, match="invalid"):
        score(facts(), make_policy(tenure_pm=()))


def test_the_limits_keep_raw_points_inside_int64() -> None:
    assert MAX_RAW < 2**63
    policy = make_policy(
        base_cp={"mentoring": MAX_BASE_CP},
        level_pm={5: MAX_MULTIPLIER_PM},
        impact_pm={5: MAX_MULTIPLIER_PM},
        per_hour_cp=MAX_PER_HOUR_CP,
        hours_cap_h100=MAX_HOURS_CAP_H100,
        tenure_pm=((0, MAX_TENURE_PM),),
    )
    largest = facts(level=5, impact=5, hours_h100=10**9)

    many = score_many([0], [5], [5], [10**9], [30], policy, ["mentoring"])

    assert score(largest, policy).points_cp == MAX_RAW // 10**9 == int(many[0])


@st.composite
def policies(draw: st.DrawFn) -> AttributionPolicy:
    multiplier = st.integers(0, MAX_MULTIPLIER_PM)
    months = draw(st.lists(st.integers(1, 240), max_size=4, unique=True))
    tenure = [(m, draw(st.integers(0, MAX_TENURE_PM))) for m in sorted([0, *months])]
    return AttributionPolicy(
        version=draw(st.integers(1, 50)),
        base_cp={kind: draw(st.integers(0, MAX_BASE_CP)) for kind in KINDS},
        level_pm={level: draw(multiplier) for level in range(1, 6)},
        impact_pm={impact: draw(multiplier) for impact in range(1, 6)},
        per_hour_cp=draw(st.integers(0, MAX_PER_HOUR_CP)),
        hours_cap_h100=draw(st.integers(0, MAX_HOURS_CAP_H100)),
        tenure_pm=tuple(tenure),
        member_cap_cp=None,
    )


contribution = st.tuples(
    st.integers(0, len(KINDS) - 1),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 200_000),
    st.integers(0, 300),
)


@settings(max_examples=200, deadline=None)
@given(policies(), st.lists(contribution, max_size=20))
def test_score_many_equals_score_for_every_contribution(
    policy: AttributionPolicy, rows: list[tuple[int, int, int, int, int]]
) -> None:
    codes, levels, impacts, hours, months = (
        np.array([row[i] for row in rows], dtype=np.int64) for i in range(5)
    )

    many = score_many(codes, levels, impacts, hours, months, policy, KINDS)

    expected = [
        score(ContributionFacts(KINDS[code], level, impact, hours, tenure), policy).points_cp
        for code, level, impact, hours, tenure in rows
    ]
    assert many.dtype == np.int64
    assert many.tolist() == expected


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (([0], [9], [1], [0], [0]), "no level 9"),
        (([0], [1], [-2], [0], [0]), "no impact -2"),
        (([3], [1], [1], [0], [0]), "index the 3 kinds"),
        (([0], [1], [1], [-5], [0]), "Hours cannot be negative"),
        (([0], [1], [1], [0], [-1]), "Tenure cannot be negative"),
        (([0, 1], [1], [1], [0], [0]), "same length"),
        (([0.5], [1], [1], [0], [0]), "array of integers"),
    ],
)
def test_score_many_refuses_what_score_refuses(
    columns: tuple[list[float], list[int], list[int], list[int], list[int]], message: str
) -> None:
    codes, levels, impacts, hours, months = columns

    with pytest.raises(ValueError, match=message):
        score_many(codes, levels, impacts, hours, months, make_policy(), KINDS)


def test_score_many_names_a_kind_the_policy_lacks() -> None:
    with pytest.raises(ValueError, match="no contribution kind 'juggling'"):
        score_many([0, 1], [1, 1], [1, 1], [0, 0], [0, 0], make_policy(), ["code", "juggling"])


def test_score_many_accepts_no_contributions() -> None:
    assert score_many([], [], [], [], [], make_policy(), KINDS).tolist() == []


def test_member_totals_sum_each_members_points_then_cap_them() -> None:
    index = np.array([0, 2, 0, 2, 2])
    points = np.array([100, 5, 250, 10, 7000])

    assert member_totals(index, points, 4, None).tolist() == [350, 0, 7015, 0]
    assert member_totals(index, points, 4, 1000).tolist() == [350, 0, 1000, 0]


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**9)), max_size=30))
def test_member_totals_equal_plain_sums(rows: list[tuple[int, int]]) -> None:
    index = np.array([m for m, _ in rows], dtype=np.int64)
    points = np.array([p for _, p in rows], dtype=np.int64)

    totals = member_totals(index, points, 5, None)

    assert totals.tolist() == [sum(p for m, p in rows if m == member) for member in range(5)]


def test_member_totals_refuse_members_outside_the_range() -> None:
    with pytest.raises(ValueError, match="range"):
        member_totals([0, 5], [1, 1], 5, None)


@pytest.mark.parametrize(
    ("index", "points", "cap", "message"),
    [
        ([0, 1], [1], None, "same length"),
        ([0], [-1], None, "Points cannot be negative"),
        ([0], [1], -1, "cap cannot be negative"),
        ([0, 0], [2**62, 2**62], None, "overflow"),
        (np.array([2**63], dtype=np.uint64), [1], None, "beyond int64"),
    ],
)
def test_member_totals_refuse_bad_input(
    index: list[int], points: list[int], cap: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        member_totals(index, points, 5, cap)


def test_a_policy_needs_contribution_kinds() -> None:
    assert "The policy names no contribution kinds." in check_policy(make_policy(base_cp={}))


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
)
def test_tenure_months_scalar_and_vectorised_agree(joined: date, on: date) -> None:

    epoch = date(1970, 1, 1)
    months = tenure_months(joined, on)

    assert months == int(tenure_months_many([(joined - epoch).days], [(on - epoch).days])[0])
    assert months >= 0


def test_tenure_counts_whole_months() -> None:

    assert tenure_months(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert tenure_months(date(2024, 1, 15), date(2025, 1, 15)) == 12
    assert tenure_months(date(2024, 1, 15), date(2025, 1, 14)) == 11
    assert tenure_months(date(2025, 1, 1), date(2024, 1, 1)) == 0
