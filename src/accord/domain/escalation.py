"""Escalation paths: deadlines, the climb up a ladder when they pass, and the statistics
that may be published about concerns.

A ladder is a list of levels by rank (1 is the first), each with a response time in hours.
A concern waits at a level until its deadline; when the deadline passes unanswered it moves
to the next rank, whose clock starts when the previous deadline passed (so a worker that
was stopped for a while still dates each step when it was due). At the top there is nowhere
left to go: the concern stays there, overdue.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from accord.domain.disclosure import release_statistic

MAX_RESPONSE_HOURS = 24 * 90  # a level answers within 90 days at most
MAX_RANK = 10


@dataclass(frozen=True)
class Rung:
    """One level of a ladder, as the rules see it."""

    rank: int
    hours: int


@dataclass(frozen=True)
class Step:
    """The concern reached `rank` at `at`; it is due there by `deadline`."""

    rank: int
    at: datetime
    deadline: datetime


def deadline_after(start: datetime, hours: int) -> datetime:
    """When a level reached at `start` must have answered: `hours` later (hours >= 1)."""
    if not 1 <= hours <= MAX_RESPONSE_HOURS:
        raise ValueError(f"a response time is 1 to {MAX_RESPONSE_HOURS} hours, not {hours}")
    return start + timedelta(hours=hours)


def next_rung(ladder: Sequence[Rung], rank: int) -> Rung | None:
    """The level above `rank` (the lowest rank greater than it), or None at the top."""
    above = [r for r in ladder if r.rank > rank]
    return min(above, key=lambda r: r.rank) if above else None


def climb(ladder: Sequence[Rung], rank: int, deadline: datetime, now: datetime) -> list[Step]:
    """The steps a concern at `rank`, due by `deadline`, takes by `now` when nobody answers:
    each passed deadline moves it one rank up, dated at that deadline, with the new level's
    response time from then. Empty when its deadline has not passed or it is at the top.
    Ranks strictly increase and each step's deadline is after its `at`; only the last step's
    deadline may be in the future."""
    steps: list[Step] = []
    while deadline <= now:
        rung = next_rung(ladder, rank)
        if rung is None:
            break
        step = Step(rung.rank, deadline, deadline_after(deadline, rung.hours))
        steps.append(step)
        rank, deadline = step.rank, step.deadline
    return steps


def median(values: Sequence[int]) -> Fraction:
    """The middle of `values` (the mean of the two middle ones for an even count), exactly.
    Needs at least one value."""
    if not values:
        raise ValueError("the median of nothing is undefined")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


@dataclass(frozen=True)
class Resolution:
    """A resolved concern: how long it took from being raised (seconds), and whether it
    was resolved by the deadline of the level that resolved it."""

    seconds: int
    within_deadline: bool


@dataclass(frozen=True)
class Figures:
    """Statistics about a set of concerns. `median_seconds` and `within_share` are None
    when they are withheld (fewer than 10 resolved concerns), or when none were resolved."""

    raised: int
    resolved: int
    median_seconds: Fraction | None
    within_share: Fraction | None


def figures(raised: int, resolutions: Sequence[Resolution]) -> Figures:
    """The statistics of `raised` concerns of which `resolutions` were resolved, as they
    may be published: the median time to resolution and the share resolved within the
    deadline only about 10 resolved concerns or more (`disclosure.release_statistic`).
    The counts themselves go through `disclosure.suppress_counts` where they are shown."""
    if raised < len(resolutions):
        raise ValueError("more concerns resolved than raised")
    n = len(resolutions)
    if n == 0:
        return Figures(raised, 0, None, None)
    within = Fraction(sum(r.within_deadline for r in resolutions), n)
    return Figures(
        raised=raised,
        resolved=n,
        median_seconds=release_statistic(n, median([r.seconds for r in resolutions])),
        within_share=release_statistic(n, within),
    )
