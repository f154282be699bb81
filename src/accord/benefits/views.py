"""Benefit pages: my statements and choices, pools and their distributions, the treasury."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accord.benefits import accounts, permissions, planning, queries, services
from accord.benefits.models import Pool, Statement
from accord.domain.errors import DomainError
from accord.domain.money import format_amount
from accord.people.services import ensure_member
from accord.people.visibility import Sight, may, named_among
from accord.web.csvfiles import csv_response
from accord.web.rendering import render_page


def _member(request: HttpRequest):  # type: ignore[no-untyped-def]
    return ensure_member(request.user)  # type: ignore[arg-type]


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    rows = [
        (s, format_amount(s.payout, s.distribution.pool.unit))
        for s in queries.statements_of(_member(request))
    ]
    return render_page(request, "benefits/mine.html", {"rows": rows})


def _statement(request: HttpRequest, pk: int) -> Statement:
    st = get_object_or_404(
        Statement.objects.select_related("distribution__pool", "distribution__policy", "member"),
        pk=pk,
    )
    if not permissions.can_view_statement(_member(request), st):
        raise Http404("No such statement.")
    return st


@login_required
@require_safe
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    st = _statement(request, pk)
    return render_page(
        request,
        "benefits/statement.html",
        {
            "view": queries.statement_view(st),
            "is_mine": st.member_id == _member(request).pk,
            "named": may(_member(request), st.member, Sight.DUTY),
        },
    )


@login_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    st = _statement(request, pk)
    try:
        services.choose(
            _member(request),
            st.pk,
            request.POST.get("choice", ""),
            format=request.POST.get("format", ""),
        )
        messages.success(request, "Your choice is recorded.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("benefits:statement", pk=pk)


@login_required
@require_safe
def pools(request: HttpRequest) -> HttpResponse:
    return render_page(request, "benefits/pools.html", {"pools": queries.pools()})


@login_required
@require_safe
def pool(request: HttpRequest, slug: str) -> HttpResponse:
    p = get_object_or_404(Pool, slug=slug)
    member = _member(request)
    preview, top = None, []
    if permissions.can_manage_pools(member):
        preview = planning.preview(p)
        top = sorted(
            (a for a in preview.plan.allocations if a.payout or a.carried_out),
            key=lambda a: (-a.payout, -a.carried_out, a.member),
        )[:50]
    return render_page(
        request,
        "benefits/pool.html",
        {
            "pool": p,
            "preview": preview,
            "top": top,
            "balance": format_amount(accounts.balance(accounts.pool_account(p)), p.unit),
            "distributions": p.distributions.all(),
            "key": uuid.uuid4().hex,
        },
    )


@login_required
@require_POST
def commit(request: HttpRequest, slug: str) -> HttpResponse:
    p = get_object_or_404(Pool, slug=slug)
    member = _member(request)
    if not permissions.can_manage_pools(member):
        raise Http404
    try:
        d = services.commit_distribution(
            member, p, key=request.POST.get("key", "")[:200] or uuid.uuid4().hex
        )
        messages.success(
            request,
            f"Round {d.round} committed; members have until "
            f"{d.choice_deadline:%d %b %Y} to choose.",
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("benefits:pool", slug=slug)


@login_required
@require_safe
def treasury(request: HttpRequest) -> HttpResponse:
    treasurer = _member(request)
    if not permissions.can_pay(treasurer):
        raise Http404
    payouts = list(queries.pending_payouts())
    named = named_among(treasurer, (p.statement.member_id for p in payouts), Sight.DUTY)
    return render_page(request, "benefits/treasury.html", {"payouts": payouts, "named": named})


@login_required
@require_safe
def payouts_csv(request: HttpRequest) -> HttpResponse:
    treasurer = _member(request)
    if not permissions.can_pay(treasurer):
        raise Http404
    return csv_response(
        f"pending-payouts-{timezone.localdate():%Y-%m-%d}.csv",
        queries.PAYOUT_COLUMNS,
        queries.payout_rows(treasurer),
    )


@login_required
@require_POST
def mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request)
    if not permissions.can_pay(member):
        raise Http404
    try:
        services.mark_paid(member, pk, reference=request.POST.get("reference", ""))
        messages.success(request, "Marked as paid.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("benefits:treasury")
