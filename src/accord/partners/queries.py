"""Reads about partners and their agreements. Partner representatives see only members who
said yes; an agreement's evaluation is read here for the pages and the API."""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.conf import settings
from django.db.models import QuerySet

from accord.domain import partnerships as ps
from accord.domain.disclosure import Cell, Hidden, Published, suppress_counts
from accord.domain.errors import Forbidden, NotFound
from accord.partners import permissions
from accord.partners.models import (
    Agreement,
    Claim,
    Offering,
    OfferingKind,
    Partner,
    Representative,
    Review,
)
from accord.people.models import Member
from accord.people.permissions import is_steward
from accord.people.visibility import (
    Audience,
    Sight,
    audience_of,
    named_among,
    shared_with_partner,
    shown_to_partner,
)


@dataclass(frozen=True)
class PartnerList:
    """The public list of partners; `can_add` says whether this reader may add one."""

    partners: list[Partner]
    can_add: bool


def partner_list(viewer: Member | None) -> PartnerList:
    return PartnerList(list(Partner.objects.all()), permissions.can_manage_partners(viewer))


@dataclass(frozen=True)
class ManagePage:
    """A steward's page for one partner: its details and its representatives (office
    holders, shown by name and handle)."""

    partner: Partner
    representatives: list[Representative]


def manage_page(viewer: Member | None, slug: str) -> ManagePage:
    """Stewards only; anyone else is told there is no such page."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or not permissions.can_manage_partners(viewer):
        raise NotFound("No such page.")
    reps = list(partner.representatives.select_related("member").order_by("since", "pk"))
    return ManagePage(partner, reps)


def visible_partner_view(viewer: Member | None, slug: str) -> "PartnerView":
    """A partner's page of opted-in members, for its representatives and the stewards."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise NotFound(f"No partner {slug!r}.")
    if not permissions.can_view_partner_members(viewer, partner):
        raise Forbidden("Only this partner's representatives and stewards see this.")
    return partner_view(partner)


def partner_of(member: Member) -> Partner | None:
    rep = getattr(member, "representation", None)
    return rep.partner if rep is not None else None


@dataclass(frozen=True)
class PartnerView:
    """A partner's page. Members are named only with their consent; `member_count` is the
    community's size as it may be published (see `partner_view`)."""

    partner: Partner
    shared_profiles: list[Member]
    contactable: list[Member]
    member_count: Cell

    @property
    def too_few(self) -> bool:
        """The community has fewer than 10 members, so its size is not given."""
        return isinstance(self.member_count, Hidden) and self.member_count.small

    @property
    def size_withheld(self) -> bool:
        """The size is hidden because, less the members named here, it would be small."""
        return isinstance(self.member_count, Hidden) and not self.member_count.small


def partner_view(partner: Partner) -> PartnerView:
    """What a partner may see: totals, profiles shared with partners, contactable members
    (the all-partners switches, or consent to this partner: `shown_to_partner`).

    The members named on the page are counted by anyone who reads it, so the total less
    them would say how many did not consent: the total goes through `suppress_counts` with
    the named members as a known cell, and is hidden when that difference is 1 to 9 (or
    the community has fewer than 10 members)."""
    members = Member.objects.filter(erased_at__isnull=True)
    shared_profiles = list(
        shown_to_partner(partner.pk, members, Sight.PROFILE).order_by("display_name")
    )
    contactable = list(
        shown_to_partner(partner.pk, members, Sight.CONTACT)
        .select_related("user")
        .order_by("display_name")
    )
    total = members.count()
    named = len({m.pk for m in shared_profiles} | {m.pk for m in contactable})
    published = suppress_counts(
        {"named": named, "not named": total - named}, total=total, known={"named"}
    )
    return PartnerView(
        partner=partner,
        shared_profiles=shared_profiles,
        contactable=contactable,
        member_count=Hidden(small=True) if published.total is None else published.total,
    )


# -- agreements -----------------------------------------------------------------------------


def activation_rule() -> ps.ActivationRule:
    """The community's rule for activating a partnership (settings)."""
    return ps.ActivationRule(
        threshold=Fraction(settings.ACCORD_ACTIVATION_THRESHOLD),  # a str when overridden
        floor=Fraction(settings.ACCORD_ACTIVATION_FLOOR),
        evaluators=int(settings.ACCORD_ACTIVATION_EVALUATORS),
    )


def evaluation_of(agreement: Agreement) -> ps.EvaluationSummary:
    """The agreement's evaluation so far: every evaluator's latest score per criterion."""
    rows = agreement.scores.order_by("at", "pk").values_list("evaluator_id", "criterion", "score")
    return ps.summarize(ps.Score(str(e), c, s) for e, c, s in rows)


def agreements() -> QuerySet[Agreement]:
    """Agreements are public: their partner, purpose, status and maturity."""
    return Agreement.objects.select_related("partner").prefetch_related("changes")


def agreement(agreement_id: int) -> Agreement:
    found = agreements().filter(pk=agreement_id).first()
    if found is None:
        raise NotFound(f"No agreement {agreement_id}.")
    return found


# -- offerings ---------------------------------------------------------------------------


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


UPTAKE_CELLS = ("claim named", "claim others", "interest named", "interest others")
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
        counts = dict.fromkeys(UPTAKE_CELLS, 0)
        for member_id, kind in mine:
            counts[f"{kind} {'named' if member_id in people else 'others'}"] += 1
        named = sorted(
            (
                UptakeName(people[m].display_name, people[m].pseudonym, k)
                for m, k in mine
                if m in people
            ),
            key=lambda n: (n.name, n.pseudonym),
        )
        published = suppress_counts(
            counts, total=len(mine), known={"claim named", "interest named"}
        )
        rows.append(Uptake(offering, published, named))
    return UptakePage(partner, rows)


def offering_exists(offering_id: int) -> bool:
    return Offering.objects.filter(pk=offering_id).exists()
