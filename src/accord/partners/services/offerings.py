"""Partners' offerings to members, and members' claims and reviews of them."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.money import minor_units, parse_amount
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import (
    Agreement,
    Claim,
    ClaimKind,
    Offering,
    OfferingKind,
    Partner,
    Review,
)
from accord.partners.schemas import ClaimIn, OfferingIn, ReviewIn
from accord.people.models import Member


def _offering(offering_id: int) -> Offering:
    offering = (
        Offering.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(pk=offering_id)
        .first()
    )
    if offering is None:
        raise NotFound(f"No offering {offering_id}.")
    return offering


def _stated_value(text: str) -> Decimal:
    """The stated value, exact, in the community currency (its decimals at most)."""
    currency = settings.ACCORD_CURRENCY
    try:
        minor = parse_amount(text, currency)
    except ValueError as exc:
        raise InvalidInput(f"The value: {exc}") from None
    return Decimal(minor).scaleb(-minor_units(currency))


def _offering_fields(data: OfferingIn) -> dict[str, Any]:
    fields = {
        "kind": data.kind.strip(),
        "title": data.title.strip(),
        "description": data.description.strip(),
        "eligibility": data.eligibility.strip(),
    }
    problems = [
        *(["a title is required"] if not fields["title"] else []),
        *(["say who is eligible"] if not fields["eligibility"] else []),
        *(
            [f"{fields['kind']!r} is not a kind ({', '.join(OfferingKind.values)})"]
            if fields["kind"] not in OfferingKind.values
            else []
        ),
    ]
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    return fields


def create_offering(actor: Member, data: OfferingIn) -> Offering:
    """A steward, or the partner's own representative, offers members something: a
    discount, service, event, education or resource access, with who is eligible and its
    stated value. The ledger records it with the creator's handle and hashes of its text."""
    fields = _offering_fields(data)
    value = _stated_value(data.value)
    with transaction.atomic(durable=True):
        partner = Partner.objects.filter(slug=data.partner).first()
        if partner is None:
            raise NotFound(f"No partner {data.partner!r}.")
        if not permissions.can_manage_offerings(actor, partner):
            raise Forbidden("Only stewards and the partner's representatives make its offerings.")
        agreement = None
        if data.agreement is not None:
            agreement = Agreement.objects.filter(pk=data.agreement, partner=partner).first()
            if agreement is None:
                raise InvalidInput(f"{partner.name} has no agreement {data.agreement}.")
        offering = Offering.objects.create(
            partner=partner,
            agreement=agreement,
            value=value,
            currency=settings.ACCORD_CURRENCY,
            created_by=actor,
            **fields,
        )
        ledger.append(
            "offering.created",
            actor.pseudonym,
            _offering_subject(offering),
            {
                "partner": partner.slug,
                "agreement": data.agreement,
                "kind": offering.kind,
                "value": str(value),
                "currency": offering.currency,
                "title_sha256": ledger.note(fields["title"]),
                "eligibility_sha256": ledger.note(fields["eligibility"]),
            },
        )
    return offering


def close_offering(actor: Member, offering_id: int) -> Offering:
    """Close an offering to new claims (those made stay, and may still be withdrawn)."""
    with transaction.atomic(durable=True):
        offering = _offering(offering_id)
        if not permissions.can_manage_offerings(actor, offering.partner):
            raise Forbidden("Only stewards and the partner's representatives close its offerings.")
        if not offering.is_open:
            raise Conflict("This offering is already closed.")
        offering.is_open, offering.closed_at = False, timezone.now()
        offering.save(update_fields=["is_open", "closed_at"])
        ledger.append("offering.closed", actor.pseudonym, _offering_subject(offering), {})
    return offering


def claim_offering(actor: Member, offering_id: int, data: ClaimIn) -> Claim:
    """A member claims an open offering or says they are interested; saying the other
    replaces their answer (one per member and offering). The ledger keeps that it
    happened under a blinded subject, the offering and kind inside a commitment."""
    if not permissions.can_take_up(actor):
        raise Forbidden("Members take up offerings; a partner representative cannot.")
    if data.kind not in ClaimKind.values:
        raise InvalidInput(f"{data.kind!r} is not claim or interest.")
    with transaction.atomic(durable=True):
        offering = _offering(offering_id)
        if not offering.is_open:
            raise Conflict("This offering is closed.")
        claim = Claim.objects.select_for_update().filter(member=actor, offering=offering).first()
        if claim is not None and claim.kind == data.kind:
            done = "claimed" if data.kind == ClaimKind.CLAIM else "said you are interested in"
            raise Conflict(f"You already {done} this offering.")
        if claim is None:
            claim = Claim.objects.create(member=actor, offering=offering, kind=data.kind)
        else:
            claim.kind, claim.at = data.kind, timezone.now()
            claim.save(update_fields=["kind", "at"])
        _log_uptake(actor, offering, data.kind)
    return claim


def withdraw_claim(actor: Member, offering_id: int) -> None:
    """A member withdraws their claim or interest, open offering or closed, at no cost."""
    with transaction.atomic(durable=True):
        offering = _offering(offering_id)
        deleted, _ = Claim.objects.filter(member=actor, offering=offering).delete()
        if not deleted:
            raise NotFound("You have not claimed this offering.")
        _log_uptake(actor, offering, "withdrawn")


def review_offering(actor: Member, offering_id: int, data: ReviewIn) -> Review:
    """A member who claimed an offering rates it 1-5, with a few words; reviewing again
    replaces their review. Reviews are the members' own words and stay off the ledger."""
    if not permissions.can_take_up(actor):
        raise Forbidden("Members review offerings; a partner representative cannot.")
    text = data.text.strip()
    with transaction.atomic(durable=True):
        offering = _offering(offering_id)
        if not Claim.objects.filter(
            member=actor, offering=offering, kind=ClaimKind.CLAIM
        ).exists():
            raise Conflict("Review an offering after you have claimed it.")
        review, _ = Review.objects.update_or_create(
            member=actor,
            offering=offering,
            defaults={"rating": data.rating, "text": text, "at": timezone.now()},
        )
    return review


def withdraw_review(actor: Member, offering_id: int) -> None:
    """A member takes their review back."""
    with transaction.atomic(durable=True):
        offering = _offering(offering_id)
        deleted, _ = Review.objects.filter(member=actor, offering=offering).delete()
        if not deleted:
            raise NotFound("You have not reviewed this offering.")


def _offering_subject(offering: Offering) -> str:
    return f"offering:{offering.pk}"


def _log_uptake(actor: Member, offering: Offering, kind: str) -> None:
    ledger.append_many(
        [
            ledger.about_member(
                "offering.uptake",
                ledger.MEMBER,
                actor.pk,
                {"offering": offering.pk, "kind": kind},
            )
        ]
    )
