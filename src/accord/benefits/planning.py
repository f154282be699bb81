"""Turn the database into the plain inputs of a distribution, and call the domain.

Who is eligible and how many points they have depends only on verified contributions and
on having been in an eligible group during the period: never on consent settings, and
leaving a group afterwards changes nothing (the autonomy invariant).
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db.models import Q, Sum

from accord.benefits import accounts
from accord.benefits.models import Method, Pool, Statement
from accord.contributions.models import Contribution, Kind, Status
from accord.contributions.queries import domain_policy
from accord.domain import distribution as dist
from accord.domain.attribution import member_totals, score_many
from accord.people.models import Member, Membership

KINDS = tuple(Kind.values)
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}


@dataclass
class Inputs:
    pool: Pool
    round: int
    as_of: date
    total: int
    member_ids: list[int]
    keys: list[str]  # pseudonyms, in member_ids order
    points_cp: list[int]
    weights: list[int]
    lifetime_cp: list[int]
    received: list[int]
    carried_in: list[int]
    contributions: dict[int, list[int]]  # member id -> contribution ids counted

    @property
    def seed(self) -> str:
        return f"{self.pool.slug}:{self.round}"


@dataclass
class Preview:
    inputs: Inputs
    plan: dist.DistributionPlan


def eligible_member_ids(pool: Pool) -> list[int]:
    """Members of an eligible group at any time during the period (everyone if none set)."""
    groups = list(pool.eligible_groups.values_list("pk", flat=True))
    if not groups:
        return list(Member.objects.order_by("pk").values_list("pk", flat=True))
    during = Membership.objects.filter(
        Q(left_at__isnull=True) | Q(left_at__date__gte=pool.period_start),
        group__in=groups,
        joined_at__date__lte=pool.period_end,
    )
    return sorted(set(during.values_list("member_id", flat=True)))


def _tenure(days: np.ndarray, joined: np.ndarray) -> np.ndarray:
    """Whole months between two dates given as (year, month, day) arrays."""
    months = (days[:, 0] - joined[:, 0]) * 12 + (days[:, 1] - joined[:, 1])
    months -= (days[:, 2] < joined[:, 2]).astype(np.int64)
    result: np.ndarray = np.maximum(months, 0)
    return result


def gather(pool: Pool, *, as_of: date | None = None) -> Inputs:
    as_of = as_of or pool.period_end
    member_ids = eligible_member_ids(pool)
    index = {m: i for i, m in enumerate(member_ids)}
    n = len(member_ids)
    # One pass over all members: an IN list of 100,000 ids is slower, and too long for SQLite.
    keys_by_id, joined = {}, {}
    for pk, pseudonym, joined_at in Member.objects.values_list("pk", "pseudonym", "joined_at"):
        if pk in index:
            keys_by_id[pk], joined[pk] = pseudonym, joined_at.date()
    policy = domain_policy(pool.policy)
    since = date.min if pool.method == Method.BALANCED else pool.period_start
    rows = list(
        Contribution.objects.filter(
            status=Status.VERIFIED, date__gte=since, date__lte=pool.period_end
        )
        .order_by("id")
        .values_list("id", "member_id", "kind", "level", "impact", "hours_h100", "date")
    )
    rows = [r for r in rows if r[1] in index]
    count = len(rows)
    member_of = np.fromiter((index[r[1]] for r in rows), dtype=np.int64, count=count)
    dates = np.array([(r[6].year, r[6].month, r[6].day) for r in rows], dtype=np.int64).reshape(
        count, 3
    )
    joins = np.array(
        [(joined[r[1]].year, joined[r[1]].month, joined[r[1]].day) for r in rows], dtype=np.int64
    ).reshape(count, 3)
    points = score_many(
        np.fromiter((_KIND_CODE[r[2]] for r in rows), dtype=np.int64, count=count),
        np.fromiter((r[3] for r in rows), dtype=np.int64, count=count),
        np.fromiter((r[4] for r in rows), dtype=np.int64, count=count),
        np.fromiter((r[5] for r in rows), dtype=np.int64, count=count),
        _tenure(dates, joins) if count else np.zeros(0, dtype=np.int64),
        policy,
        KINDS,
    )
    in_period = np.fromiter((r[6] >= pool.period_start for r in rows), dtype=bool, count=count)
    period_totals = member_totals(member_of[in_period], points[in_period], n, policy.member_cap_cp)
    lifetime = member_totals(member_of, points, n, None)
    if pool.method == Method.RECENT:
        age = np.fromiter(((as_of - r[6]).days for r in rows), dtype=np.int64, count=count)
        weights = [
            int(w)
            for w in dist.recent_weights(
                member_of, points, np.maximum(age, 0), n, pool.half_life_days
            )
        ]
    else:
        weights = [int(w) for w in period_totals]
    contributions: dict[int, list[int]] = {}
    for r, counted in zip(rows, in_period, strict=True):
        if counted or pool.method == Method.BALANCED:
            contributions.setdefault(r[1], []).append(r[0])
    return Inputs(
        pool=pool,
        round=pool.distributions.count() + 1,
        as_of=as_of,
        total=accounts.balance(accounts.pool_account(pool)),
        member_ids=member_ids,
        keys=[keys_by_id[m] for m in member_ids],
        points_cp=[int(p) for p in period_totals],
        weights=weights,
        lifetime_cp=[int(p) for p in lifetime],
        received=_received(pool, member_ids),
        carried_in=_carried(pool, member_ids),
        contributions=contributions,
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
    from accord.benefits.models import Posting

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
