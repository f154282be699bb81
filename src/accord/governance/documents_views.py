"""Living document pages: the list (where stewards create one), each document's current
text with its readability and history, each revision with its comments, the difference
between any two revisions, and each proposed change, where its owners settle it.

Reading is public. Each form parses its fields, calls one service and maps its errors: a
refusal is shown beside the form it came from, with the service's words and status (a name
that matches nothing is bad input, 422), and nothing changes.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain import living_documents as text
from accord.domain.errors import DomainError, Forbidden, NotFound
from accord.governance import documents_permissions as permissions
from accord.governance import queries, services
from accord.governance.models import Kind
from accord.governance.schemas import (
    ChangeDecisionIn,
    ChangeIn,
    DeclineIn,
    DocumentIn,
    RevisionCommentIn,
    RevisionIn,
)
from accord.governance.views import _closes_at, _form_status
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.people.schemas import parse
from accord.web.rendering import render_page

TARGET = text.TARGET


def _member(request: HttpRequest) -> Member:
    return request_member(request)


def _status(exc: DomainError) -> int:
    return _form_status(exc)


@require_http_methods(["GET", "POST"])
def document_list(request: HttpRequest) -> HttpResponse:
    """Every document, by title; stewards create one here."""
    viewer = current_member(request)
    values: dict[str, Any] = {"kind": Kind.FUNDING.value, "summary": "First version."}
    error, status = "", 200
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())
        fields = ("title", "kind", "group", "body", "summary")
        values = {f: request.POST.get(f, "") for f in fields}
        values["governed"] = request.POST.get("governed") == "on"
        try:
            made = services.create_document(
                viewer, parse(DocumentIn, {**values, "group": values["group"] or None})
            )
        except DomainError as exc:
            error, status = exc.detail, _status(exc)
        else:
            messages.success(request, f"“{made.title}” is published as revision 1.")
            return redirect("governance:document", slug=made.slug)
    context = {
        "lines": queries.list_documents(),
        "kinds": Kind.choices,
        "may_create": permissions.can_create(viewer),
        "groups": queries.proposable_groups(viewer) if permissions.can_create(viewer) else [],
        "values": values,
        "error": error,
        "target": TARGET,
    }
    return render_page(request, "governance/documents.html", context, status=status)


def _page(request: HttpRequest, slug: str, *, status: int = 200, **context: Any) -> HttpResponse:
    try:
        page = queries.document_page(current_member(request), slug)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context.setdefault("revise_values", {"body": page.current.revision.body})
    context.setdefault("propose_values", {"body": page.current.revision.body})
    context.update({"page": page, "doc": page.document, "target": TARGET})
    return render_page(request, "governance/document.html", context, status=status)


@require_safe
def document(request: HttpRequest, slug: str) -> HttpResponse:
    """A document's current text and score, its history and (for members) its proposals."""
    return _page(request, slug)


def _refused(
    page: Callable[..., HttpResponse], form: str, exc: DomainError, **context: Any
) -> HttpResponse:
    key = "refused" if isinstance(exc, Forbidden) else f"{form}_error"
    context[key] = exc.detail
    return page(status=_status(exc), **context)


@login_required
@require_POST
def revise(request: HttpRequest, slug: str) -> HttpResponse:
    """An owner records a new revision of a document that is not governed."""
    posted = {"body": request.POST.get("body", ""), "summary": request.POST.get("summary", "")}
    try:
        made = services.revise_document(_member(request), slug, parse(RevisionIn, posted))
    except DomainError as exc:
        return _refused(lambda **c: _page(request, slug, **c), "revise", exc, revise_values=posted)
    messages.success(request, f"Revision {made.number} is published.")
    return redirect("governance:document", slug=slug)


@login_required
@require_POST
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    """A member proposes a change to a document."""
    posted = {"body": request.POST.get("body", ""), "summary": request.POST.get("summary", "")}
    try:
        made = services.propose_change(_member(request), slug, parse(ChangeIn, posted))
    except DomainError as exc:
        return _refused(
            lambda **c: _page(request, slug, **c), "propose", exc, propose_values=posted
        )
    messages.success(request, "Your proposed change is published for the document's owners.")
    return redirect("governance:document_proposal", slug=slug, proposal_id=made.pk)


