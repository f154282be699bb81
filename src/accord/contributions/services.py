"""Writes about contributions and attribution policies: one function per user action."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.contributions import permissions
from accord.contributions.models import Contribution, Kind, PolicyVersion, Status
from accord.contributions.policy import parse_policy
from accord.contributions.queries import tenure_of
from accord.domain.canonical import canonical_json
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger import services as ledger
from accord.people.models import Group, Member

MAX_HOURS_H100 = 100_000


def parse_hours(value: Any) -> int:
    """Hours as written ("3.5", "2", 4) -> hundredths of an hour, exactly."""
    try:
        hours = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not a number of hours.") from None
    h100 = hours * 100
    if h100 != h100.to_integral_value() or hours < 0:
        raise InvalidInput("Hours must be zero or more, with at most two decimals.")
    if h100 > MAX_HOURS_H100:
        raise InvalidInput("A single contribution can record at most 1000 hours.")
    return int(h100)


@dataclass(frozen=True)
class ContributionInput:
    kind: str
    title: str
    date: date
    level: int
    hours_h100: int = 0
    description: str = ""
    evidence_url: str = ""
    group: Group | None = None
    initiative: str = ""
    partnership: str = ""


def check_input(data: ContributionInput, *, today: date) -> list[str]:
    """Every problem with a contribution, as values (an import reports them per row)."""
    problems = []
    if data.kind not in Kind.values:
        problems.append(f"kind {data.kind!r} is not one of {', '.join(Kind.values)}")
    if not data.title.strip():
        problems.append("a title is required")
    elif len(data.title) > 200:
        problems.append("the title is longer than 200 characters")
    if data.date > today:
        problems.append("the date is in the future")
    if data.level not in range(1, 6):
        problems.append("the level must be 1 to 5")
    if not 0 <= data.hours_h100 <= MAX_HOURS_H100:
        problems.append("hours must be between 0 and 1000")
    if data.evidence_url and not data.evidence_url.startswith(("https://", "http://")):
        problems.append("the evidence link must start with https:// or http://")
    return problems


def record_contribution(actor: Member, data: ContributionInput) -> Contribution:
    """A member logs their own contribution; it waits for review."""
    problems = check_input(data, today=timezone.localdate())
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    with transaction.atomic():
        contribution = Contribution.objects.create(
            member=actor,
            kind=data.kind,
            title=data.title.strip(),
            description=data.description,
            evidence_url=data.evidence_url,
            date=data.date,
            hours_h100=data.hours_h100,
            level=data.level,
            group=data.group,
            initiative=data.initiative,
            partnership=data.partnership,
        )
        ledger.append_many(ledger_records(contribution, recorded_by=actor))
    return contribution


def ledger_records(
    c: Contribution, *, recorded_by: Member, reviewed_by: Member | None = None, **extra: Any
) -> list[ledger.Record]:
    """The ledger entries for a new contribution: recorded, and verified when it already
    is (imports). `extra` goes into the recorded entry's commitment (e.g. its source)."""
    records = [
        ledger.about_member(
            "contribution.recorded", _acting(recorded_by, c), c.member_id, {**facts(c), **extra}
        )
    ]
    if c.status == Status.VERIFIED and reviewed_by is not None:
        records.append(verified_record(c, reviewed_by))
    return records


def verified_record(c: Contribution, reviewer: Member) -> ledger.Record:
    """What a verification commits to: enough to re-score the contribution. The reviewer
    acts in office and is named; the contributor is not."""
    return ledger.about_member(
        "contribution.verified",
        reviewer.pseudonym,
        c.member_id,
        {**facts(c), "impact": c.impact, "tenure_months": tenure_of(c)},
    )


def facts(c: Contribution) -> dict[str, Any]:
    """A contribution as its commitments hold it: no title, description or member."""
    return {
        "contribution": c.pk,
        "kind": c.kind,
        "level": c.level,
        "hours_h100": c.hours_h100,
        "date": c.date.isoformat(),
        "group": c.group.slug if c.group_id and c.group else None,
    }


def _acting(actor: Member, c: Contribution) -> str:
    return ledger.MEMBER if actor.pk == c.member_id else actor.pseudonym


