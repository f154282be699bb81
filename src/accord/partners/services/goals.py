"""An agreement's goals with their readings, and its commitments with their fulfilment."""

import re
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accord.benefits.services import receive_partner_funds
from accord.domain import partnerships as ps
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.money import format_amount, parse_amount
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import Commitment, CommitmentKind, Fulfilment, Goal, Reading, Side
from accord.partners.schemas import CommitmentIn, FulfilmentIn, GoalIn, ReadingIn
from accord.partners.services._common import (
    _agreement_subject,
    _not_ahead,
    _open_agreement,
    _required,
)
from accord.people.models import Member
from accord.web.inputs import BIGINT_MAX

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
