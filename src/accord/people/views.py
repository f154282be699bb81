"""Member pages: home, profile, consent, groups and the member directory."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain.errors import DomainError, Forbidden, NotFound
from accord.ledger import queries as ledger_queries
from accord.people import permissions, queries, services
from accord.people.forms import PROFILE_FIELDS, ProfileForm
from accord.people.models import ConsentSource, GroupRole, Member, Purpose, SiteRole
from accord.people.navigation import request_member
from accord.people.schemas import (
    ConsentIn,
    ErasureIn,
    GroupArchiveIn,
    GroupIn,
    GroupMergeIn,
    GroupPatch,
    GroupRoleIn,
    LeadershipTermIn,
    ProfilePatch,
    SiteRoleIn,
    TokenIn,
    parse,
)
from accord.people.services.tokens import TOKENS_PER_HOUR
from accord.people.visibility import Sight, consent_needed
from accord.web.csvfiles import csv_response
from accord.web.limits import limited
from accord.web.rendering import render_page


def _member(request: HttpRequest) -> Member:
    return request_member(request)


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
            data = parse(ProfilePatch, {f: request.POST.get(f, "") for f in PROFILE_FIELDS})
            services.update_profile(member, data)
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
            "partner_rows": queries.partner_consents_for(member),
        },
    )


@login_required
@require_POST
def toggle_consent(request: HttpRequest, purpose: str) -> HttpResponse:
    """Turn one purpose on or off; htmx swaps the one row, a plain form post redirects."""
    member = _member(request)
    data = ConsentIn(granted=request.POST.get("granted") == "yes")
    try:
        services.set_consent(member, purpose, data, source=ConsentSource.WEB)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, f"{Purpose(purpose).label}: {'on' if data.granted else 'off'}.")
        return redirect("people:consents")
    row = queries.consent_row(member, purpose)
    return render_page(request, "people/consents.html", {"row": row}, fragment="consent_row")


@login_required
@require_safe
def groups(request: HttpRequest) -> HttpResponse:
    return render_page(
        request, "people/groups.html", {"tree": queries.group_tree(_member(request))}
    )


def _group_page(
    request: HttpRequest, slug: str, *, error: DomainError | None = None
) -> HttpResponse:
    """The group page; after a refused form, with the reason and the refusal's status."""
    try:
        page = queries.group_page(_member(request), slug)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    context = {"page": page, "roles": GroupRole.choices, "error": error.detail if error else ""}
    return render_page(
        request, "people/group.html", context, status=error.status if error else 200
    )


@login_required
@require_safe
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _group_page(request, slug)


