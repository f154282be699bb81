"""Partnerships, in plain exact terms: the lifecycle an agreement moves through, its maturity
levels, the ten-criteria evaluation that gates activation, reciprocity (what members get back
against what the partner gains) and how much the community's income depends on one source.

Everything here is pure: fractions, not floats, so a figure on a page can be re-derived by
hand from the inputs listed beside it.
"""

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from accord.domain.disclosure import suppress_counts
from accord.domain.errors import Conflict, InvalidInput

# -- lifecycle ------------------------------------------------------------------------------


class Status(StrEnum):
    PROSPECT = "prospect"
    EVALUATING = "evaluating"
    ACTIVE = "active"
    UNDER_REVIEW = "under_review"
    RENEWED = "renewed"
    ENDED = "ended"


# Where an agreement may go from each status. An evaluation that stalls goes back to the
# prospects; a review ends in renewal or an ending; a renewed agreement is reviewed again.
TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.PROSPECT: frozenset({Status.EVALUATING, Status.ENDED}),
    Status.EVALUATING: frozenset({Status.ACTIVE, Status.PROSPECT, Status.ENDED}),
    Status.ACTIVE: frozenset({Status.UNDER_REVIEW, Status.ENDED}),
    Status.UNDER_REVIEW: frozenset({Status.RENEWED, Status.ENDED}),
    Status.RENEWED: frozenset({Status.UNDER_REVIEW, Status.ENDED}),
    Status.ENDED: frozenset(),
}


def _said(status: Status) -> str:
    return status.value.replace("_", " ")


def check_transition(current: Status, wanted: Status) -> None:
    """Refuse (Conflict) a move the lifecycle does not allow, saying which moves it does."""
    allowed = TRANSITIONS[current]
    if wanted in allowed:
        return
    if not allowed:
        raise Conflict(f"An agreement that has {_said(current)} cannot change status.")
    options = " or ".join(sorted(_said(s) for s in allowed))
    raise Conflict(
        f"An agreement that is {_said(current)} can become {options}, not {_said(wanted)}."
    )


# -- maturity -------------------------------------------------------------------------------

LEVELS = range(1, 6)
SHARED_VALUE = 5
# Accord's defaults for levels 1-4 (a community may rename them); level 5 is fixed.
DEFAULT_LEVEL_LABELS: Mapping[int, str] = {
    1: "Transactional",
    2: "Cooperative",
    3: "Collaborative",
    4: "Integrated",
    5: "Shared value creation",
}
LABEL_MAX = 60


def level_labels(custom: Mapping[int, str] | None = None) -> dict[int, str]:
    """The labels of levels 1-5: the community's own for 1-4 where it chose one, Accord's
    defaults elsewhere; level 5 is always "Shared value creation"."""
    labels = dict(DEFAULT_LEVEL_LABELS)
    for level, label in (custom or {}).items():
        if level == SHARED_VALUE:
            raise InvalidInput('Level 5 is always "Shared value creation".')
        if level not in LEVELS:
            raise InvalidInput(f"Maturity levels run from 1 to 5, not {level}.")
        text = label.strip()
        if not text or len(text) > LABEL_MAX:
            raise InvalidInput(f"Level {level} needs a label of 1 to {LABEL_MAX} characters.")
        labels[level] = text
    return labels


def check_level(level: int) -> None:
    if level not in LEVELS:
        raise InvalidInput(f"Maturity levels run from 1 to 5, not {level}.")


