"""Writes about pools and distributions: fund, commit once, choose, pay."""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accord.benefits import accounts, permissions, planning
from accord.benefits.models import (
    Account,
    AccountKind,
    Choice,
    Distribution,
    Payout,
    PayoutStatus,
    Pool,
    RoundApproval,
    Statement,
    Transaction,
)
from accord.benefits.schemas import (
    DEFAULT_FORMAT,
    ApproveIn,
    ChoiceIn,
    CloseIn,
    CommitIn,
    FundIn,
    PaidIn,
    PoolIn,
    PoolPatch,
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
from accord.web.inputs import BIGINT_MAX

logger = logging.getLogger(__name__)


def _format_problems(formats: list[str], publishing: list[str]) -> list[str]:
    checks = [
        (not formats or any(not f for f in formats), "offer at least one reward format"),
        (len(set(formats)) != len(formats), "each format is offered once"),
        (
            any(f not in formats for f in publishing),
            "each format that publishes members must be one of the pool's formats",
        ),
        (
            bool(formats) and formats[0] in publishing,
            "the first format is what an unanswered statement receives, so it cannot publish "
            "the member",
        ),
    ]
    return [message for failed, message in checks if failed]


def _refuse(problems: list[str]) -> None:
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")


def _groups(slugs: list[str]) -> list[Group]:
    groups = list(Group.objects.filter(slug__in=slugs).order_by("slug"))
    unknown = sorted(set(slugs) - {g.slug for g in groups})
    if unknown:
        raise InvalidInput(f"No group {', '.join(unknown)}.")
    return groups


def _managed_pool(
    actor: Member, slug: str, verb: str, *, lock: bool = False, money: bool = False
) -> Pool:
    """The pool `slug`, once `actor` may manage pools (or, for `money`, move money); locked
    for the transaction if asked."""
    if money and not permissions.can_move_money(actor):
        raise Forbidden(f"Only treasurers {verb}.")
    if not money and not permissions.can_manage_pools(actor):
        raise Forbidden(f"Only stewards {verb}.")
    pools = Pool.objects.select_related("policy")
    pool = (pools.select_for_update(of=("self",)) if lock else pools).filter(slug=slug).first()
    if pool is None:
        raise NotFound(f"No pool {slug!r}.")
    return pool


def _open(pool: Pool, doing: str) -> None:
    if pool.closed_at is not None:
        raise Conflict(f"{pool.name} is closed: it cannot be {doing}.")


def _policy_for_period(version: int, start: date, end: date) -> PolicyVersion:
    """Policy `version`, if it is in force for the whole period from `start` to `end`: it took
    effect by `start`, and no later version takes effect by `end`."""
    # The latest version's row lock, which publishing takes too: a version published at the
    # same moment is seen here, or sees this pool (contributions.services).
    PolicyVersion.objects.select_for_update().order_by("-version").first()
    policy = PolicyVersion.objects.filter(version=version).first()
    if policy is None:
        raise InvalidInput(f"No attribution policy version {version}.")
    if policy.effective_from > start:
        raise InvalidInput(
            f"Policy version {version} takes effect on {policy.effective_from}, after the "
            f"pool's period starts on {start}: choose a version in force for the whole period."
        )
    newer = (
        PolicyVersion.objects.filter(version__gt=version, effective_from__lte=end)
        .order_by("version")
        .first()
    )
    if newer is not None:
        raise InvalidInput(
            f"Policy version {newer.version} takes effect on {newer.effective_from}, by the end "
            f"of the pool's period ({end}): choose a version in force for the whole period."
        )
    return policy


def create_pool(actor: Member, data: PoolIn) -> Pool:
    """A steward opens a pool: its unit, method, period, policy and terms. The policy version
    must be in force for the whole period (policies cannot act on the past)."""
    if not permissions.can_manage_pools(actor):
        raise Forbidden("Only stewards create pools.")
    _refuse(
        [
            *(["a name is required"] if not data.name.strip() else []),
            *(
                ["a unit (a currency code, or e.g. training_credit) is required"]
                if not data.unit.strip()
                else []
            ),
            *(["the period ends before it starts"] if data.period_end < data.period_start else []),
            *_format_problems(data.formats, data.publishing_formats),
        ]
    )
    try:
        with transaction.atomic(durable=True):
            policy = _policy_for_period(data.policy, data.period_start, data.period_end)
            groups = _groups(data.eligible_groups)
            pool = Pool.objects.create(
                name=data.name.strip(),
                # At most 100 characters, so that "pool:<slug>" names it in the ledger.
                slug=slugify(data.name)[:100] or "pool",
                unit=data.unit.strip(),
                method=data.method,
                half_life_days=data.half_life_days,
                period_start=data.period_start,
                period_end=data.period_end,
                policy=policy,
                minimum_payout=data.minimum_payout,
                member_cap=data.member_cap,
                formats=data.formats,
                publishing_formats=data.publishing_formats,
                choice_days=data.choice_days,
                description=data.description.strip(),
            )
            pool.eligible_groups.set(groups)
            ledger.append(
                "pool.created",
                actor.pseudonym,
                f"pool:{pool.slug}",
                {
                    "unit": pool.unit,
                    "method": pool.method,
                    "policy": policy.version,
                    "period": [data.period_start.isoformat(), data.period_end.isoformat()],
                    "half_life_days": pool.half_life_days,
                    "minimum_payout": pool.minimum_payout,
                    "member_cap": pool.member_cap,
                    "formats": pool.formats,
                    "eligible_groups": [g.slug for g in groups],
                },
            )
    except IntegrityError as exc:
        raise Conflict(f"A pool called {data.name!r} already exists.") from exc
    return pool


# Changes to these are public terms of the next round; the name and description are text.
_TERMS = ("formats", "publishing_formats", "minimum_payout", "member_cap", "choice_days")


def _changed(pool: Pool, asked: dict[str, Any]) -> dict[str, Any]:
    """The fields of `asked` whose value differs from the pool's (strings stripped)."""
    groups = sorted(pool.eligible_groups.values_list("slug", flat=True))
    out = {}
    for field, value in asked.items():
        new = value.strip() if isinstance(value, str) else value
        old = groups if field == "eligible_groups" else getattr(pool, field)
        if (sorted(new) if field == "eligible_groups" else new) != old:
            out[field] = new
    return out


def edit_pool(actor: Member, pool_slug: str, data: PoolPatch) -> Pool:
    """A steward changes a pool's name, description or terms. Committed rounds keep the terms
    they used (each round stores them); the changes apply from the next round."""
    changes = data.dict(exclude_unset=True, exclude_none=True)
    if data.member_cap == 0:
        changes["member_cap"] = None
    try:
        with transaction.atomic(durable=True):
            pool = _managed_pool(actor, pool_slug, "edit pools", lock=True)
            _open(pool, "edited")
            changes = _changed(pool, changes)
            formats = changes.get("formats", pool.formats)
            publishing = changes.get("publishing_formats", pool.publishing_formats)
            _refuse(
                [
                    *(
                        ["a name is required"]
                        if not changes.get("name", pool.name).strip()
                        else []
                    ),
                    *_format_problems(formats, publishing),
                ]
            )
            groups = (
                _groups(changes.pop("eligible_groups")) if "eligible_groups" in changes else None
            )
            for field, value in changes.items():
                setattr(pool, field, value)
            pool.save()
            if groups is not None:
                pool.eligible_groups.set(groups)
            payload: dict[str, object] = {f: getattr(pool, f) for f in _TERMS if f in changes}
            if groups is not None:
                payload["eligible_groups"] = [g.slug for g in groups]
            for text in ("name", "description"):
                if text in changes:
                    payload[f"{text}_sha256"] = ledger.note(getattr(pool, text))
            if not payload:
                raise InvalidInput("Nothing to change.")
            ledger.append("pool.edited", actor.pseudonym, f"pool:{pool.slug}", payload)
    except IntegrityError as exc:
        raise Conflict(f"A pool called {data.name!r} already exists.") from exc
    return pool


@dataclass(frozen=True)
class Funded:
    pool: Pool
    amount: int
    balance: int  # what the pool holds after this funding


def fund_pool(actor: Member, pool_slug: str, data: FundIn) -> Funded:
    """Money or units arrive from a partner (or the community) into the pool. The source
    names a funding account; the ledger keeps only a salted hash of it (a note)."""
    source = data.source.strip()
    if not source:
        raise InvalidInput("Name where the funds come from.")
    with transaction.atomic(durable=True):
        pool = _managed_pool(actor, pool_slug, "fund pools", lock=True, money=True)
        _open(pool, "funded")
        key = f"fund:{data.key.strip() or uuid.uuid4().hex}"
        repeated = Transaction.objects.filter(key=key).exists()
        giver, pool_account = (
            accounts.community_fund_account(pool.unit)
            if data.from_community_fund
            else accounts.funding_account(source, pool.unit),
            accounts.pool_account(pool),
        )
        if not repeated:
            _within_the_columns(pool, giver, pool_account, data.amount)
            if data.from_community_fund:
                _held(giver, data.amount)
        accounts.post(
            key,
            f"{source} funds {pool.name}",
            [(giver, -data.amount), (pool_account, data.amount)],
        )
        if not repeated:
            ledger.append(
                "pool.funded",
                actor.pseudonym,
                f"pool:{pool.slug}",
                {
                    "amount": data.amount,
                    "unit": pool.unit,
                    "source_sha256": ledger.note(source),
                    **({"from": "community_fund"} if data.from_community_fund else {}),
                },
            )
        balance = accounts.balance(accounts.pool_account(pool))
    return Funded(pool=pool, amount=data.amount, balance=balance)


def _within_the_columns(pool: Pool, giver: Account, pool_account: Account, amount: int) -> None:
    """A funding may not take the pool's balance, nor the funding account's (negative, as it
    gives), past what a 64-bit amount column holds: every later round, posting and sum of
    them must still fit. Refused before a row moves; the giver's account is locked, so two
    fundings from one source into two pools cannot pass the bound together."""
    Account.objects.select_for_update().only("pk").get(pk=giver.pk)
    for whose, after in (
        (f"the pool {pool.name}", accounts.balance(pool_account) + amount),
        (f"the funding account {giver.label}", accounts.balance(giver) - amount),
    ):
        if abs(after) > BIGINT_MAX:
            raise InvalidInput(
                f"Funding {format_amount(amount, pool.unit)} would take {whose} past the "
                f"largest balance Accord can hold ({format_amount(BIGINT_MAX, pool.unit)}); "
                "fund less, or into another pool."
            )


def close_pool(actor: Member, pool_slug: str, data: CloseIn) -> Pool:
    """No further rounds or funding. What is left stays in the pool's account, stated in the
    ledger entry; statements already committed can still be chosen and paid."""
    if not data.reason.strip():
        raise InvalidInput("Say why the pool closes.")
    with transaction.atomic(durable=True):
        pool = _managed_pool(actor, pool_slug, "close pools", lock=True, money=True)
        _open(pool, "closed again")
        pool.closed_at = timezone.now()
        pool.save(update_fields=["closed_at"])
        ledger.append(
            "pool.closed",
            actor.pseudonym,
            f"pool:{pool.slug}",
            {
                "unit": pool.unit,
                "remaining": accounts.balance(accounts.pool_account(pool)),
                "rounds": pool.distributions.count(),
                "reason_sha256": ledger.note(data.reason.strip()),
            },
        )
    return pool


def commit_key(pool: Pool, data: CommitIn, next_round: int) -> tuple[int, str]:
    """The one rule for a commit's round and idempotency key: the round asked for (default
    the next) and the key given (default the round's name, "<pool>:<round>")."""
    round_ = data.round or next_round
    return round_, data.key.strip() or planning.distribution_id(pool, round_)


def commit_distribution(actor: Member, pool_slug: str, data: CommitIn) -> Distribution:
    """Commit the pool's next round exactly once: statements, postings and ledger entries in
    one transaction. A repeated key (or round) returns the committed round; a concurrent or
    second commit of the same round is refused by the database."""
    pool = _managed_pool(actor, pool_slug, "commit distributions", money=True)
    round_, key = commit_key(pool, data, pool.distributions.count() + 1)
    existing = Distribution.objects.filter(key=key).select_related("pool").first()
    if existing is not None:
        if existing.pool_id != pool.pk:
            raise Conflict(f"The key {key!r} was used for another pool.")
        return existing
    try:
        with transaction.atomic(durable=True):
            # Lock the pool row (PostgreSQL); SQLite's IMMEDIATE transaction serialises writers.
            pool = Pool.objects.select_for_update().select_related("policy").get(pk=pool.pk)
            preview = _next_round(pool, round_)
            _second_person(actor, pool, preview)
            distribution = _write(actor, pool, key, preview)
    except IntegrityError as exc:
        raise Conflict(f"This round of {pool.name} was already committed.") from exc
    ledger.sign_head(HeadReason.DISTRIBUTION)
    return distribution


def _next_round(pool: Pool, asked: int | None) -> planning.Preview:
    """The pool's next round as it stands now, once it is open, is the round `asked` (if
    any) and has something to share: what a commit and an approval both act on."""
    _open(pool, "distributed")
    preview = planning.preview(pool)
    if asked is not None and asked != preview.inputs.round:
        raise Conflict(
            f"Round {asked} of {pool.name} is not the next one ({preview.inputs.round}): "
            "preview again."
        )
    if preview.inputs.total <= 0:
        raise Conflict(f"{pool.name} holds nothing to distribute.")
    return preview


def _approval_limit() -> int:
    return int(settings.ACCORD_SELF_BENEFIT_APPROVAL_ABOVE)


def _second_person(actor: Member, pool: Pool, preview: planning.Preview) -> None:
    """Nobody commits a round they benefit from above the configured amount without another
    office holder's approval of exactly these rows."""
    gets, limit = planning.gives_to(preview, actor.pk), _approval_limit()
    if gets <= limit:
        return
    round_ = preview.inputs.round
    approvals = RoundApproval.objects.filter(pool=pool, round=round_).exclude(approved_by=actor)
    if approvals.filter(rows_sha256=planning.rows_sha256(preview)).exists():
        return
    above = f"more than {format_amount(limit, pool.unit)}" if limit else "anything"
    why = (
        "it changed since it was approved: it needs approving again"
        if approvals.exists()
        else "another steward, treasurer or auditor must approve it first"
    )
    raise Conflict(
        f"You would receive {format_amount(gets, pool.unit)} from round {round_} of "
        f"{pool.name}; whoever receives {above} from a round they commit needs a second "
        f"person's approval, and {why}."
    )


def approve_round(actor: Member, pool_slug: str, data: ApproveIn) -> RoundApproval:
    """A second office holder (steward, treasurer or auditor) approves a pool's next round as
    it would be committed now, so that a treasurer who benefits from it may commit it. The
    approval holds for these exact rows: if anything changes, it must be given again."""
    if not permissions.can_approve_round(actor):
        raise Forbidden("Only stewards, treasurers and auditors approve rounds.")
    with transaction.atomic(durable=True):
        pools = Pool.objects.select_for_update(of=("self",)).select_related("policy")
        pool = pools.filter(slug=pool_slug).first()
        if pool is None:
            raise NotFound(f"No pool {pool_slug!r}.")
        preview = _next_round(pool, data.round)
        round_ = preview.inputs.round
        gets, limit = planning.gives_to(preview, actor.pk), _approval_limit()
        if gets > limit:
            raise Conflict(
                f"You would receive {format_amount(gets, pool.unit)} from this round "
                "yourself: ask an office holder who does not benefit from it."
            )
        digest = planning.rows_sha256(preview)
        approval, _ = RoundApproval.objects.update_or_create(
            pool=pool,
            round=round_,
            approved_by=actor,
            defaults={"rows_sha256": digest, "approved_at": timezone.now()},
        )
        ledger.append(
            "round.approved",
            actor.pseudonym,
            f"pool:{pool.slug}",
            {"distribution": planning.distribution_id(pool, round_), "rows_sha256": digest},
        )
    return approval


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
        minimum_payout=pool.minimum_payout,
        member_cap=pool.member_cap,
        formats=pool.formats,
        publishing_formats=pool.publishing_formats,
        **_balanced_columns(inputs, plan),
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
        amount = planning.gives(a)
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
    public_rows = planning.public_rows(preview)
    distributed = inputs.total - plan.unallocated
    postings.append((accounts.pool_account(pool), -distributed))
    accounts.post(f"distribution:{key}", f"{pool.name} round {inputs.round}", postings)
    insert_rows(Statement._meta.db_table, _STATEMENT_COLUMNS, statements)
    distribution.statement_count = len(statements)
    distribution.save(update_fields=["statement_count"])
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


def _balanced_columns(inputs: planning.Inputs, plan: dist.DistributionPlan) -> dict[str, object]:
    terms = _balanced_terms(inputs, plan)
    if not terms:
        return {}
    return {"total_received": terms["total_received"], "level": terms["level"]}


def _balanced_terms(inputs: planning.Inputs, plan: dist.DistributionPlan) -> dict[str, str | int]:
    """What a member needs, besides their own numbers, to re-derive a BALANCED share."""
    if plan.method is not dist.Method.BALANCED:
        return {}
    level = dist.balanced_level(inputs.total, inputs.lifetime_cp, inputs.received)
    return {
        "total_received": plan.total_received,
        "level": f"{level.numerator}/{level.denominator}",
    }


def choose(actor: Member, statement_id: int, data: ChoiceIn) -> Statement:
    """The member decides what to do with their amount, before the deadline, once."""
    choice, format = data.choice, data.format.strip()
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
            # The formats this round offered, whatever the pool offers now.
            offered = st.distribution.formats
            if format not in offered or format == st.format:
                raise InvalidInput(f"Switch to one of: {', '.join(offered)}.")
            if format in st.distribution.publishing_formats and not has_consented(
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


def mark_paid(actor: Member, payout_id: int, data: PaidIn) -> Payout:
    """The treasurer marks one payout paid: a conditional update that must change one row.
    Nobody marks their own payout paid."""
    if not permissions.can_pay(actor):
        raise Forbidden("Only treasurers mark payouts as paid.")
    with transaction.atomic(durable=True):
        if Payout.objects.filter(pk=payout_id, statement__member=actor).exists():
            raise Forbidden("Someone else must mark your own payout paid.")
        updated = Payout.objects.filter(pk=payout_id, status=PayoutStatus.PENDING).update(
            status=PayoutStatus.PAID,
            paid_at=timezone.now(),
            paid_by=actor,
            reference=data.reference.strip()[:120],
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


# -- goals and commitments ---------------------------------------------------------------------


def _held(fund: Account, amount: int) -> None:
    """The community fund pays into a pool only what it holds (received partner money,
    donated-back payouts)."""
    held = accounts.balance(fund)
    if amount > held:
        raise Conflict(
            f"The community fund holds {format_amount(held, fund.unit)}; it cannot fund "
            f"{format_amount(amount, fund.unit)}."
        )


def receive_partner_funds(
    treasurer: Member, partner_slug: str, amount: int, unit: str, *, key: str
) -> Transaction:
    """Money a partner paid arrives in the community fund, from the partner's funding
    account, once per `key`; a treasurer can then fund a pool from it (`fund_pool` with
    `from_community_fund`). Joins the caller's transaction: the caller records why."""
    if not permissions.can_move_money(treasurer):
        raise Forbidden("Only treasurers record money received.")
    if amount <= 0:
        raise InvalidInput("The amount received must be more than zero.")
    with transaction.atomic(savepoint=False):
        giver = accounts.funding_account(f"partner:{partner_slug}", unit)
        fund = accounts.community_fund_account(unit)
        Account.objects.select_for_update().only("pk").get(pk=fund.pk)
        if accounts.balance(fund) + amount > BIGINT_MAX:
            raise InvalidInput("The community fund cannot hold that much; record less.")
        return accounts.post(
            key, f"received from partner {partner_slug}", [(giver, -amount), (fund, amount)]
        )


def fund_pool_for_partner(
    treasurer: Member, pool_slug: str, partner_slug: str, amount: int, unit: str, *, key: str
) -> tuple[Pool, Transaction]:
    """A partner's money (`amount` of `unit`) goes straight into an open pool that counts in
    that unit, from the partner's funding account (the one its payments into the community
    fund come from), once per `key`. Joins the caller's transaction: the caller links the
    transaction to the partnership and records why in the ledger."""
    with transaction.atomic(savepoint=False):
        pool = _managed_pool(treasurer, pool_slug, "fund pools", lock=True, money=True)
        _open(pool, "funded")
        if pool.unit != unit:
            raise InvalidInput(f"{pool.name} counts {pool.unit}; the partner's money is {unit}.")
        if amount <= 0:
            raise InvalidInput("The amount must be more than zero.")
        giver = accounts.funding_account(f"partner:{partner_slug}", unit)
        pool_account = accounts.pool_account(pool)
        if not Transaction.objects.filter(key=key).exists():
            _within_the_columns(pool, giver, pool_account, amount)
        posted = accounts.post(
            key,
            f"partner {partner_slug} funds {pool.name}",
            [(giver, -amount), (pool_account, amount)],
        )
        return pool, posted
