"""Writes about partners and their representatives: one function per steward action.

A partner is an organisation, so its name, kind and website may be public; its
description is free text and reaches the ledger only as a salted hash. Representatives are
office holders, named in the ledger by their public handle.
"""

import hashlib
import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accord.benefits.services import receive_partner_funds
from accord.domain import partnerships as ps
from accord.domain import risks as rs
from accord.domain.documents import check_document
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.money import format_amount, minor_units, parse_amount
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import (
    TO_MEMBERS_KINDS,
    Agreement,
    AgreementChange,
    AgreementVersion,
    Claim,
    ClaimKind,
    Commitment,
    CommitmentKind,
    Disclosure,
    Document,
    EvaluationScore,
    Fulfilment,
    Goal,
    Offering,
    OfferingKind,
    Partner,
    PartnerContact,
    PartnerKind,
    Reading,
    Reason,
    Representative,
    Review,
    Risk,
    Role,
    Side,
    Update,
    UpdateComment,
    ValueKind,
    ValueRecord,
)
from accord.partners.queries import activation_rule, evaluation_of, review_of
from accord.partners.schemas import (
    AgreementIn,
    AgreementReviewIn,
    AmendmentIn,
    ClaimIn,
    CommentIn,
    CommitmentIn,
    DisclosureCloseIn,
    DisclosureIn,
    DocumentIn,
    FulfilmentIn,
    GoalIn,
    MaturityIn,
    OfferingIn,
    PartnerContactIn,
    PartnerContactPatch,
    PartnerIn,
    PartnerPatch,
    ReadingIn,
    RepresentativeIn,
    ReviewIn,
    RiskIn,
    RiskPatch,
    RoleIn,
    ScoreIn,
    StatusIn,
    UpdateIn,
    ValueIn,
)
from accord.people.models import Member, SiteRole
from accord.people.permissions import holds_office
from accord.people.services import assign_role
from accord.web.inputs import BIGINT_MAX

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
        _check_may_decide(actor, agreement)
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
        _check_may_decide(actor, agreement)
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


# -- updates channel --------------------------------------------------------------------------


def _text(text: str, what: str) -> str:
    body = text.strip()
    if not body:
        raise InvalidInput(f"{what} is empty: write something to post.")
    return body


def post_update(actor: Member, agreement_id: int, data: UpdateIn) -> Update:
    """A steward (for the community) or one of the partner's own representatives (for the
    partner) posts an update on the partnership's page. Both act in office: the ledger
    names them by handle and keeps only a hash of what they wrote."""
    body = _text(data.body, "The update")
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        side = permissions.side_of(actor, agreement.partner)
        if side is None:
            raise Forbidden("Only stewards and this partner's representatives post updates.")
        update = Update.objects.create(agreement=agreement, author=actor, side=side, body=body)
        ledger.append(
            "agreement.update",
            actor.pseudonym,
            _agreement_subject(agreement),
            {"update": update.pk, "side": side, "body_sha256": ledger.note(body)},
        )
    return update


def comment_on_update(
    actor: Member, update_id: int, data: CommentIn, *, agreement_id: int | None = None
) -> UpdateComment:
    """A member comments on an update (of `agreement_id`'s partnership, when given: an
    update of another one is not found). A comment is the member's own words, not an act of
    office: it stays out of the ledger, and its author may withdraw it at any time."""
    if not permissions.can_comment(actor):
        raise Forbidden("Sign in to comment.")
    body = _text(data.body, "The comment")
    with transaction.atomic(durable=True):
        updates = Update.objects.filter(pk=update_id)
        if agreement_id is not None:
            updates = updates.filter(agreement_id=agreement_id)
        update = updates.first()
        if update is None:
            raise NotFound(f"No update {update_id}.")
        return UpdateComment.objects.create(update=update, author=actor, body=body)


