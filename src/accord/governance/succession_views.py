"""Positions, calls for volunteers and the institutional memory.

Anyone reads the positions (with the rotation-due and risk lists) and the calls; members
answer a call; stewards create positions, record terms and run calls; stewards and a
position's holders keep its succession plan. Members read and add to the memory.

Each view parses the form, calls one query or service and maps its errors: a refusal is
shown beside the form it came from, with the service's words and status (a name that
matches nothing is bad input, 422), and nothing changes.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain.errors import DomainError, Forbidden, NotFound
from accord.governance import queries, services
from accord.governance import succession_permissions as can
from accord.governance.models import MemoryKind, PlanRole
from accord.governance.schemas import (
    AnswerIn,
    CallIn,
    HandoverItemIn,
    HandoverTickIn,
    HideIn,
    MemoryIn,
    PlanPersonIn,
    PositionIn,
    PositionTermIn,
    TransferNotesIn,
)
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.people.schemas import parse
from accord.web.limits import limited
from accord.web.rendering import render_page

q = queries.succession
POSITION_FIELDS = ("title", "group", "description", "seats", "term_months", "term_limit")
CALL_FIELDS = ("position", "asks", "backgrounds", "closes_on")
MEMORY_FIELDS = ("kind", "title", "body", "decision", "agreement")


def _member(request: HttpRequest) -> Member:
    return request_member(request)


def _status(exc: DomainError) -> int:
    return 422 if exc.status == 404 else exc.status


def _today() -> date:
    return timezone.localdate()


def _posted(request: HttpRequest, fields: tuple[str, ...]) -> dict[str, str]:
    return {f: request.POST.get(f, "") for f in fields}


def _blank_none(values: dict[str, str], *keys: str) -> dict[str, Any]:
    return {k: (v or None) if k in keys else v for k, v in values.items()}


# -- positions ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def positions(request: HttpRequest) -> HttpResponse:
    """Every position, the rotation-due list and the risk list; stewards add positions."""
    viewer = current_member(request)
    values: dict[str, Any] = {"seats": "1", "term_months": "12", "term_limit": "2"}
    error, status = "", 200
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())
        values = _posted(request, POSITION_FIELDS)
        try:
            made = services.create_position(
                viewer, parse(PositionIn, _blank_none(values, "group"))
            )
        except DomainError as exc:
            error, status = exc.detail, _status(exc)
        else:
            messages.success(request, f"The position “{made.title}” is created.")
            return redirect("governance:position", position_id=made.pk)
    context = {
        "page": q.positions_page(viewer, today=_today()),
        "groups": queries.proposable_groups(viewer),
        "values": values,
        "error": error,
        "window": q.ROTATION_WINDOW_DAYS,
    }
    return render_page(request, "governance/succession_positions.html", context, status=status)


def _position(
    request: HttpRequest, position_id: int, *, status: int = 200, **context: Any
) -> HttpResponse:
    try:
        page = q.position_page(current_member(request), position_id, today=_today())
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context.update({"page": page, "p": page.line.position, "plan_roles": PlanRole.choices})
    return render_page(request, "governance/succession_position.html", context, status=status)


@require_safe
def position(request: HttpRequest, position_id: int) -> HttpResponse:
    """A position, its terms and, for those who may read it, its succession plan."""
    return _position(request, position_id)


def _act(
    request: HttpRequest,
    position_id: int,
    form: str,
    act: Callable[[Member], object],
    done: str,
    *,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    """Run one position-page action; on refusal, the page again with the reason by `form`."""
    try:
        act(_member(request))
    except DomainError as exc:
        key = "refused" if isinstance(exc, Forbidden) else f"{form}_error"
        return _position(
            request,
            position_id,
            status=_status(exc),
            **{key: exc.detail, f"{form}_values": values or {}},
        )
    messages.success(request, done)
    return redirect("governance:position", position_id=position_id)


@login_required
@require_POST
def record_term(request: HttpRequest, position_id: int) -> HttpResponse:
    values = _posted(request, ("member", "start", "end"))
    return _act(
        request,
        position_id,
        "term",
        lambda m: services.record_position_term(m, position_id, parse(PositionTermIn, values)),
        "The term is recorded.",
        values=values,
    )


@login_required
@require_POST
def plan_add(request: HttpRequest, position_id: int) -> HttpResponse:
    values = _posted(request, ("member", "role"))
    return _act(
        request,
        position_id,
        "plan",
        lambda m: services.add_to_plan(m, position_id, parse(PlanPersonIn, values)),
        "They are named in the succession plan.",
        values=values,
    )


@login_required
@require_POST
def plan_remove(request: HttpRequest, position_id: int, person_id: int) -> HttpResponse:
    return _act(
        request,
        position_id,
        "plan",
        lambda m: services.remove_from_plan(m, position_id, person_id),
        "They are taken off the succession plan.",
    )


@login_required
@require_POST
def checklist_add(request: HttpRequest, position_id: int) -> HttpResponse:
    values = _posted(request, ("text",))
    return _act(
        request,
        position_id,
        "checklist",
        lambda m: services.add_handover_item(m, position_id, parse(HandoverItemIn, values)),
        "The step is added to the handover checklist.",
        values=values,
    )


@login_required
@require_POST
def checklist_tick(request: HttpRequest, position_id: int, item_id: int) -> HttpResponse:
    done = request.POST.get("done") == "on"
    return _act(
        request,
        position_id,
        "checklist",
        lambda m: services.tick_handover_item(m, position_id, item_id, HandoverTickIn(done=done)),
        "The step is marked done." if done else "The step is marked not done.",
    )


@login_required
@require_POST
def transfer_notes(request: HttpRequest, position_id: int) -> HttpResponse:
    values = _posted(request, ("notes",))
    return _act(
        request,
        position_id,
        "notes",
        lambda m: services.write_transfer_notes(m, position_id, parse(TransferNotesIn, values)),
        "The knowledge-transfer notes are saved.",
        values=values,
    )


# -- calls for volunteers -----------------------------------------------------------------


def _call_values(request: HttpRequest) -> tuple[dict[str, str], dict[str, Any]]:
    values = _posted(request, CALL_FIELDS)
    labels = [x.strip() for x in values["backgrounds"].splitlines() if x.strip()]
    return values, {**values, "backgrounds": labels, "position": values["position"] or None}


@require_http_methods(["GET", "POST"])
def calls(request: HttpRequest) -> HttpResponse:
    """Every call for volunteers, open ones first; stewards open one here."""
    viewer = current_member(request)
    values: dict[str, Any] = {"position": request.GET.get("position", "")}
    error, status = "", 200
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())
        values, given = _call_values(request)
        try:
            made = services.open_call(viewer, parse(CallIn, given))
        except DomainError as exc:
            error, status = exc.detail, _status(exc)
        else:
            messages.success(request, "The call for volunteers is open.")
            return redirect("governance:call", call_id=made.pk)
    may_open = can.can_manage_positions(viewer)
    context = {
        "lines": q.list_calls(today=_today()),
        "may_open": may_open,
        "positions": q.position_choices() if may_open else [],
        "values": values,
        "error": error,
    }
    return render_page(request, "governance/succession_calls.html", context, status=status)


def _call(
    request: HttpRequest, call_id: int, *, status: int = 200, **context: Any
) -> HttpResponse:
    try:
        page = q.call_page(current_member(request), call_id, today=_today())
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context.update({"page": page, "c": page.line.call})
    return render_page(request, "governance/succession_call.html", context, status=status)


@require_safe
def call(request: HttpRequest, call_id: int) -> HttpResponse:
    """A call: what is asked for, the published counts, and the answer form."""
    return _call(request, call_id)


def _call_act(
    request: HttpRequest, call_id: int, act: Callable[[Member], object], done: str, **ctx: Any
) -> HttpResponse:
    try:
        act(_member(request))
    except DomainError as exc:
        key = "refused" if isinstance(exc, Forbidden) else "answer_error"
        return _call(request, call_id, status=_status(exc), **{key: exc.detail}, **ctx)
    messages.success(request, done)
    return redirect("governance:call", call_id=call_id)


@login_required
@require_POST
@limited("answer-call", "60/h")
def answer(request: HttpRequest, call_id: int) -> HttpResponse:
    """A member volunteers (or changes their answer)."""
    given = {
        "backgrounds": request.POST.getlist("backgrounds"),
        "note": request.POST.get("note", ""),
    }
    return _call_act(
        request,
        call_id,
        lambda m: services.answer_call(m, call_id, parse(AnswerIn, given)),
        "Thank you: your answer is recorded. Only stewards see it.",
        answer_values=given,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, call_id: int) -> HttpResponse:
    return _call_act(
        request,
        call_id,
        lambda m: services.withdraw_answer(m, call_id),
        "Your answer is withdrawn.",
    )


@login_required
@require_POST
def close_call(request: HttpRequest, call_id: int) -> HttpResponse:
    return _call_act(
        request, call_id, lambda m: services.close_call(m, call_id), "The call is closed."
    )


# -- institutional memory -----------------------------------------------------------------


def _memory(
    request: HttpRequest, viewer: Member, *, status: int = 200, **context: Any
) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in MemoryKind.values else ""
    try:
        lines = q.list_memory(viewer, kind=kind or None)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    decisions, agreements = q.memory_links()
    context.setdefault("values", {"kind": MemoryKind.LESSON.value})
    context.update(
        {
            "lines": lines,
            "kind": kind,
            "kinds": MemoryKind.choices,
            "decisions": decisions,
            "agreements": agreements,
            "may_hide": can.can_hide_memory(viewer),
        }
    )
    return render_page(request, "governance/succession_memory.html", context, status=status)


@require_http_methods(["GET", "POST"])
def memory(request: HttpRequest) -> HttpResponse:
    """The institutional memory, filtered by kind; any member adds to it here."""
    viewer = current_member(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        values = _posted(request, MEMORY_FIELDS)
        try:
            services.add_memory(
                viewer, parse(MemoryIn, _blank_none(values, "decision", "agreement"))
            )
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise PermissionDenied(exc.detail) from exc
            return _memory(request, viewer, status=_status(exc), values=values, error=exc.detail)
        messages.success(request, "Your entry is added to the institutional memory.")
        return redirect("governance:memory")
    return _memory(request, viewer)


@login_required
@require_POST
def hide_memory(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A steward hides an entry, with a reason."""
    viewer = _member(request)
    try:
        services.hide_memory(viewer, entry_id, parse(HideIn, _posted(request, ("reason",))))
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return _memory(
            request, viewer, status=_status(exc), hide_error=exc.detail, hide_id=entry_id
        )
    messages.success(request, "The entry is hidden.")
    return redirect("governance:memory")
