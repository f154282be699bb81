"""CSV exports of the partners list, a partnership's registers, the offerings list and a
partner's uptake: each the rows its page shows, to the readers who may see that page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from accord.domain.errors import Forbidden, NotFound
from accord.partners import queries
from accord.people.navigation import current_member
from accord.web.csvfiles import csv_response
from accord.web.limits import limited


@login_required
@require_safe
@limited("export-risks", "60/h", methods=("GET",))
def risks_csv(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A partnership's risk register: office holders and the partner's representatives."""
    try:
        rows = queries.risk_rows(current_member(request), agreement_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    return csv_response(
        f"partnership-{agreement_id}-risks-{timezone.localdate():%Y-%m-%d}.csv",
        queries.RISK_COLUMNS,
        rows,
    )


@require_safe
@limited("export-disclosures", "60/h", methods=("GET",))
def disclosures_csv(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A partnership's declared interests: public, as on its page."""
    try:
        rows = queries.disclosure_rows(agreement_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    return csv_response(
        f"partnership-{agreement_id}-interests-{timezone.localdate():%Y-%m-%d}.csv",
        queries.DISCLOSURE_COLUMNS,
        rows,
    )


@require_safe
@limited("export-offerings", "60/h", methods=("GET",))
def offerings_csv(request: HttpRequest) -> HttpResponse:
    """Every offering, as the public list shows it."""
    return csv_response(
        f"offerings-{timezone.localdate():%Y-%m-%d}.csv",
        queries.OFFERING_COLUMNS,
        queries.offering_rows(),
    )


@require_safe
@limited("export-partners", "60/h", methods=("GET",))
def partners_csv(request: HttpRequest) -> HttpResponse:
    """Every partner, as the public list shows it."""
    return csv_response(
        f"partners-{timezone.localdate():%Y-%m-%d}.csv",
        queries.PARTNER_COLUMNS,
        queries.partner_rows(),
    )


@login_required
@require_safe
@limited("export-uptake", "60/h", methods=("GET",))
def uptake_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner's offerings' uptake, as its page shows it: its own representatives and the
    stewards (anyone else: no such page)."""
    try:
        rows = queries.uptake_rows(current_member(request), slug)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    return csv_response(
        f"{slug}-uptake-{timezone.localdate():%Y-%m-%d}.csv", queries.UPTAKE_COLUMNS, rows
    )
