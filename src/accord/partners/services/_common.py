"""Lookups and checks the partner actions share."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from accord.domain import partnerships as ps
from accord.domain import risks as rs
from accord.domain.errors import Conflict, InvalidInput, NotFound
from accord.domain.text import required
from accord.partners.models import Agreement, Disclosure, Partner
from accord.people.models import Member


def _partner(slug: str) -> Partner:
    partner = Partner.objects.select_for_update().filter(slug=slug).first()
    if partner is None:
        raise NotFound(f"No partner {slug!r}.")
    return partner


def _member(handle: str) -> Member:
    """A member named by public handle or (for staff at a command line) e-mail address."""
    handle = handle.strip()
    member = (
        Member.objects.select_for_update(of=("self",))
        .filter(Q(pseudonym=handle) | Q(user__email__iexact=handle), erased_at__isnull=True)
        .first()
        if handle
        else None
    )
    if member is None:
        raise NotFound(f"No member {handle!r}.")
    return member


def _subject(partner: Partner) -> str:
    return f"partner:{partner.slug}"


def _agreement(agreement_id: int) -> Agreement:
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise NotFound(f"No agreement {agreement_id}.")
    return agreement


def _agreement_subject(agreement: Agreement) -> str:
    return f"agreement:{agreement.pk}"


def _check_may_decide(actor: Member, agreement: Agreement) -> None:
    """A steward with an open disclosure on the agreement does not decide on it."""
    rs.check_may_decide(
        has_open_disclosure=Disclosure.objects.filter(
            agreement=agreement, discloser=actor, closed_at__isnull=True
        ).exists()
    )


def _required(text: str, what: str) -> str:
    return required(text, f"Say the {what}.")


def _not_ahead(day: date | None) -> date:
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise InvalidInput(f"{day} is in the future: record what has happened.")
    return day


def _open_agreement(agreement_id: int) -> Agreement:
    agreement = _agreement(agreement_id)
    if agreement.status == ps.Status.ENDED:
        raise Conflict("The agreement has ended; its body no longer changes.")
    return agreement
