"""The risk register's math: severity is likelihood x impact in 1-25, its bands cover every
severity once and rise with it, the register's order is a stable function of its risks, and
ratings outside 1-5 are refused with a clear message."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.errors import Forbidden, InvalidInput
from accord.domain.risks import (
    EXCLUDED,
    Band,
    Category,
    Rating,
    RiskLine,
    RiskStatus,
    band,
    check_may_decide,
    check_risk,
    register_order,
    risk_problems,
    severity,
)

ratings = st.integers(min_value=1, max_value=5)
off_scale = st.integers().filter(lambda n: not 1 <= n <= 5)
BAND_RANK = {Band.LOW: 0, Band.MEDIUM: 1, Band.HIGH: 2, Band.CRITICAL: 3}


@given(ratings, ratings)
def test_severity_is_the_product_and_stays_in_range(likelihood: int, impact: int) -> None:
    value = severity(likelihood, impact)

    assert value == likelihood * impact == severity(impact, likelihood)
    assert 1 <= value <= 25
    assert Rating(likelihood, impact).band == band(value)


@given(ratings, ratings, ratings, ratings)
def test_a_band_never_falls_as_either_rating_rises(l1: int, i1: int, l2: int, i2: int) -> None:
    low, high = Rating(min(l1, l2), min(i1, i2)), Rating(max(l1, l2), max(i1, i2))

    assert BAND_RANK[low.band] <= BAND_RANK[high.band]


def test_the_bands_at_their_edges() -> None:
    edges = {1: "low", 4: "low", 5: "medium", 9: "medium", 10: "high", 16: "high", 20: "critical"}

    assert {s: band(s).value for s in edges} == edges
    assert Rating(5, 5).band == Band.CRITICAL


@given(off_scale, ratings)
def test_a_rating_outside_one_to_five_is_refused(bad: int, good: int) -> None:
    with pytest.raises(InvalidInput, match=f"likelihood is a whole number from 1 to 5, not {bad}"):
        severity(bad, good)
    with pytest.raises(InvalidInput, match=f"impact is a whole number from 1 to 5, not {bad}"):
        Rating(good, bad)


def test_every_problem_of_a_risk_is_named_at_once() -> None:
    problems = risk_problems(category="weather", title=" ", likelihood=0, impact=6, status="gone")

    assert problems == [
        "'weather' is not a risk category (reputation, financial, external, operational)",
        "a risk needs a title",
        "the likelihood is a whole number from 1 to 5, not 0",
        "the impact is a whole number from 1 to 5, not 6",
        "'gone' is not a risk status (open, mitigated, closed)",
    ]
    with pytest.raises(InvalidInput, match=r"^'weather' is not a risk category .*closed\)\.$"):
        check_risk(category="weather", title=" ", likelihood=0, impact=6, status="gone")
    check_risk(category=Category.FINANCIAL, title="Late grant", likelihood=2, impact=4)


lines = st.lists(
    st.builds(
        RiskLine,
        st.integers(0, 10**6),
        st.sampled_from(list(RiskStatus)),
        st.builds(Rating, ratings, ratings),
    ),
    unique_by=lambda r: r.key,
    max_size=30,
)


@given(lines, st.randoms())
def test_the_register_order_is_stable_and_most_severe_open_risks_come_first(
    given_lines: list[RiskLine], rnd: random.Random
) -> None:
    shuffled = list(given_lines)
    rnd.shuffle(shuffled)

    ordered = register_order(given_lines)

    assert ordered == register_order(shuffled)
    assert sorted(r.key for r in ordered) == sorted(r.key for r in given_lines)
    open_ones = [r.rating.severity for r in ordered if r.status == RiskStatus.OPEN]
    assert open_ones == sorted(open_ones, reverse=True)
    statuses = [r.status for r in ordered]
    assert statuses == sorted(
        statuses, key=[RiskStatus.OPEN, RiskStatus.MITIGATED, RiskStatus.CLOSED].index
    )


def test_an_open_disclosure_excludes_from_deciding() -> None:
    check_may_decide(has_open_disclosure=False)

    with pytest.raises(Forbidden) as refused:
        check_may_decide(has_open_disclosure=True)

    assert refused.value.detail == EXCLUDED
    assert refused.value.code == "conflict_of_interest"
