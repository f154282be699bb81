"""A partner's contacts: who to reach there, kept by stewards and the representatives."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import Partner, PartnerContact
from accord.partners.schemas import PartnerContactIn, PartnerContactPatch
from accord.partners.services._common import _partner, _subject
from accord.people.models import Member

_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{2,39}")


def _contact_fields(fields: dict[str, str]) -> dict[str, str]:
    """Trimmed and checked contact fields (any of name, role, email, phone); every problem
    is told at once and nothing is saved. Lengths are the schema's; NUL bytes and lone
    surrogates are refused by `Input` before a service sees them."""
    cleaned = {k: v.strip() for k, v in fields.items()}
    problems = []
    if "name" in cleaned and not cleaned["name"]:
        problems.append("say the contact's name")
    if "role" in cleaned and not cleaned["role"]:
        problems.append("say the contact's role or title")
    if "email" in cleaned:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            problems.append(f"{cleaned['email'][:60]!r} is not an e-mail address")
    if cleaned.get("phone") and not _PHONE.fullmatch(cleaned["phone"]):
        problems.append("a phone number has digits, spaces and + ( ) . - only")
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    return cleaned


def _contact(partner: Partner, contact_id: int) -> PartnerContact:
    found = (
        PartnerContact.objects.select_for_update().filter(pk=contact_id, partner=partner).first()
    )
    if found is None:
        raise NotFound(f"{partner.name} has no contact {contact_id}.")
    return found


def _check_email_free(partner: Partner, email: str, *, but: int | None = None) -> None:
    taken = PartnerContact.objects.filter(partner=partner, email__iexact=email)
    if but is not None:
        taken = taken.exclude(pk=but)
    if taken.exists():
        raise Conflict(f"{partner.name} already has a contact at {email}.")


def add_partner_contact(actor: Member, slug: str, data: PartnerContactIn) -> PartnerContact:
    """A steward adds a named person at the partner organisation (its staff, not a member):
    name, role or title, e-mail address and, optionally, a phone number. The ledger records
    only that a contact was added, with its number: no name, address or number."""
    with transaction.atomic(durable=True):
        partner = _partner(slug)
        if not permissions.can_manage_partner_contacts(actor):
            raise Forbidden("Only stewards add a partner's contacts.")
        fields = _contact_fields(data.dict())
        _check_email_free(partner, fields["email"])
        contact = PartnerContact.objects.create(partner=partner, added_by=actor, **fields)
        ledger.append(
            "partner.contact_added", actor.pseudonym, _subject(partner), {"contact": contact.pk}
        )
    return contact


def edit_partner_contact(
    actor: Member, slug: str, contact_id: int, data: PartnerContactPatch
) -> PartnerContact:
    """A steward changes a contact's name, role, e-mail address or phone number (empty
    clears the phone). The ledger records which fields changed, never their values."""
    with transaction.atomic(durable=True):
        partner = _partner(slug)
        if not permissions.can_manage_partner_contacts(actor):
            raise Forbidden("Only stewards change a partner's contacts.")
        contact = _contact(partner, contact_id)
        asked = _contact_fields(data.dict(exclude_unset=True, exclude_none=True))
        changed = {k: v for k, v in asked.items() if getattr(contact, k) != v}
        if not changed:
            return contact
        if "email" in changed:
            _check_email_free(partner, changed["email"], but=contact.pk)
        for field, value in changed.items():
            setattr(contact, field, value)
        contact.save(update_fields=list(changed))
        ledger.append(
            "partner.contact_edited",
            actor.pseudonym,
            _subject(partner),
            {"contact": contact.pk, "fields": sorted(changed)},
        )
    return contact


def remove_partner_contact(actor: Member, slug: str, contact_id: int) -> None:
    """A steward removes a contact; nothing of it remains but the ledger's note that
    contact number `contact_id` was removed."""
    with transaction.atomic(durable=True):
        partner = _partner(slug)
        if not permissions.can_manage_partner_contacts(actor):
            raise Forbidden("Only stewards remove a partner's contacts.")
        contact = _contact(partner, contact_id)
        contact.delete()
        ledger.append(
            "partner.contact_removed", actor.pseudonym, _subject(partner), {"contact": contact_id}
        )
