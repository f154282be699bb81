"""Double-entry bookkeeping: named accounts and balanced, idempotent transactions."""

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Sum

from accord.benefits.models import Account, AccountKind, Pool, Posting, Transaction
from accord.domain.errors import Conflict, InvalidInput
from accord.people.models import Member


def _account(code: str, kind: str, unit: str, **owner: object) -> Account:
    account, _ = Account.objects.get_or_create(
        code=code, defaults={"kind": kind, "unit": unit, **owner}
    )
    return account


def pool_account(pool: Pool) -> Account:
    return _account(f"pool:{pool.pk}", AccountKind.POOL, pool.unit, pool=pool, label=pool.name)


def funding_account(source: str, unit: str) -> Account:
    return _account(f"funding:{source}:{unit}", AccountKind.PARTNER_FUNDING, unit, label=source)


def payable_account(member: Member, unit: str) -> Account:
    return _account(f"payable:{member.pk}:{unit}", AccountKind.MEMBER_PAYABLE, unit, member=member)


def member_accounts(
    kind: str, members: list[Member], unit: str, pool: Pool | None = None
) -> dict[int, Account]:
    """Payable (per unit) or carry (per pool) accounts for many members in a few queries."""
    existing = Account.objects.filter(kind=kind, unit=unit)
    if kind == AccountKind.MEMBER_CARRY:
        existing = existing.filter(pool=pool)
    found = {a.member_id: a for a in existing}
    missing = [m for m in members if m.pk not in found]
    if missing:

        def code(m: Member) -> str:
            if kind == AccountKind.MEMBER_CARRY and pool is not None:
                return f"carry:{m.pk}:{pool.pk}"
            return f"payable:{m.pk}:{unit}"

        Account.objects.bulk_create(
            [Account(code=code(m), kind=kind, unit=unit, member=m, pool=pool) for m in missing],
            batch_size=5000,
            ignore_conflicts=True,
        )
        found = {a.member_id: a for a in existing.all()}
    return {m.pk: found[m.pk] for m in members}


def carry_account(member: Member, pool: Pool) -> Account:
    return _account(
        f"carry:{member.pk}:{pool.pk}",
        AccountKind.MEMBER_CARRY,
        pool.unit,
        member=member,
        pool=pool,
    )


def paid_out_account(unit: str) -> Account:
    return _account(f"paid_out:{unit}", AccountKind.PAID_OUT, unit, label="Paid out")


def community_fund_account(unit: str) -> Account:
    return _account(
        f"community_fund:{unit}", AccountKind.COMMUNITY_FUND, unit, label="Community fund"
    )


def balance(account: Account) -> int:
    return int(account.postings.aggregate(total=Sum("amount"))["total"] or 0)


def _fingerprint(memo: str, postings: Sequence[tuple[Account, int]]) -> str:
    text = (
        memo
        + "|"
        + ";".join(
            f"{a.code}={amount}" for a, amount in sorted(postings, key=lambda p: (p[0].code, p[1]))
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


def post(key: str, memo: str, postings: Sequence[tuple[Account, int]]) -> Transaction:
    """Write a balanced transaction once. The same key with the same postings returns the
    first transaction; the same key with different postings is refused."""
    totals: dict[str, int] = defaultdict(int)
    for account, amount in postings:
        totals[account.unit] += amount
    unbalanced = {unit: total for unit, total in totals.items() if total}
    if unbalanced:
        raise InvalidInput(f"Postings do not balance: {unbalanced}.")
    fingerprint = _fingerprint(memo, postings)
    existing = Transaction.objects.filter(key=key).first()
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise Conflict(f"The key {key!r} was already used for a different transaction.")
        return existing
    try:
        with transaction.atomic():
            tx = Transaction.objects.create(key=key, fingerprint=fingerprint, memo=memo[:300])
            Posting.objects.bulk_create(
                [
                    Posting(transaction=tx, account=a, amount=amount, unit=a.unit)
                    for a, amount in postings
                    if amount
                ],
                batch_size=5000,
            )
    except IntegrityError as exc:
        raise Conflict(f"The key {key!r} was used by a concurrent transaction.") from exc
    return tx
