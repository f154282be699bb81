"""A decision passed through the services, as if its voting week had gone by: proposed,
opened, agreed to by the given voters, its closing time moved into the past, and closed.

The demo carries out its gated actions (activating partnerships, publishing policies) with
decisions made this way, and the tests set up the same state through it.
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accord.domain.mandates import Gated
from accord.domain.voting import PollType, Stance
from accord.governance import services
from accord.governance.models import Decision
from accord.governance.schemas import DecisionIn, OutcomeIn, RightIn, VoteIn
from accord.people.models import Member


def pass_decision(
    proposer: Member,
    action: Gated,
    *,
    voters: list[Member] | None = None,
    subject: int | None = None,
    policy: dict[str, Any] | None = None,
    effective_from: date | None = None,
    right: RightIn | None = None,
    title: str = "",
    outcome: str = "",
) -> Decision:
    """A closed, passed decision allowing `action`; `proposer` (a steward) runs it, and
    `voters` (default: the proposer) agree."""
    made = services.propose_decision(
        proposer,
        DecisionIn.model_validate(
            {
                "title": title or action.label,
                "body": f"{action.label}, as proposed.",
                "poll": PollType.CONSENT,
                "closes_at": timezone.now() + timedelta(hours=1),
                "action": action,
                "subject": subject,
                "policy": policy,
                "effective_from": effective_from,
                "right": right,
            }
        ),
    )
    services.open_decision(proposer, made.pk)
    for voter in voters or [proposer]:
        services.cast_vote(voter, made.pk, VoteIn.model_validate({"stance": Stance.AGREE}))
    Decision.objects.filter(pk=made.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    services.close_decision(proposer, made.pk)
    if outcome:
        services.record_outcome(proposer, made.pk, OutcomeIn(statement=outcome))
    return Decision.objects.get(pk=made.pk)


def carried_out(proposer: Member, action: Gated, **given: Any) -> Decision:
    """`pass_decision`, then carry it out as its proposer."""
    decision = pass_decision(proposer, action, **given)
    services.carry_out_decision(proposer, decision.pk)
    return decision