# -- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    question: str  # what the evaluator is asked, shown beside the score


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "vision",
        "Aligned Vision and Mission",
        "Do the partner's mission and values point the same way as the community's?",
    ),
    Criterion(
        "roles",
        "Agreed-Upon Roles and Responsibilities",
        "Is it clear who does what and who decides what, on both sides?",
    ),
    Criterion(
        "resources",
        "Complementary Resources and Expertise",
        "Does each side bring something the other lacks?",
    ),
    Criterion(
        "mutual_benefit",
        "Mutual Benefit (Win-Win)",
        "Will members gain at least as much as the partner does?",
    ),
    Criterion(
        "goals",
        "Clear Goals and Objectives",
        "Are the goals specific, with targets, units and dates?",
    ),
    Criterion(
        "outcomes",
        "Shared Outcomes and Success Metrics",
        "Do both sides agree on how success will be measured, and will it be reported?",
    ),
    Criterion(
        "communication",
        "Communication and Collaboration",
        "Are there regular, open channels between the partner and the community?",
    ),
    Criterion(
        "risk",
        "Risk Assessment and Mitigation",
        "Are the reputational, financial, external and operational risks known and handled?",
    ),
    Criterion(
        "flexibility",
        "Flexibility and Adaptability",
        "Can the agreement change as needs change, without starting over?",
    ),
    Criterion(
        "sustainability",
        "Long-Term Sustainability",
        "Can the partnership last beyond one person, one grant or one year?",
    ),
)
CRITERION_KEYS = frozenset(c.key for c in CRITERIA)
SCORES = range(1, 6)


@dataclass(frozen=True)
class Score:
    evaluator: str  # who scored (a stable id; never shown to partners)
    criterion: str  # a Criterion key
    score: int  # 1-5


def check_score(criterion: str, score: int) -> None:
    if criterion not in CRITERION_KEYS:
        raise InvalidInput(f"{criterion!r} is not one of the ten criteria.")
    if score not in SCORES:
        raise InvalidInput(f"A score is a whole number from 1 to 5, not {score}.")


@dataclass(frozen=True)
class CriterionSummary:
    criterion: Criterion
    count: int
    mean: Fraction | None  # None when nobody scored it
    lowest: int | None
    highest: int | None

    @property
    def spread(self) -> int | None:
        """How far apart the evaluators are: highest minus lowest score."""
        if self.lowest is None or self.highest is None:
            return None
        return self.highest - self.lowest


@dataclass(frozen=True)
class EvaluationSummary:
    criteria: tuple[CriterionSummary, ...]
    evaluators: int  # who scored all ten criteria
    partial: int  # who scored some but not all

    @property
    def mean(self) -> Fraction | None:
        """The mean of the criteria's means (each criterion weighs the same)."""
        means = [c.mean for c in self.criteria if c.mean is not None]
        if len(means) != len(self.criteria):
            return None
        return sum(means, Fraction(0)) / len(means)


def summarize(scores: Iterable[Score]) -> EvaluationSummary:
    """Per-criterion count, mean and spread; an evaluator's later score for a criterion
    replaces their earlier one (scores are given in order)."""
    latest: dict[tuple[str, str], int] = {}
    for s in scores:
        check_score(s.criterion, s.score)
        latest[(s.evaluator, s.criterion)] = s.score
    by_criterion: dict[str, list[int]] = {c.key: [] for c in CRITERIA}
    for (_, criterion), score in latest.items():
        by_criterion[criterion].append(score)
    counts = Counter(evaluator for evaluator, _ in latest)
    return EvaluationSummary(
        criteria=tuple(
            CriterionSummary(
                criterion=c,
                count=len(by_criterion[c.key]),
                mean=(
                    Fraction(sum(by_criterion[c.key]), len(by_criterion[c.key]))
                    if by_criterion[c.key]
                    else None
                ),
                lowest=min(by_criterion[c.key], default=None),
                highest=max(by_criterion[c.key], default=None),
            )
            for c in CRITERIA
        ),
        evaluators=sum(1 for n in counts.values() if n == len(CRITERIA)),
        partial=sum(1 for n in counts.values() if n < len(CRITERIA)),
    )


@dataclass(frozen=True)
class ActivationRule:
    """What an evaluation must show before an agreement becomes active (the community's
    configuration)."""

    threshold: Fraction = Fraction(7, 2)  # the mean of the criteria's means, at least
    floor: Fraction = Fraction(2)  # no criterion's mean below this
    evaluators: int = 2  # at least this many people scored all ten


