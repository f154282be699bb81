"""Turn the database into the plain inputs of a distribution, and call the domain.

Who is eligible and how many points they have depends only on verified contributions and
on having been in an eligible group during the period: never on consent settings, and
leaving a group afterwards changes nothing (the autonomy invariant).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet, Sum

from accord.benefits import accounts
from accord.benefits.models import Method, Pool, Posting, Statement
from accord.bulk import fetch_rows
from accord.contributions.models import Contribution, Kind, Status
from accord.contributions.queries import domain_policy
from accord.domain import distribution as dist
from accord.domain.attribution import member_totals, score_many, tenure_months_many
from accord.domain.commitments import blind, rows_digest
from accord.people.models import Member, Membership

KINDS = tuple(Kind.values)


@dataclass
class Inputs:
    pool: Pool
    round: int
    as_of: date
    total: int
    member_ids: list[int]
    keys: list[str]  # each member's blinded statement subject, in member_ids order
    points_cp: list[int]
    weights: list[int]
    lifetime_cp: list[int]
    received: list[int]
    carried_in: list[int]
    contributions: dict[int, list[int]]  # member id -> contribution ids counted

    @property
    def seed(self) -> str:
        return distribution_id(self.pool, self.round)


def distribution_id(pool: Pool, round: int) -> str:
    """How the ledger names a pool's round; also the tie-break seed of its rounding."""
    return f"{pool.slug}:{round}"


def statement_context(pool: Pool, round: int) -> str:
    """What a member's statement subject is blinded with: the same in preview and commit."""
    return f"statement:{distribution_id(pool, round)}"


@dataclass
class Preview:
    inputs: Inputs
    plan: dist.DistributionPlan


