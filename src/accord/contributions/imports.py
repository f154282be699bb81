"""CSV import of contributions: a dry-run preview, per-row errors, all or nothing.

Columns: source_key, member (email or pseudonym), kind, title, date (YYYY-MM-DD), hours,
level (1-5), and optionally description, evidence_url, group (slug), impact (1-5: the row
is imported as verified by the importing steward). A row whose source_key was imported
before, or appears twice in the file, is recognised and skipped, never counted twice.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accord.contributions import permissions
from accord.contributions.models import Contribution, Status
from accord.contributions.services import (
    ContributionInput,
    check_input,
    ledger_records,
    parse_hours,
)
from accord.domain.errors import Forbidden, InvalidInput
from accord.ledger import services as ledger
from accord.people.models import Group, Member
from accord.people.visibility import verified_members

REQUIRED = ("source_key", "member", "kind", "title", "date", "hours", "level")
OPTIONAL = ("description", "evidence_url", "group", "impact")


@dataclass
class RowResult:
    line: int
    source_key: str
    member: str = ""
    title: str = ""
    status: str = "new"  # new | duplicate | error
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult]
    committed: bool

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "error"]

    @property
    def new(self) -> int:
        return sum(1 for r in self.rows if r.status == "new")

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.status == "duplicate")


def _int(value: str, name: str, errors: list[str]) -> int | None:
    try:
        return int(value)
    except ValueError:
        errors.append(f"{name} {value!r} is not a whole number")
        return None


def _row(
    line: int,
    raw: dict[str, str],
    *,
    members: dict[str, Member],
    groups: dict[str, Group],
    actor: Member,
    today: date,
) -> tuple[RowResult, ContributionInput | None, Member | None, int | None]:
    key = (raw.get("source_key") or "").strip()
    result = RowResult(line=line, source_key=key, title=(raw.get("title") or "").strip())
    errors = result.errors
    if not key:
        errors.append("source_key is empty")
    who = (raw.get("member") or "").strip().lower()
    member = members.get(who)
    result.member = who
    if member is None:
        errors.append(f"no member with the verified e-mail or handle {who!r}")
    try:
        when = date.fromisoformat((raw.get("date") or "").strip())
    except ValueError:
        errors.append(f"date {raw.get('date')!r} is not YYYY-MM-DD")
        when = today
    try:
        hours = parse_hours(raw.get("hours") or "0")
    except InvalidInput as exc:
        errors.append(exc.detail.rstrip("."))
        hours = 0
    level = _int((raw.get("level") or "").strip(), "level", errors) or 0
    slug = (raw.get("group") or "").strip()
    group = groups.get(slug) if slug else None
    if slug and group is None:
        errors.append(f"no group {slug!r}")
    impact = None
    if (raw.get("impact") or "").strip():
        impact = _int(raw["impact"].strip(), "impact", errors)
        if impact is not None and impact not in range(1, 6):
            errors.append("impact must be 1 to 5")
        if member is not None and member.pk == actor.pk:
            errors.append("you cannot verify your own contribution")
    data = ContributionInput(
        kind=(raw.get("kind") or "").strip(),
        title=result.title,
        date=when,
        level=level,
        hours_h100=hours,
        description=(raw.get("description") or "").strip(),
        evidence_url=(raw.get("evidence_url") or "").strip(),
        group=group,
    )
    errors.extend(check_input(data, today=today))
    if errors:
        result.status = "error"
        return result, None, member, impact
    return result, data, member, impact


def import_contributions(actor: Member, text: str, *, dry_run: bool) -> ImportResult:
    """Check every row; import them all in one transaction, or none if any row is bad."""
    if not permissions.can_import(actor):
        raise Forbidden("Only stewards import contributions.")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"The file has no column {', '.join(missing)}.")
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise InvalidInput(f"Unknown column {', '.join(unknown)}.")
    raw_rows = list(reader)
    if not raw_rows:
        raise InvalidInput("The file has no rows.")
    names = {(r.get("member") or "").strip().lower() for r in raw_rows}
    # Only people who verified their address can be matched: an unverified sign-up could
    # have typed anyone's e-mail, and must not receive that person's contributions.
    verified = verified_members().select_related("user")
    members = {
        m.user.email.lower(): m
        for m in verified.filter(user__email__in=names)
        if m.user is not None
    }
    members.update({m.pseudonym: m for m in verified.filter(pseudonym__in=names)})
    groups = {g.slug: g for g in Group.objects.all()}
    known = set(
        Contribution.objects.filter(
            source_key__in=[(r.get("source_key") or "").strip() for r in raw_rows]
        ).values_list("source_key", flat=True)
    )
    today = timezone.localdate()
    planned = []
    results = []
    seen: set[str] = set()
    for line, raw in enumerate(raw_rows, start=2):
        result, data, member, impact = _row(
            line, raw, members=members, groups=groups, actor=actor, today=today
        )
        if result.status != "error" and (result.source_key in known or result.source_key in seen):
            result.status = "duplicate"
        seen.add(result.source_key)
        results.append(result)
        if result.status == "new":
            planned.append((result, data, member, impact))
    outcome = ImportResult(rows=results, committed=False)
    if dry_run or outcome.errors:
        return outcome
    _commit(actor, planned)
    outcome.committed = True
    return outcome


def _commit(actor: Member, planned: list) -> None:  # type: ignore[type-arg]
    now = timezone.now()
    with transaction.atomic():
        created = Contribution.objects.bulk_create(
            [
                Contribution(
                    member=member,
                    kind=data.kind,
                    title=data.title,
                    description=data.description,
                    evidence_url=data.evidence_url,
                    date=data.date,
                    hours_h100=data.hours_h100,
                    level=data.level,
                    group=data.group,
                    source_key=result.source_key,
                    status=Status.VERIFIED if impact else Status.PENDING,
                    impact=impact,
                    reviewer=actor if impact else None,
                    reviewed_at=now if impact else None,
                )
                for result, data, member, impact in planned
            ]
        )
        if created and created[0].pk is None:  # backends without RETURNING on bulk insert
            by_key = dict(
                Contribution.objects.filter(
                    Q(source_key__in=[c.source_key for c in created])
                ).values_list("source_key", "pk")
            )
            for c in created:
                c.pk = by_key[c.source_key]
        records = []
        for c in created:
            records += ledger_records(c, recorded_by=actor, reviewed_by=actor, source="import")
        ledger.append_many(records)