def withdraw_comment(
    actor: Member, update_id: int, comment_id: int, *, agreement_id: int | None = None
) -> None:
    """The author takes their comment back; a steward may remove one that breaks the code
    of conduct. Nothing of it remains. With `agreement_id`, a comment on another
    partnership's update is not found."""
    with transaction.atomic(durable=True):
        comments = UpdateComment.objects.select_for_update()
        if agreement_id is not None:
            comments = comments.filter(update__agreement_id=agreement_id)
        comment = comments.filter(pk=comment_id, update_id=update_id).first()
        if comment is None:
            raise NotFound(f"No comment {comment_id}.")
        if comment.author_id != actor.pk and not permissions.can_manage_partners(actor):
            raise Forbidden("Only its author or a steward removes a comment.")
        comment.delete()


# -- reciprocity ------------------------------------------------------------------------------


def record_value(actor: Member, agreement_id: int, data: ValueIn) -> ValueRecord:
    """A steward records one dated input to the partnership's reciprocity: value delivered
    to members (training, services, benefit members reported) or received by the partner
    (exposure, contacts, fees, involvement), with the basis of the estimate. The ledger
    keeps the figures and a hash of the basis."""
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards record what a partnership gives and gets.")
    if data.kind not in ValueKind.values:
        raise InvalidInput(
            f"{data.kind!r} is not a kind of value ({', '.join(ValueKind.values)})."
        )
    if data.on > timezone.localdate():
        raise InvalidInput("A value is recorded once delivered: its date is today or earlier.")
    basis = data.basis.strip()
    if not basis:
        raise InvalidInput("Say how the value is estimated (e.g. 12 hours at 40.00 an hour).")
    side = ps.Side.TO_MEMBERS if data.kind in TO_MEMBERS_KINDS else ps.Side.TO_PARTNER
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        record = ValueRecord.objects.create(
            agreement=agreement,
            kind=data.kind,
            amount=data.amount,
            on=data.on,
            basis=basis,
            recorded_by=actor,
        )
        ledger.append(
            "agreement.value",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "record": record.pk,
                "side": side.value,
                "kind": data.kind,
                "amount": data.amount,
                "on": data.on.isoformat(),
                "basis_sha256": ledger.note(basis),
            },
        )
    return record


# -- risks and conflicts of interest ----------------------------------------------------------


def _check_may_decide(actor: Member, agreement: Agreement) -> None:
    """A steward with an open disclosure on the agreement does not decide on it."""
    rs.check_may_decide(
        has_open_disclosure=Disclosure.objects.filter(
            agreement=agreement, discloser=actor, closed_at__isnull=True
        ).exists()
    )


def _risk_owner(handle: str, label: str) -> tuple[Member | None, str]:
    """A risk's owner: an office holder named by handle, or a party named by a label."""
    handle, label = handle.strip(), label.strip()
    if bool(handle) == bool(label):
        raise InvalidInput(
            "Name the risk's owner: an office holder's handle or a party's label, not both."
        )
    if not handle:
        return None, label
    owner = _member(handle)
    if not holds_office(owner):
        raise InvalidInput(
            f"{handle!r} holds no office: a risk is owned by an office holder or a named party."
        )
    return owner, ""


def _risk_facts(risk: Risk, fields: set[str]) -> dict[str, Any]:
    """A risk's `fields` as the ledger holds them: free text (title, mitigation, the owning
    party's label) only as salted hashes, an owning office holder by handle."""
    facts: dict[str, Any] = {"risk": risk.pk}
    for field in sorted(fields):
        value = getattr(risk, field)
        if field in {"title", "mitigation", "owner_label"}:
            facts[f"{field}_sha256"] = ledger.note(value) if value else None
        elif field == "owner":
            facts["owner"] = risk.owner.pseudonym if risk.owner is not None else None
        else:
            facts[field] = value
    if fields & {"likelihood", "impact"}:
        facts["severity"] = risk.rating.severity
        facts["band"] = risk.rating.band.value
    return facts


RISK_FIELDS = ("category", "title", "likelihood", "impact", "mitigation")