def activation_problems(summary: EvaluationSummary, rule: ActivationRule) -> list[str]:
    """Why the evaluation does not yet allow activation (an empty list: it does)."""
    problems = []
    if summary.evaluators < rule.evaluators:
        problems.append(
            f"{summary.evaluators} evaluator(s) scored all ten criteria; "
            f"activation needs {rule.evaluators}"
        )
    if summary.partial:
        problems.append(f"{summary.partial} evaluator(s) have not scored all ten criteria")
    mean = summary.mean
    if mean is not None and mean < rule.threshold:
        problems.append(
            f"the mean score {_show(mean)} is below the threshold {_show(rule.threshold)}"
        )
    low = [c for c in summary.criteria if c.mean is not None and c.mean < rule.floor]
    problems.extend(
        f"{c.criterion.name} averages {_show(c.mean)}, below the floor {_show(rule.floor)}"
        for c in low
        if c.mean is not None
    )
    return problems


def _show(value: Fraction) -> str:
    """A fraction as a decimal with two places, rounded half up (for messages only)."""
    hundredths = (value * 100 * 2 + 1) // 2
    return f"{hundredths // 100}.{hundredths % 100:02d}"


# -- reciprocity ----------------------------------------------------------------------------


class Side(StrEnum):
    TO_MEMBERS = "to_members"  # value delivered to members
    TO_PARTNER = "to_partner"  # value the partner received


@dataclass(frozen=True)
class ValueLine:
    side: Side
    kind: str  # e.g. distribution, offering, training, member_reported; exposure, fee, ...
    amount: int  # in the community's smallest unit of account
    on: date
    basis: str = ""  # how the value was estimated or where it comes from


@dataclass(frozen=True)
class Reciprocity:
    delivered: int  # to members
    received: int  # by the partner
    lines: tuple[ValueLine, ...]  # every input, dated, in date order
    withheld: int = 0  # derived inputs left out: each counts 1 to 9 people (see `releasable`)

    @property
    def ratio(self) -> Fraction | None:
        """Delivered over received; None when the partner received nothing."""
        return Fraction(self.delivered, self.received) if self.received else None

    @property
    def extractive(self) -> bool:
        """The partner gained more than members got back (a ratio below 1)."""
        return self.delivered < self.received


def reciprocity(lines: Iterable[ValueLine], *, withheld: int = 0) -> Reciprocity:
    """The totals of each side over every line, in date order; `withheld` says how many
    derived inputs were left out of lines and totals alike (so no total gives them back)."""
    ordered = tuple(sorted(lines, key=lambda v: (v.on, v.side, v.kind, v.amount, v.basis)))
    for v in ordered:
        if v.amount < 0:
            raise InvalidInput(f"A value is never negative ({v.kind} on {v.on}: {v.amount}).")
    return Reciprocity(
        delivered=sum(v.amount for v in ordered if v.side == Side.TO_MEMBERS),
        received=sum(v.amount for v in ordered if v.side == Side.TO_PARTNER),
        lines=ordered,
        withheld=withheld,
    )


# -- derived inputs: what happened elsewhere, counted as it happened ---------------------------


