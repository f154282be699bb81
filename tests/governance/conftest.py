"""Decisions for the governance tests: built through the services, as a community would."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accord.governance import services
from accord.governance.models import Decision
from accord.governance.schemas import DecisionIn, VoteIn
from accord.partners import services as partners
from accord.partners.schemas import AgreementIn
from accord.people.models import Member
from tests.conftest import Cast


def decision_in(**overrides: Any) -> DecisionIn:
    fields: dict[str, Any] = {
        "title": "Adopt the funding guideline",
        "body": "We publish how partner money is used.",
        "poll": "consent",
        "closes_at": timezone.now() + timedelta(days=7),
    }
    return DecisionIn(**{**fields, **overrides})


def opened(cast: Cast, *, by: Member | None = None, **overrides: Any) -> Decision:
    """A decision proposed by `cast.member` and opened by `by` (the steward)."""
    made = services.propose_decision(cast.member, decision_in(**overrides))
    return services.open_decision(by or cast.steward, made.pk)


def vote(member: Member, decision: Decision, **choice: Any) -> None:
    services.cast_vote(member, decision.pk, VoteIn(**choice))


def past_closing(decision: Decision) -> None:
    """Move the closing time into the past, as if the week had gone by."""
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - timedelta(seconds=1))


def agreement(cast: Cast) -> int:
    return partners.create_agreement(
        cast.steward,
        AgreementIn(
            partner=cast.partner.slug, title="Placements", purpose="P", reasons=["networks"]
        ),
    ).pk