def add_risk(actor: Member, agreement_id: int, data: RiskIn) -> Risk:
    """A steward adds a risk to the partnership's register: its category, title, likelihood
    and impact (1-5 each), mitigation and owner. The ledger records it by the steward's
    handle, with hashes of its text."""
    if not permissions.can_manage_risks(actor):
        raise Forbidden("Only stewards add risks to a partnership's register.")
    fields: dict[str, Any] = {
        f: (v.strip() if isinstance(v, str) else v) for f, v in data.dict().items()
    }
    rs.check_risk(
        category=fields["category"],
        title=fields["title"],
        likelihood=data.likelihood,
        impact=data.impact,
    )
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        owner, label = _risk_owner(fields["owner"], fields["owner_label"])
        risk = Risk.objects.create(
            agreement=agreement,
            owner=owner,
            owner_label=label,
            raised_by=actor,
            **{f: fields[f] for f in RISK_FIELDS},
        )
        facts = _risk_facts(risk, {*RISK_FIELDS, "owner", "owner_label", "status"})
        ledger.append("risk.added", actor.pseudonym, _agreement_subject(agreement), facts)
    return risk


STEWARDS_ONLY = frozenset({"category", "title", "owner", "owner_label"})


def update_risk(actor: Member, agreement_id: int, risk_id: int, data: RiskPatch) -> Risk:
    """Change a risk: stewards change anything; the office holder who owns it updates its
    rating, mitigation and status (open, mitigated, closed). Only what changed is recorded."""
    with transaction.atomic(durable=True):
        risk = (
            Risk.objects.select_for_update(of=("self",))
            .select_related("owner", "agreement")
            .filter(pk=risk_id, agreement_id=agreement_id)
            .first()
        )
        if risk is None:
            raise NotFound(f"No risk {risk_id} on agreement {agreement_id}.")
        asked = {
            f: (v.strip() if isinstance(v, str) else v)
            for f, v in data.dict(exclude_unset=True, exclude_none=True).items()
        }
        steward = permissions.can_manage_risks(actor)
        owns = risk.owner_id == actor.pk and holds_office(actor)
        if not (steward or (owns and not STEWARDS_ONLY & set(asked))):
            raise Forbidden(
                "Only stewards change a risk; its owner updates its rating, mitigation and status."
            )
        if "owner" in asked or "owner_label" in asked:
            asked["owner"], asked["owner_label"] = _risk_owner(
                asked.get("owner", ""), asked.get("owner_label", "")
            )
        merged = {f: asked.get(f, getattr(risk, f)) for f in (*RISK_FIELDS, "status")}
        rs.check_risk(
            category=merged["category"],
            title=merged["title"],
            likelihood=merged["likelihood"],
            impact=merged["impact"],
            status=merged["status"],
        )
        changed = {f for f, v in asked.items() if getattr(risk, f) != v}
        if not changed:
            return risk
        for field in changed:
            setattr(risk, field, asked[field])
        risk.updated_at = timezone.now()
        risk.save(update_fields=[*changed, "updated_at"])
        facts = _risk_facts(risk, changed)
        ledger.append("risk.updated", actor.pseudonym, _agreement_subject(risk.agreement), facts)
    return risk


def disclose_interest(actor: Member, agreement_id: int, data: DisclosureIn) -> Disclosure:
    """Someone in a decision role (steward, treasurer, auditor) declares an interest in a
    partnership. The declaration is public with their handle and office; while it is open
    they do not decide on the partnership. The ledger names them by handle and keeps a hash
    of the text."""
    if not permissions.can_disclose(actor):
        raise Forbidden(
            "Only those in a decision role (stewards, treasurers, auditors) disclose an "
            "interest in a partnership."
        )
    interest = data.interest.strip()
    if not interest:
        raise InvalidInput("Say what the interest is.")
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        if Disclosure.objects.filter(
            agreement=agreement, discloser=actor, closed_at__isnull=True
        ).exists():
            raise Conflict(
                "You already have an open disclosure on this partnership; close it to declare "
                "a new one."
            )
        disclosure = Disclosure.objects.create(
            agreement=agreement, discloser=actor, role=actor.role, interest=interest
        )
        ledger.append(
            "disclosure.made",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "disclosure": disclosure.pk,
                "role": disclosure.role,
                "interest_sha256": ledger.note(interest, owner=actor.pk),
            },
        )
    return disclosure


