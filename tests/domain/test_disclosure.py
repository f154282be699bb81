"""Small numbers are never published: suppression of counts of people."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.disclosure import (
    MIN_CELL,
    Hidden,
    Published,
    release_statistic,
    suppress_counts,
)

counts = st.dictionaries(
    st.sampled_from(["gain", "lose", "same", "new", "left"]),
    st.one_of(st.integers(0, 12), st.integers(0, 500)),
    max_size=5,
)


def hidden_labels(published: Published) -> set[str]:
    return {label for label, cell in published.cells.items() if isinstance(cell, Hidden)}


def test_small_counts_are_hidden_and_the_next_smallest_covers_them() -> None:
    published = suppress_counts({"gain": 3, "lose": 40, "same": 12}, total=55)

    assert published.cells == {"gain": Hidden(small=True), "lose": 40, "same": Hidden(small=False)}
    assert published.total == 55
    assert str(published.cells["gain"]) == "fewer than 10"
    assert published.withheld


def test_a_total_below_10_hides_the_whole_table() -> None:
    published = suppress_counts({"gain": 0, "lose": 2, "same": 5}, total=7)

    assert set(published.cells.values()) == {Hidden(small=True)}
    assert published.total == Hidden(small=True)


def test_zero_and_large_counts_are_shown_as_they_are() -> None:
    published = suppress_counts({"gain": 0, "lose": 40, "same": 12}, total=52)

    assert published.cells == {"gain": 0, "lose": 40, "same": 12}
    assert not published.withheld


def test_several_small_cells_that_add_up_to_under_10_are_covered_too() -> None:
    published = suppress_counts({"gain": 2, "lose": 3, "same": 30, "new": 11}, total=46)

    assert hidden_labels(published) == {"gain", "lose", "new"}


def test_known_cells_stay_shown_and_the_total_hides_what_they_would_reveal() -> None:
    published = suppress_counts({"named": 4, "others": 7}, total=11, known={"named"})
    large = suppress_counts({"named": 4, "others": 30}, total=34, known={"named"})

    assert published.cells == {"named": 4, "others": Hidden(small=True)}
    assert published.total == Hidden(small=False)
    assert large.cells == {"named": 4, "others": 30}
    assert large.total == 34


def test_it_refuses_a_total_that_is_not_the_sum_of_the_cells() -> None:
    with pytest.raises(ValueError, match="sum"):
        suppress_counts({"gain": 12, "lose": 30}, total=50)


@given(counts, st.booleans())
def test_no_published_count_describes_1_to_9_people(
    cells: dict[str, int], with_total: bool
) -> None:
    published = suppress_counts(cells, total=sum(cells.values()) if with_total else None)

    shown = [c for c in [*published.cells.values(), published.total] if isinstance(c, int)]
    assert not any(0 < c < MIN_CELL for c in shown)


@given(counts, st.booleans())
def test_shown_cells_equal_their_inputs(cells: dict[str, int], with_total: bool) -> None:
    published = suppress_counts(cells, total=sum(cells.values()) if with_total else None)

    assert published.cells.keys() == cells.keys()
    for label, cell in published.cells.items():
        assert cell == cells[label] or isinstance(cell, Hidden)
    assert published.total in (None, sum(cells.values()), Hidden(small=True))


@given(counts)
def test_no_hidden_count_can_be_recomputed_from_the_total(cells: dict[str, int]) -> None:
    published = suppress_counts(cells, total=sum(cells.values()))

    hidden = hidden_labels(published)
    if isinstance(published.total, int):
        # total less the shown cells is all a reader learns about the hidden ones
        recoverable = published.total - sum(
            c for c in published.cells.values() if isinstance(c, int)
        )
        assert len(hidden) != 1
        assert recoverable == 0 or recoverable >= MIN_CELL


@given(counts, st.data())
def test_known_cells_never_let_a_hidden_count_be_recomputed(
    cells: dict[str, int], data: st.DataObject
) -> None:
    known = data.draw(st.sets(st.sampled_from(sorted(cells))) if cells else st.just(set()))

    published = suppress_counts(cells, total=sum(cells.values()), known=known)

    assert all(published.cells[label] == cells[label] for label in known)
    for label, cell in published.cells.items():
        if label not in known and isinstance(cell, int):
            assert not 0 < cell < MIN_CELL
    if isinstance(published.total, int):
        hidden_sum = sum(cells[label] for label in hidden_labels(published))
        assert hidden_sum == 0 or hidden_sum >= MIN_CELL


def test_a_statistic_is_released_only_about_10_people_or_more() -> None:
    assert release_statistic(9, 1200) is None
    assert release_statistic(10, 1200) == 1200
    assert release_statistic(0, 0) is None
