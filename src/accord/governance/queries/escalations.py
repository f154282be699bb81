"""Reads about escalation paths and concerns, shaped for the pages, the API and the
command line.

A concern is read by its raiser, the handlers of every level it has reached, and stewards
(`escalation_permissions`). Its raiser is named only to those `sees_raiser` allows; to
everyone else it was raised by "a member". The statistics are public: counts go through
`disclosure.suppress_counts`, and a median or a share only about 10 concerns or more.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.db.models import QuerySet

from accord.domain import escalation
from accord.domain.disclosure import Cell, suppress_counts
from accord.domain.errors import Forbidden, NotFound
from accord.governance import escalation_permissions as permissions
from accord.governance.models import (
    Concern,
    ConcernEvent,
    ConcernKind,
    ConcernStatus,
    EscalationLevel,
)
from accord.people.models import Group, Member
from accord.people.permissions import is_steward
from accord.people.visibility import Sight, named_among

A_MEMBER = "a member"
COMMUNITY_LADDER = "The community"


@dataclass(frozen=True)
class ConcernLine:
    """A concern as `viewer` sees it in a list."""

    concern: Concern
    raiser: str
    mine: bool
    may_handle: bool
    top_level: bool


@dataclass(frozen=True)
class ConcernPage:
    line: ConcernLine
    history: list[ConcernEvent]
    next_level: EscalationLevel | None


def _inside(viewer: Member | None) -> Member:
    if viewer is None or not permissions.can_raise(viewer):
        raise Forbidden("Concerns are raised and read by the community's members.")
    return viewer


def _tops() -> dict[int | None, int]:
    """The top rank of each ladder, by group id (None: the community's)."""
    tops: dict[int | None, int] = {}
    for group_id, rank in EscalationLevel.objects.values_list("group_id", "rank"):
        tops[group_id] = max(rank, tops.get(group_id, 0))
    return tops


def _lines(viewer: Member, concerns: Iterable[Concern]) -> list[ConcernLine]:
    """Lines for `viewer`, with what they may know of each raiser decided once for all
    (the same rule as `escalation_permissions.sees_raiser`, without a query per row)."""
    tops = _tops()
    handled = list(viewer.handled_levels.values_list("pk", "group_id", "rank"))
    current = {pk for pk, _, _ in handled}
    steward = is_steward(viewer)

    def told(c: Concern) -> bool:
        if any(g == c.level.group_id and r <= c.level.rank for _, g, r in handled):
            return True
        return steward and not c.anonymous

    return [
        ConcernLine(
            concern=c,
            raiser=_raiser(viewer, c, told(c)),
            mine=c.raiser_id == viewer.pk,
            may_handle=c.level_id in current,
            top_level=c.level.rank >= tops.get(c.level.group_id, 0),
        )
        for c in concerns
    ]


def _raiser(viewer: Member, concern: Concern, told: bool) -> str:
    if concern.raiser is None:
        return A_MEMBER
    if concern.raiser_id == viewer.pk:
        return "you"
    return concern.raiser.display_name if told else A_MEMBER


def _concerns() -> QuerySet[Concern]:
    return Concern.objects.select_related("level", "level__group", "group", "raiser")


def my_concerns(viewer: Member | None) -> list[ConcernLine]:
    """The concerns `viewer` raised, newest first."""
    reader = _inside(viewer)
    return _lines(reader, _concerns().filter(raiser=reader))


def concern_queue(viewer: Member | None, *, done: bool = False) -> list[ConcernLine]:
    """The concerns waiting at a level `viewer` handles, most urgent first (`done`: those
    resolved there instead, newest first); for a steward, every concern."""
    reader = _inside(viewer)
    rows = _concerns()
    if not is_steward(reader):
        rows = rows.filter(level__handlers=reader)
    if done:
        rows = rows.filter(status=ConcernStatus.RESOLVED).order_by("-resolved_at", "-pk")
    else:
        rows = rows.exclude(status=ConcernStatus.RESOLVED).order_by("deadline", "pk")
    return _lines(reader, rows.distinct())


def concern_page(viewer: Member | None, concern_id: int) -> ConcernPage:
    """A concern, where it stands, its next deadline and its history."""
    found = _concerns().filter(pk=concern_id).first()
    if viewer is None or found is None or not permissions.can_read(viewer, found):
        raise NotFound(f"No concern {concern_id}.")
    line = _lines(viewer, [found])[0]
    above = found.level.ladder().filter(rank__gt=found.level.rank).order_by("rank").first()
    history = list(ConcernEvent.objects.filter(concern=found).select_related("level"))
    return ConcernPage(line=line, history=history, next_level=above)


@dataclass(frozen=True)
class LevelLine:
    level: EscalationLevel
    handlers: list[str]
    unnamed: int  # handlers the reader may not see


@dataclass(frozen=True)
class Ladder:
    group: Group | None
    levels: list[LevelLine]
    may_set: bool

    @property
    def label(self) -> str:
        return self.group.name if self.group else COMMUNITY_LADDER


def ladders(viewer: Member | None) -> list[Ladder]:
    """Every escalation path (the community's first, then groups' by name), each level's
    handlers named where the reader may see them."""
    reader = _inside(viewer)
    levels = list(
        EscalationLevel.objects.select_related("group")
        .prefetch_related("handlers")
        .order_by("group__name", "rank")
    )
    shown = named_among(reader, {h.pk for lv in levels for h in lv.handlers.all()}, Sight.PROFILE)
    by_group: dict[int | None, list[LevelLine]] = {}
    groups: dict[int | None, Group | None] = {None: None}
    for lv in levels:
        handlers = sorted(lv.handlers.all(), key=lambda m: m.display_name)
        named = [h.display_name for h in handlers if h.pk in shown or h.pk == reader.pk]
        by_group.setdefault(lv.group_id, []).append(
            LevelLine(lv, named, len(handlers) - len(named))
        )
        groups[lv.group_id] = lv.group
    order = sorted(by_group, key=lambda g: (g is not None, str(groups[g] or "")))
    return [
        Ladder(groups[g], by_group[g], permissions.can_set_levels(reader, groups[g]))
        for g in order
    ]


def settable_groups(viewer: Member | None) -> list[Group]:
    """The groups whose ladder `viewer` may set up (the community's is `can_set_levels`)."""
    if viewer is None:
        return []
    groups = Group.objects.filter(archived_at__isnull=True).order_by("name")
    return [g for g in groups if permissions.can_set_levels(viewer, g)]


def raisable_groups() -> list[Group]:
    return list(Group.objects.filter(archived_at__isnull=True).order_by("name"))


# -- public statistics ------------------------------------------------------------------


@dataclass(frozen=True)
class StatsRow:
    """One line of the statistics: counts as published (`Cell`; None where the line has
    no such count), the median days to resolution and the share resolved within the
    deadline (None: withheld, or nothing resolved)."""

    label: str
    raised: Cell | None
    resolved: Cell
    median_days: Fraction | None
    within_share: Fraction | None


@dataclass(frozen=True)
class ConcernStats:
    overall: StatsRow
    by_kind: list[StatsRow]
    by_level: list[StatsRow]

    @property
    def withheld(self) -> bool:
        rows = [self.overall, *self.by_kind, *self.by_level]
        return any(
            not isinstance(r.resolved, int)
            or (r.raised is not None and not isinstance(r.raised, int))
            or (r.median_days is None and r.resolved != 0)
            for r in rows
        )


DAY = 86_400


def _resolution(c: Concern) -> escalation.Resolution:
    assert c.resolved_at is not None  # noqa: S101 - resolved rows only
    return escalation.Resolution(
        int((c.resolved_at - c.raised_at).total_seconds()), c.within_deadline
    )


def _row(label: str, raised: Cell | None, resolved: Cell, rows: list[Concern]) -> StatsRow:
    figures = escalation.figures(len(rows), [_resolution(c) for c in rows])
    return StatsRow(
        label,
        raised,
        resolved,
        None if figures.median_seconds is None else figures.median_seconds / DAY,
        figures.within_share,
    )


def concern_stats() -> ConcernStats:
    """How concerns fare, for everyone: how many were raised and resolved, the median days
    to resolution and the share resolved by their level's deadline; overall, by kind, and
    by the level that resolved them. Counts of 1 to 9 and any figure about fewer than 10
    resolved concerns are withheld."""
    concerns = list(Concern.objects.select_related("level").order_by("pk"))
    resolved = [c for c in concerns if c.status == ConcernStatus.RESOLVED]
    kinds = [k.value for k in ConcernKind]
    raised_by = suppress_counts(
        {k: sum(c.kind == k for c in concerns) for k in kinds}, total=len(concerns)
    )
    resolved_by = suppress_counts(
        {k: sum(c.kind == k for c in resolved) for k in kinds}, total=len(resolved)
    )
    ranks = sorted({c.level.rank for c in resolved})
    by_rank = suppress_counts(
        {str(r): sum(c.level.rank == r for c in resolved) for r in ranks}, total=len(resolved)
    )
    assert raised_by.total is not None  # noqa: S101 - a total was given
    assert resolved_by.total is not None  # noqa: S101 - a total was given
    labels = dict(ConcernKind.choices)
    return ConcernStats(
        overall=_row("All concerns", raised_by.total, resolved_by.total, resolved),
        by_kind=[
            _row(
                labels[k],
                raised_by.cells[k],
                resolved_by.cells[k],
                [c for c in resolved if c.kind == k],
            )
            for k in kinds
        ],
        by_level=[
            _row(
                f"Level {r}",
                None,
                by_rank.cells[str(r)],
                [c for c in resolved if c.level.rank == r],
            )
            for r in ranks
        ],
    )


def next_deadline(concern: Concern) -> datetime | None:
    """When the level it is at must answer (None once resolved)."""
    return None if concern.status == ConcernStatus.RESOLVED else concern.deadline