def _revision_page(
    request: HttpRequest, slug: str, number: int, *, status: int = 200, **context: Any
) -> HttpResponse:
    try:
        page = queries.revision_page(current_member(request), slug, number)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context.update({"page": page, "doc": page.document, "target": TARGET})
    return render_page(request, "governance/document_revision.html", context, status=status)


@require_safe
def revision(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One revision's text and score, with its comments for members."""
    return _revision_page(request, slug, number)


@login_required
@require_POST
def comment(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A member comments on a revision."""
    posted = {"body": request.POST.get("body", "")}
    try:
        services.comment_on_revision(
            _member(request), slug, number, parse(RevisionCommentIn, posted)
        )
    except DomainError as exc:
        return _refused(
            lambda **c: _revision_page(request, slug, number, **c),
            "comment",
            exc,
            comment_values=posted,
        )
    messages.success(request, "Your comment is posted.")
    url = reverse("governance:document_revision", args=[slug, number])
    return redirect(f"{url}#comments")


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return -1  # no such revision: refused as not found


@require_safe
def diff(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed between two revisions (by default the last change)."""
    try:
        found = queries.diff_page(
            slug, _number(request.GET.get("from")), _number(request.GET.get("to"))
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    return render_page(
        request, "governance/document_diff.html", {"diff": found, "doc": found.document}
    )


def _change_page(
    request: HttpRequest, slug: str, proposal_id: int, *, status: int = 200, **context: Any
) -> HttpResponse:
    viewer = current_member(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    try:
        page = queries.change_page(viewer, slug, proposal_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context.update({"page": page, "c": page.line.change, "doc": page.line.change.document})
    context.setdefault("target", TARGET)
    return render_page(request, "governance/document_proposal.html", context, status=status)


@require_safe
def proposal(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """A proposed change: what it changes, and its owners' forms (members only)."""
    return _change_page(request, slug, proposal_id)


def _settled(
    request: HttpRequest, slug: str, proposal_id: int, act: Any, done: str, **context: Any
) -> HttpResponse:
    try:
        act()
    except DomainError as exc:
        return _refused(
            lambda **c: _change_page(request, slug, proposal_id, **c), "settle", exc, **context
        )
    messages.success(request, done)
    return redirect("governance:document_proposal", slug=slug, proposal_id=proposal_id)


@login_required
@require_POST
def accept(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """An owner accepts a change to a document that is not governed."""
    actor = _member(request)
    return _settled(
        request,
        slug,
        proposal_id,
        lambda: services.accept_change(actor, slug, proposal_id),
        "The change is accepted: it is the document's new revision.",
    )


@login_required
@require_POST
def decline(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """An owner declines a change, saying why."""
    actor, posted = _member(request), {"reason": request.POST.get("reason", "")}
    return _settled(
        request,
        slug,
        proposal_id,
        lambda: services.decline_change(actor, slug, proposal_id, parse(DeclineIn, posted)),
        "The change is declined; its proposer sees why.",
        decline_values=posted,
    )


@login_required
@require_POST
def put_to_decision(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """An owner drafts a consent decision on a change."""
    actor = _member(request)
    posted = {
        "closes_at": request.POST.get("closes_at", ""),
    }

    def act() -> None:
        data = {**posted, "closes_at": _closes_at(posted["closes_at"])}
        services.put_change_to_decision(actor, slug, proposal_id, parse(ChangeDecisionIn, data))

    return _settled(
        request,
        slug,
        proposal_id,
        act,
        "A decision on the change is drafted: open it for votes from its page.",
        decision_values=posted,
    )


@login_required
@require_POST
def adopt(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """An owner adopts a change whose decision passed."""
    actor = _member(request)
    return _settled(
        request,
        slug,
        proposal_id,
        lambda: services.adopt_change(actor, slug, proposal_id),
        "The change is adopted: it is the document's new revision.",
    )
