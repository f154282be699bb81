"""Reads for pools, statements and the treasurer."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accord.benefits import accounts, permissions, planning
from accord.benefits.models import (
    AccountKind,
    Choice,
    Distribution,
    Payout,
    PayoutStatus,
    Pool,
    Posting,
    RoundApproval,
    Statement,
)
from accord.contributions.models import Contribution, PolicyVersion
from accord.contributions.queries import domain_policy, tenure_of
from accord.domain import distribution as dist
from accord.domain import partnerships as ps
from accord.domain.attribution import Breakdown, ContributionFacts
from accord.domain.distribution import Allocation
from accord.domain.errors import Forbidden, NotFound
from accord.domain.money import format_amount
from accord.domain.statements import (
    DatedFacts,
    Explanation,
    StatementFacts,
    explain_statement,
    member_points,
)
from accord.people.models import Group, Member, Purpose
from accord.people.visibility import Sight, has_consented, may, named_among


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
    explanation: Explanation
    formats: list[str]  # the formats this member may choose now
    needs_recognition: list[str]  # formats that feature the member, until they consent
    can_choose: bool
    overdue: bool  # the deadline passed and the worker has not settled it yet
    taken_for_them: bool  # the member did not choose; it was taken at the deadline
    is_mine: bool
    named: bool  # the viewer may see whose statement it is

    def amount(self, value: int) -> str:
        return format_amount(value, self.statement.distribution.pool.unit)


def _viewable_statement(viewer: Member, pk: int) -> Statement:
    st = (
        Statement.objects.select_related("distribution__pool", "distribution__policy", "member")
        .filter(pk=pk)
        .first()
    )
    if st is None or not permissions.can_view_statement(viewer, st):
        raise NotFound("No such statement.")
    return st


def explanation_of(statement: Statement) -> Explanation:
    """The one explanation of a statement's amount (page, API and receipt alike), from the
    round's published numbers and the statement's row."""
    d = statement.distribution
    level = None
    if d.level:
        numerator, denominator = d.level.split("/")
        level = Fraction(int(numerator), int(denominator))
    return explain_statement(
        StatementFacts(
            method=dist.Method(d.method),
            pool=d.total,
            weight=int(statement.weight),
            total_weight=int(d.total_weight or 0),
            share=statement.share,
            capped_excess=statement.capped_excess,
            redistributed=statement.redistributed,
            carried_in=statement.carried_in,
            payout=statement.payout,
            carried_out=statement.carried_out,
            minimum=d.minimum_payout,
            cap=d.member_cap,
            received_before=statement.received_before,
            total_received=d.total_received,
            level=level,
        )
    )


def explained(statement: Statement) -> dict[str, int | str]:
    """`explanation_of` as plain values (the API's and a receipt's form)."""
    d = statement.distribution
    return explanation_of(statement).as_dict(d.seed)


def statement_for(viewer: Member, pk: int) -> Statement:
    """Statement `pk` if `viewer` may see it (theirs, or a steward's duty), else NotFound."""
    return _viewable_statement(viewer, pk)


def statement_view(viewer: Member, pk: int) -> StatementView:
    """Everything that re-derives the member's amount, computed again from the policy."""
    statement = _viewable_statement(viewer, pk)
    d = statement.distribution
    contributions = list(
        Contribution.objects.filter(pk__in=statement.contribution_ids)
        .select_related("member")
        .order_by("date", "id")
    )
    points = member_points(
        [
            DatedFacts(
                ContributionFacts(
                    kind=c.kind,
                    level=c.level,
                    impact=c.impact or 0,
                    hours_h100=c.hours_h100,
                    tenure_months=tenure_of(c),
                ),
                c.date,
            )
            for c in contributions
        ],
        domain_policy(d.policy),
        period_start=d.pool.period_start,
        as_of=d.as_of,
        half_life_days=d.pool.half_life_days,
    )
    publishing = set(d.publishing_formats)
    withheld = (
        [f for f in d.formats if f in publishing]
        if publishing and not has_consented(statement.member, Purpose.PUBLIC_RECOGNITION)
        else []
    )
    pending = statement.choice == Choice.PENDING and statement.payout > 0
    today = timezone.localdate()
    return StatementView(
        statement=statement,
        lines=[Line(c, b) for c, b in zip(contributions, points.lines, strict=True)],
        points_before_cap_cp=points.period_before_cap_cp,
        explanation=explanation_of(statement),
        formats=[f for f in d.formats if f not in withheld],
        needs_recognition=withheld,
        can_choose=pending and today <= d.choice_deadline,
        overdue=pending and today > d.choice_deadline,
        taken_for_them=statement.choice == Choice.TAKE
        and statement.chosen_at is not None
        and timezone.localdate(statement.chosen_at) > d.choice_deadline,
        is_mine=statement.member_id == viewer.pk,
        named=may(viewer, statement.member, Sight.DUTY),
    )


def pending_payouts() -> QuerySet[Payout]:
    """Pending payouts, oldest first, with what the API's list shows of each: the payee's
    handle, not the statement's contributions nor anyone's ledger secret."""
    return (
        Payout.objects.filter(status=PayoutStatus.PENDING)
        .select_related("statement__member")
        .only(*("amount", "unit", "format", "status", "statement__member__pseudonym"))
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
    view = treasury(treasurer, limit=None)
    named = view.named
    return [
        (
            p.pk,
            p.pseudonym,
            p.display_name if p.member_id in named else "",
            p.email if p.member_id in named else "",
            format_amount(p.amount, p.unit).split(" ")[0],
            p.unit,
            p.format,
            p.pool_slug,
            p.round,
        )
        for p in view.payouts
    ]


TREASURY_PAGE = 50


def payouts_to_make(treasurer: Member) -> QuerySet[Payout]:
    """The pending payouts, for someone who may pay; Forbidden for anyone else."""
    if not permissions.can_pay(treasurer):
        raise Forbidden("Only treasurers see pending payouts.")
    return pending_payouts()


@dataclass(frozen=True, slots=True)
class PayoutRow:
    """One payout to make, as the treasury page and its CSV show it. A name or address is
    shown only for the members in `Treasury.named`."""

    pk: int
    amount: int
    unit: str
    format: str
    member_id: int
    pseudonym: str
    display_name: str
    email: str
    pool_slug: str
    pool_name: str
    round: int


_PAYOUT_ROW = (
    *("pk", "amount", "unit", "format", "statement__member_id"),
    *("statement__member__pseudonym", "statement__member__display_name"),
    *("statement__member__user__email", "statement__distribution__pool__slug"),
    *("statement__distribution__pool__name", "statement__distribution__round"),
)


@dataclass(frozen=True)
class Treasury:
    payouts: list[PayoutRow]
    named: set[int]  # members whose names the treasurer sees (their office pays them)
    pending: int = 0  # how many payouts wait in all
    next_after: int | None = None  # `after` for the next page, if there is one


def treasury(treasurer: Member, *, after: int | None = None, limit: int | None) -> Treasury:
    """The payouts to make, oldest first, `limit` of them after payout `after` (a page;
    None: every one), for someone who may pay; Forbidden for anyone else.

    Read as plain rows, not model objects: a page of payouts joins five tables, and
    building five model objects per row cost more than the query."""
    rows = payouts_to_make(treasurer)
    if after is not None:
        rows = rows.filter(pk__gt=after)
    values = rows.values_list(*_PAYOUT_ROW)
    payouts = [
        PayoutRow(
            *(pk, amount, unit, fmt, member, handle, name),
            email or "",  # no address once an account is gone
            *(slug, pool, round_),
        )
        for pk, amount, unit, fmt, member, handle, name, email, slug, pool, round_ in (
            values if limit is None else values[: limit + 1]
        )
    ]
    more = limit is not None and len(payouts) > limit
    payouts = payouts[:limit] if more else payouts
    named = named_among(treasurer, (p.member_id for p in payouts), Sight.DUTY)
    return Treasury(
        payouts=payouts,
        named=set(named),
        pending=pending_payouts().count() if limit is not None else len(payouts),
        next_after=payouts[-1].pk if more else None,
    )


def pools() -> QuerySet[Pool]:
    return Pool.objects.select_related("policy").prefetch_related("eligible_groups")


def preview_for(viewer: Member, slug: str) -> planning.Preview:
    """The next round of pool `slug` as it would be committed now; only for those who may
    commit it (Forbidden for anyone else, NotFound for no such pool)."""
    if not permissions.can_preview(viewer):
        raise Forbidden("Only stewards, treasurers and auditors preview distributions.")
    pool = Pool.objects.select_related("policy").filter(slug=slug).first()
    if pool is None:
        raise NotFound(f"No pool {slug!r}.")
    return planning.preview(pool)


def largest(preview: planning.Preview, limit: int) -> list[Allocation]:
    """The `limit` rows of a preview that receive most (payout, then carried out)."""
    return sorted(
        (a for a in preview.plan.allocations if a.payout or a.carried_out),
        key=lambda a: (-a.payout, -a.carried_out, a.member),
    )[:limit]


@dataclass(frozen=True)
class PoolPage:
    pool: Pool
    balance: int
    distributions: list[Distribution]
    preview: planning.Preview | None  # only for office holders
    top: list[Allocation]
    can_manage: bool  # edit the pool (stewards)
    can_move_money: bool  # fund, close, commit (treasurers)
    can_approve: bool  # approve the next round (office holders who would not benefit)
    approvals: list[RoundApproval]  # of the next round as previewed now
    needs_approval: bool  # the viewer would commit a round that gives them over the limit


def pool_page(viewer: Member, slug: str) -> PoolPage:
    pool = pools().filter(slug=slug).first()
    if pool is None:
        raise NotFound(f"No pool {slug!r}.")
    can_preview = permissions.can_preview(viewer)
    preview = preview_for(viewer, slug) if can_preview and pool.closed_at is None else None
    approvals: list[RoundApproval] = []
    gets = 0
    if preview is not None:
        approvals = list(
            RoundApproval.objects.filter(
                pool=pool, round=preview.inputs.round, rows_sha256=planning.rows_sha256(preview)
            ).select_related("approved_by")
        )
        gets = planning.gives_to(preview, viewer.pk)
    limit = int(settings.ACCORD_SELF_BENEFIT_APPROVAL_ABOVE)
    can_move_money = permissions.can_move_money(viewer)
    return PoolPage(
        pool=pool,
        balance=accounts.balance(accounts.pool_account(pool)),
        distributions=list(pool.distributions.all()),
        preview=preview,
        top=largest(preview, 50) if preview else [],
        can_manage=permissions.can_manage_pools(viewer),
        can_move_money=can_move_money,
        can_approve=permissions.can_approve_round(viewer) and gets <= limit,
        approvals=approvals,
        needs_approval=can_move_money
        and gets > limit
        and not any(a.approved_by_id != viewer.pk for a in approvals),
    )


def managed_pool(viewer: Member, slug: str, *, money: bool = False) -> Pool:
    """Pool `slug` for its edit form (those who may manage pools) or, for `money`, its fund
    and close forms (those who may move money)."""
    if money and not permissions.can_move_money(viewer):
        raise Forbidden("Only treasurers fund and close pools.")
    if not money and not permissions.can_manage_pools(viewer):
        raise Forbidden("Only stewards edit pools.")
    pool = pools().filter(slug=slug).first()
    if pool is None:
        raise NotFound(f"No pool {slug!r}.")
    return pool


def pool_form_choices(viewer: Member) -> dict[str, list[Any]]:
    """What the pool forms offer (published policy versions, groups), to those who may
    manage pools."""
    if not permissions.can_manage_pools(viewer):
        raise Forbidden("Only stewards create pools.")
    return {
        "policies": list(
            PolicyVersion.objects.order_by("-version").values_list("version", flat=True)
        ),
        "groups": list(Group.objects.order_by("name").values_list("slug", "name")),
    }


@dataclass(frozen=True)
class PoolList:
    pools: list[Pool]
    can_manage: bool  # offer "New pool" and the stewards' actions


def pool_list(viewer: Member) -> PoolList:
    return PoolList(pools=list(pools()), can_manage=permissions.can_manage_pools(viewer))


# -- whose money each distribution carried -----------------------------------------------------


@dataclass(frozen=True)
class DistributedPart:
    """Part of a committed round's payout to members that was `source`'s money."""

    source: str
    pool: str  # the pool's name (public)
    round: int
    on: date  # the day the round was committed
    amount: int


def distributed_by_source(unit: str, credit: Mapping[str, str]) -> list[DistributedPart]:
    """Whose money pools paid to members in `unit`, traced oldest money first
    (`trace_oldest_first`) twice: through the community fund into each pool it funded, then
    through each such pool into its committed rounds. `credit` names the source of an inflow
    by its transaction key: into the community fund (money a partner paid against a
    commitment) or straight into a pool (a partner funding it directly); anything else in
    the fund, and anything a pool got from elsewhere, is credited to nobody (""). Reads five
    queries, however many pools and rounds there are."""
    fund = list(
        Posting.objects.filter(account__kind=AccountKind.COMMUNITY_FUND, account__unit=unit)
        .order_by("transaction__at", "transaction_id")
        .values_list("transaction_id", "transaction__key", "amount")
    )
    out_of_fund = [tx for tx, _, amount in fund if amount < 0]
    into_pool = dict(
        Posting.objects.filter(transaction_id__in=out_of_fund, account__kind=AccountKind.POOL)
        .values_list("transaction_id", "account__pool_id")
        .order_by()
    )
    at_fund = ps.trace_oldest_first(
        ps.Inflow(credit.get(key, ""), amount)
        if amount > 0
        else ps.Outflow(f"{tx}", -amount, date.min)
        for tx, key, amount in fund
    )
    from_fund: dict[str, list[ps.Traced]] = {}
    for part in at_fund:
        from_fund.setdefault(part.to, []).append(part)
    pools = set(into_pool.values()) | set(
        Posting.objects.filter(
            transaction__key__in=list(credit), account__kind=AccountKind.POOL, account__unit=unit
        ).values_list("account__pool_id", flat=True)
    )
    moves = list(
        Posting.objects.filter(account__kind=AccountKind.POOL, account__pool_id__in=pools)
        .order_by("transaction__at", "transaction_id")
        .values_list("account__pool_id", "transaction_id", "transaction__key", "amount")
    )
    rounds = {
        f"distribution:{key}": (name, number, timezone.localdate(at))
        for key, name, number, at in Distribution.objects.filter(pool_id__in=pools).values_list(
            "key", "pool__name", "round", "committed_at"
        )
    }
    parts = []
    for pool in sorted(pools):
        flows: list[ps.Inflow | ps.Outflow] = []
        for _, tx, key, amount in (m for m in moves if m[0] == pool):
            if amount > 0 and f"{tx}" in from_fund:
                flows.extend(ps.Inflow(p.source, p.amount) for p in from_fund[f"{tx}"])
            elif amount > 0:
                flows.append(ps.Inflow(credit.get(key, ""), amount))
            else:
                flows.append(ps.Outflow(key, -amount, rounds.get(key, ("", 0, date.min))[2]))
        for part in ps.trace_oldest_first(flows):
            if part.source and part.to in rounds:
                name, number, on = rounds[part.to]
                parts.append(DistributedPart(part.source, name, number, on, part.amount))
    return parts