def close_disclosure(
    actor: Member, agreement_id: int, disclosure_id: int, data: DisclosureCloseIn
) -> Disclosure:
    """The discloser, or a steward, closes a disclosure with a reason; it stays on the
    register, dated, and its discloser may decide on the partnership again."""
    reason = data.reason.strip()
    if not reason:
        raise InvalidInput("Say why the disclosure no longer applies.")
    with transaction.atomic(durable=True):
        disclosure = (
            Disclosure.objects.select_for_update(of=("self",))
            .filter(pk=disclosure_id, agreement_id=agreement_id)
            .first()
        )
        if disclosure is None:
            raise NotFound(f"No disclosure {disclosure_id} on agreement {agreement_id}.")
        if not permissions.can_close_disclosure(actor, disclosure.discloser_id):
            raise Forbidden("Only the discloser or a steward closes a disclosure.")
        if disclosure.closed_at is not None:
            raise Conflict("This disclosure is already closed.")
        disclosure.closed_at = timezone.now()
        disclosure.closed_reason = reason
        disclosure.closed_by = actor
        disclosure.save(update_fields=["closed_at", "closed_reason", "closed_by"])
        # A discloser who has since left office closes it as a member: never by handle.
        by = actor.pseudonym if holds_office(actor) else ledger.MEMBER
        ledger.append(
            "disclosure.closed",
            by,
            f"agreement:{agreement_id}",
            {
                "disclosure": disclosure.pk,
                "reason_sha256": ledger.note(reason, owner=disclosure.discloser_id),
            },
        )
    return disclosure


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


# -- goals and commitments ---------------------------------------------------------------------

_NUMBER = re.compile(r"-?[0-9]{1,16}(?:\.[0-9]{1,4})?")


def _number(text: str, what: str) -> Decimal:
    """A metric's value: a plain decimal with at most 16 digits before the point and 4
    after (what the columns hold exactly)."""
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        raise InvalidInput(
            f"The {what} must be a number like 120 or 12.5 (at most 4 decimals); "
            f"got {cleaned[:40]!r}."
        )
    return Decimal(cleaned)


def _money(text: str) -> int:
    """An amount in the community's currency, as exact minor units (more than zero)."""
    currency = settings.ACCORD_CURRENCY
    try:
        minor = parse_amount(text, currency)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if minor <= 0:
        raise InvalidInput("The amount must be more than zero.")
    if minor > BIGINT_MAX:
        raise InvalidInput("The amount is larger than Accord can hold.")
    return minor


def _required(text: str, what: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(f"Say the {what}.")
    return cleaned


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


def add_goal(actor: Member, agreement_id: int, data: GoalIn) -> Goal:
    """A steward sets a goal of the agreement: a metric from a baseline to a target by a
    due date. The ledger keeps the numbers and dates; the words only as hashes."""
    if not permissions.can_shape_agreement(actor):
        raise Forbidden("Only stewards set an agreement's goals.")
    name, metric = _required(data.name, "goal's name"), _required(data.metric, "metric")
    unit = _required(data.unit, "unit of the metric")
    baseline, target = _number(data.baseline, "baseline"), _number(data.target, "target")
    starts_on = data.starts_on or timezone.localdate()
    if data.due_on <= starts_on:
        raise InvalidInput(f"The goal is due after it starts ({starts_on}).")
    with transaction.atomic(durable=True):
        agreement = _open_agreement(agreement_id)
        if agreement.goals.filter(name__iexact=name).exists():
            raise Conflict(f"The agreement already has a goal called {name!r}.")
        goal = Goal.objects.create(
            agreement=agreement,
            name=name,
            metric=metric,
            unit=unit,
            baseline=baseline,
            target=target,
            starts_on=starts_on,
            due_on=data.due_on,
            added_by=actor,
        )
        ledger.append(
            "goal.added",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "goal": goal.pk,
                "baseline": str(baseline),
                "target": str(target),
                "starts_on": starts_on.isoformat(),
                "due_on": data.due_on.isoformat(),
                "name_sha256": ledger.note(name),
                "metric_sha256": ledger.note(f"{metric} ({unit})"),
            },
        )
    return goal


