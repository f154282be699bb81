"""Vote tallies for a community's decisions: the rules by which ballots become a result.

Every figure is exact (integers and `Fraction`, never a float), and every rule below is
deterministic, so anyone holding the counts can re-derive the result.

Turnout and quorum (every poll type)
    The electorate is the number of members entitled to vote, snapshotted when the decision
    opened. Turnout is ballots cast / electorate (0 when the electorate is empty). A ballot
    counts towards turnout whatever it says, abstentions included. The quorum is a share of
    the electorate from 0 to 1; it is met when ballots cast >= quorum x electorate. Below
    quorum nothing passes and no option wins, whatever the ballots say.

Consent proposal
    Each ballot is one of agree, abstain, disagree or block. The proposal passes iff the
    quorum is met, there is no block, and the agree share reaches the threshold, where the
    agree share is agree / (agree + disagree): abstentions (and blocks, which fail the
    proposal anyway) are left out of the denominator. With nobody agreeing or disagreeing
    the share is undefined and the proposal does not pass. The threshold is a share from 0
    (exclusive) to 1 (inclusive); 1/2 means "at least half", 2/3 "at least two thirds".

Single choice (plurality), approval and score
    A single-choice ballot names one option; an approval ballot names any number of options
    (none included); a score ballot gives every option a whole score from 0 to 5. Options
    are ranked by their count: votes, approvals, or the sum of scores (the mean shown beside
    it is that sum / ballots cast, so ranking by either is the same). Tie rule: when two or
    more options share the top count, there is no winner and the result says which options
    tied; the outcome statement then records how the community settles it. Nobody wins with
    no ballots, or below quorum.

Ranked choice (instant runoff)
    A ranked ballot lists options in order of preference, without repeats; it need not rank
    them all. In each round every continuing ballot counts for its highest-ranked option
    still in the race. An option with more than half of the round's counted votes wins.
    Otherwise one option is eliminated: the one with the fewest votes this round. Tie rule
    for eliminations: among the options tied for fewest, look at their votes in the first
    round, then the second, and so on; at the first round where they differ keep only those
    with the fewest, and go on through later rounds until one is left. If several are still
    tied after every round so far, the one listed last among them (the highest option index)
    is eliminated. A ballot whose ranked options have all been eliminated is exhausted: it
    counts towards turnout but no longer towards any option, and a round's majority is of
    the votes still counted. When a single option remains it wins. Nobody wins with no
    ballots, or below quorum (the rounds are still shown).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from accord.domain.errors import InvalidInput


class PollType(StrEnum):
    CONSENT = "consent"
    SINGLE = "single"
    APPROVAL = "approval"
    SCORE = "score"
    RANKED = "ranked"


class Stance(StrEnum):
    """A consent ballot; the order here is the order of a consent tally's counts."""

    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"


STANCES: tuple[Stance, ...] = tuple(Stance)
SCORES = range(6)  # a score ballot gives each option 0, 1, 2, 3, 4 or 5
MIN_OPTIONS = 2
MAX_OPTIONS = 20
OPTION_MAX = 120  # characters in an option's label


@dataclass(frozen=True)
class Poll:
    """What a decision asks and of how many: the poll type, its options (none for a consent
    proposal), the consent threshold, the quorum and the electorate's size."""

    kind: PollType
    options: tuple[str, ...] = ()
    threshold: Fraction = Fraction(1, 2)
    quorum: Fraction = Fraction(0)
    electorate: int = 0


def poll_problems(
    kind: PollType, options: Sequence[str], threshold: Fraction, quorum: Fraction
) -> list[str]:
    """Why a poll cannot be put to a vote as set up (empty: it can). A consent proposal has
    no options and a threshold above 0 and at most 1; every other type has 2 to 20 distinct,
    non-blank options of at most 120 characters; a quorum is from 0 to 1."""
    problems: list[str] = []
    if kind is PollType.CONSENT:
        if options:
            problems.append("a consent proposal has no options: members agree or not")
        if not 0 < threshold <= 1:
            problems.append(f"the threshold is a share above 0 and at most 1, not {threshold}")
    else:
        labels = [o.strip() for o in options]
        if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
            problems.append(f"a {kind} poll has 2 to 20 options, not {len(labels)}")
        if any(not label for label in labels):
            problems.append("an option cannot be blank")
        if any(len(label) > OPTION_MAX for label in labels):
            problems.append(f"an option is at most {OPTION_MAX} characters")
        if len({label.casefold() for label in labels}) != len(labels):
            problems.append("the options must differ from each other")
    if not 0 <= quorum <= 1:
        problems.append(f"the quorum is a share from 0 to 1, not {quorum}")
    return problems


