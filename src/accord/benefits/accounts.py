"""Double-entry bookkeeping: named accounts and balanced, idempotent transactions."""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from accord.benefits.models import Account, AccountKind, Pool, Posting, Transaction
from accord.bulk import fetch_rows, insert_rows
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


class AccountRef(NamedTuple):
    """What posting needs of an account, without building a model instance."""

    pk: int
    code: str
    unit: str


def member_account_refs(
    kind: str, member_ids: Sequence[int], unit: str, pool: Pool | None = None
) -> dict[int, AccountRef]:
    """Payable (per unit) or carry (per pool) accounts for many member ids, created where
    missing, as plain rows (100,000 model instances cost more than the queries)."""
    existing = Account.objects.filter(kind=kind, unit=unit)
    if kind == AccountKind.MEMBER_CARRY:
        existing = existing.filter(pool=pool)
    rows = existing.values_list("member_id", "pk", "code")

    def found() -> dict[int, AccountRef]:
        return {m: AccountRef(pk, code, unit) for m, pk, code in fetch_rows(rows)}

    refs = found()
    missing = [m for m in member_ids if m not in refs]
    if missing:
        carry = kind == AccountKind.MEMBER_CARRY and pool is not None
        pool_id = pool.pk if pool is not None else None
        _create_accounts(
            [
                (
                    f"carry:{m}:{pool_id}" if carry else f"payable:{m}:{unit}",
                    kind,
                    unit,
                    m,
                    pool_id,
                )
                for m in missing
            ]
        )
        refs = found()
    return {m: refs[m] for m in member_ids}


_ACCOUNT_COLUMNS = ("code", "kind", "unit", "member_id", "pool_id")


def _create_accounts(rows: list[tuple[str, str, str, int, int | None]]) -> None:
    # Like bulk_create(ignore_conflicts=True): an account created meanwhile is kept.
    table = connection.ops.quote_name(Account._meta.db_table)
    names = ", ".join(_ACCOUNT_COLUMNS)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"INSERT INTO {table} ({names}, label) VALUES (%s, %s, %s, %s, %s, '') "  # noqa: S608 - model table
                "ON CONFLICT DO NOTHING",
                rows,
            )
            return
        # COPY cannot skip conflicts, so the rows go through a temporary table.
        cursor.execute(
            "CREATE TEMPORARY TABLE accord_new_accounts (code varchar(200), kind varchar(16), "
            "unit varchar(32), member_id bigint, pool_id bigint)"
        )
        insert_rows("accord_new_accounts", _ACCOUNT_COLUMNS, rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}, label) SELECT {names}, '' "  # noqa: S608 - model table
            "FROM accord_new_accounts ON CONFLICT DO NOTHING"
        )
        cursor.execute("DROP TABLE accord_new_accounts")


def paid_out_account(unit: str) -> Account:
    return _account(f"paid_out:{unit}", AccountKind.PAID_OUT, unit, label="Paid out")


def community_fund_account(unit: str) -> Account:
    return _account(
        f"community_fund:{unit}", AccountKind.COMMUNITY_FUND, unit, label="Community fund"
    )


def balance(account: Account) -> int:
    return int(account.postings.aggregate(total=Sum("amount"))["total"] or 0)


def _fingerprint(memo: str, postings: Sequence[tuple[Account | AccountRef, int]]) -> str:
    text = (
        memo
        + "|"
        + ";".join(
            f"{a.code}={amount}" for a, amount in sorted(postings, key=lambda p: (p[0].code, p[1]))
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


def post(key: str, memo: str, postings: Sequence[tuple[Account | AccountRef, int]]) -> Transaction:
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
            _insert_postings(tx, postings)
    except IntegrityError as exc:
        raise Conflict(f"The key {key!r} was used by a concurrent transaction.") from exc
    return tx


def _insert_postings(
    tx: Transaction, postings: Sequence[tuple[Account | AccountRef, int]]
) -> None:
    insert_rows(
        Posting._meta.db_table,
        ("transaction_id", "account_id", "amount", "unit"),
        [(tx.pk, a.pk, amount, a.unit) for a, amount in postings if amount],
    )
