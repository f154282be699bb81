"""The partners, the registers, the offerings and their uptake as rows for their CSV
exports."""

from django.db.models import Count, Q
from django.utils import timezone

from accord.domain import partnerships as ps
from accord.partners.models import Offering, Partner
from accord.partners.queries.offerings import UPTAKE_LABELS, uptake_page
from accord.partners.queries.registers import disclosures_of, visible_risks
from accord.people.models import Member

RISK_COLUMNS = (
    "id",
    "title",
    "category",
    "likelihood",
    "impact",
    "severity",
    "band",
    "mitigation",
    "owner",
    "status",
    "raised_on",
    "updated_on",
)


def risk_rows(viewer: Member | None, agreement_id: int) -> list[tuple[object, ...]]:
    """A partnership's risk register as the page shows it, one row a risk in its order:
    for office holders and the partner's own representatives (anyone else: Forbidden)."""
    return [
        (
            line.risk.pk,
            line.risk.title,
            line.risk.category,
            line.risk.likelihood,
            line.risk.impact,
            line.severity,
            line.band,
            line.risk.mitigation,
            line.owner or line.risk.owner_label,
            line.risk.status,
            timezone.localdate(line.risk.raised_at).isoformat(),
            timezone.localdate(line.risk.updated_at).isoformat(),
        )
        for line in visible_risks(viewer, agreement_id)
    ]


DISCLOSURE_COLUMNS = (
    "id",
    "discloser",
    "office",
    "interest",
    "declared_on",
    "status",
    "closed_on",
    "closed_reason",
)


def disclosure_rows(agreement_id: int) -> list[tuple[object, ...]]:
    """A partnership's declared interests as the page shows them (public): the discloser
    by handle while they hold an office, else empty."""
    return [
        (
            line.disclosure.pk,
            line.discloser or "",
            line.role,
            line.interest,
            timezone.localdate(line.disclosure.declared_at).isoformat(),
            "open" if line.disclosure.is_open else "closed",
            ""
            if line.disclosure.closed_at is None
            else timezone.localdate(line.disclosure.closed_at).isoformat(),
            line.disclosure.closed_reason,
        )
        for line in disclosures_of(agreement_id)
    ]


OFFERING_COLUMNS = (
    "id",
    "partner",
    "kind",
    "title",
    "description",
    "eligibility",
    "stated_value",
    "currency",
    "status",
    "offered_on",
    "closed_on",
)


def offering_rows() -> list[tuple[object, ...]]:
    """Every offering, in the list's order (open first, newest first): the list has no
    filters, so its export is all of it."""
    return [
        (
            o.pk,
            o.partner.name,
            o.get_kind_display(),
            o.title,
            o.description,
            o.eligibility,
            o.stated_value,
            o.currency,
            "open" if o.is_open else "closed",
            timezone.localdate(o.created_at).isoformat(),
            "" if o.closed_at is None else timezone.localdate(o.closed_at).isoformat(),
        )
        for o in Offering.objects.select_related("partner")
    ]


PARTNER_COLUMNS = ("slug", "partner", "type", "website", "description", "partnerships", "active")


def partner_rows() -> list[tuple[object, ...]]:
    """Every partner as the public list shows it (public), with how many partnerships the
    community has with it and how many of those are active."""
    partners = Partner.objects.annotate(
        partnerships=Count("agreements"),
        active=Count("agreements", filter=Q(agreements__status=ps.Status.ACTIVE)),
    )
    return [
        (
            p.slug,
            p.name,
            p.get_kind_display(),
            p.website,
            p.description,
            p.partnerships,
            p.active,
        )
        for p in partners
    ]


UPTAKE_COLUMNS = ("offering", "status", "line", "value")
_TOOK = {"claim": "claimed", "interest": "interested"}  # as the page says it


def uptake_rows(viewer: Member | None, slug: str) -> list[tuple[object, ...]]:
    """A partner's offerings' uptake exactly as its uptake page shows it to `viewer`, one
    row a line: each offering's counts (what the page withholds said as it says it: "fewer
    than 10", "not shown"), its total, and the names of the members who share who they are
    with this partner. For its own representatives and the stewards (anyone else: NotFound,
    as for the page)."""
    page = uptake_page(viewer, slug)
    rows: list[tuple[object, ...]] = []
    for u in page.offerings:
        offering, status = u.offering.title, "open" if u.offering.is_open else "closed"
        rows += [
            (offering, status, UPTAKE_LABELS[label], str(cell))
            for label, cell in u.counts.cells.items()
            if label in UPTAKE_LABELS
        ]
        rows.append((offering, status, "In all", str(u.counts.total)))
        rows += [
            (
                offering,
                status,
                f"Named, {'claimed' if n.kind == 'claim' else 'interested'}",
                n.name,
            )
            for n in u.named
        ]
    return rows
