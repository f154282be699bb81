"""Reads for partner representatives: only members who said yes are ever named."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accord.partners.models import Partner
from accord.people.models import Member, Purpose
from accord.people.queries import consenting


def partner_of(member: Member) -> Partner | None:
    rep = getattr(member, "representation", None)
    return rep.partner if rep is not None else None


@dataclass(frozen=True)
class PartnerView:
    partner: Partner
    shared_profiles: QuerySet[Member]
    contactable: QuerySet[Member]
    member_count: int


def partner_view(partner: Partner) -> PartnerView:
    """What a partner may see: totals, profiles shared with partners, contactable members."""
    members = Member.objects.all()
    return PartnerView(
        partner=partner,
        shared_profiles=consenting(members, Purpose.SHARE_PROFILE_WITH_PARTNERS).order_by(
            "display_name"
        ),
        contactable=consenting(members, Purpose.PARTNER_CONTACT)
        .select_related("user")
        .order_by("display_name"),
        member_count=members.count(),
    )
