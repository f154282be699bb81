import json
from collections.abc import Sequence
from fractions import Fraction
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.errors import InvalidInput
from accord.domain.voting import (
    STANCES,
    ApprovalChoice,
    Choice,
    ConsentChoice,
    Poll,
    PollType,
    RankedChoice,
    ScoreChoice,
    SingleChoice,
    Stance,
    choice_payload,
    instant_runoff,
    parse_share,
    poll_problems,
    quorum_met,
    read_choice,
    tally,
    tally_consent,
    tally_ranked,
    tally_single,
)

QUORUMS = st.fractions(min_value=0, max_value=1, max_denominator=12)
THRESHOLDS = st.fractions(min_value=Fraction(1, 12), max_value=1, max_denominator=12)


def options(n: int) -> tuple[str, ...]:
    return tuple(f"option {i}" for i in range(n))


def reference_irv(candidates: int, ballots: Sequence[Sequence[int]]) -> tuple[int, list[int]]:
    # The runoff as a reader of the rules would do it by hand: recount every ballot from
    # scratch each round; eliminate the least, ties broken by the whole sequence of earlier
    # counts compared lexicographically, then by the later listing.
    alive = list(range(candidates))
    history: list[dict[int, int]] = []
    eliminated: list[int] = []
    while True:
        tops = [[c for c in b if c in alive][:1] for b in ballots]
        counts = {c: tops.count([c]) for c in alive}
        total = sum(counts.values())
        history.append(counts)
        majority = [c for c in alive if 2 * counts[c] > total]
        if majority:
            return majority[0], eliminated
        if len(alive) == 1:
            return alive[0], eliminated
        low = min(counts.values())
        out = min(
            (c for c in alive if counts[c] == low),
            key=lambda c: ([h[c] for h in history], -c),
        )
        eliminated.append(out)
        alive.remove(out)


@st.composite
def rankings(draw: st.DrawFn, max_candidates: int = 4, max_ballots: int = 8) -> tuple[int, list]:
    n = draw(st.integers(2, max_candidates))
    ranking = st.permutations(range(n)).flatmap(
        lambda order: st.integers(1, n).map(lambda k: list(order[:k]))
    )
    return n, draw(st.lists(ranking, min_size=1, max_size=max_ballots))


@st.composite
def polls_with_choices(draw: st.DrawFn) -> tuple[Poll, list[Choice]]:
    kind = draw(st.sampled_from(PollType))
    n = 0 if kind is PollType.CONSENT else draw(st.integers(2, 5))
    match kind:
        case PollType.CONSENT:
            choice = st.sampled_from(Stance).map(ConsentChoice)
        case PollType.SINGLE:
            choice = st.integers(0, n - 1).map(SingleChoice)
        case PollType.APPROVAL:
            choice = st.frozensets(st.integers(0, n - 1)).map(ApprovalChoice)
        case PollType.SCORE:
            choice = st.lists(st.integers(0, 5), min_size=n, max_size=n).map(
                lambda s: ScoreChoice(tuple(s))
            )
        case PollType.RANKED:
            choice = st.permutations(range(n)).flatmap(
                lambda o: st.integers(1, n).map(lambda k: RankedChoice(tuple(o[:k])))
            )
    choices = draw(st.lists(choice, max_size=12))
    electorate = draw(st.integers(len(choices), len(choices) + 10))
    poll = Poll(kind, options(n), draw(THRESHOLDS), draw(QUORUMS), electorate)
    return poll, choices


@given(rankings())
def test_instant_runoff_agrees_with_a_recount_by_hand(case: tuple[int, list]) -> None:
    n, ballots = case

    rounds = instant_runoff(n, ballots)

    winner, eliminated = reference_irv(n, ballots)
    assert [r.eliminated for r in rounds[:-1]] == eliminated
    assert rounds[-1].eliminated is None
    poll = Poll(PollType.RANKED, options(n), electorate=len(ballots))
    assert tally_ranked(poll, ballots).winner == winner


