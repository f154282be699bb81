"""Consecutive leadership terms."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from accord.domain.leadership import consecutive_terms

D = date(2026, 1, 1)


def year(start: date) -> tuple[date, date]:
    return (start, start + timedelta(days=364))


def test_back_to_back_terms_are_consecutive() -> None:
    terms = [year(D), year(D + timedelta(days=365)), year(D + timedelta(days=730))]

    assert consecutive_terms(terms, on=D + timedelta(days=800)) == 3


def test_a_gap_breaks_the_run() -> None:
    terms = [year(D), year(D + timedelta(days=400)), year(D + timedelta(days=765))]

    assert consecutive_terms(terms, on=D + timedelta(days=800)) == 2


def test_future_terms_do_not_count_yet() -> None:
    terms = [year(D), year(D + timedelta(days=365))]

    assert consecutive_terms(terms, on=D + timedelta(days=10)) == 1
    assert consecutive_terms([], on=D) == 0


@given(
    st.lists(st.integers(min_value=0, max_value=3000), max_size=12),
    st.integers(min_value=0, max_value=4000),
)
def test_the_run_is_at_most_the_started_terms_and_order_free(
    starts: list[int], on_day: int
) -> None:
    terms = [year(D + timedelta(days=s)) for s in starts]
    on = D + timedelta(days=on_day)

    run = consecutive_terms(terms, on=on)

    started = sum(1 for t in terms if t[0] <= on)
    assert 0 <= run <= started
    assert (run == 0) == (started == 0)
    assert consecutive_terms(list(reversed(terms)), on=on) == run
