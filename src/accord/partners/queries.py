"""Reads about partners and their agreements. Partner representatives see only members who
said yes; an agreement's evaluation is read here for the pages and the API."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accord.domain import partnerships as ps
from accord.domain.disclosure import Cell, Hidden, suppress_counts
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
    Partner,
    Reading,
    Representative,
    Role,
)
from accord.people.models import Member
from accord.people.visibility import Audience, Sight, shown_to_audience


@dataclass(frozen=True)
class PartnerList:
    """The public list of partners; `can_add` says whether this reader may add one."""

    partners: list[Partner]
    can_add: bool


def partner_list(viewer: Member | None) -> PartnerList:
    return PartnerList(list(Partner.objects.all()), permissions.can_manage_partners(viewer))


@dataclass(frozen=True)
class ManagePage:
    """A steward's page for one partner: its details and its representatives (office
    holders, shown by name and handle)."""

    partner: Partner
    representatives: list[Representative]


def manage_page(viewer: Member | None, slug: str) -> ManagePage:
    """Stewards only; anyone else is told there is no such page."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or not permissions.can_manage_partners(viewer):
        raise NotFound("No such page.")
    reps = list(partner.representatives.select_related("member").order_by("since", "pk"))
    return ManagePage(partner, reps)


def visible_partner_view(viewer: Member | None, slug: str) -> "PartnerView":
    """A partner's page of opted-in members, for its representatives and the stewards."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise NotFound(f"No partner {slug!r}.")
    if not permissions.can_view_partner_members(viewer, partner):
        raise Forbidden("Only this partner's representatives and stewards see this.")
    return partner_view(partner)


def partner_of(member: Member) -> Partner | None:
    rep = getattr(member, "representation", None)
    return rep.partner if rep is not None else None


@dataclass(frozen=True)
class PartnerView:
    """A partner's page. Members are named only with their consent; `member_count` is the
    community's size as it may be published (see `partner_view`)."""

    partner: Partner
    shared_profiles: list[Member]
    contactable: list[Member]
    member_count: Cell

    @property
    def too_few(self) -> bool:
        """The community has fewer than 10 members, so its size is not given."""
        return isinstance(self.member_count, Hidden) and self.member_count.small

    @property
    def size_withheld(self) -> bool:
        """The size is hidden because, less the members named here, it would be small."""
        return isinstance(self.member_count, Hidden) and not self.member_count.small


def partner_view(partner: Partner) -> PartnerView:
    """What a partner may see: totals, profiles shared with partners, contactable members.

    The members named on the page are counted by anyone who reads it, so the total less
    them would say how many did not consent: the total goes through `suppress_counts` with
    the named members as a known cell, and is hidden when that difference is 1 to 9 (or
    the community has fewer than 10 members)."""
    members = Member.objects.filter(erased_at__isnull=True)
    shared_profiles = list(
        shown_to_audience(Audience.PARTNERS, members, Sight.PROFILE).order_by("display_name")
    )
    contactable = list(
        shown_to_audience(Audience.PARTNERS, members, Sight.CONTACT)
        .select_related("user")
        .order_by("display_name")
    )
    total = members.count()
    named = len({m.pk for m in shared_profiles} | {m.pk for m in contactable})
    published = suppress_counts(
        {"named": named, "not named": total - named}, total=total, known={"named"}
    )
    return PartnerView(
        partner=partner,
        shared_profiles=shared_profiles,
        contactable=contactable,
        member_count=Hidden(small=True) if published.total is None else published.total,
    )


# -- agreements -----------------------------------------------------------------------------


def activation_rule() -> ps.ActivationRule:
    """The community's rule for activating a partnership (settings)."""
    return ps.ActivationRule(
        threshold=Fraction(settings.ACCORD_ACTIVATION_THRESHOLD),  # a str when overridden
        floor=Fraction(settings.ACCORD_ACTIVATION_FLOOR),
        evaluators=int(settings.ACCORD_ACTIVATION_EVALUATORS),
    )


def evaluation_of(agreement: Agreement) -> ps.EvaluationSummary:
    """The agreement's evaluation so far: every evaluator's latest score per criterion."""
    rows = agreement.scores.order_by("at", "pk").values_list("evaluator_id", "criterion", "score")
    return ps.summarize(ps.Score(str(e), c, s) for e, c, s in rows)


def agreements() -> QuerySet[Agreement]:
    """Agreements are public: their partner, purpose, status and maturity."""
    return Agreement.objects.select_related("partner").prefetch_related("changes")


def agreement(agreement_id: int) -> Agreement:
    found = agreements().filter(pk=agreement_id).first()
    if found is None:
        raise NotFound(f"No agreement {agreement_id}.")
    return found


# -- goals and commitments ---------------------------------------------------------------------


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
class Review:
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
    review: Review
    versions: list[AgreementVersion]
    roles: list[Role]
    documents: list[Document]  # empty for readers who may not see them


def _activated_on(agreement: Agreement) -> date | None:
    change = agreement.changes.filter(field="status", after=ps.Status.ACTIVE).order_by("at").last()
    return None if change is None else timezone.localdate(change.at)


def review_of(agreement: Agreement, today: date | None = None) -> Review:
    """The next review: the cadence after the last review, or after activation."""
    today = today or timezone.localdate()
    anchor = agreement.last_reviewed_on or _activated_on(agreement)
    every = agreement.review_every_months
    upcoming = ps.next_review(anchor, every) if anchor and every else None
    return Review(
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
    )


def document_for(viewer: Member | None, document_id: int) -> Document:
    """A document's file, for office holders and the partner's own representatives."""
    found = Document.objects.select_related("agreement__partner").filter(pk=document_id).first()
    if found is None:
        raise NotFound(f"No document {document_id}.")
    if not permissions.can_read_documents(viewer, found.agreement.partner):
        raise Forbidden("Only office holders and the partner's representatives read documents.")
    return found
