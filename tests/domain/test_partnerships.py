"""The partnership math: the lifecycle, maturity labels, the ten-criteria evaluation,
reciprocity and revenue concentration, with property tests against plain definitions."""

from collections import Counter, deque
from datetime import date
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.errors import Conflict, InvalidInput
from accord.domain.partnerships import (
    CRITERIA,
    DEFAULT_LEVEL_LABELS,
    TRANSITIONS,
    ActivationRule,
    Inflow,
    Outflow,
    Score,
    Side,
    Status,
    ValueLine,
    activation_problems,
    check_transition,
    concentration,
    level_labels,
    reciprocity,
    releasable,
    summarize,
    trace_oldest_first,
    valued,
)

KEYS = [c.key for c in CRITERIA]
statuses = st.sampled_from(list(Status))


# -- lifecycle ------------------------------------------------------------------------------


@given(statuses, statuses)
def test_a_move_is_allowed_exactly_when_the_lifecycle_lists_it(a: Status, b: Status) -> None:
    if b in TRANSITIONS[a]:
        check_transition(a, b)
    else:
        with pytest.raises(Conflict):
            check_transition(a, b)


@given(st.lists(statuses, max_size=12))
def test_no_walk_leaves_ended_or_reaches_active_without_an_evaluation(
    wanted: list[Status],
) -> None:
    path = [Status.PROSPECT]
    for s in wanted:
        if s in TRANSITIONS[path[-1]]:
            path.append(s)
    for before, after in pairwise(path):
        assert before != Status.ENDED
        if after == Status.ACTIVE:
            assert before == Status.EVALUATING


def test_a_refusal_says_where_the_agreement_can_go() -> None:
    with pytest.raises(Conflict) as refused:
        check_transition(Status.PROSPECT, Status.ACTIVE)
    with pytest.raises(Conflict) as final:
        check_transition(Status.ENDED, Status.ACTIVE)

    assert refused.value.detail == (
        "An agreement that is prospect can become ended or evaluating, not active."
    )
    assert final.value.detail == "An agreement that has ended cannot change status."


# -- maturity -------------------------------------------------------------------------------


def test_levels_one_to_four_are_the_communitys_own_and_five_is_fixed() -> None:
    labels = level_labels({1: " Introductions ", 3: "Working together"})

    assert labels[1] == "Introductions"
    assert labels[2] == DEFAULT_LEVEL_LABELS[2]
    assert labels[3] == "Working together"
    assert labels[5] == "Shared value creation"
    for bad in ({5: "Ours"}, {0: "Zero"}, {6: "Six"}, {2: "  "}, {2: "x" * 61}):
        with pytest.raises(InvalidInput):
            level_labels(bad)


# -- evaluation -----------------------------------------------------------------------------

evaluations = st.dictionaries(
    st.sampled_from([f"e{i}" for i in range(6)]),
    st.fixed_dictionaries({k: st.integers(1, 5) for k in KEYS}),
    min_size=1,
)


def _scores(evaluation: dict[str, dict[str, int]]) -> list[Score]:
    return [Score(e, k, v) for e, row in evaluation.items() for k, v in row.items()]


@given(evaluations)
def test_each_criterions_mean_and_spread_follow_from_its_scores(
    evaluation: dict[str, dict[str, int]],
) -> None:
    summary = summarize(_scores(evaluation))

    assert summary.evaluators == len(evaluation)
    assert summary.partial == 0
    for c in summary.criteria:
        given_scores = [row[c.criterion.key] for row in evaluation.values()]
        assert c.mean == Fraction(sum(given_scores), len(given_scores))
        assert c.spread == max(given_scores) - min(given_scores)
        assert 1 <= c.mean <= 5
    assert summary.mean == sum((c.mean for c in summary.criteria), Fraction(0)) / 10


@given(evaluations, st.fractions(1, 5), st.fractions(1, 5), st.integers(1, 6))
def test_activation_is_refused_exactly_when_a_rule_is_not_met(
    evaluation: dict[str, dict[str, int]], threshold: Fraction, floor: Fraction, needed: int
) -> None:
    summary = summarize(_scores(evaluation))
    rule = ActivationRule(threshold=threshold, floor=floor, evaluators=needed)

    problems = activation_problems(summary, rule)

    assert summary.mean is not None
    meets = (
        len(evaluation) >= needed
        and summary.mean >= threshold
        and all(c.mean is not None and c.mean >= floor for c in summary.criteria)
    )
    assert (problems == []) == meets