SHARE_MAX = 20  # characters in a written share ("2/3", "0.5")


def parse_share(text: str, what: str) -> Fraction:
    """A share from 0 to 1 written exactly, as a fraction ("2/3") or a decimal ("0.5"); a
    percentage ("50%") is read as its hundredth. Anything else is refused (InvalidInput)."""
    written = text.strip()
    percent = written.endswith("%")
    try:
        value = Fraction(written.removesuffix("%").strip()) if len(written) <= SHARE_MAX else None
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None:
        raise InvalidInput(f'The {what} is a share such as "1/2", "0.5" or "50%", not {text!r}.')
    value = value / 100 if percent else value
    if not 0 <= value <= 1:
        raise InvalidInput(f"The {what} is a share from 0 to 1, not {text!r}.")
    return value


# -- ballots ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentChoice:
    stance: Stance


@dataclass(frozen=True)
class SingleChoice:
    option: int


@dataclass(frozen=True)
class ApprovalChoice:
    options: frozenset[int]


@dataclass(frozen=True)
class ScoreChoice:
    scores: tuple[int, ...]


@dataclass(frozen=True)
class RankedChoice:
    ranking: tuple[int, ...]


type Choice = ConsentChoice | SingleChoice | ApprovalChoice | ScoreChoice | RankedChoice


def _wholes(value: object) -> tuple[int, ...] | None:
    """The list's whole numbers (booleans are not numbers here); None if it is not one."""
    if not isinstance(value, list):
        return None
    numbers = tuple(v for v in value if isinstance(v, int) and not isinstance(v, bool))
    return numbers if len(numbers) == len(value) else None


def _option_list(value: object, count: int, what: str) -> tuple[int, ...]:
    numbers = _wholes(value)
    if numbers is None:
        raise InvalidInput(f"The {what} is a list of option numbers.")
    if any(not 0 <= v < count for v in numbers):
        raise InvalidInput(f"The {what} names an option that does not exist.")
    if len(set(numbers)) != len(numbers):
        raise InvalidInput(f"The {what} names an option more than once.")
    return numbers


def _read_stance(value: object, count: int) -> Choice:
    if value not in {s.value for s in Stance}:
        raise InvalidInput("The stance is agree, abstain, disagree or block.")
    return ConsentChoice(Stance(str(value)))


def _read_option(value: object, count: int) -> Choice:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < count:
        raise InvalidInput("The option is the number of one of the options.")
    return SingleChoice(value)


def _read_approvals(value: object, count: int) -> Choice:
    return ApprovalChoice(frozenset(_option_list(value, count, "approval")))


def _read_scores(value: object, count: int) -> Choice:
    scores = _wholes(value)
    if not isinstance(value, list) or len(value) != count:
        raise InvalidInput(f"A score ballot gives each of the {count} options a score.")
    if scores is None or any(v not in SCORES for v in scores):
        raise InvalidInput("Each score is a whole number from 0 to 5.")
    return ScoreChoice(scores)


def _read_ranking(value: object, count: int) -> Choice:
    ranking = _option_list(value, count, "ranking")
    if not ranking:
        raise InvalidInput("A ranking names at least one option.")
    return RankedChoice(ranking)


_READERS = {
    PollType.CONSENT: ("stance", _read_stance),
    PollType.SINGLE: ("option", _read_option),
    PollType.APPROVAL: ("options", _read_approvals),
    PollType.SCORE: ("scores", _read_scores),
    PollType.RANKED: ("ranking", _read_ranking),
}


def read_choice(poll: Poll, payload: Mapping[str, object]) -> Choice:
    """A ballot's choice from its JSON payload, checked against the poll; options are
    numbered from 0 in the order listed. The payloads are `{"stance": "agree"}` (consent),
    `{"option": 1}` (single), `{"options": [0, 2]}` (approval, possibly empty),
    `{"scores": [5, 0, 3]}` (score, one 0-5 per option) and `{"ranking": [2, 0]}` (ranked,
    at least one option). Anything else is refused (InvalidInput)."""
    key, read = _READERS[poll.kind]
    if set(payload) != {key}:
        raise InvalidInput(f'A {poll.kind} ballot is {{"{key}": ...}} and nothing else.')
    return read(payload[key], len(poll.options))


def choice_payload(choice: Choice) -> dict[str, object]:
    """The canonical JSON payload of a choice (`read_choice` reads it back); an approval's
    options are sorted."""
    match choice:
        case ConsentChoice(stance):
            return {"stance": stance.value}
        case SingleChoice(option):
            return {"option": option}
        case ApprovalChoice(options):
            return {"options": sorted(options)}
        case ScoreChoice(scores):
            return {"scores": list(scores)}
        case RankedChoice(ranking):
            return {"ranking": list(ranking)}


