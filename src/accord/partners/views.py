"""Partner pages: the public list (where stewards add partners), a steward's page to edit
a partner and appoint its representatives, and the representative's page."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain.errors import DomainError
from accord.partners import queries, services
from accord.partners.models import EXCHANGES, PartnerKind
from accord.partners.schemas import (
    ClaimIn,
    OfferingIn,
    PartnerContactIn,
    PartnerIn,
    PartnerPatch,
    RepresentativeIn,
    ReviewIn,
)
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.people.schemas import parse
from accord.web.csvfiles import csv_response
from accord.web.limits import limited
from accord.web.rendering import render_page

PARTNER_FIELDS = ("name", "kind", "website", "description")
# Each type with what such partners typically give and get, for the form's help text.
KINDS = [(value, label, EXCHANGES[value]) for value, label in PartnerKind.choices]


def _member(request: HttpRequest) -> Member:
    return request_member(request)


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
    """A representative's own page: their partner's members view and its partnerships."""
    member = _member(request)
    partner = queries.partner_of(member)
    if partner is None:
        raise Http404("You do not represent a partner.")
    context = {"view": queries.partner_view(partner), "portal": queries.portal_of(member, partner)}
    return render_page(request, "partners/partner.html", context)


@login_required
@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        view = queries.visible_partner_view(_member(request), slug)
    except DomainError as exc:
        _hidden(exc)
        raise
    return render_page(request, "partners/partner.html", {"view": view})


# -- offerings ---------------------------------------------------------------------------

OFFERING_FIELDS = ("partner", "agreement", "kind", "title", "description", "eligibility", "value")


@require_http_methods(["GET", "POST"])
def offerings(request: HttpRequest) -> HttpResponse:
    """What partners offer members: public. Stewards and representatives add offerings."""
    viewer = current_member(request)
    values: dict[str, str] = {}
    error, status = "", 200
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())
        values = _posted(request, OFFERING_FIELDS)
        fields: dict[str, object] = {**values, "agreement": values["agreement"] or None}
        try:
            offering = services.create_offering(viewer, parse(OfferingIn, fields))
        except DomainError as exc:
            error, status = exc.detail, _form_status(exc)
        else:
            messages.success(request, f"{offering.title} is offered.")
            return redirect("partners:offering", offering_id=offering.pk)
    context = {"page": queries.offering_list(viewer), "values": values, "error": error}
    return render_page(request, "partners/offerings.html", context, status=status)


def _offering_page(
    request: HttpRequest, offering_id: int, *, status: int = 200, error: str = ""
) -> HttpResponse:
    page = queries.offering_page(current_member(request), offering_id)
    context = {"page": page, "error": error}
    return render_page(request, "partners/offering.html", context, status=status)


@require_safe
def offering(request: HttpRequest, offering_id: int) -> HttpResponse:
    try:
        return _offering_page(request, offering_id)
    except DomainError as exc:
        raise Http404(exc.detail) from exc


def _act(
    request: HttpRequest, offering_id: int, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run one member action from the offering page: on success back to the page with
    `done`; on a refusal the page again, with the reason and its status."""
    try:
        action()
    except DomainError as exc:
        if not queries.offering_exists(offering_id):
            raise Http404(exc.detail) from exc
        return _offering_page(request, offering_id, status=exc.status, error=exc.detail)
    messages.success(request, done)
    return redirect("partners:offering", offering_id=offering_id)


@login_required
@require_POST
def claim_offering(request: HttpRequest, offering_id: int) -> HttpResponse:
    kind = request.POST.get("kind", "claim")
    return _act(
        request,
        offering_id,
        lambda: services.claim_offering(
            _member(request), offering_id, parse(ClaimIn, {"kind": kind})
        ),
        "You claimed this offering." if kind == "claim" else "Your interest is noted.",
    )


@login_required
@require_POST
def withdraw_claim(request: HttpRequest, offering_id: int) -> HttpResponse:
    return _act(
        request,
        offering_id,
        lambda: services.withdraw_claim(_member(request), offering_id),
        "You withdrew your claim.",
    )


@login_required
@require_POST
def review_offering(request: HttpRequest, offering_id: int) -> HttpResponse:
    fields = {"rating": request.POST.get("rating", ""), "text": request.POST.get("text", "")}
    return _act(
        request,
        offering_id,
        lambda: services.review_offering(_member(request), offering_id, parse(ReviewIn, fields)),
        "Thank you for your review.",
    )


@login_required
@require_POST
def withdraw_review(request: HttpRequest, offering_id: int) -> HttpResponse:
    return _act(
        request,
        offering_id,
        lambda: services.withdraw_review(_member(request), offering_id),
        "Your review is withdrawn.",
    )


@login_required
@require_POST
def close_offering(request: HttpRequest, offering_id: int) -> HttpResponse:
    return _act(
        request,
        offering_id,
        lambda: services.close_offering(_member(request), offering_id),
        "The offering is closed.",
    )


@login_required
@require_safe
def uptake(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner's offerings' uptake: its own representatives and the stewards."""
    try:
        page = queries.uptake_page(_member(request), slug)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    context = {"page": page, "labels": queries.UPTAKE_LABELS}
    return render_page(request, "partners/uptake.html", context)


# -- revenue diversification ----------------------------------------------------------------


def _revenue_period(request: HttpRequest) -> str:
    return "quarter" if request.GET.get("by") == "quarter" else "year"


@require_safe
def revenue(request: HttpRequest) -> HttpResponse:
    """The community's income from partners by partner and type over time, and how much it
    depends on the largest source: public (it is about organisations, never a member)."""
    page = queries.revenue(_revenue_period(request))
    return render_page(request, "partners/revenue.html", {"page": page})


@require_safe
@limited("export-revenue", "60/h", methods=("GET",))
def revenue_csv(request: HttpRequest) -> HttpResponse:
    """The revenue table as CSV: exactly the rows and cells the page shows."""
    page = queries.revenue(_revenue_period(request))
    return csv_response(
        f"revenue-{page.by}-{timezone.localdate():%Y-%m-%d}.csv", page.columns, page.rows
    )


# -- partner contacts -------------------------------------------------------------------------

CONTACT_FIELDS = ("name", "role", "email", "phone")


@login_required
@require_POST
def add_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """A steward adds a person at the partner organisation to write to."""
    posted = _posted(request, CONTACT_FIELDS)
    try:
        contact = services.add_partner_contact(
            _member(request), slug, parse(PartnerContactIn, posted)
        )
    except DomainError as exc:
        return _manage(
            request,
            slug,
            status=_form_status(exc),
            contact_values=posted,
            contact_error=exc.detail,
        )
    messages.success(request, f"{contact.name} is a contact at {contact.partner.name}.")
    return redirect(f"{reverse('partners:manage', args=[slug])}#contacts")


@login_required
@require_POST
def remove_contact(request: HttpRequest, slug: str, contact_id: int) -> HttpResponse:
    """A steward removes one of the partner's contacts."""
    try:
        services.remove_partner_contact(_member(request), slug, contact_id)
    except DomainError as exc:
        return _manage(request, slug, status=_form_status(exc), contact_remove_error=exc.detail)
    messages.success(request, "The contact is removed.")
    return redirect(f"{reverse('partners:manage', args=[slug])}#contacts")
