"""Reads for pools, statements and the treasurer."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet
from django.utils import timezone

from accord.benefits.models import Choice, Payout, PayoutStatus, Pool, Statement
from accord.contributions.models import Contribution
from accord.contributions.queries import domain_policy, tenure_of
from accord.domain.attribution import Breakdown, ContributionFacts, score
from accord.domain.money import format_amount
from accord.people.models import Member, Purpose
from accord.people.visibility import Sight, has_consented, named_among


def statements_of(member: Member) -> QuerySet[Statement]:
    return (
        Statement.objects.filter(member=member)
        .select_related("distribution__pool")
        .order_by("-distribution__committed_at")
    )


@dataclass(frozen=True)
class Line:
    contribution: Contribution
    breakdown: Breakdown


@dataclass(frozen=True)
class StatementView:
    statement: Statement
    lines: list[Line]
    points_before_cap_cp: int
    share_exact: Fraction | None
    formats: list[str]  # the formats this member may choose now
    needs_recognition: list[str]  # formats that feature the member, until they consent
    can_choose: bool
    overdue: bool  # the deadline passed and the worker has not settled it yet
    taken_for_them: bool  # the member did not choose; it was taken at the deadline

    def amount(self, value: int) -> str:
        return format_amount(value, self.statement.distribution.pool.unit)


def statement_view(statement: Statement, *, today: object = None) -> StatementView:
    """Everything that re-derives the member's amount, computed again from the policy."""
    d = statement.distribution
    policy = domain_policy(d.policy)
    contributions = list(
        Contribution.objects.filter(pk__in=statement.contribution_ids)
        .select_related("member")
        .order_by("date", "id")
    )
    lines = [
        Line(
            c,
            score(
                ContributionFacts(
                    kind=c.kind,
                    level=c.level,
                    impact=c.impact or 0,
                    hours_h100=c.hours_h100,
                    tenure_months=tenure_of(c),
                ),
                policy,
            ),
        )
        for c in contributions
    ]
    publishing = set(d.pool.publishing_formats)
    withheld = (
        [f for f in d.pool.formats if f in publishing]
        if publishing and not has_consented(statement.member, Purpose.PUBLIC_RECOGNITION)
        else []
    )
    total_weight = int(d.total_weight or 0)
    # For BALANCED the share follows the water-fill over lifetime deficits, not the weight.
    share = (
        Fraction(d.total * int(statement.weight), total_weight)
        if total_weight and d.method != "balanced"
        else None
    )
    return StatementView(
        statement=statement,
        lines=lines,
        points_before_cap_cp=sum(
            line.breakdown.points_cp
            for line in lines
            if line.contribution.date >= d.pool.period_start
        ),
        share_exact=share,
        formats=[f for f in d.pool.formats if f not in withheld],
        needs_recognition=withheld,
        can_choose=statement.choice == Choice.PENDING
        and statement.payout > 0
        and timezone.localdate() <= d.choice_deadline,
        overdue=statement.choice == Choice.PENDING
        and statement.payout > 0
        and timezone.localdate() > d.choice_deadline,
        taken_for_them=statement.choice == Choice.TAKE
        and statement.chosen_at is not None
        and timezone.localdate(statement.chosen_at) > d.choice_deadline,
    )


def pending_payouts() -> QuerySet[Payout]:
    return (
        Payout.objects.filter(status=PayoutStatus.PENDING)
        .select_related("statement__member__user", "statement__distribution__pool")
        .order_by("id")
    )


PAYOUT_COLUMNS = (
    "payout_id",
    "member",
    "name",
    "email",
    "amount",
    "unit",
    "format",
    "pool",
    "round",
)


def payout_rows(treasurer: Member) -> list[tuple[object, ...]]:
    """The treasurer's CSV: who to pay, how much, in which format (names and addresses of
    the people their office pays)."""
    rows: list[tuple[object, ...]] = []
    payouts = list(pending_payouts())
    named = named_among(treasurer, (p.statement.member_id for p in payouts), Sight.DUTY)
    for p in payouts:
        m = p.statement.member
        shown = m.pk in named
        d = p.statement.distribution
        whole = format_amount(p.amount, p.unit).split(" ")[0]
        rows.append(
            (
                p.pk,
                m.pseudonym,
                m.display_name if shown else "",
                m.user.email if shown and m.user else "",
                whole,
                p.unit,
                p.format,
                d.pool.slug,
                d.round,
            )
        )
    return rows


def pools() -> QuerySet[Pool]:
    return Pool.objects.select_related("policy").prefetch_related("eligible_groups")
