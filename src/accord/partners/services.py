"""Writes about partners and their representatives."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accord.domain.errors import Conflict, Forbidden, InvalidInput
from accord.partners import permissions
from accord.partners.models import Partner, PartnerKind, Representative
from accord.people.models import Member, SiteRole
from accord.people.services import assign_role


def create_partner(actor: Member, *, name: str, kind: str, description: str = "") -> Partner:
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards add partners.")
    name = name.strip()
    if not name:
        raise InvalidInput("A partner needs a name.")
    if kind not in PartnerKind.values:
        raise InvalidInput(f"{kind!r} is not a partner kind ({', '.join(PartnerKind.values)}).")
    try:
        with transaction.atomic():
            return Partner.objects.create(
                name=name,
                slug=slugify(name)[:160] or "partner",
                kind=kind,
                description=description,
            )
    except IntegrityError as exc:
        raise Conflict(f"A partner called {name!r} already exists.") from exc


def appoint_representative(actor: Member, member: Member, partner: Partner) -> Representative:
    """Give `member` the partner-representative role, bound to exactly one partner."""
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards appoint partner representatives.")
    if member.role == SiteRole.STEWARD:
        raise Conflict("A steward cannot also represent a partner.")
    with transaction.atomic():
        rep, _ = Representative.objects.update_or_create(
            member=member, defaults={"partner": partner}
        )
        assign_role(actor, member, SiteRole.PARTNER_REP, partner=partner.slug)
    return rep
