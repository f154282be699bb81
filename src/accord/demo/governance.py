"""Demo decisions: open and closed ones of every poll type (one a secret ballot), some closed
with their outcome recorded and some with it still due, one draft, and a discussion.

Everything goes through the services. A closed decision is opened with a closing time ahead,
voted on, and then its closing time is moved into the past, as if its week had gone by, so
that closing counts it as the worker's tick would.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accord.domain.voting import STANCES, PollType
from accord.governance import services
from accord.governance.models import Decision, ElectorateEntry
from accord.governance.schemas import DecisionCommentIn, DecisionIn, OutcomeIn, VoteIn
from accord.people.models import Group, Member


@dataclass(frozen=True)
class Plan:
    title: str
    body: str
    poll: PollType
    options: tuple[str, ...] = ()
    state: str = "open"  # draft, open, closed (outcome due) or decided (outcome recorded)
    secret: bool = False
    group: str = ""  # a group's name; empty: the whole community
    threshold: str = "1/2"
    quorum: str = "0"
    outcome: str = ""


PLANS = (
    Plan(
        "Adopt the 2027 funding guideline",
        "We publish, each year, how money from partners is used and who decided it.",
        PollType.CONSENT,
        threshold="2/3",
        quorum="1/20",
    ),
    Plan(
        "Where should the spring meetup be held?",
        "Three venues have offered to host us in April.",
        PollType.SINGLE,
        ("City library", "Harbour community hall", "University campus"),
        secret=True,
    ),
    Plan(
        "Which workshops should the working group run next quarter?",
        "Approve every workshop you would attend.",
        PollType.APPROVAL,
        ("Open data basics", "Privacy by design", "Writing grant reports", "Mapping needs"),
        group="Open Data Working Group",
    ),
    Plan(
        "Rate the proposed mentoring formats",
        "Score each format from 0 (would not join) to 5 (would join at once).",
        PollType.SCORE,
        ("One-to-one", "Small circles", "Monthly clinics"),
    ),
    Plan(
        "Choose the community's next focus area",
        "Rank the areas in order of preference; you need not rank them all.",
        PollType.RANKED,
        ("Digital skills", "Local food", "Housing advice", "Youth sport"),
    ),
    Plan(
        "Publish partnership evaluations every quarter",
        "Evaluations are published four times a year instead of once.",
        PollType.CONSENT,
        state="decided",
        outcome="Adopted: the first quarterly evaluations appear in April.",
    ),
    Plan(
        "How often should the newsletter go out?",
        "The editors can manage any of these.",
        PollType.SINGLE,
        ("Weekly", "Every two weeks", "Monthly"),
        state="closed",
    ),
    Plan(
        "Which tools do we adopt for meetings?",
        "Approve every tool you are happy to use.",
        PollType.APPROVAL,
        ("Shared notes", "Video calls", "Chat rooms"),
        state="decided",
        outcome="We adopt the most approved tool from next month; the others stay optional.",
    ),
    Plan(
        "Rate last year's partner offerings",
        "Score each offering as it served you.",
        PollType.SCORE,
        ("Training credits", "Featured spots", "Conference tickets"),
        state="closed",
    ),
    Plan(
        "Pick the annual conference city",
        "Rank the candidate cities; the runoff settles it.",
        PollType.RANKED,
        ("Northport", "Eastvale", "Southbridge", "Westmere"),
        state="decided",
        quorum="1/20",
        outcome="The conference goes to the winning city; stewards book the venue.",
    ),
    Plan(
        "Trial a members' hardship fund",
        "A small fund members in difficulty can draw on, reviewed after a year.",
        PollType.CONSENT,
        state="draft",
    ),
)
COMMENTS = (
    "I support this; it makes our spending easier to follow.",
    "Could we also say who reviews it each year?",
)


def _choice(poll: PollType, options: int, rng: random.Random) -> VoteIn:
    match poll:
        case PollType.CONSENT:
            stance = rng.choices(STANCES, weights=(6, 2, 2, 0))[0]
            return VoteIn.model_validate({"stance": stance})
        case PollType.SINGLE:
            return VoteIn.model_validate(
                {"option": rng.choices(range(options), weights=range(options, 0, -1))[0]}
            )
        case PollType.APPROVAL:
            picked = rng.sample(range(options), rng.randint(0, options))
            return VoteIn.model_validate({"options": sorted(picked)})
        case PollType.SCORE:
            return VoteIn.model_validate({"scores": [rng.randint(0, 5) for _ in range(options)]})
        case PollType.RANKED:
            order = rng.sample(range(options), options)
            return VoteIn.model_validate({"ranking": order[: rng.randint(1, options)]})


def _decide(plan: Plan, proposer: Member, steward: Member, rng: random.Random) -> Decision:
    group = Group.objects.filter(name=plan.group).first() if plan.group else None
    made = services.propose_decision(
        steward if group else proposer,  # a group's decision: proposed within it
        DecisionIn.model_validate(
            {
                "title": plan.title,
                "body": plan.body,
                "group": group.slug if group else None,
                "poll": plan.poll,
                "options": list(plan.options),
                "threshold": plan.threshold,
                "quorum": plan.quorum,
                "secret": plan.secret,
                "closes_at": timezone.now() + timedelta(days=rng.randint(3, 14)),
            }
        ),
    )
    if plan.state == "draft":
        return made
    services.open_decision(steward, made.pk)
    electorate = list(
        ElectorateEntry.objects.filter(decision=made)
        .order_by("pk")
        .values_list("member", flat=True)
    )
    voters = Member.objects.filter(pk__in=rng.sample(electorate, min(len(electorate), 40)))
    for voter in voters.order_by("pk"):
        services.cast_vote(voter, made.pk, _choice(plan.poll, len(plan.options), rng))
    if plan.state in ("closed", "decided"):
        # its week has gone by: the closing time is in the past, and closing counts it
        Decision.objects.filter(pk=made.pk).update(
            closes_at=timezone.now() - timedelta(days=rng.randint(1, 20))
        )
        services.close_decision(steward, made.pk)
    if plan.state == "decided":
        services.record_outcome(steward, made.pk, OutcomeIn(statement=plan.outcome))
    return made


def seed_decisions(
    *, people: list[Member], steward: Member, proposer: Member, rng: random.Random
) -> list[Decision]:
    """The demo's decisions (see the module docstring), proposed by `proposer` and run by
    `steward`, with a short discussion on the first."""
    made = [_decide(plan, proposer, steward, rng) for plan in PLANS]
    seats = ElectorateEntry.objects.filter(decision=made[0]).order_by("pk")
    entitled = set(seats.values_list("member", flat=True))
    members = [m for m in people if m.pk in entitled]
    for commenter, text in zip(rng.sample(members, len(COMMENTS)), COMMENTS, strict=True):
        services.comment_on_decision(commenter, made[0].pk, DecisionCommentIn(body=text))
    return made
