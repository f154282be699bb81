"""Writes about contributions and attribution policies: one function per user action."""

import hashlib
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.contributions import imports, permissions
from accord.contributions.checks import MAX_HOURS_H100, check_input, parse_hours
from accord.contributions.models import Contribution, PolicyVersion, Status
from accord.contributions.policy import parse_policy
from accord.contributions.queries import partnerships, tenure_of
from accord.contributions.schemas import ContributionIn, ImportIn, PolicyIn, ReasonIn, VerifyIn
from accord.domain.canonical import canonical_json
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.mandates import Gated, policy_target
from accord.domain.text import required
from accord.ledger import mandates
from accord.ledger import services as ledger
from accord.people.models import Group, Member

__all__ = ["MAX_HOURS_H100", "check_input", "parse_hours"]  # the rules, where callers look


def record_contribution(actor: Member, data: ContributionIn) -> Contribution:
    """A member logs their own contribution; it waits for review."""
    problems = check_input(data, today=timezone.localdate())
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    with transaction.atomic(durable=True):
        group = None
        if data.group:
            group = Group.objects.filter(slug=data.group).first()
            if group is None:
                raise NotFound(f"No group {data.group!r}.")
        partnership = None
        if data.partnership is not None:
            partnership = partnerships().filter(pk=data.partnership).first()
            if partnership is None:
                raise NotFound(f"No partnership agreement {data.partnership}.")
        contribution = Contribution.objects.create(
            member=actor,
            kind=data.kind,
            title=data.title.strip(),
            description=data.description,
            evidence_url=data.evidence_url,
            date=data.date,
            hours_h100=parse_hours(data.hours),
            level=data.level,
            group=group,
            initiative=data.initiative,
            partnership=partnership,
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
        **({"partnership": c.partnership_id} if c.partnership_id else {}),
    }


def _acting(actor: Member, c: Contribution) -> str:
    return ledger.MEMBER if actor.pk == c.member_id else actor.pseudonym


def _locked(actor: Member, contribution_id: int) -> Contribution:
    """The contribution, locked; one this actor may not see is reported as missing, so
    ids reveal nothing."""
    contribution = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("member", "group")
        .filter(pk=contribution_id)
        .first()
    )
    if contribution is None or not permissions.can_view(actor, contribution):
        raise NotFound("No such contribution.")
    return contribution


def _reviewed(actor: Member, contribution_id: int) -> Contribution:
    c = _locked(actor, contribution_id)
    if not permissions.can_review(actor, c):
        raise Forbidden("Only stewards and the group's leads review, never their own work.")
    if c.status not in (Status.PENDING, Status.DISPUTED):
        raise Conflict(f"This contribution is already {c.get_status_display().lower()}.")
    return c


def verify_contribution(actor: Member, contribution_id: int, data: VerifyIn) -> Contribution:
    """A steward or group lead who is not the contributor verifies it with an impact
    rating."""
    with transaction.atomic(durable=True):
        c = _reviewed(actor, contribution_id)
        c.status, c.impact, c.reviewer = Status.VERIFIED, data.impact, actor
        c.reviewed_at, c.review_note = timezone.now(), data.note.strip()
        c.save(update_fields=["status", "impact", "reviewer", "reviewed_at", "review_note"])
        ledger.append_many([verified_record(c, actor)])
    return c


def _reason(data: ReasonIn, missing: str) -> str:
    return required(data.reason, missing)


def reject_contribution(actor: Member, contribution_id: int, data: ReasonIn) -> Contribution:
    """A reviewer rejects a contribution with a reason for the contributor; the ledger
    keeps only the reason's salted hash."""
    text = _reason(data, "Give the contributor a reason for the rejection.")
    with transaction.atomic(durable=True):
        c = _reviewed(actor, contribution_id)
        c.status, c.reviewer, c.reviewed_at, c.review_note = (
            Status.REJECTED,
            actor,
            timezone.now(),
            text,
        )
        c.save(update_fields=["status", "reviewer", "reviewed_at", "review_note"])
        digest = ledger.note(text, owner=c.member_id)
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


def dispute_rejection(actor: Member, contribution_id: int, data: ReasonIn) -> Contribution:
    """The contributor asks for a second review; it goes back to the review queue."""
    text = _reason(data, "Say why the rejection should be reconsidered.")
    with transaction.atomic(durable=True):
        c = _locked(actor, contribution_id)
        if c.member_id != actor.pk:
            raise NotFound("No such contribution.")
        if c.status != Status.REJECTED:
            raise Conflict("Only a rejected contribution can be disputed.")
        c.status, c.dispute_reason = Status.DISPUTED, text
        c.save(update_fields=["status", "dispute_reason"])
        digest = ledger.note(text, owner=c.member_id)
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


