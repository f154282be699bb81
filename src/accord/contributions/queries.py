"""Reads about contributions and the published criteria."""

import heapq
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from accord.contributions import permissions
from accord.contributions.models import LEVELS, Contribution, Kind, PolicyVersion, Status
from accord.contributions.policy import PolicyDocument, parse_policy
from accord.contributions.schemas import IMPORT_OPTIONAL, IMPORT_REQUIRED
from accord.domain.attribution import (
    AttributionPolicy,
    member_totals,
    score_many,
    tenure_months,
)
from accord.domain.disclosure import Cell, Hidden, release_statistic, suppress_counts
from accord.domain.errors import NotFound
from accord.ledger.queries import newest_entry_of
from accord.people.models import GroupRole, Member
from accord.people.permissions import is_steward
from accord.people.visibility import Sight, may
from accord.web.kept import shown_key

KINDS = tuple(Kind.values)


def partnerships() -> QuerySet[Any]:
    """The partnership agreements a contribution may name. Partners sit above contributions,
    so the agreements are reached through the link the contribution's field declares."""
    agreement: Any = Contribution._meta.get_field("partnership").related_model
    found: QuerySet[Any] = agreement._default_manager.select_related("partner")
    return found.order_by("partner__name", "title")


def mine(member: Member) -> QuerySet[Contribution]:
    return Contribution.objects.filter(member=member).select_related("group", "reviewer")


REVIEW_PAGE = 50  # the review page shows the oldest 50 waiting; reviewing brings up the next


@dataclass(frozen=True)
class QueueRow:
    """A contribution as the review page and the API's queue show it: no description nor
    evidence, and only the maker's handle and name (their profile is not read for a list)."""

    pk: int
    member_id: int
    pseudonym: str
    display_name: str
    group_slug: str | None
    group_name: str | None
    kind: str
    title: str
    date: date
    level: int
    hours_h100: int
    status: str
    impact: int | None
    review_note: str
    dispute_reason: str
    created_at: datetime

    @property
    def hours(self) -> str:
        whole, part = divmod(self.hours_h100, 100)
        return f"{whole}.{part:02d}"

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


_QUEUE_COLUMNS = (
    *("pk", "member_id", "member__pseudonym", "member__display_name"),
    *("group__slug", "group__name", "kind", "title", "date", "level", "hours_h100"),
    *("status", "impact", "review_note", "dispute_reason", "created_at"),
)


def review_queue(actor: Member, *, limit: int) -> list[QueueRow]:
    """The first `limit` contributions waiting for this reviewer, oldest first: all for
    stewards, their groups' for leads.

    Each waiting status is read in order from the (status, date, id) index and stops at
    `limit` (disputes also at the last pending one a full page shows); the two runs are
    then merged. One query over both statuses would sort every
    waiting contribution (a backlog can hold tens of thousands) to show the first few."""
    waiting = Contribution.objects.exclude(member=actor)
    if not is_steward(actor):
        led = actor.memberships.filter(
            left_at__isnull=True, role__in=[GroupRole.LEAD, GroupRole.CO_LEAD]
        ).values("group")
        waiting = waiting.filter(group__in=led)

    def run(rows: QuerySet[Contribution]) -> list[QueueRow]:
        ordered = rows.order_by("date", "id").values_list(*_QUEUE_COLUMNS)
        return [QueueRow(*row) for row in ordered[:limit]]

    pending = run(waiting.filter(status=Status.PENDING))
    disputed = waiting.filter(status=Status.DISPUTED)
    if pending and len(pending) == limit:  # disputes up to the last pending one's date
        disputed = disputed.filter(date__lte=pending[-1].date)  # a range the index stops at
    runs = [pending, run(disputed)]
    return list(heapq.merge(*runs, key=lambda c: (c.date, c.pk)))[:limit]


def queue_rows_key(rows: list[QueueRow], named: set[int]) -> str:
    """What the review page's rows show, as one key for the kept HTML (web.kept)."""
    return shown_key(
        (
            c.pk,
            c.date,
            c.title,
            c.display_name if c.member_id in named else None,
            c.group_name,
            c.status,
        )
        for c in rows
    )


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
    """What a new policy version changes for whom, as the public criteria page shows it:
    counts of members go through the suppression rule, and a figure about a group (the
    biggest gain among those who gain) is None unless that group has 10 members or more."""

    members: Cell
    gain: Cell
    lose: Cell
    same: Cell
    biggest_gain_cp: int | None
    biggest_loss_cp: int | None
    mean_change_cp: int | None
    since: date

    @property
    def too_few(self) -> bool:
        """Fewer than 10 members are concerned, so no count at all is shown."""
        return isinstance(self.members, Hidden)

    @property
    def withheld(self) -> bool:
        """Whether any count is hidden (the page then says why)."""
        return any(isinstance(c, Hidden) for c in (self.members, self.gain, self.lose, self.same))


CHANGE_TTL = 7 * 86_400  # seconds; an entry is also replaced by any new verification


