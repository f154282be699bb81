"""Reads for partner representatives: only members who said yes are ever named."""

from dataclasses import dataclass

from accord.domain.disclosure import Cell, Hidden, suppress_counts
from accord.partners.models import Partner
from accord.people.models import Member
from accord.people.visibility import Audience, Sight, shown_to_audience


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
    """What a partner may see: totals, profiles shared with partners, contactable members.

    The members named on the page are counted by anyone who reads it, so the total less
    them would say how many did not consent: the total goes through `suppress_counts` with
    the named members as a known cell, and is hidden when that difference is 1 to 9 (or
    the community has fewer than 10 members)."""
    members = Member.objects.filter(erased_at__isnull=True)
    shared_profiles = list(
        shown_to_audience(Audience.PARTNERS, members, Sight.PROFILE).order_by("display_name")
    )
    contactable = list(
        shown_to_audience(Audience.PARTNERS, members, Sight.CONTACT)
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