def test_a_later_score_replaces_the_evaluators_earlier_one_and_partial_work_blocks() -> None:
    full = [Score("ana", k, 4) for k in KEYS]
    summary = summarize([*full, Score("ana", "risk", 1), Score("ben", "vision", 5)])

    risk = next(c for c in summary.criteria if c.criterion.key == "risk")
    assert (risk.count, risk.mean) == (1, Fraction(1))
    assert (summary.evaluators, summary.partial) == (1, 1)
    assert summary.mean is not None
    problems = activation_problems(summary, ActivationRule(evaluators=1))
    assert "1 evaluator(s) have not scored all ten criteria" in problems
    assert "Risk Assessment and Mitigation averages 1.00, below the floor 2.00" in problems


def test_scores_outside_one_to_five_or_unknown_criteria_are_refused() -> None:
    for bad in (Score("a", "vision", 0), Score("a", "vision", 6), Score("a", "luck", 3)):
        with pytest.raises(InvalidInput):
            summarize([bad])


def test_nothing_scored_has_no_mean_and_cannot_activate() -> None:
    summary = summarize([])

    assert summary.mean is None
    assert activation_problems(summary, ActivationRule()) == [
        "0 evaluator(s) scored all ten criteria; activation needs 2"
    ]


# -- reciprocity ----------------------------------------------------------------------------

lines = st.lists(
    st.builds(
        ValueLine,
        side=st.sampled_from(list(Side)),
        kind=st.sampled_from(["distribution", "offering", "exposure", "fee"]),
        amount=st.integers(0, 10**12),
        on=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    ),
    max_size=30,
)


@given(lines)
def test_reciprocity_adds_every_line_and_flags_a_ratio_below_one(
    given_lines: list[ValueLine],
) -> None:
    r = reciprocity(given_lines)

    assert r.delivered == sum(v.amount for v in given_lines if v.side == Side.TO_MEMBERS)
    assert r.received == sum(v.amount for v in given_lines if v.side == Side.TO_PARTNER)
    assert sorted(r.lines, key=repr) == sorted(given_lines, key=repr)
    assert [v.on for v in r.lines] == sorted(v.on for v in r.lines)
    if r.received:
        assert r.ratio is not None
        assert r.ratio * r.received == r.delivered
        assert r.extractive == (r.ratio < 1)
    else:
        assert r.ratio is None
        assert not r.extractive


def test_a_negative_value_is_refused() -> None:
    with pytest.raises(InvalidInput):
        reciprocity([ValueLine(Side.TO_PARTNER, "fee", -1, date(2026, 1, 1))])


# -- concentration --------------------------------------------------------------------------


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 10**12), max_size=12))
def test_the_index_lies_between_one_over_n_and_one(income: dict[str, int]) -> None:
    c = concentration(income)
    paying = [v for v in income.values() if v]

    if not paying:
        assert (c.total, c.largest, c.index) == (0, None, 0)
        return
    assert Fraction(1, len(income)) <= c.index <= 1
    assert c.largest_share == Fraction(max(paying), sum(paying))
    assert c.largest_share**2 <= c.index <= c.largest_share
    assert c.effective_sources == 1 / c.index


@given(st.integers(1, 20), st.integers(1, 10**9), st.integers(2, 1000))
def test_equal_sources_give_one_over_n_and_scaling_changes_nothing(
    n: int, amount: int, k: int
) -> None:
    income = {f"s{i}": amount for i in range(n)}

    c = concentration(income)
    scaled = concentration({s: v * k for s, v in income.items()})

    assert c.index == Fraction(1, n)
    assert (scaled.index, scaled.largest_share) == (c.index, c.largest_share)


def test_one_sponsor_holding_most_of_the_income_shows() -> None:
    c = concentration([("Northbridge", 800), ("Lumen", 150), ("Harbour", 50), ("Lumen", 0)])

    assert (c.total, c.largest, c.largest_share) == (1000, "Northbridge", Fraction(4, 5))
    assert c.index == Fraction(800**2 + 150**2 + 50**2, 1000**2)