@given(rankings(max_candidates=5, max_ballots=12))
def test_every_round_counts_each_ballot_once_for_an_option_or_as_exhausted(
    case: tuple[int, list],
) -> None:
    n, ballots = case

    rounds = instant_runoff(n, ballots)

    for r in rounds:
        assert sum(r.votes.values()) + r.exhausted == len(ballots)
    assert [r.exhausted for r in rounds] == sorted(r.exhausted for r in rounds)


@given(rankings(max_candidates=5, max_ballots=12))
def test_a_majority_of_first_preferences_wins_in_the_first_round(case: tuple[int, list]) -> None:
    n, ballots = case
    firsts = [b[0] for b in ballots]
    leader = max(range(n), key=firsts.count)
    poll = Poll(PollType.RANKED, options(n), electorate=len(ballots))

    result = tally_ranked(poll, ballots)

    if 2 * firsts.count(leader) > len(ballots):
        assert result.winner == leader
        assert len(result.rounds) == 1


@given(
    st.lists(st.sampled_from(Stance), max_size=15),
    THRESHOLDS,
    QUORUMS,
    st.integers(0, 10),
)
def test_a_block_always_fails_a_consent_proposal(
    stances: list[Stance], threshold: Fraction, quorum: Fraction, extra: int
) -> None:
    poll = Poll(PollType.CONSENT, (), threshold, quorum, len(stances) + 1 + extra)

    result = tally_consent(poll, [*stances, Stance.BLOCK])

    assert not result.passed
    assert result.counts[STANCES.index(Stance.BLOCK)] >= 1


@given(polls_with_choices())
def test_below_quorum_nothing_passes_and_nothing_wins(case: tuple[Poll, list[Choice]]) -> None:
    poll, choices = case

    result = tally(poll, choices)

    assert result.quorum_met == (poll.electorate == 0 or result.turnout >= poll.quorum)
    if not result.quorum_met:
        assert not result.passed
        assert result.winner is None


@given(polls_with_choices(), st.randoms(use_true_random=False))
def test_tallies_do_not_depend_on_the_order_of_ballots(
    case: tuple[Poll, list[Choice]], rng: Random
) -> None:
    poll, choices = case
    shuffled = list(choices)
    rng.shuffle(shuffled)

    assert tally(poll, shuffled) == tally(poll, choices)


@given(polls_with_choices())
def test_totals_equal_the_number_of_ballots(case: tuple[Poll, list[Choice]]) -> None:
    poll, choices = case

    result = tally(poll, choices)

    assert result.cast == len(choices)
    match poll.kind:
        case PollType.CONSENT | PollType.SINGLE:
            assert sum(result.counts) == len(choices)
        case PollType.APPROVAL:
            assert sum(result.counts) == sum(
                len(c.options) for c in choices if isinstance(c, ApprovalChoice)
            )
        case PollType.SCORE:
            assert sum(result.counts) == sum(
                sum(c.scores) for c in choices if isinstance(c, ScoreChoice)
            )
            assert all(
                m * len(choices) == c for m, c in zip(result.means, result.counts, strict=True)
            )
        case PollType.RANKED:
            assert sum(result.counts) == len(choices)
            for r in result.rounds:
                assert sum(r.votes.values()) + r.exhausted == len(choices)


@given(polls_with_choices())
def test_a_winner_holds_the_single_top_count_and_a_pass_needs_the_quorum(
    case: tuple[Poll, list[Choice]],
) -> None:
    poll, choices = case

    result = tally(poll, choices)

    assert result.passed == (
        result.quorum_met
        and (
            result.winner is not None
            if poll.kind is not PollType.CONSENT
            else result.counts[3] == 0
            and result.agree_share is not None
            and result.agree_share >= poll.threshold
        )
    )
    if (
        poll.kind in {PollType.SINGLE, PollType.APPROVAL, PollType.SCORE}
        and result.winner is not None
    ):
        top = result.counts[result.winner]
        assert [c for c in result.counts if c >= top] == [top]
    json.dumps(result.record())  # plain JSON, no Fraction or float left


@given(polls_with_choices())
def test_a_choice_reads_back_from_its_payload(case: tuple[Poll, list[Choice]]) -> None:
    poll, choices = case

    for choice in choices:
        payload = json.loads(json.dumps(choice_payload(choice)))
        assert read_choice(poll, payload) == choice


