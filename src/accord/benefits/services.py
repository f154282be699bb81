"""Writes about pools and distributions: fund, commit once, choose, pay."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import orjson
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accord.benefits import accounts, permissions, planning
from accord.benefits.models import (
    Account,
    AccountKind,
    Choice,
    Distribution,
    Method,
    Payout,
    PayoutStatus,
    Pool,
    Statement,
    Transaction,
)
from accord.bulk import insert_rows
from accord.contributions.models import PolicyVersion
from accord.domain import distribution as dist
from accord.domain.commitments import rows_digest
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.money import format_amount
from accord.ledger import services as ledger
from accord.ledger.models import HeadReason
from accord.people.models import Group, Member, Purpose
from accord.people.visibility import has_consented

logger = logging.getLogger(__name__)
DEFAULT_FORMAT = "standard"


@dataclass(frozen=True)
class PoolInput:
    name: str
    unit: str
    method: str
    period_start: date
    period_end: date
    policy: PolicyVersion
    half_life_days: int = 90
    minimum_payout: int = 0
    member_cap: int | None = None
    formats: tuple[str, ...] = (DEFAULT_FORMAT,)
    publishing_formats: tuple[str, ...] = ()
    eligible_groups: tuple[Group, ...] = ()
    choice_days: int = 30
    description: str = ""


def _pool_problems(data: PoolInput) -> list[str]:
    checks = [
        (not data.name.strip(), "a name is required"),
        (data.method not in Method.values, f"method must be one of {', '.join(Method.values)}"),
        (data.period_end < data.period_start, "the period ends before it starts"),
        (
            not data.unit.strip() or len(data.unit) > 32,
            "a unit (currency code or e.g. training_credit) is required",
        ),
        (data.half_life_days < 1, "the half-life is at least one day"),
        (
            data.minimum_payout < 0 or (data.member_cap is not None and data.member_cap <= 0),
            "the minimum payout is zero or more and the cap is positive",
        ),
        (
            not data.formats or any(not f.strip() for f in data.formats),
            "offer at least one reward format",
        ),
        (
            any(f not in data.formats for f in data.publishing_formats),
            "each format that publishes members must be one of the pool's formats",
        ),
        (
            bool(data.formats) and data.formats[0] in data.publishing_formats,
            "the first format is what an unanswered statement receives, so it cannot publish "
            "the member",
        ),
    ]
    return [message for failed, message in checks if failed]


def create_pool(actor: Member, data: PoolInput) -> Pool:
    if not permissions.can_manage_pools(actor):
        raise Forbidden("Only stewards create pools.")
    problems = _pool_problems(data)
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    try:
        with transaction.atomic():
            pool = Pool.objects.create(
                name=data.name.strip(),
                # At most 100 characters, so that "pool:<slug>" names it in the ledger.
                slug=slugify(data.name)[:100] or "pool",
                unit=data.unit.strip(),
                method=data.method,
                half_life_days=data.half_life_days,
                period_start=data.period_start,
                period_end=data.period_end,
                policy=data.policy,
                minimum_payout=data.minimum_payout,
                member_cap=data.member_cap,
                formats=list(data.formats),
                publishing_formats=list(data.publishing_formats),
                choice_days=data.choice_days,
                description=data.description,
            )
            pool.eligible_groups.set(data.eligible_groups)
            ledger.append(
                "pool.created",
                actor.pseudonym,
                f"pool:{pool.slug}",
                {
                    "unit": pool.unit,
                    "method": pool.method,
                    "policy": data.policy.version,
                    "period": [data.period_start.isoformat(), data.period_end.isoformat()],
                    "half_life_days": pool.half_life_days,
                    "minimum_payout": pool.minimum_payout,
                    "member_cap": pool.member_cap,
                    "formats": pool.formats,
                    "eligible_groups": sorted(g.slug for g in data.eligible_groups),
                },
            )
    except IntegrityError as exc:
        raise Conflict(f"A pool called {data.name!r} already exists.") from exc
    return pool


def fund_pool(actor: Member, pool: Pool, *, amount: int, source: str, key: str) -> None:
    """Money or units arrive from a partner (or the community) into the pool."""
    if not permissions.can_manage_pools(actor):
        raise Forbidden("Only stewards fund pools.")
    if amount <= 0:
        raise InvalidInput("The amount must be positive.")
    if not source.strip():
        raise InvalidInput("Name where the funds come from.")
    with transaction.atomic():
        repeated = Transaction.objects.filter(key=f"fund:{key}").exists()
        accounts.post(
            f"fund:{key}",
            f"{source} funds {pool.name}",
            [
                (accounts.funding_account(source.strip(), pool.unit), -amount),
                (accounts.pool_account(pool), amount),
            ],
        )
        if not repeated:
            ledger.append(
                "pool.funded",
                actor.pseudonym,
                f"pool:{pool.slug}",
                {
                    "amount": amount,
                    "unit": pool.unit,
                    "source_sha256": ledger.note(source.strip()),
                },
            )


def commit_distribution(actor: Member, pool: Pool, *, key: str) -> Distribution:
    """Commit the pool's next round exactly once: statements, postings and ledger entries in
    one transaction. A repeated key returns the committed round; a concurrent or second
    commit of the same round is refused by the database."""
    if not permissions.can_manage_pools(actor):
        raise Forbidden("Only stewards commit distributions.")
    existing = Distribution.objects.filter(key=key).first()
    if existing is not None:
        if existing.pool_id != pool.pk:
            raise Conflict(f"The key {key!r} was used for another pool.")
        return existing
    try:
        with transaction.atomic():
            # Lock the pool row (PostgreSQL); SQLite's IMMEDIATE transaction serialises writers.
            Pool.objects.select_for_update().get(pk=pool.pk)
            preview = planning.preview(pool)
            if preview.inputs.total <= 0:
                raise Conflict(f"{pool.name} holds nothing to distribute.")
            distribution = _write(actor, pool, key, preview)
    except IntegrityError as exc:
        raise Conflict(f"This round of {pool.name} was already committed.") from exc
    ledger.sign_head(HeadReason.DISTRIBUTION)
    return distribution


_STATEMENT_COLUMNS = (
    *("distribution_id", "member_id", "weight", "points_cp", "share", "capped_excess"),
    *("redistributed", "carried_in", "carried_out", "payout", "received_before"),
    *("contribution_ids", "choice", "format"),
)


def _write(actor: Member, pool: Pool, key: str, preview: planning.Preview) -> Distribution:
    inputs, plan = preview.inputs, preview.plan
    today = timezone.localdate()
    distribution = Distribution.objects.create(
        pool=pool,
        round=inputs.round,
        key=key,
        method=pool.method,
        seed=inputs.seed,
        total=inputs.total,
        unallocated=plan.unallocated,
        policy=pool.policy,
        as_of=inputs.as_of,
        total_weight=str(sum(a.weight for a in plan.allocations)),
        committed_by=actor,
        choice_deadline=today + timedelta(days=pool.choice_days),
    )
    statements, records = [], []
    postings: list[tuple[Account | accounts.AccountRef, int]] = []
    member_ids, allocations = inputs.member_ids, plan.allocations
    paid_ids = [member_ids[i] for i, a in enumerate(allocations) if a.payout]
    carry_ids = [member_ids[i] for i, a in enumerate(allocations) if a.carried_out != a.carried_in]
    payables = accounts.member_account_refs(AccountKind.MEMBER_PAYABLE, paid_ids, pool.unit)
    carries = accounts.member_account_refs(AccountKind.MEMBER_CARRY, carry_ids, pool.unit, pool)
    statement_format = pool.formats[0] if pool.formats else DEFAULT_FORMAT
    no_contributions: list[int] = []
    public_rows: list[tuple[str, str, int]] = []
    for i, a in enumerate(allocations):
        if not (a.payout or a.carried_in or a.carried_out or a.weight):
            continue
        member_id, member_key = member_ids[i], inputs.keys[i]
        counted = inputs.contributions.get(member_id, no_contributions)
        weight = str(a.weight)
        # In _STATEMENT_COLUMNS order; the ids as JSON text, which JSONField reads back.
        statements.append(
            (
                *(distribution.pk, member_id, weight, inputs.points_cp[i], a.share),
                *(a.capped_excess, a.redistributed, a.carried_in, a.carried_out, a.payout),
                *(
                    inputs.received[i],
                    orjson.dumps(counted).decode(),
                    Choice.PENDING.value,
                    statement_format,
                ),
            )
        )
        if a.payout:
            postings.append((payables[member_id], a.payout))
        if a.carried_out != a.carried_in:
            postings.append((carries[member_id], a.carried_out - a.carried_in))
        # Public: the weight and what this round gave (share after the cap), never anything
        # that ties the row to the member's other rows; the rest is committed.
        amount = a.payout + a.carried_out - a.carried_in
        public_rows.append((member_key, weight, amount))
        records.append(
            ledger.about_member(
                "distribution.statement",
                actor.pseudonym,
                member_id,
                {
                    "distribution": inputs.seed,
                    "points_cp": inputs.points_cp[i],
                    "lifetime_cp": inputs.lifetime_cp[i],
                    "received_before": inputs.received[i],
                    "carried_in": a.carried_in,
                    "payout": a.payout,
                    "carried_out": a.carried_out,
                    "contributions": counted,
                },
                public={"distribution": inputs.seed, "weight": weight, "amount": amount},
                subject=member_key,
            )
        )
    distributed = inputs.total - plan.unallocated
    postings.append((accounts.pool_account(pool), -distributed))
    accounts.post(f"distribution:{key}", f"{pool.name} round {inputs.round}", postings)
    insert_rows(Statement._meta.db_table, _STATEMENT_COLUMNS, statements)
    ledger.append_many(
        [
            ledger.Record(
                "distribution.committed",
                actor.pseudonym,
                f"pool:{pool.slug}",
                {
                    "distribution": inputs.seed,
                    "pool": pool.slug,
                    "round": inputs.round,
                    "unit": pool.unit,
                    "method": pool.method,
                    "seed": inputs.seed,
                    "total": inputs.total,
                    "unallocated": plan.unallocated,
                    "distributed": distributed,
                    "carried_in": sum(a.carried_in for a in allocations),
                    "carried_out": sum(a.carried_out for a in allocations),
                    "policy": pool.policy.version,
                    "policy_sha256": pool.policy.digest,
                    "as_of": inputs.as_of.isoformat(),
                    "period": [pool.period_start.isoformat(), pool.period_end.isoformat()],
                    "half_life_days": pool.half_life_days,
                    "member_cap": pool.member_cap,
                    "minimum_payout": pool.minimum_payout,
                    "eligible": len(inputs.keys),
                    "statements": len(public_rows),
                    "total_weight": str(plan.total_weight),
                    "rows_sha256": rows_digest(public_rows),
                    **_balanced_terms(inputs, plan),
                },
            ),
            *records,
        ]
    )
    return distribution


def _balanced_terms(inputs: planning.Inputs, plan: dist.DistributionPlan) -> dict[str, str | int]:
    """What a member needs, besides their own numbers, to re-derive a BALANCED share."""
    if plan.method is not dist.Method.BALANCED:
        return {}
    level = dist.balanced_level(inputs.total, inputs.lifetime_cp, inputs.received)
    return {
        "total_received": plan.total_received,
        "level": f"{level.numerator}/{level.denominator}",
    }


def choose(actor: Member, statement_id: int, choice: str, *, format: str = "") -> Statement:
    """The member decides what to do with their amount, before the deadline, once."""
    if choice not in (Choice.TAKE, Choice.SWITCH, Choice.DONATE, Choice.DECLINE):
        raise InvalidInput("Choose take, switch, donate or decline.")
    with transaction.atomic():
        st = (
            Statement.objects.select_for_update(of=("self",))
            .select_related("distribution__pool", "member")
            .filter(pk=statement_id)
            .first()
        )
        if st is None or st.member_id != actor.pk:
            raise NotFound("No such statement.")
        pool = st.distribution.pool
        if st.payout <= 0:
            raise Conflict("There is nothing to choose: this statement pays nothing now.")
        if st.choice != Choice.PENDING:
            raise Conflict(f"You already chose: {st.get_choice_display().lower()}.")
        if timezone.localdate() > st.distribution.choice_deadline:
            raise Conflict(
                f"The deadline to choose was {st.distribution.choice_deadline:%d %b %Y}: "
                f"the amount is being taken as “{st.format}”."
            )
        chosen_format = st.format
        if choice == Choice.SWITCH:
            if format not in pool.formats or format == st.format:
                raise InvalidInput(f"Switch to one of: {', '.join(pool.formats)}.")
            if format in pool.publishing_formats and not has_consented(
                st.member, Purpose.PUBLIC_RECOGNITION
            ):
                raise InvalidInput(
                    f"“{format}” features you publicly: turn on “Public recognition” on "
                    "My consent first."
                )
            chosen_format = format
        _settle(st, choice, chosen_format, actor)
    return st


def _settle(st: Statement, choice: str, chosen_format: str, actor: Member | None) -> None:
    pool = st.distribution.pool
    payable = accounts.payable_account(st.member, pool.unit)
    if choice == Choice.DONATE:
        accounts.post(
            f"donate:{st.pk}",
            "Donated to the community fund",
            [(payable, -st.payout), (accounts.community_fund_account(pool.unit), st.payout)],
        )
    elif choice == Choice.DECLINE:
        accounts.post(
            f"decline:{st.pk}",
            f"Declined; back to {pool.name}",
            [(payable, -st.payout), (accounts.pool_account(pool), st.payout)],
        )
    else:
        Payout.objects.create(statement=st, amount=st.payout, unit=pool.unit, format=chosen_format)
    updated = Statement.objects.filter(pk=st.pk, choice=Choice.PENDING).update(
        choice=choice, format=chosen_format, chosen_at=timezone.now()
    )
    if updated != 1:
        raise Conflict("This statement was already settled.")
    st.choice, st.format = choice, chosen_format
    ledger.append_many(
        [
            ledger.about_member(
                "statement.choice",
                ledger.MEMBER if actor else ledger.SYSTEM,
                st.member_id,
                {
                    "distribution": planning.distribution_id(pool, st.distribution.round),
                    "choice": choice,
                    "format": chosen_format,
                    "amount": st.payout,
                },
            )
        ]
    )


def settle_expired(today: date | None = None) -> int:
    """After the deadline an unanswered statement is taken in the pool's first format.

    Each statement settles in its own transaction: one that fails is logged and the rest
    still settle; the failures are then reported together. A statement someone settled in
    the meantime (the member at the last moment, another worker) is skipped."""
    today = today or timezone.localdate()
    settled, failed = 0, []
    for st in Statement.objects.filter(
        choice=Choice.PENDING, payout__gt=0, distribution__choice_deadline__lt=today
    ).select_related("distribution__pool", "member"):
        try:
            with transaction.atomic():
                _settle(st, Choice.TAKE, st.format, None)
        except Conflict:
            continue
        except Exception:
            logger.exception("statement %s could not be settled", st.pk)
            failed.append(st.pk)
            continue
        settled += 1
    if failed:
        raise SettlementFailed(settled, failed)
    return settled


class SettlementFailed(Exception):
    def __init__(self, settled: int, failed: list[int]) -> None:
        super().__init__(
            f"{len(failed)} statement(s) could not be settled (ids {failed[:10]}); {settled} were."
        )
        self.settled, self.failed = settled, failed


def mark_paid(actor: Member, payout_id: int, *, reference: str = "") -> Payout:
    """The treasurer marks one payout paid: a conditional update that must change one row."""
    if not permissions.can_pay(actor):
        raise Forbidden("Only stewards mark payouts as paid.")
    with transaction.atomic():
        updated = Payout.objects.filter(pk=payout_id, status=PayoutStatus.PENDING).update(
            status=PayoutStatus.PAID,
            paid_at=timezone.now(),
            paid_by=actor,
            reference=reference.strip()[:120],
        )
        if updated != 1:
            if not Payout.objects.filter(pk=payout_id).exists():
                raise NotFound("No such payout.")
            raise Conflict("This payout was already marked paid.")
        payout = Payout.objects.select_related(
            "statement__member", "statement__distribution__pool"
        ).get(pk=payout_id)
        member = payout.statement.member
        accounts.post(
            f"paid:{payout.pk}",
            f"Paid {format_amount(payout.amount, payout.unit)}",
            [
                (accounts.payable_account(member, payout.unit), -payout.amount),
                (accounts.paid_out_account(payout.unit), payout.amount),
            ],
        )
        d = payout.statement.distribution
        ledger.append_many(
            [
                ledger.about_member(
                    "payout.paid",
                    actor.pseudonym,
                    member.pk,
                    {
                        "distribution": planning.distribution_id(d.pool, d.round),
                        "amount": payout.amount,
                        "unit": payout.unit,
                        "format": payout.format,
                    },
                )
            ]
        )
    return payout