# -- tallies ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """One round of an instant runoff: the votes of each option still in the race (option
    index -> votes), the ballots exhausted so far, and the option eliminated after it (None
    in the last round)."""

    votes: Mapping[int, int]
    exhausted: int
    eliminated: int | None


@dataclass(frozen=True)
class Tally:
    """A poll's result.

    `counts` holds, for a consent proposal, the ballots per stance in `STANCES` order; for
    single choice the votes per option; for approval the approvals per option; for score the
    sum of scores per option (`means` the sum / ballots cast); for ranked choice the first
    preferences per option (`rounds` the whole runoff). `winner` is the winning option
    (None for a consent proposal, a tie, no ballots or no quorum); `tied` the options that
    shared the top count when that left no winner; `agree_share` a consent proposal's
    agree / (agree + disagree), None when both are 0.
    """

    kind: PollType
    electorate: int
    cast: int
    quorum_met: bool
    passed: bool
    counts: tuple[int, ...]
    winner: int | None = None
    tied: tuple[int, ...] = ()
    agree_share: Fraction | None = None
    means: tuple[Fraction, ...] = ()
    rounds: tuple[Round, ...] = field(default=())

    @property
    def turnout(self) -> Fraction:
        """Ballots cast / electorate; 0 with an empty electorate."""
        return Fraction(self.cast, self.electorate) if self.electorate else Fraction(0)

    def record(self) -> dict[str, object]:
        """The tally as plain JSON values (fractions as "n/d" strings): what a closed
        decision publishes. It holds counts only, never a ballot."""
        out: dict[str, object] = {
            "poll": self.kind.value,
            "electorate": self.electorate,
            "cast": self.cast,
            "turnout": str(self.turnout),
            "quorum_met": self.quorum_met,
            "passed": self.passed,
            "counts": list(self.counts),
            "winner": self.winner,
            "tied": list(self.tied),
        }
        if self.kind is PollType.CONSENT:
            out["agree_share"] = None if self.agree_share is None else str(self.agree_share)
        if self.kind is PollType.SCORE:
            out["means"] = [str(m) for m in self.means]
        if self.kind is PollType.RANKED:
            out["rounds"] = [
                {
                    "votes": {str(o): v for o, v in sorted(r.votes.items())},
                    "exhausted": r.exhausted,
                    "eliminated": r.eliminated,
                }
                for r in self.rounds
            ]
        return out


def quorum_met(cast: int, electorate: int, quorum: Fraction) -> bool:
    """Whether `cast` ballots meet a quorum (a share of the electorate): cast >= quorum x
    electorate, compared exactly."""
    return Fraction(cast) >= quorum * electorate


def _check_cast(poll: Poll, cast: int) -> None:
    if cast > poll.electorate:
        raise InvalidInput(f"{cast} ballots cannot come from an electorate of {poll.electorate}.")


def tally_consent(poll: Poll, stances: Sequence[Stance]) -> Tally:
    """A consent proposal's result: passes iff quorum is met, nobody blocks and agree /
    (agree + disagree) >= threshold."""
    _check_cast(poll, len(stances))
    counts = tuple(sum(1 for s in stances if s is stance) for stance in STANCES)
    agree, _, disagree, block = counts
    share = Fraction(agree, agree + disagree) if agree + disagree else None
    met = quorum_met(len(stances), poll.electorate, poll.quorum)
    passed = met and block == 0 and share is not None and share >= poll.threshold
    return Tally(
        PollType.CONSENT,
        poll.electorate,
        len(stances),
        met,
        passed,
        counts,
        agree_share=share,
    )


def _top(counts: Sequence[int]) -> tuple[int | None, tuple[int, ...]]:
    """The winner by highest count (None when tied or all zero) and the options tied."""
    best = max(counts, default=0)
    leaders = tuple(i for i, c in enumerate(counts) if c == best)
    if best == 0:
        return None, ()
    if len(leaders) > 1:
        return None, leaders
    return leaders[0], ()


def _by_count(
    poll: Poll, cast: int, counts: tuple[int, ...], means: tuple[Fraction, ...] = ()
) -> Tally:
    met = quorum_met(cast, poll.electorate, poll.quorum)
    winner, tied = _top(counts) if cast and met else (None, ())
    return Tally(
        poll.kind,
        poll.electorate,
        cast,
        met,
        winner is not None,
        counts,
        winner,
        tied,
        means=means,
    )


def tally_single(poll: Poll, options: Sequence[int]) -> Tally:
    """Plurality: the option with the most votes wins; a shared top count wins nothing."""
    _check_cast(poll, len(options))
    counts = tuple(sum(1 for o in options if o == i) for i in range(len(poll.options)))
    return _by_count(poll, len(options), counts)


def tally_approval(poll: Poll, approvals: Sequence[frozenset[int]]) -> Tally:
    """Approval: the option approved on the most ballots wins; a shared top count wins
    nothing."""
    _check_cast(poll, len(approvals))
    counts = tuple(sum(1 for a in approvals if i in a) for i in range(len(poll.options)))
    return _by_count(poll, len(approvals), counts)


def tally_score(poll: Poll, scores: Sequence[Sequence[int]]) -> Tally:
    """Score: the option with the highest sum of scores (equivalently the highest mean)
    wins; a shared top sum wins nothing."""
    _check_cast(poll, len(scores))
    counts = tuple(sum(s[i] for s in scores) for i in range(len(poll.options)))
    means = tuple(Fraction(c, len(scores)) if scores else Fraction(0) for c in counts)
    return _by_count(poll, len(scores), counts, means)


def _eliminate(tied: Sequence[int], history: Sequence[Mapping[int, int]]) -> int:
    """The option eliminated among those tied for fewest votes: narrowed to the fewest in
    each earlier round in turn, then the one listed last."""
    left = sorted(tied)
    for votes in history:
        fewest = min(votes[o] for o in left)
        left = [o for o in left if votes[o] == fewest]
        if len(left) == 1:
            break
    return left[-1]


def instant_runoff(candidates: int, rankings: Sequence[Sequence[int]]) -> tuple[Round, ...]:
    """The rounds of an instant runoff among options 0..candidates-1 (see the module
    docstring for the rules). The last round's leader is the winner: it holds more than half
    of that round's votes, or is the only option left. No rankings give no rounds."""
    if not rankings or candidates == 0:
        return ()
    continuing = set(range(candidates))
    rounds: list[Round] = []
    history: list[Mapping[int, int]] = []
    while True:
        votes = dict.fromkeys(sorted(continuing), 0)
        exhausted = 0
        for ranking in rankings:
            top = next((o for o in ranking if o in continuing), None)
            if top is None:
                exhausted += 1
            else:
                votes[top] += 1
        counted = len(rankings) - exhausted
        history.append(votes)
        if len(continuing) == 1 or any(2 * v > counted for v in votes.values()):
            rounds.append(Round(votes, exhausted, None))
            return tuple(rounds)
        fewest = min(votes.values())
        out = _eliminate([o for o, v in votes.items() if v == fewest], history)
        rounds.append(Round(votes, exhausted, out))
        continuing.remove(out)


