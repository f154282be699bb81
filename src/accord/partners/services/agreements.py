"""An agreement's creation, status, maturity and evaluators' scores."""

from typing import Any

from django.db import transaction

from accord.domain import partnerships as ps
from accord.domain.errors import Conflict, Forbidden, InvalidInput
from accord.domain.mandates import Gated, agreement_target
from accord.domain.text import required
from accord.ledger import mandates
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import Agreement, AgreementChange, EvaluationScore, Reason
from accord.partners.queries import activation_rule, evaluation_of
from accord.partners.schemas import AgreementIn, MaturityIn, ScoreIn, StatusIn
from accord.partners.services._common import (
    _agreement,
    _agreement_subject,
    _check_may_decide,
    _partner,
)
from accord.people.models import Member

_IN_FORCE = {ps.Status.ACTIVE, ps.Status.UNDER_REVIEW, ps.Status.RENEWED}


def _gate(current: ps.Status, wanted: ps.Status) -> Gated | None:
    """Activating, and ending a partnership in force, are the community's to decide;
    dropping a prospect is not."""
    if wanted == ps.Status.ACTIVE:
        return Gated.ACTIVATE_PARTNERSHIP
    if wanted == ps.Status.ENDED and current in _IN_FORCE:
        return Gated.END_PARTNERSHIP
    return None


def _reason(text: str) -> str:
    return required(text, "Say why: every change of an agreement keeps its reason.")


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
    active only after a completed evaluation that meets the community's rule; activating
    and ending carry out a passed decision that decided exactly that."""
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
        gate = _gate(current, wanted)
        if gate is not None:
            target = agreement_target(agreement.pk)
            mandates.carry_out(data.decision, gate, target, actor.pseudonym)
            facts["decision"] = data.decision
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