def test_the_agree_share_leaves_abstentions_out() -> None:
    poll = Poll(PollType.CONSENT, threshold=Fraction(2, 3), electorate=10)
    stances = [Stance.AGREE, Stance.AGREE, Stance.DISAGREE, *[Stance.ABSTAIN] * 5]

    result = tally_consent(poll, stances)

    assert result.agree_share == Fraction(2, 3)
    assert result.passed
    assert result.counts == (2, 5, 1, 0)
    assert result.turnout == Fraction(4, 5)


def test_a_share_just_below_the_threshold_fails() -> None:
    poll = Poll(PollType.CONSENT, threshold=Fraction(2, 3), electorate=10)

    result = tally_consent(poll, [Stance.AGREE, Stance.DISAGREE])

    assert result.agree_share == Fraction(1, 2)
    assert not result.passed


def test_only_abstentions_pass_nothing() -> None:
    poll = Poll(PollType.CONSENT, electorate=3)

    result = tally_consent(poll, [Stance.ABSTAIN] * 3)

    assert result.agree_share is None
    assert not result.passed


def test_the_quorum_is_compared_exactly() -> None:
    assert quorum_met(2, 3, Fraction(2, 3))
    assert not quorum_met(1, 3, Fraction(1, 2))
    assert quorum_met(0, 0, Fraction(1, 2))


def test_a_consent_proposal_below_quorum_fails_even_unanimous() -> None:
    poll = Poll(PollType.CONSENT, quorum=Fraction(1, 2), electorate=10)

    result = tally_consent(poll, [Stance.AGREE] * 4)

    assert not result.quorum_met
    assert not result.passed


def test_a_tie_for_first_place_has_no_winner_and_names_the_tied() -> None:
    poll = Poll(PollType.SINGLE, options(3), electorate=5)

    result = tally_single(poll, [0, 2, 2, 0, 1])

    assert result.winner is None
    assert result.tied == (0, 2)
    assert not result.passed


def test_score_ranks_by_sum_with_exact_means() -> None:
    poll = Poll(PollType.SCORE, options(2), electorate=3)

    result = tally(poll, [ScoreChoice((5, 4)), ScoreChoice((0, 4)), ScoreChoice((5, 0))])

    assert result.counts == (10, 8)
    assert result.means == (Fraction(10, 3), Fraction(8, 3))
    assert result.winner == 0


def test_approval_counts_each_approved_option() -> None:
    poll = Poll(PollType.APPROVAL, options(3), electorate=4)
    ballots = [
        ApprovalChoice(frozenset({0, 1})),
        ApprovalChoice(frozenset({1})),
        ApprovalChoice(frozenset()),
    ]

    result = tally(poll, ballots)

    assert result.counts == (1, 2, 0)
    assert result.winner == 1
    assert result.cast == 3


def test_an_elimination_tie_goes_to_the_fewest_in_the_earliest_round() -> None:
    # Round 1: A 4, B 2, C 3, D 1 -> D out (its ballot moves to B).
    # Round 2: A 4, B 3, C 3 -> B and C tie; B had fewer in round 1, so B goes although
    # C is listed later. Round 3: C 5 of 9 counted (D's ballot is exhausted) wins.
    ballots = [[0]] * 4 + [[2]] * 3 + [[1, 2]] * 2 + [[3, 1]]
    poll = Poll(PollType.RANKED, ("A", "B", "C", "D"), electorate=10)

    result = tally_ranked(poll, ballots)

    assert [r.eliminated for r in result.rounds] == [3, 1, None]
    assert dict(result.rounds[1].votes) == {0: 4, 1: 3, 2: 3}
    assert dict(result.rounds[2].votes) == {0: 4, 2: 5}
    assert result.rounds[2].exhausted == 1
    assert result.winner == 2


