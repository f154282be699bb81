"""Contribution pages: log and list mine, review, dispute, import, and the public criteria.

Each page parses its input, calls one service or query and shows the outcome; the services
look things up and decide who may do what."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.contributions import queries, services
from accord.contributions.forms import ContributionForm, ImportForm, PolicyForm
from accord.contributions.schemas import (
    ContributionIn,
    ImportIn,
    PolicyIn,
    ReasonIn,
    VerifyIn,
    import_too_large,
)
from accord.domain.errors import DomainError, NotFound
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.people.schemas import parse
from accord.people.visibility import Sight, named_among
from accord.web.rendering import render_page


def _member(request: HttpRequest) -> Member:
    return request_member(request)


def _not_found(exc: DomainError) -> None:
    if isinstance(exc, NotFound):
        raise Http404(exc.detail) from exc


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = ContributionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.record_contribution(member, parse(ContributionIn, _entered(form)))
            except DomainError as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(request, "Thank you: your contribution waits for review.")
                return redirect("contributions:mine")
    return render_page(
        request,
        "contributions/mine.html",
        {"form": form, "contributions": queries.mine(member)[:200]},
        status=status,
    )


def _entered(form: ContributionForm) -> dict[str, object]:
    d = form.cleaned_data
    return {
        **d,
        "hours": str(d["hours"]),
        "group": d["group"] or None,
        "partnership": d["partnership"],
    }


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = queries.contribution_page(_member(request), pk)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    return render_page(
        request,
        "contributions/detail.html",
        {"c": page.c, "can_review": page.can_review, "is_mine": page.is_mine, "named": page.named},
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    member, note = _member(request), request.POST.get("note", "")
    try:
        if request.POST.get("decision") == "verify":
            impact = request.POST.get("impact") or 0
            services.verify_contribution(
                member, pk, parse(VerifyIn, {"impact": impact, "note": note})
            )
            messages.success(request, "Verified.")
        else:
            services.reject_contribution(member, pk, parse(ReasonIn, {"reason": note}))
            messages.success(request, "Rejected; the contributor can dispute it.")
    except DomainError as exc:
        _not_found(exc)
        messages.error(request, exc.detail)
    return redirect("contributions:detail", pk=pk)


@login_required
@require_POST
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.dispute_rejection(
            _member(request), pk, parse(ReasonIn, {"reason": request.POST.get("reason", "")})
        )
        messages.success(request, "Your dispute is recorded; it goes back for review.")
    except DomainError as exc:
        _not_found(exc)
        messages.error(request, exc.detail)
    return redirect("contributions:detail", pk=pk)


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    reviewer = _member(request)
    waiting = queries.review_queue(reviewer, limit=queries.REVIEW_PAGE)
    named = named_among(reviewer, (c.member_id for c in waiting), Sight.DUTY)
    rows_key = queries.queue_rows_key(waiting, named)
    context = {"queue": waiting, "named": named, "rows_key": rows_key}
    return render_page(request, "contributions/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    try:
        columns = queries.import_columns(member)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "columns": columns}
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if too_large := import_too_large(upload.size):
            form.add_error("file", too_large)
            return render_page(request, "contributions/import.html", context, status=413)
        try:
            text = upload.read().decode("utf-8")
            data = parse(ImportIn, {"csv": text, "dry_run": form.cleaned_data["dry_run"]})
            result = services.import_contributions(member, data)
        except UnicodeDecodeError:
            form.add_error("file", "The file is not UTF-8 text.")
        except DomainError as exc:
            form.add_error("file", exc.detail)
            status = exc.status
        else:
            context["result"] = result
            status = 422 if result.errors else 200
    return render_page(request, "contributions/import.html", context, status=status)


@require_safe
def criteria(request: HttpRequest) -> HttpResponse:
    page = queries.criteria_page(current_member(request))
    return render_page(
        request,
        "contributions/criteria.html",
        {
            "current": page.current,
            "lines": page.lines,
            "change": page.change,
            "versions": page.versions,
            "can_publish": page.can_publish,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    """A steward publishes a new version of the attribution policy."""
    member = _member(request)
    try:
        page = queries.publish_page(member)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    form = PolicyForm(request.POST or None, initial={"document": page.document})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                version = services.publish_policy(member, parse(PolicyIn, form.cleaned_data))
            except DomainError as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(
                    request,
                    f"Version {version.version} is published; it takes effect on "
                    f"{version.effective_from:%Y-%m-%d}.",
                )
                return redirect("contributions:criteria")
    return render_page(
        request, "contributions/publish.html", {"form": form, "page": page}, status=status
    )


@require_safe
def criteria_json(request: HttpRequest, version: int | None = None) -> HttpResponse:
    found = queries.policy_version(version)
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
