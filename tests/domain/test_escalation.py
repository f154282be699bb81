from datetime import UTC, datetime, timedelta
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.escalation import (
    MAX_RESPONSE_HOURS,
    Resolution,
    Rung,
    climb,
    deadline_after,
    figures,
    median,
    next_rung,
)

START = datetime(2027, 3, 1, 9, tzinfo=UTC)
hours = st.integers(min_value=1, max_value=MAX_RESPONSE_HOURS)
ladders = st.lists(hours, min_size=1, max_size=6).map(
    lambda hs: [Rung(rank, h) for rank, h in enumerate(hs, start=1)]
)


def test_the_example_ladder_climbs_one_level_per_passed_deadline() -> None:
    ladder = [Rung(1, 72), Rung(2, 168), Rung(3, 336)]
    first_deadline = START + timedelta(days=3)

    steps = climb(ladder, 1, first_deadline, first_deadline + timedelta(days=1))

    assert [(s.rank, s.at, s.deadline) for s in steps] == [
        (2, first_deadline, first_deadline + timedelta(days=7))
    ]


def test_nothing_moves_before_the_deadline_or_from_the_top() -> None:
    ladder = [Rung(1, 72), Rung(2, 168)]

    assert climb(ladder, 1, START, START - timedelta(seconds=1)) == []
    assert climb(ladder, 2, START, START + timedelta(days=400)) == []


def test_next_rung_skips_to_the_lowest_rank_above() -> None:
    ladder = [Rung(3, 5), Rung(1, 1), Rung(5, 2)]

    assert next_rung(ladder, 1) == Rung(3, 5)
    assert next_rung(ladder, 5) is None


def test_a_response_time_outside_its_bounds_is_refused() -> None:
    with pytest.raises(ValueError, match="response time"):
        deadline_after(START, 0)


@given(ladders, st.integers(min_value=0, max_value=24 * 400))
def test_climbing_moves_up_in_order_and_stops_at_the_first_future_deadline(
    ladder: list[Rung], late_hours: int
) -> None:
    deadline = START + timedelta(hours=ladder[0].hours)
    now = deadline + timedelta(hours=late_hours)

    steps = climb(ladder, 1, deadline, now)

    ranks = [1, *(s.rank for s in steps)]
    assert ranks == sorted(set(ranks))
    assert all(s.at < s.deadline for s in steps)
    assert all(s.deadline <= now for s in steps[:-1])
    last_rank = ranks[-1]
    last_deadline = steps[-1].deadline if steps else deadline
    assert last_deadline > now or last_rank == len(ladder)
    for before, after in pairwise(steps):
        assert after.at == before.deadline


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=50))
def test_the_median_splits_the_values_in_half_and_ignores_order(values: list[int]) -> None:
    m = median(values)

    assert sum(v < m for v in values) <= len(values) // 2
    assert sum(v > m for v in values) <= len(values) // 2
    assert median(list(reversed(values))) == m
    assert min(values) <= m <= max(values)


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert median([4, 1, 3, 2]) == Fraction(5, 2)


@given(st.lists(st.tuples(st.integers(0, 10**8), st.booleans()), max_size=30))
def test_figures_are_withheld_below_ten_resolved_concerns(rows: list[tuple[int, bool]]) -> None:
    resolutions = [Resolution(s, w) for s, w in rows]

    got = figures(len(rows) + 3, resolutions)

    assert (got.raised, got.resolved) == (len(rows) + 3, len(rows))
    if len(rows) < 10:
        assert (got.median_seconds, got.within_share) == (None, None)
    else:
        assert got.within_share == Fraction(sum(w for _, w in rows), len(rows))
        assert got.median_seconds == median([s for s, _ in rows])
