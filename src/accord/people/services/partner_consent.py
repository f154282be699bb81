"""Consent to share who one is with one named partner: given and withdrawn freely.

A partner's representatives see a member's identity in that partner's views only under
this consent (see `accord.people.visibility`). Withdrawing it costs nothing: no benefit,
claim or eligibility depends on it. Each change is kept as a `ConsentEvent` naming the
partner, and reaches the ledger as any consent change does: a blinded subject, the purpose,
answer, source and partner inside a salted commitment (`consent_record`)."""

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accord.domain.errors import Forbidden, NotFound
from accord.ledger import services as ledger
from accord.people import permissions
from accord.people.models import (
    ConsentEvent,
    ConsentSource,
    Member,
    PartnerConsent,
    Purpose,
)


def grant_partner_consent(actor: Member, partner_slug: str, *, source: ConsentSource) -> bool:
    """The member agrees that `partner_slug`'s representatives may see who they are.
    Returns whether anything changed (the same answer twice changes nothing)."""
    return _answer(actor, partner_slug, granted=True, source=source)


def withdraw_partner_consent(actor: Member, partner_slug: str, *, source: ConsentSource) -> bool:
    """The member withdraws that consent, without penalty. Returns whether anything
    changed (withdrawing what was never given changes nothing)."""
    return _answer(actor, partner_slug, granted=False, source=source)


def partner_by_slug(slug: str) -> Model:
    """The partner named by `slug` (partners sit above people: reached by app label)."""
    partner = apps.get_model("partners", "Partner")._default_manager.filter(slug=slug).first()
    if partner is None:
        raise NotFound(f"No partner {slug!r}.")
    return partner


def _answer(actor: Member, partner_slug: str, *, granted: bool, source: ConsentSource) -> bool:
    now = timezone.now()
    with transaction.atomic(durable=True):
        member = Member.objects.filter(pk=actor.pk, erased_at__isnull=True).first()
        if member is None or not permissions.can_change_consent(actor, member):
            raise Forbidden("Only the member can change their own consent.")
        partner = partner_by_slug(partner_slug)
        consent = (
            PartnerConsent.objects.select_for_update()
            .filter(member=member, partner_id=partner.pk)
            .first()
        )
        if (consent.granted if consent is not None else False) == granted:
            return False
        if consent is None:
            PartnerConsent.objects.create(
                member=member, partner_id=partner.pk, granted=granted, updated_at=now
            )
        else:
            consent.granted, consent.updated_at = granted, now
            consent.save(update_fields=["granted", "updated_at"])
        ConsentEvent.objects.create(
            member=member,
            purpose=Purpose.SHARE_WITH_PARTNER,
            partner_id=partner.pk,
            granted=granted,
            at=now,
            source=source,
            actor=actor,
        )
        ledger.append_many([_record(member.pk, partner.slug, granted, source)])  # type: ignore[attr-defined]
    return True


def _record(owner: int, partner_slug: str, granted: bool, source: str) -> ledger.Record:
    """Like `consent_record`: the partner is a member-derived fact here (whom they share
    with), so it stays inside the commitment with the rest."""
    return ledger.about_member(
        "consent.changed",
        ledger.MEMBER,
        owner,
        {
            "purpose": str(Purpose.SHARE_WITH_PARTNER),
            "partner": partner_slug,
            "granted": granted,
            "source": str(source),
        },
    )
