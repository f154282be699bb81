"""Concern routes: members raise concerns and follow them; the handlers of a concern's
level acknowledge, resolve or escalate it; stewards and group leads set up the escalation
paths; the statistics are public."""

from django.http import HttpRequest
from ninja import Router

from accord.domain.disclosure import Cell
from accord.governance import queries, services
from accord.governance.schemas import (
    ConcernDetailOut,
    ConcernEventOut,
    ConcernIn,
    ConcernOut,
    ConcernStatsOut,
    FiguresOut,
    LevelIn,
    LevelOut,
    ResolutionIn,
)
from accord.people.auth import actor
from accord.web.errors import Error
from accord.web.inputs import Id

router = Router(tags=["concerns"])
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def concern_out(line: queries.ConcernLine) -> ConcernOut:
    c = line.concern
    return ConcernOut(
        id=c.pk,
        kind=c.kind,  # type: ignore[arg-type]
        summary=c.summary,
        group=c.group.slug if c.group else None,
        agreement=c.agreement_id,
        decision=c.decision_id,
        anonymous=c.anonymous,
        status=c.status,
        level=c.level.rank,
        level_name=c.level.name,
        top_level=line.top_level,
        deadline=c.deadline,
        overdue=c.overdue,
        raised_at=c.raised_at,
        raiser=line.raiser,
        mine=line.mine,
        may_handle=line.may_handle,
    )


def detail_out(page: queries.ConcernPage) -> ConcernDetailOut:
    c = page.line.concern
    return ConcernDetailOut(
        **concern_out(page.line).model_dump(),
        body=c.body,
        acknowledged_at=c.acknowledged_at,
        resolution=c.resolution,
        resolved_at=c.resolved_at,
        history=[
            ConcernEventOut(
                kind=e.kind,
                what=e.get_kind_display(),
                level=e.level.rank,
                level_name=e.level.name,
                at=e.at,
                deadline=e.deadline,
            )
            for e in page.history
        ],
    )


def _detail(request: HttpRequest, concern_id: int) -> ConcernDetailOut:
    return detail_out(queries.concern_page(actor(request), concern_id))


@router.get(
    "",
    response={200: list[ConcernOut], 401: Error, 403: Error},
    url_name="api-concerns",
    operation_id="list_my_concerns",
)
def list_mine(request: HttpRequest) -> list[ConcernOut]:
    """The concerns the reader raised, newest first."""
    return [concern_out(x) for x in queries.my_concerns(actor(request))]


@router.post(
    "",
    response={201: ConcernDetailOut, **WRITE_ERRORS},
    url_name="api-concern-raise",
    operation_id="raise_concern",
)
def raise_one(request: HttpRequest, payload: ConcernIn) -> tuple[int, ConcernDetailOut]:
    """Raise a concern; it starts at level 1 of its escalation path."""
    made = services.raise_concern(actor(request), payload)
    return 201, _detail(request, made.pk)


@router.get(
    "/queue",
    response={200: list[ConcernOut], 401: Error, 403: Error},
    url_name="api-concern-queue",
    operation_id="list_concerns_to_handle",
)
def queue(request: HttpRequest) -> list[ConcernOut]:
    """The concerns waiting at a level the reader handles (stewards: all), most urgent
    first."""
    return [concern_out(x) for x in queries.concern_queue(actor(request))]


@router.get(
    "/levels",
    response={200: list[LevelOut], 401: Error, 403: Error},
    url_name="api-escalation-levels",
    operation_id="list_escalation_levels",
)
def list_levels(request: HttpRequest) -> list[LevelOut]:
    """Every escalation path's levels, the community's first."""
    return [
        LevelOut(
            id=line.level.pk,
            group=ladder.group.slug if ladder.group else None,
            rank=line.level.rank,
            name=line.level.name,
            response_hours=line.level.response_hours,
            handlers=line.handlers,
        )
        for ladder in queries.ladders(actor(request))
        for line in ladder.levels
    ]


@router.put(
    "/levels",
    response={200: list[LevelOut], **WRITE_ERRORS},
    url_name="api-escalation-level-set",
    operation_id="set_escalation_level",
)
def set_level(request: HttpRequest, payload: LevelIn) -> list[LevelOut]:
    """Set up or change one level of the community's path or a group's."""
    services.set_escalation_level(actor(request), payload)
    return list_levels(request)


def _figures(row: queries.StatsRow) -> FiguresOut:
    def count(cell: Cell | None) -> int | None:
        return cell if isinstance(cell, int) else None

    return FiguresOut(
        label=row.label,
        raised=count(row.raised),
        resolved=count(row.resolved),
        median_days=None if row.median_days is None else round(float(row.median_days), 2),
        within_deadline=None if row.within_share is None else round(float(row.within_share), 4),
    )


@router.get(
    "/statistics",
    response={200: ConcernStatsOut},
    url_name="api-concern-stats",
    operation_id="concern_statistics",
    auth=None,
)
def statistics(request: HttpRequest) -> ConcernStatsOut:
    """How concerns fare, for everyone; figures about fewer than 10 concerns are null."""
    stats = queries.concern_stats()
    return ConcernStatsOut(
        overall=_figures(stats.overall),
        by_kind=[_figures(r) for r in stats.by_kind],
        by_level=[_figures(r) for r in stats.by_level],
    )


@router.get(
    "/{concern_id}",
    response={200: ConcernDetailOut, 401: Error, 403: Error, 404: Error},
    url_name="api-concern",
    operation_id="get_concern",
)
def detail(request: HttpRequest, concern_id: Id) -> ConcernDetailOut:
    """A concern: where it stands, its next deadline, its history and resolution."""
    return _detail(request, concern_id)


@router.post(
    "/{concern_id}/acknowledge",
    response={200: ConcernDetailOut, **WRITE_ERRORS},
    url_name="api-concern-acknowledge",
    operation_id="acknowledge_concern",
)
def acknowledge(request: HttpRequest, concern_id: Id) -> ConcernDetailOut:
    """Tell the raiser someone has it (the deadline stands)."""
    services.acknowledge_concern(actor(request), concern_id)
    return _detail(request, concern_id)


@router.post(
    "/{concern_id}/escalate",
    response={200: ConcernDetailOut, **WRITE_ERRORS},
    url_name="api-concern-escalate",
    operation_id="escalate_concern",
)
def escalate(request: HttpRequest, concern_id: Id) -> ConcernDetailOut:
    """Pass it up to the next level, whose clock starts now."""
    services.escalate_concern(actor(request), concern_id)
    return _detail(request, concern_id)


@router.post(
    "/{concern_id}/resolve",
    response={200: ConcernDetailOut, **WRITE_ERRORS},
    url_name="api-concern-resolve",
    operation_id="resolve_concern",
)
def resolve(request: HttpRequest, concern_id: Id, payload: ResolutionIn) -> ConcernDetailOut:
    """Resolve it with a written resolution the raiser reads."""
    services.resolve_concern(actor(request), concern_id, payload)
    return _detail(request, concern_id)