def valued(count: int, each: Fraction) -> int:
    """`count` things at `each` minor units apiece (an offering's stated value, a contact's
    configured value), rounded once, half up, to whole minor units: the exact product is
    never more than half a minor unit away, however large the count (no cent drifts)."""
    if count < 0 or each < 0:
        raise InvalidInput("A count and a value are never negative.")
    exact = count * each
    return int((exact * 2 + 1) // 2)


def releasable(people: int, *, named: int = 0) -> bool:
    """Whether a derived input that counts `people` may be shown, and so counted, on a page
    anyone reads: never a count of 1 to 9 people, and never one whose people less the
    `named` ones (shown by name to some reader, with consent) would be 1 to 9 (the small-
    numbers rule, `suppress_counts`, with the named as a known cell). Its value is withheld
    with the count: value over unit value gives the count back, as would a total."""
    if not 0 <= named <= people:
        raise InvalidInput("The named people are some of those counted.")
    cells = {"named": named, "others": people - named}
    published = suppress_counts(cells, total=people, known={"named"})
    return isinstance(published.total, int)


@dataclass(frozen=True)
class Inflow:
    """Money into an account, from `source` ("" for a source nobody is credited with)."""

    source: str
    amount: int


@dataclass(frozen=True)
class Outflow:
    """Money out of an account, to `to`, on a date."""

    to: str
    amount: int
    on: date


@dataclass(frozen=True)
class Traced:
    """A part of an outflow, and the source whose money it was."""

    source: str
    to: str
    amount: int
    on: date


def trace_oldest_first(flows: Iterable[Inflow | Outflow]) -> tuple[Traced, ...]:
    """Whose money each outflow of an account carried, oldest money first: the flows come
    in the order they happened, and each outflow takes from the earliest inflows still held
    (first in, first out). An outflow larger than what is held takes the rest from source
    "" (credited to nobody). Each outflow's parts sum to it exactly, and no source is ever
    credited with more than it put in."""
    sources: list[str] = []  # what is held, oldest first: whose money ...
    left: list[int] = []  # ... and how much of it is still there
    start = 0  # the oldest inflow not yet spent
    traced: list[Traced] = []
    for flow in flows:
        if flow.amount < 0:
            raise InvalidInput("A flow of money is never negative.")
        if isinstance(flow, Inflow):
            sources.append(flow.source)
            left.append(flow.amount)
            continue
        parts: dict[str, int] = {}
        wanted = flow.amount
        while wanted and start < len(left):
            taken = min(left[start], wanted)
            if taken:
                parts[sources[start]] = parts.get(sources[start], 0) + taken
            wanted -= taken
            left[start] -= taken
            if not left[start]:
                start += 1
        if wanted:
            parts[""] = parts.get("", 0) + wanted
        traced.extend(Traced(src, flow.to, amt, flow.on) for src, amt in parts.items())
    return tuple(traced)


# -- revenue concentration ------------------------------------------------------------------


@dataclass(frozen=True)
class Concentration:
    total: int
    largest: str | None  # the source of the largest income (ties: the first by name)
    largest_share: Fraction  # its share of the total, 0 when there is no income
    index: Fraction  # Herfindahl-Hirschman: the sum of squared shares, 1/n to 1

    @property
    def effective_sources(self) -> Fraction | None:
        """How many equal sources would give the same index (1 / index)."""
        return 1 / self.index if self.index else None


def concentration(income: Mapping[str, int] | Sequence[tuple[str, int]]) -> Concentration:
    """How much the community depends on its largest source of income."""
    pairs = list(income.items()) if isinstance(income, Mapping) else list(income)
    totals: dict[str, int] = {}
    for source, amount in pairs:
        if amount < 0:
            raise InvalidInput(f"Income is never negative ({source}: {amount}).")
        totals[source] = totals.get(source, 0) + amount
    total = sum(totals.values())
    if total == 0:
        return Concentration(total=0, largest=None, largest_share=Fraction(0), index=Fraction(0))
    largest = min(totals, key=lambda s: (-totals[s], s))
    return Concentration(
        total=total,
        largest=largest,
        largest_share=Fraction(totals[largest], total),
        index=sum((Fraction(v, total) ** 2 for v in totals.values()), Fraction(0)),
    )


# -- goals and commitments ------------------------------------------------------------------


@dataclass(frozen=True)
class GoalSuggestion:
    """A goal offered to an agreement that has none yet (the steward fills in the numbers)."""

    key: str
    name: str
    metric: str
    unit: str


def suggested_goals(currency: str) -> tuple[GoalSuggestion, ...]:
    """The three default goals: member engagement, revenue (in the community's currency)
    and impact on the community served."""
    return (
        GoalSuggestion(
            "engagement", "Member engagement", "members taking part in the partnership", "members"
        ),
        GoalSuggestion("revenue", "Revenue", "income the partnership brings in", currency),
        GoalSuggestion(
            "impact", "Impact on the community served", "people reached beyond members", "people"
        ),
    )


@dataclass(frozen=True)
class Measure:
    """One reading of a goal's metric: its value on a date (`seq` orders same-day readings)."""

    on: date
    value: Fraction
    seq: int = 0


class GoalState(StrEnum):
    NO_READING = "no_reading"
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"  # due, and the target was not reached


@dataclass(frozen=True)
class Progress:
    """How far a goal has come: `share` of the way from baseline to target, 0 to 1."""

    latest: Fraction | None  # the value of the latest reading
    share: Fraction  # 0 before any reading
    expected: Fraction  # share of the time from start to due that has passed, 0 to 1
    state: GoalState

    @property
    def percent(self) -> int:
        """The share as whole percent, rounded down (100 only when met)."""
        return int(self.share * 100)


def _clamp(value: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), value))


