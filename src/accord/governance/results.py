"""A closed decision's tally in plain words and as table rows, for its page and the CSV.

Everything here reads the published tally record (`voting.Tally.record()`): counts only,
never a ballot or a voter.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from accord.domain.voting import STANCES, PollType
from accord.web.templatetags.accord_format import percent

STANCE_WORDS = {
    "agree": "agreed",
    "abstain": "abstained",
    "disagree": "disagreed",
    "block": "blocked",
}
UNIT = {
    PollType.SINGLE: ("vote", "votes"),
    PollType.APPROVAL: ("approval", "approvals"),
    PollType.SCORE: ("point", "points"),
    PollType.RANKED: ("first preference", "first preferences"),
}


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    mean: str = ""  # a score poll's mean, two decimals


@dataclass(frozen=True)
class RoundLine:
    number: int
    votes: list[Count]
    exhausted: int
    eliminated: str  # the option eliminated after it; empty in the last round


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _label(options: Sequence[str], index: object) -> str:
    return f"“{options[int(str(index))]}”"


def counts(poll: str, options: Sequence[str], tally: Mapping[str, Any]) -> list[Count]:
    """Each stance's or option's count as published, in order."""
    if PollType(poll) is PollType.CONSENT:
        return [
            Count(s.value.capitalize(), n) for s, n in zip(STANCES, tally["counts"], strict=True)
        ]
    means = tally.get("means") or [None] * len(options)
    return [
        Count(label, n, "" if m is None else f"{float(Fraction(m)):.2f}")
        for label, n, m in zip(options, tally["counts"], means, strict=True)
    ]


def rounds(options: Sequence[str], tally: Mapping[str, Any]) -> list[RoundLine]:
    """A ranked-choice tally's instant-runoff rounds (none for other polls)."""
    return [
        RoundLine(
            number,
            [Count(options[int(o)], v) for o, v in r["votes"].items()],
            r["exhausted"],
            "" if r["eliminated"] is None else options[r["eliminated"]],
        )
        for number, r in enumerate(tally.get("rounds") or [], start=1)
    ]


def _turnout(tally: Mapping[str, Any], quorum: str) -> list[str]:
    cast, size = tally["cast"], tally["electorate"]
    lines = [
        f"{_plural(cast, 'member', 'members')} of the {size} entitled voted "
        f"(turnout {percent(Fraction(tally['turnout']))})."
    ]
    if Fraction(quorum) > 0:
        need = f"The quorum was {percent(Fraction(quorum))} of those entitled to vote"
        lines.append(
            f"{need}: it was met."
            if tally["quorum_met"]
            else f"{need}: it was not met, so nothing passes and no option wins."
        )
    return lines


def _consent(tally: Mapping[str, Any], threshold: str) -> list[str]:
    said = ", ".join(
        f"{n} {STANCE_WORDS[s.value]}" for s, n in zip(STANCES, tally["counts"], strict=True)
    )
    lines = [f"{said.capitalize()}."]
    blocks, share = tally["counts"][3], tally.get("agree_share")
    bar = percent(Fraction(threshold))
    if not tally["quorum_met"]:
        return lines
    if blocks:
        lines.append(f"{_plural(blocks, 'member', 'members')} blocked it, so it did not pass.")
    elif share is None:
        lines.append("Nobody agreed or disagreed, so it did not pass.")
    else:
        verdict = "so it passed" if tally["passed"] else "below it, so it did not pass"
        lines.append(
            f"Of those who agreed or disagreed, {percent(Fraction(share))} agreed; "
            f"the threshold was {bar}, {verdict}."
        )
    return lines


def _by_count(poll: PollType, options: Sequence[str], tally: Mapping[str, Any]) -> list[str]:
    one, many = UNIT[poll]
    winner, tied = tally["winner"], tally["tied"]
    if winner is not None:
        return [
            f"{_label(options, winner)} won with {_plural(tally['counts'][winner], one, many)}."
        ]
    if tied:
        names = ", ".join(_label(options, i) for i in tied)
        top = tally["counts"][tied[0]]
        return [
            f"{names} tied with {_plural(top, one, many)} each: no option won; the outcome "
            "statement says how the tie is settled."
        ]
    if not tally["cast"]:
        return ["Nobody voted, so no option won."]
    return ["No option won."] if tally["quorum_met"] else []


def _runoff(options: Sequence[str], tally: Mapping[str, Any]) -> list[str]:
    lines = []
    for r in rounds(options, tally):
        said = ", ".join(f"“{c.label}” {c.count}" for c in r.votes)
        gone = f"; {r.exhausted} ballot(s) exhausted" if r.exhausted else ""
        line = f"Round {r.number}: {said}{gone}."
        if r.eliminated:
            line += f" “{r.eliminated}” had the fewest votes and was eliminated."
        lines.append(line)
    winner = tally["winner"]
    if winner is not None:
        lines.append(
            f"{_label(options, winner)} won: it held more than half of the votes still "
            "counted, or was the last option left."
        )
    elif not tally["cast"]:
        lines.append("Nobody voted, so no option won.")
    return lines


def explain(
    poll: str, options: Sequence[str], threshold: str, quorum: str, tally: Mapping[str, Any]
) -> list[str]:
    """The result in plain sentences: turnout and quorum, then how the ballots decided it
    (each round of a ranked-choice runoff)."""
    kind = PollType(poll)
    lines = _turnout(tally, quorum)
    if kind is PollType.CONSENT:
        return lines + _consent(tally, threshold)
    if kind is PollType.RANKED:
        return lines + _runoff(options, tally)
    return lines + _by_count(kind, options, tally)


def verdict(tally: Mapping[str, Any] | None, options: Sequence[str]) -> str:
    """One word or phrase for a list: passed / did not pass / the winning option."""
    if tally is None:
        return ""
    if tally.get("winner") is not None:
        return f"Won by {_label(options, tally['winner'])}"
    return "Passed" if tally.get("passed") else "Did not pass"


def ballot_words(poll: str, options: Sequence[str], choice: Mapping[str, Any]) -> str:
    """A ballot in words, for its own voter (and an open ballot's readers)."""
    match PollType(poll):
        case PollType.CONSENT:
            return str(choice["stance"]).capitalize()
        case PollType.SINGLE:
            return _label(options, choice["option"])
        case PollType.APPROVAL:
            picked = [_label(options, i) for i in choice["options"]]
            return "Approved " + ", ".join(picked) if picked else "Approved none"
        case PollType.SCORE:
            return ", ".join(f"{_label(options, i)} {s}" for i, s in enumerate(choice["scores"]))
        case PollType.RANKED:
            return ", ".join(
                f"{n}. {_label(options, i)}" for n, i in enumerate(choice["ranking"], start=1)
            )