def test_an_elimination_tie_looks_past_a_tied_first_round() -> None:
    # Round 1: A 6, B 2, C 2, D 1, E 1 -> D and E tie in the only round: E, listed last.
    # Round 2: A 6, B 2, C 3, D 1 -> D. Round 3: A 6, B 3, C 3: B and C were level in
    # round 1, but B had fewer in round 2, so B goes although C is listed later.
    ballots = [[0]] * 6 + [[1]] * 2 + [[2]] * 2 + [[3, 1]] + [[4, 2]]
    poll = Poll(PollType.RANKED, tuple("ABCDE"), electorate=12)

    result = tally_ranked(poll, ballots)

    assert [r.eliminated for r in result.rounds] == [4, 3, 1, None]
    assert result.rounds[-1].exhausted == 3
    assert result.winner == 0


def test_an_elimination_tie_in_every_round_goes_to_the_last_listed() -> None:
    poll = Poll(PollType.RANKED, ("A", "B"), electorate=2)

    result = tally_ranked(poll, [[0], [1]])

    assert result.rounds[0].eliminated == 1
    assert result.winner == 0


def test_no_ballots_win_nothing() -> None:
    for kind in (PollType.SINGLE, PollType.APPROVAL, PollType.SCORE, PollType.RANKED):
        result = tally(Poll(kind, options(2), electorate=5), [])
        assert result.winner is None
        assert not result.passed
        assert result.turnout == 0


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        (PollType.CONSENT, {"stance": "maybe"}),
        (PollType.CONSENT, {"stance": "agree", "extra": 1}),
        (PollType.SINGLE, {"option": 3}),
        (PollType.SINGLE, {"option": True}),
        (PollType.SINGLE, {"option": "1"}),
        (PollType.APPROVAL, {"options": [0, 0]}),
        (PollType.APPROVAL, {"options": 1}),
        (PollType.SCORE, {"scores": [1, 2]}),
        (PollType.SCORE, {"scores": [1, 2, 6]}),
        (PollType.SCORE, {"scores": [1, 2, -1]}),
        (PollType.RANKED, {"ranking": []}),
        (PollType.RANKED, {"ranking": [2, 2]}),
        (PollType.RANKED, {"ranking": [-1]}),
        (PollType.RANKED, {"option": 1}),
    ],
)
def test_it_refuses_a_malformed_ballot(kind: PollType, payload: dict[str, object]) -> None:
    poll = Poll(kind, () if kind is PollType.CONSENT else options(3), electorate=3)

    with pytest.raises(InvalidInput):
        read_choice(poll, payload)


def test_it_refuses_more_ballots_than_voters() -> None:
    with pytest.raises(InvalidInput):
        tally(Poll(PollType.CONSENT, electorate=1), [ConsentChoice(Stance.AGREE)] * 2)


def test_it_refuses_a_ballot_of_another_poll_type() -> None:
    with pytest.raises(InvalidInput):
        tally(Poll(PollType.SINGLE, options(2), electorate=1), [ConsentChoice(Stance.AGREE)])


def test_poll_problems_name_each_mistake() -> None:
    assert poll_problems(PollType.CONSENT, [], Fraction(1, 2), Fraction(1, 3)) == []
    assert poll_problems(PollType.SINGLE, ["a", "b"], Fraction(1, 2), Fraction(0)) == []
    assert len(poll_problems(PollType.CONSENT, ["a"], Fraction(0), Fraction(2))) == 3
    assert poll_problems(PollType.RANKED, ["a"], Fraction(1, 2), Fraction(0)) == [
        "a ranked poll has 2 to 20 options, not 1"
    ]
    assert poll_problems(PollType.APPROVAL, ["a", " A", ""], Fraction(1, 2), Fraction(0)) == [
        "an option cannot be blank",
        "the options must differ from each other",
    ]


def test_a_share_is_read_exactly() -> None:
    assert parse_share("2/3", "threshold") == Fraction(2, 3)
    assert parse_share(" 0.1 ", "quorum") == Fraction(1, 10)
    assert parse_share("50%", "quorum") == Fraction(1, 2)
    for bad in ("", "half", "1/0", "3/2", "-0.1", "nan", "1e400"):
        with pytest.raises(InvalidInput):
            parse_share(bad, "quorum")
