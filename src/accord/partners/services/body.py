"""An agreement's review cadence, amendments, roles and decision rights, and documents."""

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone

from accord.domain import partnerships as ps
from accord.domain.documents import check_document
from accord.domain.errors import Conflict, Forbidden, InvalidInput
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import Agreement, AgreementVersion, Document, Role, Side
from accord.partners.queries import review_of
from accord.partners.schemas import AgreementReviewIn, AmendmentIn, DocumentIn, RoleIn
from accord.partners.services._common import (
    _agreement_subject,
    _not_ahead,
    _open_agreement,
    _required,
)
from accord.people.models import Member


def schedule_review(actor: Member, agreement_id: int, data: AgreementReviewIn) -> Agreement:
    """A steward sets how often the agreement is reviewed (in months) and records a review
    held on a date; the next review falls a cadence after the last review (or, before any,
    after activation)."""
    if not permissions.can_shape_agreement(actor):
        raise Forbidden("Only stewards set an agreement's reviews.")
    if data.every_months is None and data.reviewed_on is None:
        raise InvalidInput("Give a review cadence in months, or the date of a review held.")
    with transaction.atomic(durable=True):
        agreement = _open_agreement(agreement_id)
        changed = []
        if data.every_months is not None:
            ps.next_review(timezone.localdate(), data.every_months)  # checks the range
            agreement.review_every_months = data.every_months
            changed.append("review_every_months")
        if data.reviewed_on is not None:
            held = _not_ahead(data.reviewed_on)
            if held < timezone.localdate(agreement.created_at):
                raise InvalidInput("A review is held after the agreement was recorded.")
            if agreement.last_reviewed_on and held < agreement.last_reviewed_on:
                raise Conflict(f"A later review, on {agreement.last_reviewed_on}, is recorded.")
            agreement.last_reviewed_on = held
            changed.append("last_reviewed_on")
        agreement.save(update_fields=changed)
        upcoming = review_of(agreement).next_on
        ledger.append(
            "agreement.review",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "every_months": agreement.review_every_months,
                "reviewed_on": _iso(agreement.last_reviewed_on),
                "next_review_on": _iso(upcoming),
            },
        )
    return agreement


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def amend_agreement(actor: Member, agreement_id: int, data: AmendmentIn) -> AgreementVersion:
    """A steward amends the agreement's purpose or member needs with a summary; each version
    is kept, dated, with its author (version 1 is the text first recorded). The ledger keeps
    hashes of the texts only."""
    if not permissions.can_shape_agreement(actor):
        raise Forbidden("Only stewards amend an agreement.")
    summary = data.summary.strip()
    if not summary:
        raise InvalidInput("Summarise the amendment: every version keeps what changed.")
    purpose = None if data.purpose is None else data.purpose.strip()
    if purpose == "":
        raise InvalidInput("An agreement keeps a shared purpose; say it.")
    needs = None if data.member_needs is None else data.member_needs.strip()
    with transaction.atomic(durable=True):
        agreement = _open_agreement(agreement_id)
        new_purpose = agreement.purpose if purpose is None else purpose
        new_needs = agreement.member_needs if needs is None else needs
        if (new_purpose, new_needs) == (agreement.purpose, agreement.member_needs):
            raise InvalidInput("Nothing to amend: the purpose and member needs are unchanged.")
        latest = agreement.versions.order_by("-number").first()
        if latest is None:
            latest = AgreementVersion.objects.create(
                agreement=agreement,
                number=1,
                purpose=agreement.purpose,
                member_needs=agreement.member_needs,
                summary="As first recorded.",
                by=None,
                at=agreement.created_at,
            )
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=latest.number + 1,
            purpose=new_purpose,
            member_needs=new_needs,
            summary=summary,
            by=actor,
        )
        agreement.purpose, agreement.member_needs = new_purpose, new_needs
        agreement.save(update_fields=["purpose", "member_needs"])
        ledger.append(
            "agreement.amended",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "version": version.number,
                "purpose_sha256": ledger.note(new_purpose),
                "member_needs_sha256": ledger.note(new_needs) if new_needs else None,
                "summary_sha256": ledger.note(summary),
            },
        )
    return version


# -- roles and decision rights -----------------------------------------------------------------


def set_role(actor: Member, agreement_id: int, data: RoleIn) -> Role:
    """A steward publishes, for one party and area, who leads and who decides; setting the
    same area again replaces it. The ledger keeps the party and hashes of the words."""
    if not permissions.can_shape_agreement(actor):
        raise Forbidden("Only stewards set an agreement's roles and decision rights.")
    if data.party not in Side.values:
        raise InvalidInput(f"{data.party[:40]!r} is not a party (community or partner).")
    area = _required(data.area, "area")
    leads, decides = _required(data.leads, "who leads"), _required(data.decides, "who decides")
    with transaction.atomic(durable=True):
        agreement = _open_agreement(agreement_id)
        role, created = Role.objects.update_or_create(
            agreement=agreement,
            party=data.party,
            area=area,
            defaults={
                "leads": leads,
                "decides": decides,
                "set_by": actor,
                "set_at": timezone.now(),
            },
        )
        ledger.append(
            "agreement.role",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "party": data.party,
                "new": created,
                "area_sha256": ledger.note(area),
                "leads_sha256": ledger.note(leads),
                "decides_sha256": ledger.note(decides),
            },
        )
    return role


# -- documents ---------------------------------------------------------------------------------


def attach_document(actor: Member, agreement_id: int, data: DocumentIn) -> Document:
    """A steward attaches a file to the agreement: at most 5 MB, of an accepted type that
    its content confirms. The ledger keeps its size, type and SHA-256, and its name only as
    a hash."""
    if not permissions.can_shape_agreement(actor):
        raise Forbidden("Only stewards attach documents to an agreement.")
    content_type = check_document(data.name, data.content)
    name = data.name.strip()
    digest = hashlib.sha256(data.content).hexdigest()
    with transaction.atomic(durable=True):
        agreement = _open_agreement(agreement_id)
        document = Document.objects.create(
            agreement=agreement,
            name=name,
            content_type=content_type,
            size=len(data.content),
            sha256=digest,
            content=data.content,
            attached_by=actor,
        )
        ledger.append(
            "agreement.document",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "document": document.pk,
                "size": document.size,
                "content_type": content_type,
                "sha256": digest,
                "name_sha256": ledger.note(name),
            },
        )
    return document
