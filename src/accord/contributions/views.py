"""Contribution pages: log and list mine, review, dispute, import, and the public criteria."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.contributions import imports, permissions, queries, services
from accord.contributions.forms import ContributionForm, ImportForm
from accord.contributions.models import Contribution, PolicyVersion
from accord.domain.errors import DomainError
from accord.people.services import ensure_member
from accord.people.visibility import Sight, may, named_among
from accord.web.rendering import render_page


def _member(request: HttpRequest):  # type: ignore[no-untyped-def]
    return ensure_member(request.user)  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = ContributionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_contribution(
                    member,
                    services.ContributionInput(
                        kind=d["kind"],
                        title=d["title"],
                        date=d["date"],
                        level=d["level"],
                        hours_h100=services.parse_hours(d["hours"]),
                        description=d["description"],
                        evidence_url=d["evidence_url"],
                        group=d["group"],
                        initiative=d["initiative"],
                        partnership=d["partnership"],
                    ),
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(request, "Thank you: your contribution waits for review.")
                return redirect("contributions:mine")
    return render_page(
        request,
        "contributions/mine.html",
        {
            "form": form,
            "contributions": queries.mine(member)[:200],
        },
        status=status,
    )


def _visible(request: HttpRequest, pk: int) -> Contribution:
    contribution = get_object_or_404(Contribution.objects.select_related("member", "group"), pk=pk)
    if not permissions.can_view(_member(request), contribution):
        raise Http404("No such contribution.")
    return contribution


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _visible(request, pk)
    member = _member(request)
    return render_page(
        request,
        "contributions/detail.html",
        {
            "c": contribution,
            "can_review": permissions.can_review(member, contribution),
            "is_mine": contribution.member_id == member.pk,
            "named": may(member, contribution.member, Sight.DUTY),
        },
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _visible(request, pk)
    member = _member(request)
    try:
        if request.POST.get("decision") == "verify":
            impact = request.POST.get("impact", "")
            services.verify_contribution(
                member,
                contribution.pk,
                impact=int(impact) if impact.isdigit() else 0,
                note=request.POST.get("note", ""),
            )
            messages.success(request, "Verified.")
        else:
            services.reject_contribution(
                member, contribution.pk, reason=request.POST.get("note", "")
            )
            messages.success(request, "Rejected; the contributor can dispute it.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("contributions:detail", pk=pk)


@login_required
@require_POST
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _visible(request, pk)
    try:
        services.dispute_rejection(
            _member(request), contribution.pk, reason=request.POST.get("reason", "")
        )
        messages.success(request, "Your dispute is recorded; it goes back for review.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("contributions:detail", pk=pk)


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    reviewer = _member(request)
    waiting = list(queries.review_queue(reviewer)[:200])
    named = named_among(reviewer, (c.member_id for c in waiting), Sight.DUTY)
    return render_page(request, "contributions/queue.html", {"queue": waiting, "named": named})


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    if not permissions.can_import(member):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "columns": imports.REQUIRED + imports.OPTIONAL}
    status = 200
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            result = imports.import_contributions(
                member, raw.decode("utf-8"), dry_run=form.cleaned_data["dry_run"]
            )
        except UnicodeDecodeError:
            form.add_error("file", "The file is not UTF-8 text.")
            status = 422
        except DomainError as exc:
            form.add_error("file", exc.detail)
            status = 422
        else:
            context["result"] = result
            status = 422 if result.errors else 200
    elif request.method == "POST":
        status = 422
    return render_page(request, "contributions/import.html", context, status=status)


@require_safe
def criteria(request: HttpRequest) -> HttpResponse:
    versions = list(PolicyVersion.objects.order_by("-version"))
    current = versions[0] if versions else None
    previous = versions[1] if len(versions) > 1 else None
    return render_page(
        request,
        "contributions/criteria.html",
        {
            "current": current,
            "lines": queries.plain_language(current) if current else [],
            "change": queries.what_changes(current, previous) if current else None,
            "versions": versions,
        },
    )


@require_safe
def criteria_json(request: HttpRequest, version: int | None = None) -> HttpResponse:
    qs = PolicyVersion.objects.order_by("-version")
    found = qs.filter(version=version).first() if version else qs.first()
    if found is None:
        raise Http404("No published policy.")
    return JsonResponse(
        {
            "version": found.version,
            "effective_from": found.effective_from.isoformat(),
            "sha256": found.digest,
            "reason": found.reason,
            "document": found.document,
        }
    )