def tally_ranked(poll: Poll, rankings: Sequence[Sequence[int]]) -> Tally:
    """Ranked choice by instant runoff; `counts` are the first preferences."""
    _check_cast(poll, len(rankings))
    n = len(poll.options)
    rounds = instant_runoff(n, rankings)
    first = tuple(rounds[0].votes[i] for i in range(n)) if rounds else (0,) * n
    met = quorum_met(len(rankings), poll.electorate, poll.quorum)
    winner = None
    if rounds and met:
        last = rounds[-1].votes
        leader = max(last, key=lambda o: (last[o], -o))
        winner = leader if last[leader] else None
    return Tally(
        PollType.RANKED,
        poll.electorate,
        len(rankings),
        met,
        winner is not None,
        first,
        winner,
        rounds=rounds,
    )


def tally(poll: Poll, choices: Sequence[Choice]) -> Tally:
    """The result of a poll from its ballots' choices (each read with `read_choice` for this
    poll; a choice of another type is refused). Ballot order never matters."""
    kinds = {
        PollType.CONSENT: ConsentChoice,
        PollType.SINGLE: SingleChoice,
        PollType.APPROVAL: ApprovalChoice,
        PollType.SCORE: ScoreChoice,
        PollType.RANKED: RankedChoice,
    }
    if any(not isinstance(c, kinds[poll.kind]) for c in choices):
        raise InvalidInput(f"A {poll.kind} poll counts {poll.kind} ballots only.")
    match poll.kind:
        case PollType.CONSENT:
            return tally_consent(poll, [c.stance for c in choices if isinstance(c, ConsentChoice)])
        case PollType.SINGLE:
            return tally_single(poll, [c.option for c in choices if isinstance(c, SingleChoice)])
        case PollType.APPROVAL:
            return tally_approval(
                poll, [c.options for c in choices if isinstance(c, ApprovalChoice)]
            )
        case PollType.SCORE:
            return tally_score(poll, [c.scores for c in choices if isinstance(c, ScoreChoice)])
        case PollType.RANKED:
            return tally_ranked(poll, [c.ranking for c in choices if isinstance(c, RankedChoice)])
