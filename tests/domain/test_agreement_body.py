"""The body of an agreement, in pure terms: a goal's progress from its readings, what a
commitment has delivered, and when the next review falls."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.errors import Conflict, InvalidInput
from accord.domain.partnerships import (
    CADENCE_MAX,
    GoalState,
    Measure,
    add_months,
    check_receipt,
    fulfilment,
    next_review,
    progress,
    suggested_goals,
)

START, DUE = date(2026, 1, 1), date(2026, 12, 31)
values = st.fractions(min_value=-(10**6), max_value=10**6)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
measures = st.lists(st.builds(Measure, on=days, value=values, seq=st.integers(0, 5)), max_size=8)


def _progress(baseline: object, target: object, readings: list[Measure], today: date = START):
    return progress(
        baseline=Fraction(baseline),  # type: ignore[arg-type]
        target=Fraction(target),  # type: ignore[arg-type]
        start=START,
        due=DUE,
        readings=readings,
        today=today,
    )


def test_the_latest_reading_by_date_decides_the_progress() -> None:
    readings = [Measure(date(2026, 6, 1), Fraction(60)), Measure(date(2026, 3, 1), Fraction(90))]

    result = _progress(10, 110, readings, today=date(2026, 6, 2))

    assert result.latest == 60
    assert result.share == Fraction(1, 2)
    assert result.percent == 50
    assert result.state == GoalState.ON_TRACK


def test_a_falling_target_counts_a_fall_as_progress() -> None:
    result = _progress(40, 20, [Measure(date(2026, 2, 1), Fraction(35))], today=date(2026, 2, 2))

    assert result.share == Fraction(1, 4)


def test_a_goal_is_met_missed_or_behind() -> None:
    late = date(2027, 1, 1)
    assert _progress(0, 10, [Measure(START, Fraction(12))], today=late).state == GoalState.MET
    assert _progress(0, 10, [Measure(START, Fraction(9))], today=late).state == GoalState.MISSED
    assert _progress(0, 10, [], today=late).state == GoalState.MISSED
    assert _progress(0, 10, []).state == GoalState.NO_READING
    behind = _progress(0, 100, [Measure(START, Fraction(1))], today=date(2026, 7, 1))
    assert behind.state == GoalState.BEHIND


@given(values, values, measures, days)
def test_progress_stays_between_none_and_all_and_ignores_order(
    baseline: Fraction, target: Fraction, readings: list[Measure], today: date
) -> None:
    forward = _progress(baseline, target, readings, today)
    backward = _progress(baseline, target, list(reversed(readings)), today)

    assert 0 <= forward.share <= 1
    assert 0 <= forward.expected <= 1
    assert 0 <= forward.percent <= 100
    assert (forward.state == GoalState.MET) == (forward.share == 1)
    assert forward.share == backward.share or len({(m.on, m.seq) for m in readings}) < len(
        readings
    )


def test_the_suggested_goals_are_engagement_revenue_and_impact() -> None:
    goals = suggested_goals("EUR")

    assert [g.key for g in goals] == ["engagement", "revenue", "impact"]
    assert goals[1].unit == "EUR"


def test_a_financial_commitment_is_complete_when_all_of_it_arrived() -> None:
    part = fulfilment(10_000, [2_500, 2_500], marked_done=False)
    whole = fulfilment(10_000, [2_500, 7_500], marked_done=False)
    in_kind = fulfilment(None, [], marked_done=True)

    assert (part.received, part.outstanding, part.complete) == (5_000, 5_000, False)
    assert (whole.outstanding, whole.complete) == (0, True)
    assert in_kind.complete


@given(st.integers(1, 10**12), st.lists(st.integers(1, 10**9), max_size=20))
def test_receipts_never_exceed_the_promise_and_add_up_exactly(
    promised: int, amounts: list[int]
) -> None:
    taken: list[int] = []
    for amount in amounts:
        try:
            check_receipt(promised, sum(taken), amount)
        except Conflict:
            continue
        taken.append(amount)

    state = fulfilment(promised, taken, marked_done=False)
    assert state.received == sum(taken) <= promised
    assert state.outstanding == promised - sum(taken)


@pytest.mark.parametrize("amount", [0, -1])
def test_a_receipt_of_nothing_is_refused(amount: int) -> None:
    with pytest.raises(InvalidInput):
        check_receipt(100, 0, amount)


def test_the_next_review_keeps_the_day_or_the_months_last() -> None:
    assert next_review(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert next_review(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert next_review(date(2024, 2, 29), 12) == date(2025, 2, 28)


@pytest.mark.parametrize("months", [0, -1, CADENCE_MAX + 1])
def test_a_cadence_out_of_range_is_refused(months: int) -> None:
    with pytest.raises(InvalidInput):
        next_review(START, months)


@given(days, st.integers(0, 600))
def test_adding_months_moves_forward_by_about_that_many(day: date, months: int) -> None:
    later = add_months(day, months)

    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
    assert later >= day
