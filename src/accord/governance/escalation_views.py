"""Concern pages: "My concerns" (where any member raises one), each concern's page (where
it stands, its next deadline and its history, with its handlers' actions), the handlers'
queue, the escalation paths (set up by stewards and group leads), and the public
statistics with their CSV.

Each view parses the form, calls one query or service and maps its errors: a refusal is
shown beside the form it came from with the service's words (a name that matches nothing
is bad input, 422), and nothing changes.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain.disclosure import Cell
from accord.domain.errors import DomainError, Forbidden, NotFound
from accord.governance import escalation_permissions, queries, services
from accord.governance.models import ConcernKind
from accord.governance.schemas import ConcernIn, LevelIn, ResolutionIn
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.people.schemas import parse
from accord.web.csvfiles import csv_response
from accord.web.limits import limited
from accord.web.rendering import render_page
from accord.web.templatetags.accord_format import percent

CONCERN_FIELDS = ("kind", "summary", "body", "group", "agreement", "decision")
LEVEL_FIELDS = ("group", "rank", "name", "response_hours", "handlers")
STATS_COLUMNS = ("breakdown", "label", "raised", "resolved", "median_days", "within_deadline")


def _member(request: HttpRequest) -> Member:
    return request_member(request)


def _form_status(exc: DomainError) -> int:
    return 422 if exc.status == 404 else exc.status


def _inside(request: HttpRequest) -> Member | HttpResponse:
    viewer = current_member(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    if not escalation_permissions.can_raise(viewer):
        raise PermissionDenied("Concerns are raised and read by the community's members.")
    return viewer


def _concern_in(values: dict[str, Any]) -> ConcernIn:
    return parse(
        ConcernIn,
        {
            "kind": values["kind"],
            "summary": values["summary"],
            "body": values["body"],
            "group": values["group"] or None,
            "agreement": values["agreement"] or None,
            "decision": values["decision"] or None,
            "anonymous": values["anonymous"],
        },
    )


@require_http_methods(["GET", "POST"])
def concerns(request: HttpRequest) -> HttpResponse:
    """The concerns the reader raised, and the form to raise one."""
    viewer = _inside(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    values: dict[str, Any] = {"kind": ConcernKind.CONDUCT.value}
    error, status = "", 200
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in CONCERN_FIELDS}
        values["anonymous"] = request.POST.get("anonymous") == "on"
        try:
            made = services.raise_concern(viewer, _concern_in(values))
        except DomainError as exc:
            error, status = exc.detail, _form_status(exc)
        else:
            messages.success(
                request,
                f"Your concern is with {made.level.name}; they answer by "
                f"{timezone.localtime(made.deadline):%Y-%m-%d %H:%M %Z}.",
            )
            return redirect("governance:concern", concern_id=made.pk)
    context = {
        "lines": queries.my_concerns(viewer),
        "kinds": ConcernKind.choices,
        "groups": queries.raisable_groups(),
        "subjects": queries.subject_choices(),
        "values": values,
        "error": error,
        "handles": bool(viewer.handled_levels.exists()),
    }
    return render_page(request, "governance/concerns.html", context, status=status)


@require_safe
def concern_queue(request: HttpRequest) -> HttpResponse:
    """The concerns waiting at a level the reader handles (stewards: all), most urgent
    first, and those resolved."""
    viewer = _inside(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    context = {
        "waiting": queries.concern_queue(viewer),
        "resolved": queries.concern_queue(viewer, done=True),
        "now": timezone.now(),
    }
    return render_page(request, "governance/concerns_queue.html", context)


def _page(
    request: HttpRequest, concern_id: int, *, status: int = 200, **context: Any
) -> HttpResponse:
    try:
        page = queries.concern_page(current_member(request), concern_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context.update({"page": page, "c": page.line.concern, "now": timezone.now()})
    return render_page(request, "governance/concern.html", context, status=status)


@require_safe
def concern(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A concern: where it stands, its next deadline, its history, its resolution."""
    if current_member(request) is None:
        return redirect_to_login(request.get_full_path())
    return _page(request, concern_id)


