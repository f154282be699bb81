"""An agreement's risk register and its conflicts-of-interest register."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.domain import risks as rs
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import Disclosure, Risk
from accord.partners.schemas import DisclosureCloseIn, DisclosureIn, RiskIn, RiskPatch
from accord.partners.services._common import _agreement, _agreement_subject, _member
from accord.people.models import Member
from accord.people.permissions import holds_office


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
