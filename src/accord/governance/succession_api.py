"""Positions, calls for volunteers and the institutional memory: anyone signed in reads
positions and calls; stewards create positions, record terms and run calls; stewards and a
position's holders keep its succession plan; members answer calls and add to the memory."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from accord.domain.disclosure import Cell
from accord.governance import services
from accord.governance.models import CallAnswer
from accord.governance.queries import succession as q
from accord.governance.schemas import (
    AnswerIn,
    AnswerOut,
    CallDetailOut,
    CallIn,
    CallOut,
    HandoverItemIn,
    HandoverItemOut,
    HandoverTickIn,
    HideIn,
    MemoryIn,
    MemoryOut,
    PlanPersonIn,
    PlanPersonOut,
    PositionDetailOut,
    PositionIn,
    PositionOut,
    PositionTermIn,
    TermOut,
    TransferNotesIn,
)
from accord.people.auth import actor
from accord.web.errors import Error
from accord.web.inputs import Id, Key

positions_router = Router(tags=["positions"])
calls_router = Router(tags=["calls"])
memory_router = Router(tags=["memory"])
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
READ_ERRORS = {401: Error, 403: Error, 404: Error}


def _position_out(line: q.PositionLine) -> PositionOut:
    p = line.position
    return PositionOut(
        id=p.pk,
        title=p.title,
        group=p.group.slug if p.group else None,
        description=p.description,
        seats=p.seats,
        term_months=p.term_months,
        term_limit=p.term_limit,
        filled=line.filled,
        holders=[h for h in line.holders if h != q.A_MEMBER],
        rotation_due=bool(line.rotation_due),
        at_risk=line.at_risk,
        has_successor=line.has_successor,
    )


def _position_detail(request: HttpRequest, position_id: int) -> PositionDetailOut:
    page = q.position_page(actor(request), position_id, today=timezone.localdate())
    return PositionDetailOut(
        **_position_out(page.line).model_dump(),
        terms=[TermOut(id=t.id, holder=t.holder, start=t.start, end=t.end) for t in page.terms],
        plan_shown=page.plan_shown,
        plan=[PlanPersonOut(id=x.id, name=x.name, role=x.role) for x in page.plan],
        checklist=[HandoverItemOut(id=i.pk, text=i.text, done=i.done) for i in page.checklist],
        transfer_notes=page.line.position.transfer_notes if page.plan_shown else "",
    )


@positions_router.get(
    "",
    response={200: list[PositionOut], 401: Error},
    url_name="api-positions",
    operation_id="list_positions",
)
def list_positions(request: HttpRequest) -> list[PositionOut]:
    """Every position, with whether rotation is due and whether it is at risk."""
    page = q.positions_page(actor(request), today=timezone.localdate())
    return [_position_out(ln) for ln in page.lines]


@positions_router.post(
    "",
    response={201: PositionDetailOut, **WRITE_ERRORS},
    url_name="api-position-create",
    operation_id="create_position",
)
def create(request: HttpRequest, payload: PositionIn) -> tuple[int, PositionDetailOut]:
    """Create a position (stewards)."""
    made = services.create_position(actor(request), payload)
    return 201, _position_detail(request, made.pk)


@positions_router.get(
    "/{position_id}",
    response={200: PositionDetailOut, **READ_ERRORS},
    url_name="api-position",
    operation_id="get_position",
)
def detail(request: HttpRequest, position_id: Id) -> PositionDetailOut:
    """A position, its terms, and its succession plan for those who may read it."""
    return _position_detail(request, position_id)


@positions_router.post(
    "/{position_id}/terms",
    response={201: PositionDetailOut, **WRITE_ERRORS},
    url_name="api-position-term",
    operation_id="record_position_term",
)
def record_term(
    request: HttpRequest, position_id: Id, payload: PositionTermIn
) -> tuple[int, PositionDetailOut]:
    """Record a member's term in the position (stewards)."""
    services.record_position_term(actor(request), position_id, payload)
    return 201, _position_detail(request, position_id)


