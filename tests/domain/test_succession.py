"""Rotation, succession risk and the published counts of a call for volunteers."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from accord.domain.disclosure import MIN_CELL, Hidden
from accord.domain.succession import (
    Seat,
    at_risk,
    background_counts,
    clean_labels,
    most_at_once,
    published_counts,
    rotation_due,
    term_refusal,
)

D = date(2026, 1, 1)
LABELS = ("students", "retirees", "newcomers", "parents")


def year(start: date) -> tuple[date, date]:
    return (start, start + timedelta(days=364))


def test_a_term_ending_within_the_window_is_due() -> None:
    seat = Seat(1, (year(D),))

    assert rotation_due(seat, term_limit=2, today=D + timedelta(days=300), window_days=90) == (
        "ending"
    )
    assert rotation_due(seat, term_limit=2, today=D + timedelta(days=100), window_days=90) is None


def test_a_holder_at_the_limit_is_due_whatever_the_date() -> None:
    seat = Seat(1, (year(D), year(D + timedelta(days=365))))

    assert rotation_due(seat, term_limit=2, today=D + timedelta(days=400), window_days=30) == (
        "limit"
    )


def test_a_planned_next_term_means_the_ending_is_not_due() -> None:
    seat = Seat(1, (year(D), year(D + timedelta(days=365))))

    assert rotation_due(seat, term_limit=3, today=D + timedelta(days=300), window_days=90) is None


def test_a_vacant_office_is_at_risk_before_anything_else() -> None:
    assert at_risk(seats=2, filled=1, successors=3, shadows=0) == "vacant"
    assert at_risk(seats=1, filled=1, successors=0, shadows=0) == "no successor"
    assert at_risk(seats=1, filled=1, successors=0, shadows=1) is None


def test_labels_are_cleaned_once_each() -> None:
    assert clean_labels([" Students", "students", "", "Retirees "]) == ("Students", "Retirees")


def test_a_term_over_the_seats_or_the_limit_is_refused() -> None:
    first = year(D)

    assert term_refusal(new=first, others=[], own=[], seats=1, term_limit=1) is None
    assert "seat" in (term_refusal(new=first, others=[first], own=[], seats=1, term_limit=2) or "")
    assert term_refusal(new=first, others=[first], own=[], seats=2, term_limit=2) is None
    again = year(D + timedelta(days=365))
    refused = term_refusal(new=again, others=[first], own=[first], seats=1, term_limit=1)
    assert refused is not None
    assert "limit" in refused
    assert "before" in (
        term_refusal(new=(D, D - timedelta(days=1)), others=[], own=[], seats=1, term_limit=1)
        or ""
    )


terms = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 400)).map(
        lambda t: (D + timedelta(days=min(t)), D + timedelta(days=max(t)))
    ),
    max_size=8,
)


@given(terms, st.integers(0, 400), st.integers(0, 400))
def test_most_at_once_is_the_busiest_day(held: list[tuple[date, date]], a: int, b: int) -> None:
    within = (D + timedelta(days=min(a, b)), D + timedelta(days=max(a, b)))

    busiest = max(
        sum(1 for s, e in held if s <= within[0] + timedelta(days=i) <= e)
        for i in range((within[1] - within[0]).days + 1)
    )

    assert most_at_once(held, within) == busiest


answers = st.lists(st.sets(st.sampled_from(LABELS)), max_size=40)


@given(answers)
def test_no_published_count_is_of_one_to_nine_people(given_answers: list[set[str]]) -> None:
    counts = background_counts(LABELS, given_answers)

    total, cells = published_counts(len(given_answers), counts)

    for cell in [total, *cells.values()]:
        assert isinstance(cell, Hidden) or cell == 0 or cell >= MIN_CELL


@given(st.lists(st.sampled_from(LABELS), max_size=60))
def test_a_hidden_count_cannot_be_worked_out_when_each_names_one(picked: list[str]) -> None:
    counts = background_counts(LABELS, [{p} for p in picked])

    total, cells = published_counts(len(picked), counts)

    hidden = [k for k, v in cells.items() if isinstance(v, Hidden)]
    if hidden and isinstance(total, int):
        shown = sum(v for v in cells.values() if isinstance(v, int))
        assert total - shown == 0 or total - shown >= MIN_CELL


@given(answers)
def test_counts_do_not_depend_on_the_order_of_answers(given_answers: list[set[str]]) -> None:
    assert background_counts(LABELS, given_answers) == background_counts(
        LABELS, list(reversed(given_answers))
    )