def what_changes(new: PolicyVersion, old: PolicyVersion | None) -> Change | None:
    """Against the previous version: members' points over the last 12 months under each.

    Published figures only: small counts hidden by `suppress_counts`, group figures by
    `release_statistic`.

    It scores a year of verified work twice, so it is kept in the shared cache under the
    two versions and the newest `contribution.verified` ledger entry: verified work only
    ever grows, and each verification is appended in the transaction that makes it, so a
    new one gives a new key (published versions never change; joining dates neither)."""
    if old is None:
        return None
    key = (
        f"criteria-change:{new.pk}:{new.digest}:{new.effective_from}:{old.pk}:{old.digest}:"
        f"{newest_verification()}"
    )
    change: Change | None = cache.get(key)
    if change is None:
        change = _what_changes(new, old)
        cache.set(key, change, CHANGE_TTL)
    return change


def newest_verification() -> int | None:
    """The seq of the newest `contribution.verified` entry (an index seek)."""
    return newest_entry_of("contribution.verified")


def _what_changes(new: PolicyVersion, old: PolicyVersion) -> Change:
    since = new.effective_from - timedelta(days=365)
    delta = _point_changes(new, old, since)
    gain, lose = delta[delta > 0], delta[delta < 0]
    published = suppress_counts(
        {"gain": len(gain), "lose": len(lose), "same": int((delta == 0).sum())},
        total=len(delta),
    )
    return Change(
        members=Hidden(small=True) if published.total is None else published.total,
        gain=published.cells["gain"],
        lose=published.cells["lose"],
        same=published.cells["same"],
        biggest_gain_cp=release_statistic(len(gain), int(gain.max(initial=0))),
        biggest_loss_cp=release_statistic(len(lose), int(lose.min(initial=0))),
        mean_change_cp=release_statistic(len(delta), round(int(delta.sum()) / max(len(delta), 1))),
        since=since,
    )


def _point_changes(new: PolicyVersion, old: PolicyVersion, since: date) -> np.ndarray:
    """Per member with verified work since `since`: centipoints under `new` less under `old`."""
    rows = list(
        Contribution.objects.filter(
            Q(status=Status.VERIFIED), date__gte=since, date__lt=new.effective_from
        ).values_list(
            "member_id", "kind", "level", "impact", "hours_h100", "date", "member__joined_at"
        )
    )
    if not rows:
        return np.zeros(0, dtype=np.int64)
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
    return np.asarray(totals[1], dtype=np.int64) - np.asarray(totals[0], dtype=np.int64)


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


def tenure_of(c: Contribution) -> int:
    """Whole months from the member joining to the contribution's date (the tenure factor)."""
    return tenure_months(timezone.localdate(c.member.joined_at), c.date)


# Pages and routes that depend on who asks: a thing the reader may not see is "not found".


def visible_contribution(viewer: Member, pk: int) -> Contribution:
    """The contribution, if the reader may see it (its contributor and its reviewers)."""
    c = Contribution.objects.select_related("member", "group").filter(pk=pk).first()
    if c is None or not permissions.can_view(viewer, c):
        raise NotFound("No such contribution.")
    return c


@dataclass(frozen=True)
class ContributionPage:
    c: Contribution
    can_review: bool
    is_mine: bool
    named: bool  # whether the reader may see who made it


def contribution_page(viewer: Member, pk: int) -> ContributionPage:
    c = visible_contribution(viewer, pk)
    return ContributionPage(
        c=c,
        can_review=permissions.can_review(viewer, c),
        is_mine=c.member_id == viewer.pk,
        named=may(viewer, c.member, Sight.DUTY),
    )


def import_columns(viewer: Member) -> tuple[str, ...]:
    """The CSV columns, on the import page: stewards only."""
    if not permissions.can_import(viewer):
        raise NotFound("No such page.")
    return IMPORT_REQUIRED + IMPORT_OPTIONAL


def policy_versions() -> list[PolicyVersion]:
    return list(PolicyVersion.objects.order_by("-version"))


def policy_version(version: int | None = None) -> PolicyVersion | None:
    """A published version, or the latest."""
    qs = PolicyVersion.objects.order_by("-version")
    return qs.filter(version=version).first() if version else qs.first()


@dataclass(frozen=True)
class CriteriaPage:
    current: PolicyVersion | None
    lines: list[str]
    change: Change | None
    versions: list[PolicyVersion]
    can_publish: bool


def criteria_page(viewer: Member | None) -> CriteriaPage:
    """The public criteria: the version in force, what it changed, every version."""
    versions = policy_versions()
    current = versions[0] if versions else None
    previous = versions[1] if len(versions) > 1 else None
    return CriteriaPage(
        current=current,
        lines=plain_language(current) if current else [],
        change=what_changes(current, previous) if current else None,
        versions=versions,
        can_publish=permissions.can_publish_policy(viewer),
    )


@dataclass(frozen=True)
class PublishPage:
    current: PolicyVersion | None  # its document is the starting point for the next

    @property
    def document(self) -> dict[str, Any]:
        return self.current.document if self.current else {}


def publish_page(viewer: Member) -> PublishPage:
    """The steward's form to publish a new version: stewards only."""
    if not permissions.can_publish_policy(viewer):
        raise NotFound("No such page.")
    return PublishPage(policy_version())