def _locked(contribution_id: int) -> Contribution:
    contribution = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("member", "group")
        .filter(pk=contribution_id)
        .first()
    )
    if contribution is None:
        raise NotFound("No such contribution.")
    return contribution


def verify_contribution(
    actor: Member, contribution_id: int, *, impact: int, note: str = ""
) -> Contribution:
    """A steward or group lead who is not the contributor verifies it with an impact rating."""
    if impact not in range(1, 6):
        raise InvalidInput("The impact rating must be 1 to 5.")
    with transaction.atomic():
        c = _locked(contribution_id)
        if not permissions.can_review(actor, c):
            raise Forbidden("Only stewards and the group's leads review, never their own work.")
        if c.status not in (Status.PENDING, Status.DISPUTED):
            raise Conflict(f"This contribution is already {c.get_status_display().lower()}.")
        c.status, c.impact, c.reviewer = Status.VERIFIED, impact, actor
        c.reviewed_at, c.review_note = timezone.now(), note.strip()
        c.save(update_fields=["status", "impact", "reviewer", "reviewed_at", "review_note"])
        ledger.append_many([verified_record(c, actor)])
    return c


def reject_contribution(actor: Member, contribution_id: int, *, reason: str) -> Contribution:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Give the contributor a reason for the rejection.")
    with transaction.atomic():
        c = _locked(contribution_id)
        if not permissions.can_review(actor, c):
            raise Forbidden("Only stewards and the group's leads review, never their own work.")
        if c.status not in (Status.PENDING, Status.DISPUTED):
            raise Conflict(f"This contribution is already {c.get_status_display().lower()}.")
        c.status, c.reviewer, c.reviewed_at, c.review_note = (
            Status.REJECTED,
            actor,
            timezone.now(),
            reason,
        )
        c.save(update_fields=["status", "reviewer", "reviewed_at", "review_note"])
        digest = ledger.note(reason, owner=c.member_id)
        ledger.append_many(
            [
                ledger.about_member(
                    "contribution.rejected",
                    actor.pseudonym,
                    c.member_id,
                    {"contribution": c.pk, "reason_sha256": digest},
                )
            ]
        )
    return c


def dispute_rejection(actor: Member, contribution_id: int, *, reason: str) -> Contribution:
    """The contributor asks for a second review; it goes back to the review queue."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why the rejection should be reconsidered.")
    with transaction.atomic():
        c = _locked(contribution_id)
        if c.member_id != actor.pk:
            raise NotFound("No such contribution.")
        if c.status != Status.REJECTED:
            raise Conflict("Only a rejected contribution can be disputed.")
        c.status, c.dispute_reason = Status.DISPUTED, reason
        c.save(update_fields=["status", "dispute_reason"])
        digest = ledger.note(reason, owner=c.member_id)
        ledger.append_many(
            [
                ledger.about_member(
                    "contribution.disputed",
                    ledger.MEMBER,
                    c.member_id,
                    {"contribution": c.pk, "reason_sha256": digest},
                )
            ]
        )
    return c


def publish_policy(
    actor: Member, document: Any, *, effective_from: date, reason: str
) -> PolicyVersion:
    """Publish a new attribution policy version. Stewards only, with a recorded reason."""
    if not permissions.can_publish_policy(actor):
        raise Forbidden("Only stewards publish attribution policies.")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Give the reason for publishing this policy.")
    parsed = parse_policy(document)
    canonical = parsed.as_json()
    digest = hashlib.sha256(canonical_json(canonical)).hexdigest()
    with transaction.atomic():
        latest = PolicyVersion.objects.select_for_update().order_by("-version").first()
        if latest is not None and effective_from < latest.effective_from:
            raise Conflict(
                f"Version {latest.version} takes effect on {latest.effective_from}; a new "
                "version cannot take effect before it."
            )
        version = PolicyVersion.objects.create(
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            document=canonical,
            digest=digest,
            reason=reason,
            published_by=actor,
        )
        ledger.append(
            "policy.published",
            actor.pseudonym,
            f"policy:{version.version}",
            {
                "version": version.version,
                "effective_from": effective_from.isoformat(),
                "sha256": digest,
                "document": canonical,
                "reason_sha256": ledger.note(reason),
            },
        )
    return version