def progress(
    *,
    baseline: Fraction,
    target: Fraction,
    start: date,
    due: date,
    readings: Iterable[Measure],
    today: date,
) -> Progress:
    """The share of the way from `baseline` to `target` that the latest reading (by date,
    then `seq`) has covered, clamped to 0..1; a target below the baseline counts a fall as
    progress. A goal is met when the share is 1, missed when `today` is past `due` short of
    that, else on track when the share is at least the share of time passed since `start`
    (`expected`), behind otherwise."""
    ordered = sorted(readings, key=lambda m: (m.on, m.seq))
    span = (due - start).days
    expected = Fraction(1) if span <= 0 else _clamp(Fraction((today - start).days, span))
    if not ordered:
        state = GoalState.MISSED if today > due else GoalState.NO_READING
        return Progress(None, Fraction(0), expected, state)
    latest = ordered[-1].value
    if target == baseline:
        share = Fraction(1) if latest == target else Fraction(0)
    else:
        share = _clamp((latest - baseline) / (target - baseline))
    if share == 1:
        state = GoalState.MET
    elif today > due:
        state = GoalState.MISSED
    else:
        state = GoalState.ON_TRACK if share >= expected else GoalState.BEHIND
    return Progress(latest, share, expected, state)


@dataclass(frozen=True)
class Fulfilment:
    """What a commitment has delivered: for an amount, how much of it was received."""

    promised: int | None  # minor units, for a financial commitment
    received: int
    outstanding: int | None
    complete: bool


def fulfilment(promised: int | None, received: Iterable[int], *, marked_done: bool) -> Fulfilment:
    """A financial commitment (`promised` minor units) is complete when what was received
    reaches it, and never takes more than is outstanding; any other is complete when a
    fulfilment was recorded as the last one (`marked_done`)."""
    amounts = list(received)
    if any(a <= 0 for a in amounts):
        raise InvalidInput("A received amount is always more than zero.")
    total = sum(amounts)
    if promised is None:
        return Fulfilment(None, total, None, marked_done)
    if total > promised:
        raise Conflict("More was received than the commitment promised.")
    return Fulfilment(promised, total, promised - total, total == promised)


def check_receipt(promised: int, received_so_far: int, amount: int) -> None:
    """Refuse a receipt of zero or less, or one that takes a financial commitment past what
    it promised (the rest is outstanding and says so)."""
    if amount <= 0:
        raise InvalidInput("The amount received must be more than zero.")
    outstanding = promised - received_so_far
    if amount > outstanding:
        raise Conflict(
            f"Only {outstanding} minor units are outstanding on this commitment; "
            f"{amount} would be more than it promised."
        )


# -- review cadence -------------------------------------------------------------------------

CADENCE_MAX = 60  # months: at least every five years


def add_months(day: date, months: int) -> date:
    """`day` moved on by `months` calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(anchor: date, every_months: int) -> date:
    """The next review is `every_months` after the anchor: the last review, or else the date
    the agreement became active."""
    if not 1 <= every_months <= CADENCE_MAX:
        raise InvalidInput(f"Review every 1 to {CADENCE_MAX} months.")
    return add_months(anchor, every_months)
