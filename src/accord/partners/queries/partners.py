"""The partner list, a partner's page and its management page, and its contacts."""

from dataclasses import dataclass

from accord.domain.disclosure import Cell, Hidden, suppress_counts
from accord.domain.errors import Forbidden, NotFound
from accord.partners import permissions
from accord.partners.models import Partner, PartnerContact, Representative
from accord.people.models import Member
from accord.people.visibility import Sight, shown_to_partner


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
    contacts: list[PartnerContact]


def manage_page(viewer: Member | None, slug: str) -> ManagePage:
    """Stewards only; anyone else is told there is no such page."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or not permissions.can_manage_partners(viewer):
        raise NotFound("No such page.")
    reps = list(partner.representatives.select_related("member").order_by("since", "pk"))
    return ManagePage(partner, reps, list(partner.contacts.all()))


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
    contacts: list[PartnerContact]  # the partner's own staff to write to (not members)

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
        contacts=list(partner.contacts.all()),
    )


# -- partner contacts --------------------------------------------------------------------------


def contacts_of(viewer: Member | None, slug: str) -> list[PartnerContact]:
    """A partner's contacts (its staff), for office holders and its own representatives;
    anyone else, another partner's representatives included, is refused."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise NotFound(f"No partner {slug!r}.")
    if not permissions.can_see_partner_contacts(viewer, partner):
        raise Forbidden("Only office holders and the partner's representatives see its contacts.")
    return list(partner.contacts.all())