def record_reading(
    actor: Member, goal_id: int, data: ReadingIn, *, agreement_id: int | None = None
) -> Reading:
    """A steward or the partner's own representative records the metric's value on a date
    (not in the future, not before the goal starts). With `agreement_id`, a goal of another
    agreement is not found."""
    value = _number(data.value, "value")
    with transaction.atomic(durable=True):
        goals = Goal.objects.select_for_update(of=("self",)).select_related("agreement__partner")
        if agreement_id is not None:
            goals = goals.filter(agreement_id=agreement_id)
        goal = goals.filter(pk=goal_id).first()
        if goal is None:
            raise NotFound(f"No goal {goal_id}.")
        if not permissions.can_record_reading(actor, goal.agreement.partner):
            raise Forbidden("Only stewards and the partner's representatives record readings.")
        on = _not_ahead(data.on)
        if on < goal.starts_on:
            raise InvalidInput(f"The goal starts on {goal.starts_on}; {on} is before it.")
        if goal.agreement.status == ps.Status.ENDED:
            raise Conflict("The agreement has ended; its body no longer changes.")
        reading = Reading.objects.create(goal=goal, value=value, on=on, by=actor)
        ledger.append(
            "goal.reading",
            actor.pseudonym,
            _agreement_subject(goal.agreement),
            {"goal": goal.pk, "value": str(value), "on": on.isoformat()},
        )
    return reading


def _commitment_terms(data: CommitmentIn) -> tuple[str, str, str, int | None]:
    problems = []
    if data.party not in Side.values:
        problems.append(f"{data.party[:40]!r} is not a party (community or partner)")
    if data.kind not in CommitmentKind.values:
        problems.append(
            f"{data.kind[:40]!r} is not a kind of commitment ({', '.join(CommitmentKind.values)})"
        )
    if not data.description.strip():
        problems.append("describe what is committed")
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    financial = data.kind == CommitmentKind.FINANCIAL
    if financial and not data.amount.strip():
        raise InvalidInput("Financial support needs an amount.")
    if not financial and data.amount.strip():
        raise InvalidInput("Only financial support has an amount.")
    amount = _money(data.amount) if financial else None
    return data.party, data.kind, data.description.strip(), amount


def add_commitment(actor: Member, agreement_id: int, data: CommitmentIn) -> Commitment:
    """A steward records what one party commits to, by kind, with a due date; financial
    support with its amount in the community's currency (exact minor units)."""
    if not permissions.can_shape_agreement(actor):
        raise Forbidden("Only stewards record an agreement's commitments.")
    party, kind, description, amount = _commitment_terms(data)
    with transaction.atomic(durable=True):
        agreement = _open_agreement(agreement_id)
        commitment = Commitment.objects.create(
            agreement=agreement,
            party=party,
            kind=kind,
            description=description,
            amount=amount,
            currency=settings.ACCORD_CURRENCY if amount is not None else "",
            due_on=data.due_on,
            added_by=actor,
        )
        ledger.append(
            "commitment.added",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "commitment": commitment.pk,
                "partner": agreement.partner.slug,
                "party": party,
                "kind": kind,
                "amount": amount,
                "unit": commitment.currency or None,
                "due_on": data.due_on.isoformat(),
                "description_sha256": ledger.note(description),
            },
        )
    return commitment


def _commitment(commitment_id: int, agreement_id: int | None) -> Commitment:
    rows = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("agreement__partner")
        .filter(pk=commitment_id)
    )
    if agreement_id is not None:
        rows = rows.filter(agreement_id=agreement_id)
    found = rows.first()
    if found is None:
        raise NotFound(f"No commitment {commitment_id}.")
    return found