def _refused(
    request: HttpRequest, concern_id: int, exc: DomainError, **context: Any
) -> HttpResponse:
    key = "refused" if isinstance(exc, Forbidden) else "handle_error"
    context[key] = exc.detail
    return _page(request, concern_id, status=_form_status(exc), **context)


def _back(concern_id: int) -> HttpResponse:
    return redirect(reverse("governance:concern", args=[concern_id]))


@login_required
@require_POST
def acknowledge(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A handler of its level tells the raiser someone has it."""
    try:
        services.acknowledge_concern(_member(request), concern_id)
    except DomainError as exc:
        return _refused(request, concern_id, exc)
    messages.success(request, "The concern is acknowledged; its raiser sees it.")
    return _back(concern_id)


@login_required
@require_POST
def escalate(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A handler of its level passes it up to the next level."""
    try:
        made = services.escalate_concern(_member(request), concern_id)
    except DomainError as exc:
        return _refused(request, concern_id, exc)
    messages.success(request, f"The concern is escalated to {made.level.name}.")
    return _back(concern_id)


@login_required
@require_POST
def resolve(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A handler of its level resolves it with a written resolution."""
    posted = {"resolution": request.POST.get("resolution", "")}
    try:
        services.resolve_concern(_member(request), concern_id, parse(ResolutionIn, posted))
    except DomainError as exc:
        return _refused(request, concern_id, exc, resolve_values=posted)
    messages.success(request, "The concern is resolved; its raiser reads your resolution.")
    return _back(concern_id)


def _level_in(values: dict[str, Any]) -> LevelIn:
    return parse(
        LevelIn,
        {
            "group": values["group"] or None,
            "rank": values["rank"],
            "name": values["name"],
            "response_hours": values["response_hours"],
            "handlers": [h for h in values["handlers"].replace(",", " ").split() if h],
        },
    )


@require_http_methods(["GET", "POST"])
def levels(request: HttpRequest) -> HttpResponse:
    """Every escalation path with its levels; stewards and group leads set them up here."""
    viewer = _inside(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    values: dict[str, Any] = {"rank": "1", "response_hours": "72"}
    error, status = "", 200
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in LEVEL_FIELDS}
        try:
            made = services.set_escalation_level(viewer, _level_in(values))
        except DomainError as exc:
            error, status = exc.detail, _form_status(exc)
            if isinstance(exc, Forbidden):
                raise PermissionDenied(exc.detail) from exc
        else:
            messages.success(request, f"Level {made.rank}, {made.name}, is set up.")
            return redirect("governance:escalation_levels")
    may_community = escalation_permissions.can_set_levels(viewer, None)
    context = {
        "ladders": queries.ladders(viewer),
        "groups": queries.settable_groups(viewer),
        "may_community": may_community,
        "values": values,
        "error": error,
    }
    return render_page(request, "governance/concern_levels.html", context, status=status)


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """How concerns fare, for everyone; figures about fewer than 10 concerns withheld."""
    stats = queries.concern_stats()
    tables = [
        ("All concerns", [stats.overall]),
        ("By what they are about", stats.by_kind),
        ("By the level that resolved them", stats.by_level),
    ]
    return render_page(
        request, "governance/concern_stats.html", {"stats": stats, "tables": tables}
    )


def _cell(value: Cell | None) -> object:
    return "" if value is None else value if isinstance(value, int) else str(value)


@require_safe
@limited("export-concern-stats", "60/h", methods=("GET",))
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The statistics as CSV, withheld figures as "fewer than 10" or "not shown"."""
    stats = queries.concern_stats()
    rows = [("overall", stats.overall)]
    rows += [("kind", r) for r in stats.by_kind] + [("level", r) for r in stats.by_level]
    return csv_response(
        f"concern-statistics-{timezone.localdate():%Y-%m-%d}.csv",
        STATS_COLUMNS,
        (
            [
                part,
                r.label,
                _cell(r.raised),
                _cell(r.resolved),
                "" if r.median_days is None else f"{float(r.median_days):.2f}",
                "" if r.within_share is None else percent(r.within_share),
            ]
            for part, r in rows
        ),
    )
