"""Partnership pages: the public list of agreements (where stewards record one) and its CSV
export, and each partnership's page, where evaluators score it and stewards move it along
its lifecycle and record its maturity.

Each view parses the form, calls one query or service and maps its errors: a refusal is
shown beside the form it came from, with the service's words and status (a name that
matches nothing is bad input, 422), and nothing changes.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain import partnerships as ps
from accord.domain.errors import DomainError, InvalidInput, NotFound
from accord.partners import queries, services
from accord.partners.models import PartnerKind, Reason
from accord.partners.partnership_page import (
    acting_member,
    back_to,
    form_status,
    partnership_page,
    refused,
)
from accord.partners.schemas import (
    AgreementIn,
    CommentIn,
    MaturityIn,
    ScoreIn,
    StatusIn,
    UpdateIn,
    ValueIn,
)
from accord.people.navigation import current_member
from accord.people.schemas import parse
from accord.web.csvfiles import csv_response
from accord.web.limits import limited
from accord.web.rendering import render_page

AGREEMENT_FIELDS = ("partner", "title", "purpose", "member_needs", "target_level")
STATUS_CHOICES = [(s, s.replace("_", " ")) for s in queries.STATUSES]


# -- the list -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def agreement_list(request: HttpRequest) -> HttpResponse:
    """Every partnership, its status and maturity: public. A steward records one here."""
    viewer = current_member(request)
    values: dict[str, Any] = {"reasons": [], "target_level": "3"}
    error, status = "", 200
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())
        values = {f: request.POST.get(f, "") for f in AGREEMENT_FIELDS}
        values["reasons"] = request.POST.getlist("reasons")
        try:
            given = {k: v for k, v in values.items() if v or k != "target_level"}
            made = services.create_agreement(viewer, parse(AgreementIn, given))
        except DomainError as exc:
            error, status = exc.detail, form_status(exc)
        else:
            messages.success(request, f"“{made.title}” is recorded as a prospect.")
            return redirect("partners:agreement", agreement_id=made.pk)
    filters = queries.AgreementFilters.of(request.GET)
    context = {
        "page": queries.agreement_list(viewer, filters),
        "values": values,
        "error": error,
        "statuses": STATUS_CHOICES,
        "kinds": PartnerKind.choices,
        "reasons": Reason.choices,
        "levels": list(ps.level_labels().items()),
        "labels": ps.level_labels(),
    }
    return render_page(request, "partners/agreements.html", context, status=status)


@require_safe
@limited("export-agreements", "60/h", methods=("GET",))
def agreements_csv(request: HttpRequest) -> HttpResponse:
    """The list as CSV: exactly the agreements its filters show."""
    rows = queries.agreement_rows(queries.AgreementFilters.of(request.GET))
    return csv_response(
        f"partnerships-{timezone.localdate():%Y-%m-%d}.csv",
        queries.AGREEMENT_COLUMNS,
        (row.cells for row in rows),
    )


# -- one partnership ------------------------------------------------------------------------


@require_safe
def agreement(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A partnership's public page, with the forms its reader may use."""
    return partnership_page(request, agreement_id)


@login_required
@require_POST
def change_status(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward moves the agreement to one of its next statuses, saying why."""
    posted = {f: request.POST.get(f, "") for f in ("status", "reason", "decision")}
    try:
        services.change_agreement_status(
            acting_member(request),
            agreement_id,
            parse(StatusIn, {**posted, "decision": posted["decision"].strip() or None}),
        )
    except DomainError as exc:
        return refused(request, agreement_id, "status", exc, status_values=posted)
    messages.success(request, f"The partnership is now {posted['status'].replace('_', ' ')}.")
    return redirect("partners:agreement", agreement_id=agreement_id)


@login_required
@require_POST
def set_maturity(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward records the maturity level reached or the target, saying why."""
    posted = {f: request.POST.get(f, "") for f in ("level", "target_level", "reason")}
    given = {k: v for k, v in posted.items() if v != "" or k == "reason"}
    try:
        services.set_agreement_maturity(
            acting_member(request), agreement_id, parse(MaturityIn, given)
        )
    except DomainError as exc:
        return refused(request, agreement_id, "maturity", exc, maturity_values=posted)
    messages.success(request, "The partnership's maturity is recorded.")
    return redirect("partners:agreement", agreement_id=agreement_id)


def _scores(post: Any) -> list[ScoreIn]:
    """The criteria the evaluator scored on the form, each checked before any is saved, so
    a bad one leaves every score as it was."""
    given = [c.key for c in ps.CRITERIA if post.get(f"score-{c.key}", "")]
    if not given:
        raise InvalidInput("Choose a score for at least one criterion.")
    return [
        parse(
            ScoreIn,
            {"criterion": key, "score": post[f"score-{key}"], "note": post.get(f"note-{key}", "")},
        )
        for key in given
    ]


@login_required
@require_POST
def score(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """An evaluator scores the criteria they chose (each replaces their earlier score)."""
    try:
        actor = acting_member(request)
        for data in _scores(request.POST):
            services.score_agreement(actor, agreement_id, data)
    except DomainError as exc:
        return refused(request, agreement_id, "score", exc, entered_scores=request.POST)
    messages.success(request, "Your scores are saved.")
    return redirect("partners:agreement", agreement_id=agreement_id)


# -- reciprocity and the updates channel ----------------------------------------------------

VALUE_FIELDS = ("kind", "amount", "on", "basis")


@login_required
@require_POST
def record_value(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward records one dated input to the partnership's reciprocity."""
    posted = {f: request.POST.get(f, "").strip() for f in VALUE_FIELDS}
    try:
        services.record_value(acting_member(request), agreement_id, parse(ValueIn, posted))
    except DomainError as exc:
        return refused(request, agreement_id, "value", exc, value_values=posted)
    messages.success(request, "The value is recorded.")
    return back_to(agreement_id, "reciprocity")


@login_required
@require_POST
def post_update(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward or one of the partner's representatives posts an update."""
    posted = {"body": request.POST.get("body", "")}
    try:
        services.post_update(acting_member(request), agreement_id, parse(UpdateIn, posted))
    except DomainError as exc:
        return refused(request, agreement_id, "update", exc, update_values=posted)
    messages.success(request, "Your update is posted.")
    return back_to(agreement_id, "updates")


@login_required
@require_POST
def comment_on_update(request: HttpRequest, agreement_id: int, update_id: int) -> HttpResponse:
    """A member comments on one of the partnership's updates."""
    posted = {"body": request.POST.get("body", "")}
    try:
        services.comment_on_update(
            acting_member(request), update_id, parse(CommentIn, posted), agreement_id=agreement_id
        )
    except NotFound as exc:  # no such update on this partnership: the address is wrong
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return refused(
            request, agreement_id, "comment", exc, comment_on=update_id, comment_values=posted
        )
    messages.success(request, "Your comment is posted.")
    return back_to(agreement_id, f"update-{update_id}")


@login_required
@require_POST
def withdraw_comment(
    request: HttpRequest, agreement_id: int, update_id: int, comment_id: int
) -> HttpResponse:
    """A comment's author (or a steward) takes it back."""
    try:
        services.withdraw_comment(
            acting_member(request), update_id, comment_id, agreement_id=agreement_id
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return refused(request, agreement_id, "withdraw", exc)
    messages.success(request, "The comment is withdrawn.")
    return back_to(agreement_id, f"update-{update_id}")