def record_fulfilment(
    actor: Member, commitment_id: int, data: FulfilmentIn, *, agreement_id: int | None = None
) -> Fulfilment:
    """Record a delivery against a commitment. Money a partner pays against its financial
    commitment is recorded by a treasurer and posted into the benefits accounts (the
    community fund, from which pools can be funded); it never takes the commitment past what
    it promised. Other deliveries are recorded by a steward or the partner's representative.
    With `agreement_id`, a commitment of another agreement is not found."""
    with transaction.atomic(durable=True):
        commitment = _commitment(commitment_id, agreement_id)
        financial = commitment.kind == CommitmentKind.FINANCIAL
        agreement = commitment.agreement
        if not permissions.can_record_fulfilment(actor, agreement.partner, financial=financial):
            raise Forbidden(
                "Only treasurers record money received."
                if financial
                else "Only stewards and the partner's representatives record deliveries."
            )
        on = _not_ahead(data.on)
        note = data.note.strip()
        if financial:
            return _receive(actor, commitment, data, on, note)
        if data.amount.strip():
            raise InvalidInput("Only financial support has an amount.")
        if commitment.done_at is not None:
            raise Conflict("This commitment is already fulfilled.")
        made = Fulfilment.objects.create(
            commitment=commitment, on=on, note=note, completes=data.completes, by=actor
        )
        if data.completes:
            commitment.done_at = timezone.now()
            commitment.save(update_fields=["done_at"])
        ledger.append(
            "commitment.fulfilled",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "commitment": commitment.pk,
                "partner": agreement.partner.slug,
                "on": on.isoformat(),
                "completes": data.completes,
                "note_sha256": ledger.note(note) if note else None,
            },
        )
    return made


def _receive(
    actor: Member, commitment: Commitment, data: FulfilmentIn, on: date, note: str
) -> Fulfilment:
    """Money received against a financial commitment, once per idempotency key."""
    if not data.amount.strip():
        raise InvalidInput("Say the amount received.")
    amount = _money(data.amount)
    key = f"commitment:{commitment.pk}:{data.key.strip() or uuid.uuid4().hex}"
    earlier = commitment.fulfilments.filter(transaction_key=key).first()
    if earlier is not None:
        if earlier.amount != amount:
            raise Conflict(f"The key {data.key!r} was already used for a different amount.")
        return earlier
    if commitment.done_at is not None:
        raise Conflict("This commitment is already fulfilled: all of it was received.")
    assert commitment.amount is not None  # the model's constraint  # noqa: S101
    so_far = sum(f.amount or 0 for f in commitment.fulfilments.all())
    try:
        ps.check_receipt(commitment.amount, so_far, amount)
    except Conflict:
        outstanding = format_amount(commitment.amount - so_far, commitment.currency)
        raise Conflict(
            f"Only {outstanding} is outstanding on this commitment; "
            f"{format_amount(amount, commitment.currency)} is more than it promised."
        ) from None
    agreement = commitment.agreement
    if commitment.party == Side.PARTNER:
        receive_partner_funds(actor, agreement.partner.slug, amount, commitment.currency, key=key)
    complete = so_far + amount == commitment.amount
    made = Fulfilment.objects.create(
        commitment=commitment,
        amount=amount,
        on=on,
        note=note,
        completes=complete,
        transaction_key=key,
        by=actor,
    )
    if complete:
        commitment.done_at = timezone.now()
        commitment.save(update_fields=["done_at"])
    ledger.append(
        "commitment.received" if commitment.party == Side.PARTNER else "commitment.paid",
        actor.pseudonym,
        _agreement_subject(agreement),
        {
            "agreement": agreement.pk,
            "commitment": commitment.pk,
            "partner": agreement.partner.slug,
            "amount": amount,
            "unit": commitment.currency,
            "on": on.isoformat(),
            "complete": complete,
            "note_sha256": ledger.note(note) if note else None,
        },
    )
    return made


# -- review cadence and amendments -------------------------------------------------------------


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


# -- partner contacts --------------------------------------------------------------------------

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
