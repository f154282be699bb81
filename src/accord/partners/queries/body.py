"""An agreement's body: its goals, commitments, review dates, roles and documents."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from accord.domain import partnerships as ps
from accord.domain.errors import Forbidden, NotFound
from accord.domain.money import format_amount
from accord.partners import permissions
from accord.partners.models import (
    Agreement,
    AgreementVersion,
    Commitment,
    Document,
    Fulfilment,
    Goal,
    PoolFunding,
    Reading,
    Role,
)
from accord.people.models import Member


def plain(value: Decimal) -> str:
    """A metric's value without trailing zeros or an exponent: 5000, 12.5."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    progress: ps.Progress
    readings: list[Reading]

    @property
    def state_label(self) -> str:
        return self.progress.state.value.replace("_", " ")

    @property
    def baseline(self) -> str:
        return plain(self.goal.baseline)

    @property
    def target(self) -> str:
        return plain(self.goal.target)

    @property
    def latest(self) -> str | None:
        return plain(self.readings[-1].value) if self.readings else None

    @property
    def latest_on(self) -> date | None:
        return self.readings[-1].on if self.readings else None

    @property
    def values(self) -> list[tuple[date, str]]:
        """Each reading's date and value, oldest first."""
        return [(r.on, plain(r.value)) for r in self.readings]


@dataclass(frozen=True)
class CommitmentView:
    commitment: Commitment
    fulfilment: ps.Fulfilment
    fulfilments: list[Fulfilment]
    notes_shown: bool  # delivery notes: office holders and the partner's representatives

    def _money(self, minor: int | None) -> str | None:
        return None if minor is None else format_amount(minor, self.commitment.currency)

    @property
    def amount(self) -> str | None:
        return self._money(self.fulfilment.promised)

    @property
    def received(self) -> str | None:
        return self._money(self.fulfilment.received if self.fulfilment.promised else None)

    @property
    def outstanding(self) -> str | None:
        return self._money(self.fulfilment.outstanding)


@dataclass(frozen=True)
class ReviewDates:
    every_months: int | None
    last_reviewed_on: date | None
    next_on: date | None
    due: bool  # the next review date has come


@dataclass(frozen=True)
class Body:
    """An agreement's body as `viewer` may read it: goals with progress, commitments with
    fulfilment, the review dates and the dated versions of its text."""

    agreement: Agreement
    goals: list[GoalView]
    suggested_goals: tuple[ps.GoalSuggestion, ...]  # offered while it has no goals
    commitments: list[CommitmentView]
    review: ReviewDates
    versions: list[AgreementVersion]
    roles: list[Role]
    documents: list[Document]  # empty for readers who may not see them
    pool_fundings: list[PoolFunding]  # money the partner gave straight into pools

    @property
    def pool_funded(self) -> list[tuple[PoolFunding, str]]:
        """Each direct pool funding with its amount in words."""
        return [(f, format_amount(f.amount, f.currency)) for f in self.pool_fundings]


def _activated_on(agreement: Agreement) -> date | None:
    """When the agreement last became active (read from its changes, prefetched or not)."""
    became = [
        c.at
        for c in agreement.changes.all()
        if c.field == "status" and c.after == ps.Status.ACTIVE
    ]
    return timezone.localdate(max(became)) if became else None


def review_of(agreement: Agreement, today: date | None = None) -> ReviewDates:
    """The next review: the cadence after the last review, or after activation."""
    today = today or timezone.localdate()
    anchor = agreement.last_reviewed_on or _activated_on(agreement)
    every = agreement.review_every_months
    upcoming = ps.next_review(anchor, every) if anchor and every else None
    return ReviewDates(
        every, agreement.last_reviewed_on, upcoming, upcoming is not None and upcoming <= today
    )


def goal_view(goal: Goal, today: date | None = None) -> GoalView:
    """A goal with its readings and its progress as of `today`."""
    today = today or timezone.localdate()
    readings = list(goal.readings.all())
    measured = ps.progress(
        baseline=Fraction(goal.baseline),
        target=Fraction(goal.target),
        start=goal.starts_on,
        due=goal.due_on,
        readings=[ps.Measure(r.on, Fraction(r.value), r.pk) for r in readings],
        today=today,
    )
    return GoalView(goal, measured, readings)


def commitment_view(
    commitment: Commitment, viewer: Member | None, *, notes_shown: bool | None = None
) -> CommitmentView:
    """A commitment with its deliveries and what it has delivered so far (`notes_shown`,
    when the caller already knows whether `viewer` may read delivery notes)."""
    if notes_shown is None:
        notes_shown = permissions.can_see_evaluation(viewer, commitment.agreement.partner)
    done = list(commitment.fulfilments.all())
    state = ps.fulfilment(
        commitment.amount,
        [f.amount for f in done if f.amount is not None],
        marked_done=commitment.done_at is not None,
    )
    return CommitmentView(commitment, state, done, notes_shown)


def agreement_body(agreement: Agreement, viewer: Member | None) -> Body:
    """The body of a (public) agreement; delivery notes only for office holders and the
    partner's own representatives. The suggested goals are offered to stewards while the
    agreement has none."""
    today = timezone.localdate()
    goals = [goal_view(g, today) for g in agreement.goals.prefetch_related("readings")]
    notes = permissions.can_see_evaluation(viewer, agreement.partner)
    commitments = [
        commitment_view(c, viewer, notes_shown=notes)
        for c in agreement.commitments.prefetch_related("fulfilments")
    ]
    suggest = not goals and permissions.can_shape_agreement(viewer)
    return Body(
        agreement=agreement,
        goals=goals,
        suggested_goals=ps.suggested_goals(settings.ACCORD_CURRENCY) if suggest else (),
        commitments=commitments,
        review=review_of(agreement, today),
        versions=list(agreement.versions.select_related("by")),
        roles=list(agreement.roles.all()),
        documents=list(agreement.documents.defer("content"))
        if permissions.can_read_documents(viewer, agreement.partner)
        else [],
        pool_fundings=list(agreement.pool_fundings.select_related("pool")),
    )


def document_for(viewer: Member | None, document_id: int) -> Document:
    """A document's file, for office holders and the partner's own representatives."""
    found = Document.objects.select_related("agreement__partner").filter(pk=document_id).first()
    if found is None:
        raise NotFound(f"No document {document_id}.")
    if not permissions.can_read_documents(viewer, found.agreement.partner):
        raise Forbidden("Only office holders and the partner's representatives read documents.")
    return found