def _group_form(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    context |= {"kinds": queries.group_kinds(), "parents": queries.active_groups()}
    return render_page(request, "people/group_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def start_group(request: HttpRequest) -> HttpResponse:
    """Any member starts a group, and leads it."""
    if request.method == "GET":
        return _group_form(request, {"values": {"term_limit": 2}, "group": None}, 200)
    try:
        group = services.create_group(_member(request), parse(GroupIn, _fields(request, GROUP)))
    except DomainError as exc:
        context = {"values": request.POST, "group": None, "error": exc.detail}
        return _group_form(request, context, exc.status)
    messages.success(request, f"{group.name} is started, and you lead it.")
    return redirect("people:group", slug=group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def edit_group(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _member(request)
    try:
        group = queries.editable_group(actor, slug)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    if request.method == "GET":
        values = {f: getattr(group, f) for f in GROUP} | {
            "parent": group.parent.slug if group.parent else ""
        }
        return _group_form(request, {"values": values, "group": group}, 200)
    try:
        services.update_group(actor, slug, parse(GroupPatch, _fields(request, GROUP)))
    except DomainError as exc:
        context = {"values": request.POST, "group": group, "error": exc.detail}
        return _group_form(request, context, exc.status)
    messages.success(request, "The group is saved.")
    return redirect("people:group", slug=slug)


GROUP = ("name", "kind", "parent", "description", "term_limit")


def _fields(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str]:
    return {f: request.POST[f] for f in names if f in request.POST}


@login_required
@require_POST
def archive_group(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        data = parse(GroupArchiveIn, _fields(request, ("reason",)))
        group = services.archive_group(_member(request), slug, data)
    except DomainError as exc:
        return _group_page(request, slug, error=exc)
    messages.success(request, f"{group.name} is archived.")
    return redirect("people:groups")


@login_required
@require_POST
def merge_group(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        data = parse(GroupMergeIn, _fields(request, ("into",)))
        merge = services.merge_group(_member(request), slug, data)
    except DomainError as exc:
        return _group_page(request, slug, error=exc)
    messages.success(
        request, f"{merge.merged.name} is merged into {merge.into.name} and archived."
    )
    return redirect("people:group", slug=merge.into.slug)


@login_required
@require_POST
def set_group_role(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        data = parse(GroupRoleIn, _fields(request, ("member", "role")))
        membership = services.set_group_role(_member(request), slug, data)
    except DomainError as exc:
        return _group_page(request, slug, error=exc)
    messages.success(
        request, f"{membership.member.display_name} is now {membership.get_role_display()}."
    )
    return redirect("people:group", slug=slug)


@login_required
@require_POST
def join_group(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        membership = services.join_group(_member(request), slug)
        messages.success(request, f"You joined {membership.group.name}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("people:group", slug=slug)


@login_required
@require_POST
def leave_group(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        m = services.leave_group(_member(request), slug)
        messages.success(
            request, f"You left {m.group.name}. Anything you contributed still counts."
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("people:group", slug=slug)


@login_required
@require_safe
def members(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:80]
    name, handle = request.GET.get("after_name", "")[:80], request.GET.get("after", "")[:20]
    page = queries.directory_page(
        _member(request), search=search, after=(name, handle) if handle else None
    )
    needed = consent_needed(_member(request), Sight.PROFILE)
    return render_page(
        request, "people/members.html", {"page": page, "q": search, "needed": needed}
    )


@login_required
@require_safe
@limited("export-members", "30/h", methods=("GET",))
def members_export(request: HttpRequest) -> HttpResponse:
    """The directory as CSV: exactly the members the page lists."""
    return csv_response(
        f"members-{timezone.now():%Y-%m-%d}.csv",
        queries.EXPORT_COLUMNS,
        queries.member_export_rows(_member(request)),
    )


def _member_page(
    request: HttpRequest, pseudonym: str, *, error: DomainError | None = None
) -> HttpResponse:
    try:
        page = queries.member_page(_member(request), pseudonym)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    context = {
        "page": page,
        "profile": page.profile,
        "roles": SITE_ROLES,
        "error": error.detail if error else "",
    }
    return render_page(
        request, "people/member.html", context, status=error.status if error else 200
    )


SITE_ROLES = [(v, label) for v, label in SiteRole.choices if v != SiteRole.PARTNER_REP]


@login_required
@require_safe
def member_detail(request: HttpRequest, pseudonym: str) -> HttpResponse:
    return _member_page(request, pseudonym)


@login_required
@require_POST
def set_site_role(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """A steward appoints a member's site role from the member's page."""
    try:
        data = parse(SiteRoleIn, _fields(request, ("role",)))
        member = services.set_site_role(_member(request), pseudonym, data)
    except (Forbidden, NotFound) as exc:
        raise Http404(exc.detail) from exc  # the form exists for stewards only
    except DomainError as exc:
        return _member_page(request, pseudonym, error=exc)
    messages.success(request, f"{member.display_name} is now {member.get_role_display()}.")
    return redirect("people:member", pseudonym=pseudonym)


def _leadership(request: HttpRequest, *, error: DomainError | None = None) -> HttpResponse:
    try:
        overview = queries.leadership_overview(_member(request), today=timezone.localdate())
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    context = {
        "o": overview,
        "roles": [(GroupRole.LEAD, "Lead"), (GroupRole.CO_LEAD, "Co-lead")],
        "values": request.POST if error else {},
        "error": error.detail if error else "",
    }
    return render_page(
        request, "people/leadership.html", context, status=error.status if error else 200
    )


@login_required
@require_safe
def leadership(request: HttpRequest) -> HttpResponse:
    return _leadership(request)


@login_required
@require_POST
def record_term(request: HttpRequest) -> HttpResponse:
    """A steward records a leadership term from the Leadership page."""
    fields = _fields(request, ("member", "role", "start", "end"))
    try:
        data = parse(LeadershipTermIn, fields)
        term = services.add_leadership_term(_member(request), request.POST.get("group", ""), data)
    except Forbidden as exc:
        raise Http404(exc.detail) from exc  # the page exists for stewards only
    except DomainError as exc:
        return _leadership(request, error=exc)
    messages.success(request, f"Term recorded: {term.group.name}, {term.start} to {term.end}.")
    return redirect("people:leadership")


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
@limited("receipt-bundle", "30/h", methods=("GET",))
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
@limited("auditor-export", "10/h", methods=("GET",))
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
            services.erase_member(member, member.pseudonym, ErasureIn(reason=""))
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
    try:
        subject = queries.erasable_member(actor, pseudonym)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    error, status = "", 200
    if request.method == "POST":
        try:
            data = parse(ErasureIn, _fields(request, ("reason",)))
            services.erase_member(actor, pseudonym, data)
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            messages.success(request, "The account is erased.")
            return redirect("people:members")
    return render_page(
        request, "people/erase.html", {"error": error, "subject": subject}, status=status
    )


# Personal access tokens ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@limited("create-token", TOKENS_PER_HOUR)
def tokens(request: HttpRequest) -> HttpResponse:
    member = request_member(request)
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        try:
            new = services.create_token(
                member,
                parse(
                    TokenIn,
                    {
                        "name": request.POST.get("name", ""),
                        "scopes": request.POST.getlist("scopes"),
                        "expires_in_days": request.POST.get("expires_in_days", "90"),
                    },
                ),
            )
        except DomainError as exc:
            context["error"] = exc.detail
            status = exc.status
        else:
            context["new_secret"] = new.secret
            context["new_name"] = new.token.name
            status = 201
    context["tokens"] = queries.tokens_of(member)
    context["holds_treasury"] = permissions.holds_treasury(member)
    context["lifetimes"] = (7, 30, 90, 180, 365)
    return render_page(request, "people/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.revoke_token(request_member(request), token_id)
        messages.success(request, f"Token “{token.name}” is revoked.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("people:tokens")


# -- offerings: consent to share with one partner ------------------------------------------


@login_required
@require_POST
def partner_consent(request: HttpRequest, slug: str) -> HttpResponse:
    """Share who I am with one partner, or stop; htmx swaps the row, a plain post redirects."""
    member = _member(request)
    granted = request.POST.get("granted") == "yes"
    answer = services.grant_partner_consent if granted else services.withdraw_partner_consent
    try:
        answer(member, slug, source=ConsentSource.WEB)
        row = queries.partner_consent_row(member, slug)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, f"Sharing with {row.name}: {'on' if granted else 'off'}.")
        return redirect("people:consents")
    return render_page(
        request, "people/consents.html", {"prow": row}, fragment="partner_consent_row"
    )