@positions_router.post(
    "/{position_id}/plan",
    response={201: PositionDetailOut, **WRITE_ERRORS},
    url_name="api-position-plan-add",
    operation_id="add_to_succession_plan",
)
def plan_add(
    request: HttpRequest, position_id: Id, payload: PlanPersonIn
) -> tuple[int, PositionDetailOut]:
    """Name a successor candidate or shadow (stewards and the position's holders)."""
    services.add_to_plan(actor(request), position_id, payload)
    return 201, _position_detail(request, position_id)


@positions_router.delete(
    "/{position_id}/plan/{person_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="api-position-plan-remove",
    operation_id="remove_from_succession_plan",
)
def plan_remove(request: HttpRequest, position_id: Id, person_id: Id) -> tuple[int, None]:
    """Take someone off the succession plan."""
    services.remove_from_plan(actor(request), position_id, person_id)
    return 204, None


@positions_router.post(
    "/{position_id}/checklist",
    response={201: PositionDetailOut, **WRITE_ERRORS},
    url_name="api-position-checklist-add",
    operation_id="add_handover_item",
)
def checklist_add(
    request: HttpRequest, position_id: Id, payload: HandoverItemIn
) -> tuple[int, PositionDetailOut]:
    """Add a step to the handover checklist."""
    services.add_handover_item(actor(request), position_id, payload)
    return 201, _position_detail(request, position_id)


@positions_router.put(
    "/{position_id}/checklist/{item_id}",
    response={200: PositionDetailOut, **WRITE_ERRORS},
    url_name="api-position-checklist-tick",
    operation_id="tick_handover_item",
)
def checklist_tick(
    request: HttpRequest, position_id: Id, item_id: Id, payload: HandoverTickIn
) -> PositionDetailOut:
    """Mark a handover step done or not done."""
    services.tick_handover_item(actor(request), position_id, item_id, payload)
    return _position_detail(request, position_id)


@positions_router.put(
    "/{position_id}/notes",
    response={200: PositionDetailOut, **WRITE_ERRORS},
    url_name="api-position-notes",
    operation_id="write_transfer_notes",
)
def notes(request: HttpRequest, position_id: Id, payload: TransferNotesIn) -> PositionDetailOut:
    """Replace the knowledge-transfer notes."""
    services.write_transfer_notes(actor(request), position_id, payload)
    return _position_detail(request, position_id)


# -- calls --------------------------------------------------------------------------------


def _count(cell: Cell) -> int | None:
    return cell if isinstance(cell, int) else None


def _call_out(line: q.CallLine) -> CallOut:
    c = line.call
    return CallOut(
        id=c.pk,
        position=c.position_id,
        position_title=c.position.title,
        asks=c.asks,
        backgrounds=c.backgrounds,
        opened_at=c.opened_at,
        closes_on=c.closes_on,
        status="open" if line.is_open else "closed",
        answered=_count(line.answered),
        background_counts={k: _count(v) for k, v in line.backgrounds.items()},
    )


def _answer_out(a: CallAnswer, member: str) -> AnswerOut:
    return AnswerOut(
        id=a.pk,
        member=member,
        backgrounds=a.backgrounds,
        note=a.note,
        answered_at=a.answered_at,
        withdrawn=a.withdrawn_at is not None,
    )


def _call_detail(request: HttpRequest, call_id: int) -> CallDetailOut:
    page = q.call_page(actor(request), call_id, today=timezone.localdate())
    return CallDetailOut(
        **_call_out(page.line).model_dump(),
        my_answer=_answer_out(page.mine, "you") if page.mine else None,
        answers=[_answer_out(x.answer, x.member) for x in page.answers]
        if page.answers is not None
        else None,
    )


@calls_router.get(
    "",
    response={200: list[CallOut], 401: Error},
    url_name="api-calls",
    operation_id="list_calls",
)
def list_calls(request: HttpRequest) -> list[CallOut]:
    """Every call for volunteers, open ones first, with counts under 10 withheld."""
    actor(request)
    return [_call_out(ln) for ln in q.list_calls(today=timezone.localdate())]


