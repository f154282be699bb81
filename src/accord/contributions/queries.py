"""Reads about contributions and the published criteria."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from accord.contributions.models import LEVELS, Contribution, Kind, PolicyVersion, Status
from accord.contributions.policy import PolicyDocument, parse_policy
from accord.domain.attribution import (
    AttributionPolicy,
    member_totals,
    score_many,
    tenure_months,
)
from accord.people.models import GroupRole, Member
from accord.people.permissions import is_steward

KINDS = tuple(Kind.values)


def mine(member: Member) -> QuerySet[Contribution]:
    return Contribution.objects.filter(member=member).select_related("group", "reviewer")


def review_queue(actor: Member) -> QuerySet[Contribution]:
    """Contributions waiting for this reviewer: all for stewards, their groups' for leads."""
    qs = (
        Contribution.objects.filter(status__in=[Status.PENDING, Status.DISPUTED])
        .exclude(member=actor)
        .select_related("member", "group")
        .order_by("date", "id")
    )
    if is_steward(actor):
        return qs
    led = actor.memberships.filter(
        left_at__isnull=True, role__in=[GroupRole.LEAD, GroupRole.CO_LEAD]
    ).values("group")
    return qs.filter(group__in=led)


def policy_in_force(on: date) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(effective_from__lte=on).order_by("-version").first()


def domain_policy(version: PolicyVersion) -> AttributionPolicy:
    return parse_policy(version.document).to_domain(version.version)


def _d(value: Any) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def plain_language(version: PolicyVersion) -> list[str]:
    """The policy as sentences a member can check their statement against."""
    doc = PolicyDocument.model_validate(version.document)
    lines = ["Each verified contribution earns base points for its kind:"]
    lines += [f"  {Kind(k).label}: {_d(v)} points" for k, v in doc.base_points.items()]
    lines.append(
        "The base is multiplied by the level of the work ("
        + ", ".join(
            f"{LEVELS[k].lower()} ×{_d(v)}" for k, v in sorted(doc.level_multipliers.items())
        )
        + ") and by the impact the reviewer rated ("
        + ", ".join(f"{k} ×{_d(v)}" for k, v in sorted(doc.impact_multipliers.items()))
        + ")."
    )
    lines.append(
        f"Time adds {_d(doc.points_per_hour)} points per hour, counting at most "
        f"{_d(doc.hours_cap)} hours per contribution."
    )
    steps = "; ".join(f"from {s.min_months} months ×{_d(s.multiplier)}" for s in doc.tenure)
    lines.append(f"Long involvement is recognised by a tenure factor: {steps}.")
    if doc.member_cap_per_period is not None:
        lines.append(
            f"One member counts at most {_d(doc.member_cap_per_period)} points in a pool's period."
        )
    lines.append("Points are rounded to hundredths, half to even, once per contribution.")
    return lines


@dataclass(frozen=True)
class Change:
    members: int
    gain: int
    lose: int
    same: int
    biggest_gain_cp: int
    biggest_loss_cp: int
    mean_change_cp: int
    since: date


def what_changes(new: PolicyVersion, old: PolicyVersion | None) -> Change | None:
    """Against the previous version: members' points over the last 12 months under each."""
    if old is None:
        return None
    since = new.effective_from - timedelta(days=365)
    rows = list(
        Contribution.objects.filter(
            Q(status=Status.VERIFIED), date__gte=since, date__lt=new.effective_from
        ).values_list(
            "member_id", "kind", "level", "impact", "hours_h100", "date", "member__joined_at"
        )
    )
    if not rows:
        return Change(0, 0, 0, 0, 0, 0, 0, since)
    member_ids = sorted({r[0] for r in rows})
    index = {m: i for i, m in enumerate(member_ids)}
    arrays = _arrays(rows, index)
    totals = []
    for version in (old, new):
        policy = domain_policy(version)
        points = score_many(
            arrays["kind"],
            arrays["level"],
            arrays["impact"],
            arrays["hours"],
            arrays["tenure"],
            policy,
            KINDS,
        )
        totals.append(member_totals(arrays["member"], points, len(member_ids), None))
    delta = np.asarray(totals[1], dtype=np.int64) - np.asarray(totals[0], dtype=np.int64)
    return Change(
        members=len(member_ids),
        gain=int((delta > 0).sum()),
        lose=int((delta < 0).sum()),
        same=int((delta == 0).sum()),
        biggest_gain_cp=max(int(delta.max()), 0),
        biggest_loss_cp=min(int(delta.min()), 0),
        mean_change_cp=round(float(delta.mean())) if len(delta) else 0,
        since=since,
    )


def _arrays(rows: list[tuple[Any, ...]], index: dict[int, int]) -> dict[str, np.ndarray]:
    kind_code = {k: i for i, k in enumerate(KINDS)}

    return {
        "member": np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=len(rows)),
        "kind": np.fromiter((kind_code[r[1]] for r in rows), dtype=np.int64, count=len(rows)),
        "level": np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows)),
        "impact": np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows)),
        "hours": np.fromiter((r[4] for r in rows), dtype=np.int64, count=len(rows)),
        "tenure": np.fromiter(
            (tenure_months(r[6].date(), r[5]) for r in rows), dtype=np.int64, count=len(rows)
        ),
    }
