"""Writes about partners and their representatives: one function per steward action.

A partner is an organisation, so its name, kind and website may be public; its
description is free text and reaches the ledger only as a salted hash. Representatives are
office holders, named in the ledger by their public handle.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accord.domain import partnerships as ps
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.money import minor_units, parse_amount
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import (
    Agreement,
    AgreementChange,
    Claim,
    ClaimKind,
    EvaluationScore,
    Offering,
    OfferingKind,
    Partner,
    PartnerKind,
    Reason,
    Representative,
    Review,
)
from accord.partners.queries import activation_rule, evaluation_of
from accord.partners.schemas import (
    AgreementIn,
    ClaimIn,
    MaturityIn,
    OfferingIn,
    PartnerIn,
    PartnerPatch,
    RepresentativeIn,
    ReviewIn,
    ScoreIn,
    StatusIn,
)
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


def _subject(partner: Partner) -> str:
    return f"partner:{partner.slug}"


def _facts(fields: dict[str, Any]) -> dict[str, Any]:
    """Partner fields as the ledger holds them: the description only as a salted hash."""
    facts = {k: v for k, v in fields.items() if k != "description"}
    if fields.get("description"):
        facts["description_sha256"] = ledger.note(fields["description"])
    elif "description" in fields:
        facts["description_sha256"] = None
    return facts


# -- agreements -----------------------------------------------------------------------------


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


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise InvalidInput("Say why: every change of an agreement keeps its reason.")
    return reason


def create_agreement(actor: Member, data: AgreementIn) -> Agreement:
    """A steward records a prospective partnership: its partner, shared purpose, the reasons
    it serves, the member needs it addresses and the maturity level it aims for."""
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards record partnership agreements.")
    title, purpose = data.title.strip(), data.purpose.strip()
    reasons = sorted(set(data.reasons))
    unknown = [r for r in reasons if r not in Reason.values]
    problems = [
        *(["a title is required"] if not title else []),
        *(["say the shared purpose"] if not purpose else []),
        *(["name at least one of the five reasons"] if not reasons else []),
        *([f"{', '.join(map(repr, unknown))} is not one of the five reasons"] if unknown else []),
    ]
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    ps.check_level(data.target_level)
    with transaction.atomic(durable=True):
        partner = _partner(data.partner)
        agreement = Agreement.objects.create(
            partner=partner,
            title=title,
            purpose=purpose,
            reasons=reasons,
            member_needs=data.member_needs.strip(),
            status=ps.Status.PROSPECT,
            target_level=data.target_level,
        )
        ledger.append(
            "agreement.created",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "partner": partner.slug,
                "reasons": reasons,
                "target_level": data.target_level,
                "purpose_sha256": ledger.note(purpose),
            },
        )
    return agreement


def change_agreement_status(actor: Member, agreement_id: int, data: StatusIn) -> Agreement:
    """Move an agreement along its lifecycle (allowed moves only), with a reason. It becomes
    active only after a completed evaluation that meets the community's rule, and the
    steward who activates it records that approval in the ledger."""
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards change an agreement's status.")
    reason = _reason(data.reason)
    try:
        wanted = ps.Status(data.status)
    except ValueError:
        raise InvalidInput(
            f"{data.status!r} is not a status ({', '.join(s.value for s in ps.Status)})."
        ) from None
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        current = ps.Status(agreement.status)
        ps.check_transition(current, wanted)
        facts: dict[str, Any] = {"from": current.value, "to": wanted.value}
        if wanted == ps.Status.ACTIVE:
            summary = evaluation_of(agreement)
            problems = ps.activation_problems(summary, activation_rule())
            if problems:
                raise Conflict(
                    "The evaluation does not allow activation yet: " + "; ".join(problems) + "."
                )
            facts["evaluators"] = summary.evaluators
            facts["mean"] = str(summary.mean)
            facts["approved_by"] = actor.pseudonym
        agreement.status = wanted
        agreement.save(update_fields=["status"])
        AgreementChange.objects.create(
            agreement=agreement,
            field="status",
            before=current,
            after=wanted,
            reason=reason,
            by=actor,
        )
        facts["reason_sha256"] = ledger.note(reason)
        ledger.append("agreement.status", actor.pseudonym, _agreement_subject(agreement), facts)
    return agreement


def set_agreement_maturity(actor: Member, agreement_id: int, data: MaturityIn) -> Agreement:
    """Record the agreement's maturity level (1-5) or its chosen target (a lower level is a
    legitimate end state), dated and with a reason."""
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards record an agreement's maturity.")
    reason = _reason(data.reason)
    asked = {"level": data.level, "target_level": data.target_level}
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        changed = {f: v for f, v in asked.items() if v is not None and v != getattr(agreement, f)}
        if not changed:
            raise InvalidInput("Nothing to change: give a new level or a new target.")
        for field, value in changed.items():
            ps.check_level(value)
            AgreementChange.objects.create(
                agreement=agreement,
                field=field,
                before=str(getattr(agreement, field)),
                after=str(value),
                reason=reason,
                by=actor,
            )
            setattr(agreement, field, value)
        agreement.save(update_fields=list(changed))
        ledger.append(
            "agreement.maturity",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "level": agreement.level,
                "target_level": agreement.target_level,
                "reason_sha256": ledger.note(reason),
            },
        )
    return agreement


def score_agreement(actor: Member, agreement_id: int, data: ScoreIn) -> EvaluationScore:
    """An evaluator (an office holder) scores the agreement 1-5 on one of the ten criteria,
    with a note, while it is being evaluated; scoring again replaces their score."""
    if not permissions.can_evaluate(actor):
        raise Forbidden("Only stewards, treasurers and auditors evaluate partnerships.")
    ps.check_score(data.criterion, data.score)
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        if agreement.status != ps.Status.EVALUATING:
            raise Conflict("An agreement is scored while it is being evaluated.")
        score, _ = EvaluationScore.objects.update_or_create(
            agreement=agreement,
            evaluator=actor,
            criterion=data.criterion,
            defaults={"score": data.score, "note": data.note.strip()},
        )
    return score


# -- offerings ---------------------------------------------------------------------------


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