def eligible_member_ids(pool: Pool) -> list[int]:
    """Members of an eligible group at any time during the period (everyone if none set).
    An erased member's tombstone receives nothing new."""
    groups = list(pool.eligible_groups.values_list("pk", flat=True))
    if not groups:
        return _ints(
            Member.objects.filter(erased_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    during = Membership.objects.filter(
        Q(left_at__isnull=True) | Q(left_at__date__gte=pool.period_start),
        group__in=groups,
        joined_at__date__lte=pool.period_end,
        member__erased_at__isnull=True,
    )
    return sorted(set(_ints(during.values_list("member_id", flat=True))))


def _ints(query: QuerySet[Any, int]) -> list[int]:
    # 100,000 ids in one fetch, without the ORM's per-row work.
    return [row[0] for row in fetch_rows(query)]


_EPOCH = date(1970, 1, 1)


def _epoch_days_sql(column: str, *, timestamp: bool = False) -> str:
    # The date (the UTC date of a timestamp) as an integer computed by the database, so
    # a million rows arrive as plain ints instead of date objects built one by one.
    if connection.vendor == "sqlite":
        day = f"date({column})" if timestamp else column
        return f"CAST(julianday({day}) - 2440587.5 AS INTEGER)"
    value = f"({column} AT TIME ZONE 'UTC')::date" if timestamp else column
    return f"({value} - DATE '1970-01-01')"


def _int_rows(sql: str, params: list[str | int], width: int) -> np.ndarray:
    """The rows of a query selecting `width` integers, as an (n, width) int64 array."""
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(100_000):
            chunks.append(np.array(rows, dtype=np.int64).reshape(len(rows), width))
    return np.concatenate(chunks) if chunks else np.zeros((0, width), dtype=np.int64)


def _members(member_ids: list[int], context: str) -> tuple[list[str], np.ndarray]:
    """Blinded subjects in `context` and join dates (days since 1970-01-01) of `member_ids`,
    in that order."""
    # One pass over all members: an IN list of 100,000 ids is slower, and too long for SQLite.
    table = connection.ops.quote_name(Member._meta.db_table)
    joined = _epoch_days_sql("joined_at", timestamp=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, ledger_secret, {joined} FROM {table} ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    wanted = np.array(member_ids, dtype=np.int64)
    position = np.minimum(np.searchsorted(ids, wanted), max(len(rows) - 1, 0))
    if len(wanted) and (not len(rows) or np.any(ids[position] != wanted)):
        raise KeyError("an eligible member does not exist")
    position = position.tolist()
    keys = [blind(bytes(rows[p][1]), context) for p in position]
    return keys, np.array([rows[p][2] for p in position], np.int64)


def _contribution_rows(since: date, until: date) -> np.ndarray:
    """id, member id, kind code, level, impact, hours_h100 and date (days since 1970-01-01) of
    the verified contributions dated in [since, until], ordered by id."""
    quote = connection.ops.quote_name
    table, day = quote(Contribution._meta.db_table), quote("date")
    cases = " ".join(["WHEN %s THEN %s"] * len(KINDS))
    sql = (
        f"SELECT id, member_id, CASE kind {cases} ELSE -1 END, level, impact, hours_h100, "  # noqa: S608 - model table
        f"{_epoch_days_sql(day)} FROM {table} WHERE status = %s AND {day} >= %s AND {day} <= %s"
    )
    params: list[str | int] = [v for code, k in enumerate(KINDS) for v in (k, code)]
    adapt = connection.ops.adapt_datefield_value
    params += [Status.VERIFIED.value, str(adapt(since)), str(adapt(until))]
    rows = _int_rows(sql, params, 7)
    unknown = np.flatnonzero(rows[:, 2] < 0)
    if unknown.size:
        raise KeyError(f"contribution {int(rows[unknown[0], 0])} has an unknown kind")
    return rows[np.argsort(rows[:, 0], kind="stable")]


def _grouped(
    ids: np.ndarray, member_of: np.ndarray, member_ids: list[int]
) -> dict[int, list[int]]:
    """member id -> its contribution ids in ascending order, for members that have any."""
    order = np.argsort(member_of, kind="stable")
    flat = ids[order].tolist()
    counts = np.bincount(member_of, minlength=len(member_ids))
    ends = np.cumsum(counts)
    return {
        member_ids[j]: flat[end - count : end]
        for j, count, end in zip(
            np.flatnonzero(counts).tolist(),
            counts[counts > 0].tolist(),
            ends[counts > 0].tolist(),
            strict=True,
        )
    }


def gather(pool: Pool, *, as_of: date | None = None) -> Inputs:
    as_of = as_of or pool.period_end
    member_ids = eligible_member_ids(pool)
    n = len(member_ids)
    round_ = pool.distributions.count() + 1
    keys, joined_days = _members(member_ids, statement_context(pool, round_))
    policy = domain_policy(pool.policy)
    since = date.min if pool.method == Method.BALANCED else pool.period_start
    rows = _contribution_rows(since, pool.period_end)
    # Keep the contributions of eligible members; member_of is their index in member_ids.
    eligible = np.array(member_ids, dtype=np.int64)
    order = np.argsort(eligible, kind="stable")
    position = np.searchsorted(eligible[order], rows[:, 1])
    found = position < n
    found[found] = eligible[order][position[found]] == rows[found, 1]
    rows, member_of = rows[found], order[position[found]]
    days = rows[:, 6]
    points = score_many(
        rows[:, 2],
        rows[:, 3],
        rows[:, 4],
        rows[:, 5],
        tenure_months_many(joined_days[member_of], days),
        policy,
        KINDS,
    )
    in_period = days >= (pool.period_start - _EPOCH).days
    period_totals = member_totals(member_of[in_period], points[in_period], n, policy.member_cap_cp)
    lifetime = member_totals(member_of, points, n, None)
    if pool.method == Method.RECENT:
        age = (as_of - _EPOCH).days - days
        weights = [
            int(w)
            for w in dist.recent_weights(
                member_of, points, np.maximum(age, 0), n, pool.half_life_days
            )
        ]
    else:
        weights = period_totals.tolist()
    counted = slice(None) if pool.method == Method.BALANCED else in_period
    return Inputs(
        pool=pool,
        round=round_,
        as_of=as_of,
        total=accounts.balance(accounts.pool_account(pool)),
        member_ids=member_ids,
        keys=keys,
        points_cp=period_totals.tolist(),
        weights=weights,
        lifetime_cp=lifetime.tolist(),
        received=_received(pool, member_ids),
        carried_in=_carried(pool, member_ids),
        contributions=_grouped(rows[counted, 0], member_of[counted], member_ids),
    )


def _received(pool: Pool, member_ids: list[int]) -> list[int]:
    """What earlier rounds of this pool allocated to each member (payout + carried out)."""
    rows = (
        Statement.objects.filter(distribution__pool=pool)
        .values("member_id")
        .annotate(paid=Sum("payout"), out=Sum("carried_out"), inn=Sum("carried_in"))
    )
    got = {r["member_id"]: r["paid"] + r["out"] - r["inn"] for r in rows}
    return [int(got.get(m, 0)) for m in member_ids]


def _carried(pool: Pool, member_ids: list[int]) -> list[int]:
    rows = (
        Posting.objects.filter(account__pool=pool, account__kind="member_carry")
        .values("account__member_id")
        .annotate(total=Sum("amount"))
    )
    carry = {r["account__member_id"]: r["total"] for r in rows}
    return [int(carry.get(m, 0)) for m in member_ids]


def preview(pool: Pool, *, as_of: date | None = None) -> Preview:
    inputs = gather(pool, as_of=as_of)
    plan = dist.plan_distribution(
        pool=inputs.total,
        method=dist.Method(pool.method),
        keys=inputs.keys,
        weights=inputs.weights,
        lifetime_points=inputs.lifetime_cp,
        received=inputs.received,
        carried_in=inputs.carried_in,
        cap=pool.member_cap,
        minimum=pool.minimum_payout,
        seed=inputs.seed,
    )
    return Preview(inputs=inputs, plan=plan)


def gives(a: dist.Allocation) -> int:
    """What a round gives a member: the payout and what it carries out, net of what it
    carried in (the amount a public row shows)."""
    return a.payout + a.carried_out - a.carried_in


def _listed(a: dist.Allocation) -> bool:
    return bool(a.payout or a.carried_in or a.carried_out or a.weight)


def public_rows(p: Preview) -> list[tuple[str, str, int]]:
    """The round's public rows [subject, weight, amount] in ledger order: those a statement
    is written for. The committed entry publishes their digest."""
    return [
        (p.inputs.keys[i], str(a.weight), gives(a))
        for i, a in enumerate(p.plan.allocations)
        if _listed(a)
    ]


def rows_sha256(p: Preview) -> str:
    """The digest of the round's public rows: what an approval of the round approves."""
    return rows_digest(public_rows(p))


def gives_to(p: Preview, member_id: int) -> int:
    """What the round would give `member_id` (0 if nothing)."""
    for i, mid in enumerate(p.inputs.member_ids):
        if mid == member_id:
            return gives(p.plan.allocations[i])
    return 0
