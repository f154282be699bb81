"""Benefit pages: my statements and choices, pools and their distributions, the treasury.

Each view parses input, calls one query or service and maps its errors: Forbidden and
NotFound become a 404 page (a page does not say what exists to those who may not see it),
any other refusal a message beside the form (422) or after the redirect.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from pydantic import ValidationError

from accord.benefits import queries, services
from accord.benefits.forms import (
    ApproveForm,
    CloseForm,
    CommitForm,
    FundForm,
    PoolEditForm,
    PoolForm,
)
from accord.benefits.schemas import ChoiceIn, PaidIn
from accord.domain.errors import DomainError, Forbidden, NotFound
from accord.domain.money import format_amount
from accord.people.models import Member
from accord.people.navigation import request_member
from accord.web.csvfiles import csv_response
from accord.web.limits import limited
from accord.web.rendering import render_page
from accord.web.row_links import row_urls


def _member(request: HttpRequest) -> Member:
    return request_member(request)


def _or_404[T](read: Callable[[], T]) -> T:
    try:
        return read()
    except (Forbidden, NotFound) as exc:
        raise Http404(exc.detail) from exc


def _submit[T](form: Any, act: Callable[[Any], T]) -> T | None:
    """Validate `form`, build its schema and run `act` on it; a refusal is a form error."""
    if not form.is_valid():
        return None
    try:
        return act(form.to_schema())
    except ValidationError as exc:
        form.add_error(None, "; ".join(str(e["msg"]) for e in exc.errors()))
    except (Forbidden, NotFound) as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        form.add_error(None, exc.detail)
    return None


def _form_page(request: HttpRequest, form: forms.Form, **context: Any) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render_page(
        request, "benefits/pool_form.html", {"form": form, **context}, status=status
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    rows = [
        (s, format_amount(s.payout, s.distribution.pool.unit))
        for s in queries.statements_of(_member(request))
    ]
    return render_page(request, "benefits/mine.html", {"rows": rows})


@login_required
@require_safe
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    view = _or_404(lambda: queries.statement_view(_member(request), pk))
    return render_page(request, "benefits/statement.html", {"view": view})


@login_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        data = ChoiceIn(
            choice=request.POST.get("choice", ""), format=request.POST.get("format", "")
        )
        services.choose(_member(request), pk, data)
        messages.success(request, "Your choice is recorded.")
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("benefits:statement", pk=pk)


@login_required
@require_safe
def pools(request: HttpRequest) -> HttpResponse:
    return render_page(
        request, "benefits/pools.html", {"page": queries.pool_list(_member(request))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_pool(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    choices = _or_404(lambda: queries.pool_form_choices(member))
    form = PoolForm(request.POST or None, policies=choices["policies"], groups=choices["groups"])
    created = _submit(form, lambda data: services.create_pool(member, data))
    if created is not None:
        messages.success(request, f"{created.name} is created; a treasurer funds it next.")
        return redirect("benefits:pool", slug=created.slug)
    return _form_page(request, form, title="New pool", button="Create the pool")


@login_required
@require_safe
def pool(request: HttpRequest, slug: str) -> HttpResponse:
    page = _or_404(lambda: queries.pool_page(_member(request), slug))
    round_ = {"round": page.preview.inputs.round} if page.preview else None
    commit_form = CommitForm(initial=round_) if round_ and page.can_move_money else None
    approve_form = ApproveForm(initial=round_) if round_ and page.can_approve else None
    return render_page(
        request,
        "benefits/pool.html",
        {"page": page, "commit_form": commit_form, "approve_form": approve_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_pool(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request)
    current = _or_404(lambda: queries.managed_pool(member, slug))
    choices = queries.pool_form_choices(member)
    initial = {
        "name": current.name,
        "description": current.description,
        "formats": ", ".join(current.formats),
        "publishing_formats": ", ".join(current.publishing_formats),
        "eligible_groups": [g.slug for g in current.eligible_groups.all()],
        "minimum_payout": current.minimum_payout,
        "member_cap": current.member_cap,
        "choice_days": current.choice_days,
    }
    form = PoolEditForm(request.POST or None, initial=initial, groups=choices["groups"])
    if _submit(form, lambda data: services.edit_pool(member, slug, data)) is not None:
        messages.success(request, "The pool is saved; the changes apply from its next round.")
        return redirect("benefits:pool", slug=slug)
    return _form_page(request, form, title=f"Edit {current.name}", button="Save", pool=current)


@login_required
@require_http_methods(["GET", "POST"])
def fund(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request)
    current = _or_404(lambda: queries.managed_pool(member, slug, money=True))
    form = FundForm(request.POST or None)
    done = _submit(form, lambda data: services.fund_pool(member, slug, data))
    if done is not None:
        messages.success(
            request,
            f"Funded; {current.name} now holds {format_amount(done.balance, current.unit)}.",
        )
        return redirect("benefits:pool", slug=slug)
    return _form_page(request, form, title=f"Fund {current.name}", button="Fund", pool=current)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request)
    current = _or_404(lambda: queries.managed_pool(member, slug, money=True))
    form = CloseForm(request.POST or None)
    if _submit(form, lambda data: services.close_pool(member, slug, data)) is not None:
        messages.success(request, f"{current.name} is closed; what it holds stays in it.")
        return redirect("benefits:pool", slug=slug)
    return _form_page(request, form, title=f"Close {current.name}", button="Close", pool=current)


@login_required
@require_POST
def commit(request: HttpRequest, slug: str) -> HttpResponse:
    form = CommitForm(request.POST)
    d = _submit(form, lambda data: services.commit_distribution(_member(request), slug, data))
    if d is not None:
        messages.success(
            request,
            f"Round {d.round} committed; members have until "
            f"{d.choice_deadline:%d %b %Y} to choose.",
        )
    else:
        messages.error(request, " ".join(map(str, form.non_field_errors())) or "Preview again.")
    return redirect("benefits:pool", slug=slug)


@login_required
@require_POST
def approve(request: HttpRequest, slug: str) -> HttpResponse:
    form = ApproveForm(request.POST)
    done = _submit(form, lambda data: services.approve_round(_member(request), slug, data))
    if done is not None:
        messages.success(
            request,
            f"You approved round {done.round} as previewed; if it changes before it is "
            "committed, it needs approving again.",
        )
    else:
        messages.error(request, " ".join(map(str, form.non_field_errors())) or "Preview again.")
    return redirect("benefits:pool", slug=slug)


@login_required
@require_safe
def treasury(request: HttpRequest) -> HttpResponse:
    return _treasury(request, _member(request))


def _treasury(
    request: HttpRequest, member: Member, *, error: str = "", status: int = 200
) -> HttpResponse:
    after = request.GET.get("after", "")
    start = int(after) if after.isdigit() and len(after) < 19 else None
    view = _or_404(lambda: queries.treasury(member, after=start, limit=queries.TREASURY_PAGE))
    return render_page(
        request,
        "benefits/treasury.html",
        {
            "view": view,
            # each payout with where its "Paid" form posts
            "rows": list(
                zip(
                    view.payouts,
                    row_urls("benefits:mark_paid", (p.pk for p in view.payouts)),
                    strict=True,
                )
            ),
            "named": view.named,
            "error": error,
        },
        status=status,
    )


@login_required
@require_safe
@limited("export-payouts", "30/h", methods=("GET",))
def payouts_csv(request: HttpRequest) -> HttpResponse:
    rows = _or_404(lambda: queries.payout_rows(_member(request)))
    return csv_response(
        f"pending-payouts-{timezone.localdate():%Y-%m-%d}.csv", queries.PAYOUT_COLUMNS, rows
    )


@login_required
@require_POST
@limited("mark-paid", "300/h")
def mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """A refusal is shown on the treasury page with its status; to someone who may not see
    the treasury, the payout is not found."""
    member = _member(request)
    try:
        data = PaidIn(reference=request.POST.get("reference", "")[:120])
        services.mark_paid(member, pk, data)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return _treasury(request, member, error=exc.detail, status=exc.status)
    messages.success(request, "Marked as paid.")
    return redirect("benefits:treasury")