def policy_digest(document: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A policy document checked and made canonical, with its SHA-256: what a decision to
    publish it names, and what the published version records."""
    canonical = parse_policy(document).as_json()
    return canonical, hashlib.sha256(canonical_json(canonical)).hexdigest()


def publish_policy(actor: Member, data: PolicyIn) -> PolicyVersion:
    """Publish a new attribution policy version. Stewards only, carrying out a passed
    decision that adopted exactly this document from this day (the decision rights say
    who decides), with a recorded reason that the ledger holds only as a salted hash.
    Policies cannot act on the past: the new
    version takes effect today or later, and after the latest version does; nor on an open
    pool's period, whose version stays in force to its end (take effect after it, or close
    the pool first)."""
    return _publish(actor, data, earliest=timezone.localdate())


def _publish(actor: Member, data: PolicyIn, *, earliest: date | None) -> PolicyVersion:
    """Check, write and record a policy version taking effect no sooner than `earliest`
    (None only for seeding history, see `accord.contributions.seeding`)."""
    if not permissions.can_publish_policy(actor):
        raise Forbidden("Only stewards publish attribution policies.")
    reason = data.reason.strip()
    if not reason:
        raise InvalidInput("Give the reason for publishing this policy.")
    if earliest is not None and data.effective_from < earliest:
        raise InvalidInput(
            f"A policy cannot act on the past: it must take effect today ({earliest}) or later."
        )
    canonical, digest = policy_digest(data.document)
    with transaction.atomic(durable=True):
        latest = PolicyVersion.objects.select_for_update().order_by("-version").first()
        if latest is not None and data.effective_from <= latest.effective_from:
            raise InvalidInput(
                f"Version {latest.version} takes effect on {latest.effective_from}, so a new "
                "version must take effect after that date."
            )
        if earliest is not None:  # seeded history predates pools and decisions
            _refuse_inside_an_open_pool(data.effective_from)
            mandates.carry_out(
                data.decision,
                Gated.PUBLISH_POLICY,
                policy_target(digest, data.effective_from),
                actor.pseudonym,
            )
        version = PolicyVersion.objects.create(
            version=(latest.version + 1) if latest else 1,
            effective_from=data.effective_from,
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
                "effective_from": data.effective_from.isoformat(),
                "sha256": digest,
                "document": canonical,
                "reason_sha256": ledger.note(reason),
                "decision": data.decision,
            },
        )
    return version


def _refuse_inside_an_open_pool(effective_from: date) -> None:
    """A pool's policy version is in force for its whole period (benefits.create_pool holds
    this when the pool is made): a new version may not take effect on or before the end of
    a pool still open. A closed pool has no more rounds, so its period no longer matters.
    Pools are reached through their reverse relation: contributions sits below benefits.
    The caller holds the latest version's row lock, which create_pool also takes."""
    in_the_way = list(
        PolicyVersion.objects.filter(
            pools__closed_at__isnull=True, pools__period_end__gte=effective_from
        )
        .order_by("-pools__period_end", "pools__name")
        .values_list("pools__name", "pools__period_end", "version")
    )
    if not in_the_way:
        return
    name, end, version = in_the_way[0]
    others = f" (and {len(in_the_way) - 1} more open pool(s))" if len(in_the_way) > 1 else ""
    raise InvalidInput(
        f"The open pool {name!r} runs until {end} under policy version {version}{others}, "
        "which must stay in force for its whole period: take effect on "
        f"{end + timedelta(days=1)} or later, or close the pool first."
    )


def import_contributions(actor: Member, data: ImportIn) -> imports.ImportResult:
    """A steward imports contributions from CSV: every row is checked, and either all are
    imported in one transaction or none (a row with a problem is named). A row with an
    impact is imported as verified by the steward."""
    if not permissions.can_import(actor):
        raise Forbidden("Only stewards import contributions.")
    plan = imports.plan(actor, data.csv)
    if data.dry_run or plan.result.errors:
        return plan.result
    now = timezone.now()
    with transaction.atomic(durable=True):
        created = Contribution.objects.bulk_create(
            [
                Contribution(
                    member=row.member,
                    kind=row.data.kind,
                    title=row.data.title,
                    description=row.data.description,
                    evidence_url=row.data.evidence_url,
                    date=row.data.date,
                    hours_h100=parse_hours(row.data.hours),
                    level=row.data.level,
                    group=plan.groups[row.data.group] if row.data.group else None,
                    source_key=row.source_key,
                    status=Status.VERIFIED if row.impact else Status.PENDING,
                    impact=row.impact,
                    reviewer=actor if row.impact else None,
                    reviewed_at=now if row.impact else None,
                )
                for row in plan.rows
            ]
        )
        if created and created[0].pk is None:  # backends without RETURNING on bulk insert
            by_key = dict(
                Contribution.objects.filter(
                    source_key__in=[c.source_key for c in created]
                ).values_list("source_key", "pk")
            )
            for c in created:
                c.pk = by_key[c.source_key]
        records = []
        for c in created:
            records += ledger_records(c, recorded_by=actor, reviewed_by=actor, source="import")
        ledger.append_many(records)
    plan.result.committed = True
    return plan.result