@calls_router.post(
    "",
    response={201: CallDetailOut, **WRITE_ERRORS},
    url_name="api-call-create",
    operation_id="open_call",
)
def open_call(request: HttpRequest, payload: CallIn) -> tuple[int, CallDetailOut]:
    """Open a call for volunteers for a position (stewards)."""
    made = services.open_call(actor(request), payload)
    return 201, _call_detail(request, made.pk)


@calls_router.get(
    "/{call_id}",
    response={200: CallDetailOut, **READ_ERRORS},
    url_name="api-call",
    operation_id="get_call",
)
def get_call(request: HttpRequest, call_id: Id) -> CallDetailOut:
    """A call, its published counts, the reader's answer; every answer for stewards."""
    return _call_detail(request, call_id)


@calls_router.put(
    "/{call_id}/answer",
    response={200: CallDetailOut, **WRITE_ERRORS},
    url_name="api-call-answer",
    operation_id="answer_call",
)
def answer(request: HttpRequest, call_id: Id, payload: AnswerIn) -> CallDetailOut:
    """Volunteer, or change the answer."""
    services.answer_call(actor(request), call_id, payload)
    return _call_detail(request, call_id)


@calls_router.delete(
    "/{call_id}/answer",
    response={200: CallDetailOut, **WRITE_ERRORS},
    url_name="api-call-withdraw",
    operation_id="withdraw_call_answer",
)
def withdraw(request: HttpRequest, call_id: Id) -> CallDetailOut:
    """Withdraw the reader's answer while the call is open."""
    services.withdraw_answer(actor(request), call_id)
    return _call_detail(request, call_id)


@calls_router.post(
    "/{call_id}/close",
    response={200: CallDetailOut, **WRITE_ERRORS},
    url_name="api-call-close",
    operation_id="close_call",
)
def close(request: HttpRequest, call_id: Id) -> CallDetailOut:
    """Close the call (stewards)."""
    services.close_call(actor(request), call_id)
    return _call_detail(request, call_id)


# -- memory -------------------------------------------------------------------------------


def _memory_out(line: q.MemoryLine) -> MemoryOut:
    e = line.entry
    return MemoryOut(
        id=e.pk,
        kind=e.kind,
        title=e.title,
        body=e.body,
        decision=e.decision_id,
        agreement=e.agreement_id,
        author=line.author,
        at=e.at,
        hidden=e.hidden_at is not None,
    )


@memory_router.get(
    "",
    response={200: list[MemoryOut], 401: Error, 403: Error},
    url_name="api-memory",
    operation_id="list_memory",
)
def list_memory(
    request: HttpRequest,
    kind: Key | None = None,
    decision: Id | None = None,
    agreement: Id | None = None,
) -> list[MemoryOut]:
    """The institutional memory, newest first, by kind or by what it came from."""
    lines = q.list_memory(actor(request), kind=kind, decision=decision, agreement=agreement)
    return [_memory_out(ln) for ln in lines]


@memory_router.post(
    "",
    response={201: MemoryOut, **WRITE_ERRORS},
    url_name="api-memory-create",
    operation_id="add_memory",
)
def add(request: HttpRequest, payload: MemoryIn) -> tuple[int, MemoryOut]:
    """Add a lesson, decision, successful strategy or cautionary tale."""
    made = services.add_memory(actor(request), payload)
    return 201, _memory_out(q.get_memory(actor(request), made.pk))


@memory_router.post(
    "/{entry_id}/hide",
    response={200: MemoryOut, **WRITE_ERRORS},
    url_name="api-memory-hide",
    operation_id="hide_memory",
)
def hide(request: HttpRequest, entry_id: Id, payload: HideIn) -> MemoryOut:
    """Hide an entry, with a reason (stewards)."""
    services.hide_memory(actor(request), entry_id, payload)
    return _memory_out(q.get_memory(actor(request), entry_id))
