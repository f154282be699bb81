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
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accord.benefits.services import receive_partner_funds
from accord.domain import partnerships as ps
from accord.domain.documents import check_document
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.money import format_amount, parse_amount
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import (
    Agreement,
    AgreementChange,
    AgreementVersion,
    Commitment,
    CommitmentKind,
    Document,
    EvaluationScore,
    Fulfilment,
    Goal,
    Partner,
    PartnerKind,
    Reading,
    Reason,
    Representative,
    Role,
    Side,
)
from accord.partners.queries import activation_rule, evaluation_of, review_of
from accord.partners.schemas import (
    AgreementIn,
    AmendmentIn,
    CommitmentIn,
    DocumentIn,
    FulfilmentIn,
    GoalIn,
    MaturityIn,
    PartnerIn,
    PartnerPatch,
    ReadingIn,
    RepresentativeIn,
    ReviewIn,
    RoleIn,
    ScoreIn,
    StatusIn,
)
from accord.people.models import Member, SiteRole
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


def record_reading(actor: Member, goal_id: int, data: ReadingIn) -> Reading:
    """A steward or the partner's own representative records the metric's value on a date
    (not in the future, not before the goal starts)."""
    value = _number(data.value, "value")
    with transaction.atomic(durable=True):
        goal = (
            Goal.objects.select_for_update(of=("self",))
            .select_related("agreement__partner")
            .filter(pk=goal_id)
            .first()
        )
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


def _commitment(commitment_id: int) -> Commitment:
    found = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("agreement__partner")
        .filter(pk=commitment_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No commitment {commitment_id}.")
    return found


def record_fulfilment(actor: Member, commitment_id: int, data: FulfilmentIn) -> Fulfilment:
    """Record a delivery against a commitment. Money a partner pays against its financial
    commitment is recorded by a treasurer and posted into the benefits accounts (the
    community fund, from which pools can be funded); it never takes the commitment past what
    it promised. Other deliveries are recorded by a steward or the partner's representative."""
    with transaction.atomic(durable=True):
        commitment = _commitment(commitment_id)
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


def schedule_review(actor: Member, agreement_id: int, data: ReviewIn) -> Agreement:
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
