"""The partner representative's page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from accord.partners import permissions, queries
from accord.partners.models import Partner
from accord.people.services import ensure_member
from accord.web.rendering import render_page


@require_safe
def partner_list(request: HttpRequest) -> HttpResponse:
    """Who the community's partners are: public, like the criteria and the ledger."""
    return render_page(request, "partners/list.html", {"partners": Partner.objects.all()})


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    partner = queries.partner_of(ensure_member(request.user))  # type: ignore[arg-type]
    if partner is None:
        raise Http404("You do not represent a partner.")
    return render_page(request, "partners/partner.html", {"view": queries.partner_view(partner)})


@login_required
@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    partner = get_object_or_404(Partner, slug=slug)
    if not permissions.can_view_partner_members(ensure_member(request.user), partner):  # type: ignore[arg-type]
        raise Http404
    return render_page(request, "partners/partner.html", {"view": queries.partner_view(partner)})
