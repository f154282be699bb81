"""Partner pages: the public list (where stewards add partners), a steward's page to edit
a partner and appoint its representatives, and the representative's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain.errors import DomainError
from accord.partners import queries, services
from accord.partners.models import EXCHANGES, PartnerKind
from accord.partners.schemas import PartnerIn, PartnerPatch, RepresentativeIn
from accord.people.models import Member
from accord.people.navigation import current_member
from accord.people.schemas import parse
from accord.people.services import ensure_member
from accord.web.rendering import render_page

PARTNER_FIELDS = ("name", "kind", "website", "description")
# Each type with what such partners typically give and get, for the form's help text.
KINDS = [(value, label, EXCHANGES[value]) for value, label in PartnerKind.choices]


def _member(request: HttpRequest) -> Member:
    return ensure_member(request.user)  # type: ignore[arg-type]


def _posted(request: HttpRequest, fields: tuple[str, ...]) -> dict[str, str]:
    return {f: request.POST.get(f, "") for f in fields}


def _hidden(exc: DomainError) -> None:
    """A page that is not the reader's is "not found"."""
    if exc.status in (403, 404):
        raise Http404(exc.detail) from exc


def _form_status(exc: DomainError) -> int:
    """A form re-shown with the service's reason: a name that matches nobody is bad input."""
    return 422 if exc.status == 404 else exc.status


@require_http_methods(["GET", "POST"])
def partner_list(request: HttpRequest) -> HttpResponse:
    """Who the community's partners are: public. A steward adds a partner here."""
    viewer = current_member(request)
    values: dict[str, str] = {}
    error, status = "", 200
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())
        values = _posted(request, PARTNER_FIELDS)
        try:
            partner = services.create_partner(viewer, parse(PartnerIn, values))
        except DomainError as exc:
            error, status = exc.detail, exc.status
        else:
            messages.success(request, f"{partner.name} is added. Appoint its representative.")
            return redirect("partners:manage", slug=partner.slug)
    context = {
        "page": queries.partner_list(viewer),
        "values": values,
        "error": error,
        "kinds": KINDS,
    }
    return render_page(request, "partners/list.html", context, status=status)


def _manage(
    request: HttpRequest, slug: str, *, status: int = 200, **context: object
) -> HttpResponse:
    try:
        # The steward's page exists for stewards only: for anyone else it is not found.
        page = queries.manage_page(_member(request), slug)
    except DomainError as exc:
        _hidden(exc)
        raise
    values = context.pop("values", None) or {f: getattr(page.partner, f) for f in PARTNER_FIELDS}
    context.update({"page": page, "values": values, "kinds": KINDS})
    return render_page(request, "partners/manage.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """A steward edits a partner and sees its representatives."""
    if request.method == "GET":
        return _manage(request, slug)
    values = _posted(request, PARTNER_FIELDS)
    try:
        services.edit_partner(_member(request), slug, parse(PartnerPatch, values))
    except DomainError as exc:
        return _manage(
            request, slug, status=_form_status(exc), values=values, edit_error=exc.detail
        )
    messages.success(request, "The partner is saved.")
    return redirect("partners:manage", slug=slug)


@login_required
@require_POST
def appoint(request: HttpRequest, slug: str) -> HttpResponse:
    """A steward appoints a member as this partner's representative."""
    entered = request.POST.get("member", "")
    try:
        rep = services.appoint_representative(
            _member(request), slug, parse(RepresentativeIn, {"member": entered})
        )
    except DomainError as exc:
        return _manage(
            request, slug, status=_form_status(exc), entered=entered, appoint_error=exc.detail
        )
    messages.success(request, f"{rep.member.display_name} now represents {rep.partner.name}.")
    return redirect("partners:manage", slug=slug)


@login_required
@require_POST
def remove(request: HttpRequest, slug: str, pseudonym: str) -> HttpResponse:
    """A steward ends a representative's binding to this partner."""
    try:
        member = services.remove_representative(_member(request), slug, pseudonym)
    except DomainError as exc:
        return _manage(request, slug, status=_form_status(exc), remove_error=exc.detail)
    messages.success(request, f"{member.display_name} no longer represents this partner.")
    return redirect("partners:manage", slug=slug)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    partner = queries.partner_of(_member(request))
    if partner is None:
        raise Http404("You do not represent a partner.")
    return render_page(request, "partners/partner.html", {"view": queries.partner_view(partner)})


@login_required
@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        view = queries.visible_partner_view(_member(request), slug)
    except DomainError as exc:
        _hidden(exc)
        raise
    return render_page(request, "partners/partner.html", {"view": view})
