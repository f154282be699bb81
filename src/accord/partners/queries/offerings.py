"""Offerings, their reviews and their uptake. Partner representatives see only members who
said yes."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from accord.domain.disclosure import Published
from accord.domain.errors import NotFound
from accord.partners import permissions
from accord.partners.models import Claim, Offering, OfferingKind, Partner, Review
from accord.partners.queries.partners import partner_of
from accord.partners.queries.reciprocity import uptake_cells
from accord.people.models import Member
from accord.people.permissions import is_steward
from accord.people.visibility import Audience, Sight, audience_of, named_among, shared_with_partner


@dataclass(frozen=True)
class OfferingList:
    """Every offering, open ones first; `partners` are those this reader may make
    offerings for (none: no create form)."""

    offerings: list[Offering]
    partners: list[Partner]
    kinds: list[tuple[str, str]]
    currency: str


def offering_list(viewer: Member | None) -> OfferingList:
    """Offerings are public: what partners offer, to whom, and what it is worth."""
    if is_steward(viewer):
        partners = list(Partner.objects.all())
    else:
        own = partner_of(viewer) if viewer is not None else None
        partners = [own] if own is not None else []
    return OfferingList(
        offerings=list(Offering.objects.select_related("partner")[:500]),
        partners=partners,
        kinds=list(OfferingKind.choices),
        currency=settings.ACCORD_CURRENCY,
    )


@dataclass(frozen=True)
class ReviewRow:
    """A review, with its reviewer's name only when the reader may see them (else None:
    "a member")."""

    reviewer: str | None
    rating: int
    text: str
    at: datetime
    mine: bool


@dataclass(frozen=True)
class OfferingPage:
    offering: Offering
    reviews: list[ReviewRow]
    my_claim: Claim | None
    my_review: Review | None
    can_take_up: bool
    can_manage: bool


def _reviewers_named(viewer: Member | None, offering: Offering, ids: set[int]) -> set[int]:
    """Which reviewers `viewer` may see by name. A review says its author took up the
    partner's offering, so a partner representative sees a reviewer's name only if they
    represent this offering's partner and the reviewer shares who they are with it (as
    on the uptake page); everyone else as the reviewer's profile allows (`named_among`)."""
    if audience_of(viewer) != Audience.PARTNERS:
        return named_among(viewer, ids, Sight.PROFILE)
    if not permissions.represents(viewer, offering.partner):
        return set()
    shared = shared_with_partner(offering.partner_id, Member.objects.filter(pk__in=ids))
    return set(shared.values_list("pk", flat=True))


def offering_page(viewer: Member | None, offering_id: int) -> OfferingPage:
    offering = Offering.objects.select_related("partner", "agreement").filter(pk=offering_id)
    found = offering.first()
    if found is None:
        raise NotFound(f"No offering {offering_id}.")
    reviews = list(found.reviews.select_related("member"))
    named = _reviewers_named(viewer, found, {r.member_id for r in reviews})
    me = viewer.pk if viewer is not None else None
    return OfferingPage(
        offering=found,
        reviews=[
            ReviewRow(
                reviewer=r.member.display_name
                if r.member_id in named or r.member_id == me
                else None,
                rating=r.rating,
                text=r.text,
                at=r.at,
                mine=r.member_id == me,
            )
            for r in reviews
        ],
        my_claim=found.claims.filter(member_id=me).first() if me else None,
        my_review=next((r for r in reviews if r.member_id == me), None),
        can_take_up=permissions.can_take_up(viewer),
        can_manage=permissions.can_manage_offerings(viewer, found.partner),
    )


@dataclass(frozen=True)
class UptakeName:
    name: str
    pseudonym: str
    kind: str


@dataclass(frozen=True)
class Uptake:
    """One offering's uptake as its partner may see it: counts through `suppress_counts`
    (the people named below are a known cell: shown, and never covering another), and
    the names of those who consented to share who they are with this partner."""

    offering: Offering
    counts: Published
    named: list[UptakeName]


@dataclass(frozen=True)
class UptakePage:
    partner: Partner
    offerings: list[Uptake]


# The cells a page shows as numbers: those named are listed by name instead (a count of
# them would be a small number on the page, though the list already says it).
UPTAKE_LABELS = {
    "claim others": "Claimed, not named",
    "interest others": "Interested, not named",
}


def uptake_page(viewer: Member | None, slug: str) -> UptakePage:
    """A partner's offerings' uptake, for its own representatives and the stewards; anyone
    else is told there is no such page (another partner's representative included)."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or not permissions.can_view_partner_members(viewer, partner):
        raise NotFound("No such page.")
    offerings = list(partner.offerings.all())
    claims = list(
        Claim.objects.filter(offering__partner=partner).values_list(
            "offering_id", "member_id", "kind"
        )
    )
    consenting = shared_with_partner(
        partner.pk, Member.objects.filter(pk__in={m for _, m, _ in claims})
    )
    people = {m.pk: m for m in consenting.order_by("display_name", "pseudonym")}
    rows = []
    for offering in offerings:
        mine = [(m, k) for o, m, k in claims if o == offering.pk]
        named = sorted(
            (
                UptakeName(people[m].display_name, people[m].pseudonym, k)
                for m, k in mine
                if m in people
            ),
            key=lambda n: (n.name, n.pseudonym),
        )
        rows.append(Uptake(offering, uptake_cells(mine, set(people)), named))
    return UptakePage(partner, rows)


def offering_exists(offering_id: int) -> bool:
    return Offering.objects.filter(pk=offering_id).exists()