# -- derived reciprocity inputs ---------------------------------------------------------------


@given(st.integers(0, 10**9), st.fractions(min_value=0, max_value=10**6, max_denominator=10**4))
def test_a_count_is_valued_once_within_half_a_minor_unit(count: int, each: Fraction) -> None:

    amount = valued(count, each)

    assert abs(amount - count * each) <= Fraction(1, 2)
    if (count * each).denominator == 1:
        assert amount == count * each


@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.fractions(min_value=0, max_value=10**4, max_denominator=100),
)
def test_valuing_in_two_parts_drifts_at_most_one_minor_unit(
    a: int, b: int, each: Fraction
) -> None:

    assert abs(valued(a + b, each) - valued(a, each) - valued(b, each)) <= 1


def test_a_value_rounds_half_up_and_refuses_negatives() -> None:

    assert valued(3, Fraction(1, 2)) == 2  # 1.5 -> 2
    assert valued(16, Fraction(12000)) == 192000
    with pytest.raises(InvalidInput):
        valued(-1, Fraction(1))


@given(st.integers(0, 60), st.data())
def test_a_count_is_releasable_exactly_when_no_small_number_shows(
    people: int, data: st.DataObject
) -> None:

    named = data.draw(st.integers(0, people))
    others = people - named

    assert releasable(people, named=named) == (
        people == 0 or (people >= 10 and (others == 0 or others >= 10))
    )


def _naive_fifo(flows: list[Inflow | Outflow]) -> list[tuple[str, str, int]]:
    """One unit at a time: each outflow takes the oldest units held."""

    units: deque[str] = deque()
    out: list[tuple[str, str, int]] = []
    for flow in flows:
        if isinstance(flow, Inflow):
            units.extend([flow.source] * flow.amount)
            continue
        taken = Counter(units.popleft() if units else "" for _ in range(flow.amount))
        out.extend((src, flow.to, n) for src, n in taken.items())
    return out


@st.composite
def flows(draw: st.DrawFn) -> list[Inflow | Outflow]:

    made: list[Inflow | Outflow] = []
    for i in range(draw(st.integers(0, 12))):
        amount = draw(st.integers(0, 30))
        if draw(st.booleans()):
            made.append(Inflow(draw(st.sampled_from(["a", "b", "c", ""])), amount))
        else:
            made.append(Outflow(f"pool-{i}", amount, date(2026, 1, 1 + i)))
    return made


@given(flows())
def test_tracing_takes_the_oldest_money_first_like_counting_unit_by_unit(
    made: list[Inflow | Outflow],
) -> None:

    traced = trace_oldest_first(made)

    assert sorted((t.source, t.to, t.amount) for t in traced) == sorted(_naive_fifo(made))
    for out in (f for f in made if isinstance(f, Outflow)):
        assert sum(t.amount for t in traced if t.to == out.to) == out.amount
        assert all(t.on == out.on for t in traced if t.to == out.to)
    for source in "abc":
        put_in = sum(f.amount for f in made if isinstance(f, Inflow) and f.source == source)
        assert sum(t.amount for t in traced if t.source == source) <= put_in


def test_tracing_refuses_a_negative_flow() -> None:

    with pytest.raises(InvalidInput):
        trace_oldest_first([Inflow("a", -1)])


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 10**12), st.integers(0, 3)), max_size=30))
def test_the_ratio_is_the_exact_quotient_of_the_sums_in_any_order(
    raw: list[tuple[bool, int, int]],
) -> None:
    lines = [
        ValueLine(
            Side.TO_MEMBERS if to_members else Side.TO_PARTNER, "k", amount, date(2026, 1, 1 + d)
        )
        for to_members, amount, d in raw
    ]

    forwards, backwards = reciprocity(lines, withheld=2), reciprocity(reversed(lines), withheld=2)

    delivered = sum(v.amount for v in lines if v.side == Side.TO_MEMBERS)
    received = sum(v.amount for v in lines if v.side == Side.TO_PARTNER)
    assert forwards == backwards
    assert forwards.withheld == 2
    assert forwards.ratio == (Fraction(delivered, received) if received else None)
    assert forwards.extractive == (delivered < received)
