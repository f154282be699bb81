"""Writes about partners and their representatives: one function per steward action.

A partner is an organisation, so its name, kind and website may be public; its
description is free text and reaches the ledger only as a salted hash. Representatives are
office holders, named in the ledger by their public handle.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import Partner, PartnerKind, Representative
from accord.partners.schemas import PartnerIn, PartnerPatch, RepresentativeIn
from accord.partners.services._common import _member, _partner, _subject
from accord.people.models import Member, SiteRole
from accord.people.services import assign_role

SLUG_LENGTH = 100  # fits the ledger's subject column with its "partner:" prefix
RESERVED_SLUGS = {"mine"}  # /partners/mine/ is the representative's own page


def create_partner(actor: Member, data: PartnerIn) -> Partner:
    """A steward adds a partner; the ledger records it with the steward's handle."""
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards add partners.")
    fields = _cleaned(data.dict())
    slug = slugify(fields["name"])[:SLUG_LENGTH].strip("-") or "partner"
    if slug in RESERVED_SLUGS:
        slug += "-partner"
    with transaction.atomic(durable=True):
        if Partner.objects.filter(Q(name__iexact=fields["name"]) | Q(slug=slug)).exists():
            raise Conflict(f"A partner called {fields['name']!r} already exists.")
        partner = Partner.objects.create(slug=slug, **fields)
        ledger.append("partner.added", actor.pseudonym, _subject(partner), _facts(fields))
    return partner


def edit_partner(actor: Member, slug: str, data: PartnerPatch) -> Partner:
    """Change a partner's name, kind, website or description; its address stays."""
    with transaction.atomic(durable=True):
        partner = Partner.objects.select_for_update().filter(slug=slug).first()
        if partner is None:
            raise NotFound(f"No partner {slug!r}.")
        if not permissions.can_manage_partners(actor):
            raise Forbidden("Only stewards edit partners.")
        changes = _cleaned(data.dict(exclude_unset=True, exclude_none=True))
        others = Partner.objects.exclude(pk=partner.pk)
        if "name" in changes and others.filter(name__iexact=changes["name"]).exists():
            raise Conflict(f"A partner called {changes['name']!r} already exists.")
        changed = {k: v for k, v in changes.items() if getattr(partner, k) != v}
        if not changed:
            return partner
        for field, value in changed.items():
            setattr(partner, field, value)
        partner.save(update_fields=list(changed))
        ledger.append("partner.edited", actor.pseudonym, _subject(partner), _facts(changed))
    return partner


def appoint_representative(actor: Member, slug: str, data: RepresentativeIn) -> Representative:
    """Give a member the partner-representative role, bound to exactly this partner (a
    representative of another partner moves here)."""
    with transaction.atomic(durable=True):
        partner = _partner(slug)
        if not permissions.can_manage_partners(actor):
            raise Forbidden("Only stewards appoint partner representatives.")
        member = _member(data.member)
        if member.role in {SiteRole.STEWARD, SiteRole.TREASURER, SiteRole.AUDITOR}:
            office = member.get_role_display().lower()
            raise Conflict(f"A {office} cannot also represent a partner.")
        current = Representative.objects.filter(member=member).first()
        if current is not None and current.partner_id == partner.pk:
            raise Conflict(f"{member.display_name} already represents {partner.name}.")
        if current is not None:
            current.delete()
        rep = Representative.objects.create(member=member, partner=partner)
        assign_role(actor, member, SiteRole.PARTNER_REP, partner=partner.slug)
    return rep


def remove_representative(actor: Member, slug: str, member_handle: str) -> Member:
    """End a representative's binding to the partner; they go back to being a member.
    `member_handle` is their public handle (or, for staff, e-mail address)."""
    with transaction.atomic(durable=True):
        partner = _partner(slug)
        if not permissions.can_manage_partners(actor):
            raise Forbidden("Only stewards remove partner representatives.")
        handle = member_handle.strip()
        rep = (
            Representative.objects.select_related("member")
            .filter(Q(member__pseudonym=handle) | Q(member__user__email__iexact=handle))
            .filter(partner=partner)
            .first()
            if handle
            else None
        )
        if rep is None:
            raise NotFound(f"{member_handle!r} does not represent {partner.name}.")
        member = rep.member
        rep.delete()
        assign_role(actor, member, SiteRole.MEMBER, partner=partner.slug)
    return member


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    """Trimmed and checked partner fields; a bad one is refused whole."""
    fields = {k: v.strip() for k, v in fields.items()}
    if "name" in fields and not fields["name"]:
        raise InvalidInput("A partner needs a name.")
    if "kind" in fields and fields["kind"] not in PartnerKind.values:
        raise InvalidInput(
            f"{fields['kind']!r} is not a partner kind ({', '.join(PartnerKind.values)})."
        )
    if fields.get("website"):
        try:
            URLValidator(schemes=["https", "http"])(fields["website"])
        except ValidationError:
            raise InvalidInput("The website must be a web address (https://...).") from None
    return fields


def _facts(fields: dict[str, Any]) -> dict[str, Any]:
    """Partner fields as the ledger holds them: the description only as a salted hash."""
    facts = {k: v for k, v in fields.items() if k != "description"}
    if fields.get("description"):
        facts["description_sha256"] = ledger.note(fields["description"])
    elif "description" in fields:
        facts["description_sha256"] = None
    return facts
