"""Member pages: home, profile, consent, groups and the member directory."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain.errors import DomainError
from accord.ledger import queries as ledger_queries
from accord.people import permissions, queries, services
from accord.people.forms import ProfileForm
from accord.people.models import (
    OFFERED_PURPOSES,
    AccessToken,
    ConsentSource,
    Group,
    Member,
    Purpose,
)
from accord.people.services import ensure_member
from accord.people.visibility import Sight, consent_needed
from accord.web.csvfiles import csv_response
from accord.web.rendering import render_page


def _member(request: HttpRequest) -> Member:
    return ensure_member(request.user)  # type: ignore[arg-type]


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    return render_page(
        request,
        "people/home.html",
        {
            "memberships": queries.groups_of(member),
            "consents": queries.consents_for(member),
            "activity": queries.recent_activity(member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                member, member, **{f: request.POST.get(f, "") for f in ProfileForm.Meta.fields}
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("people:profile")
    status = 422 if request.method == "POST" else 200
    member.refresh_from_db()
    return render_page(request, "people/profile.html", {"form": form}, status=status)


@login_required
@require_safe
def consents(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    return render_page(
        request,
        "people/consents.html",
        {
            "rows": queries.consents_for(member),
            "history": queries.consent_history(member, limit=20),
        },
    )


@login_required
@require_POST
def toggle_consent(request: HttpRequest, purpose: str) -> HttpResponse:
    """Turn one purpose on or off; htmx swaps the one row, a plain form post redirects."""
    if purpose not in OFFERED_PURPOSES:
        raise Http404("No such purpose.")
    member = _member(request)
    granted = request.POST.get("granted") == "yes"
    services.set_consent(member, member, purpose, granted, source=ConsentSource.WEB)
    if not request.htmx:  # type: ignore[attr-defined]
        label = Purpose(purpose).label
        messages.success(request, f"{label}: {'on' if granted else 'off'}.")
        return redirect("people:consents")
    row = queries.consent_row(member, purpose)
    return render_page(request, "people/consents.html", {"row": row}, fragment="consent_row")


@login_required
@require_safe
def groups(request: HttpRequest) -> HttpResponse:
    return render_page(
        request, "people/groups.html", {"tree": queries.group_tree(_member(request))}
    )


@login_required
@require_safe
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group.objects.select_related("parent"), slug=slug)
    return render_page(
        request, "people/group.html", {"page": queries.group_page(_member(request), group)}
    )


@login_required
@require_POST
def join_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    try:
        services.join_group(_member(request), group)
        messages.success(request, f"You joined {group.name}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("people:group", slug=slug)


@login_required
@require_POST
def leave_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    try:
        services.leave_group(_member(request), group)
        messages.success(request, f"You left {group.name}. Anything you contributed still counts.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("people:group", slug=slug)


@login_required
@require_safe
def members(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:80]
    page = Paginator(queries.member_directory(_member(request), search=search), 50).get_page(
        request.GET.get("page")
    )
    needed = consent_needed(_member(request), Sight.PROFILE)
    return render_page(
        request, "people/members.html", {"page": page, "q": search, "needed": needed}
    )


@login_required
@require_safe
def members_export(request: HttpRequest) -> HttpResponse:
    """The directory as CSV: exactly the members the page lists."""
    return csv_response(
        f"members-{timezone.now():%Y-%m-%d}.csv",
        queries.EXPORT_COLUMNS,
        queries.member_export_rows(_member(request)),
    )


@login_required
@require_safe
def member_detail(request: HttpRequest, pseudonym: str) -> HttpResponse:
    viewer = _member(request)
    member = queries.visible_member(viewer, pseudonym)
    if member is None:
        raise Http404("No member with that id is visible to you.")
    return render_page(
        request,
        "people/member.html",
        {
            "profile": member,
            "show_private": permissions.can_see_private_profile(viewer, member),
            "can_erase": permissions.is_steward(viewer) and viewer.pk != member.pk,
            "memberships": queries.groups_of(member),
        },
    )


@login_required
@require_safe
def leadership(request: HttpRequest) -> HttpResponse:
    if not permissions.is_steward(_member(request)):
        raise Http404
    today = timezone.localdate()
    days = 90
    return render_page(
        request,
        "people/leadership.html",
        {
            "days": days,
            "ending": queries.terms_ending_within(days, today=today),
            "over_limit": queries.terms_over_limit(today=today),
            "no_successor": queries.groups_without_successor(today=today),
        },
    )


@login_required
@require_safe
def receipts(request: HttpRequest) -> HttpResponse:
    """The member's own ledger entries, each with a receipt they can verify offline."""
    listed = ledger_queries.entry_listing(request.GET, owner=_member(request).pk)
    return render_page(
        request, "ledger/receipts.html", listed.context, status=400 if listed.bad else 200
    )


@login_required
@require_safe
def receipt_bundle(request: HttpRequest) -> HttpResponse:
    """Everything the member needs to check their entries and amounts offline."""
    bundle = ledger_queries.receipt_bundle(_member(request).pk)
    if bundle is None:
        raise Http404("No signed head yet: come back after the next one.")
    response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="accord-receipts.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def auditor_export(request: HttpRequest) -> StreamingHttpResponse:
    """The auditor export (auditors only); each download is recorded in the ledger."""
    try:
        lines = services.export_for_auditor(_member(request))
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    response = StreamingHttpResponse(
        (line + "\n" for line in lines), content_type="application/x-ndjson; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="accord-auditor-{stamp}.jsonl"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase_me(request: HttpRequest) -> HttpResponse:
    """Erase my account, after typing ERASE to confirm."""
    member = _member(request)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().upper() != "ERASE":
            error = "Type ERASE to confirm."
        else:
            services.erase_member(member, member.pk)
            logout(request)
            messages.success(request, "Your account and your personal data are erased.")
            return redirect("/")
    return render_page(
        request,
        "people/erase.html",
        {"error": error, "subject": None},
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase_member(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """A steward erases an account on the member's request, with the reason recorded."""
    actor = _member(request)
    if not permissions.is_steward(actor):
        raise Http404
    subject = get_object_or_404(Member, pseudonym=pseudonym, erased_at__isnull=True)
    error = ""
    if request.method == "POST":
        try:
            services.erase_member(actor, subject.pk, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            error = exc.detail
        else:
            messages.success(request, "The account is erased.")
            return redirect("people:members")
    return render_page(
        request,
        "people/erase.html",
        {"error": error, "subject": subject},
        status=422 if error else 200,
    )


# Personal access tokens ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    member = ensure_member(request.user)  # type: ignore[arg-type]
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        try:
            new = services.create_token(member, name=request.POST.get("name", ""))
        except DomainError as exc:
            context["error"] = exc.detail
            status = 422
        else:
            context["new_secret"] = new.secret
            context["new_name"] = new.token.name
            status = 201
    context["tokens"] = AccessToken.objects.filter(member=member)
    return render_page(request, "people/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.revoke_token(ensure_member(request.user), token_id)  # type: ignore[arg-type]
        messages.success(request, f"Token “{token.name}” is revoked.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("people:tokens")
