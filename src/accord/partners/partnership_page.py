"""The partnership page as its forms come back to it: re-shown with a service's reason beside
the form that was refused, or returned to at the section the form was in. Both the
agreement's views and its body's views answer their forms through these."""

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accord.domain.errors import DomainError, Forbidden, NotFound
from accord.partners import queries
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.web.rendering import render_page


def acting_member(request: HttpRequest) -> Member:
    return request_member(request)


def form_status(exc: DomainError) -> int:
    """A form re-shown with the service's reason: a name that matches nobody is bad input."""
    return 422 if exc.status == 404 else exc.status


def refused(
    request: HttpRequest, agreement_id: int, form: str, exc: DomainError, **context: Any
) -> HttpResponse:
    """The partnership page again with the service's reason: beside `form` when the reader
    has that form, at the top when they were refused it (they have no form to show it by)."""
    key = "refused" if isinstance(exc, Forbidden) else f"{form}_error"
    context[key] = exc.detail
    return partnership_page(request, agreement_id, status=form_status(exc), **context)


def partnership_page(
    request: HttpRequest,
    agreement_id: int,
    *,
    status: int = 200,
    entered_scores: Mapping[str, str] | None = None,
    **context: Any,
) -> HttpResponse:
    viewer = current_member(request)
    try:
        page, sections, forms = queries.partnership(
            viewer, agreement_id, entered_scores=entered_scores
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    context.update(
        {
            "page": page,
            "sections": sections,
            "forms": forms,
            "levels": list(page.labels.items()),
        }
    )
    return render_page(request, "partners/agreement.html", context, status=status)


def back_to(agreement_id: int, anchor: str) -> HttpResponse:
    """Back to the partnership page, at the section the form was in."""
    return redirect(f"{reverse('partners:agreement', args=[agreement_id])}#{anchor}")
