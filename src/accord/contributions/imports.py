"""Reading a CSV of contributions: each row checked, matched to a verified member and
to earlier imports; `services.import_contributions` writes the plan, all or nothing.

Columns: source_key, member (email or pseudonym), kind, title, date (YYYY-MM-DD), hours,
level (1-5), and optionally description, evidence_url, group (slug), impact (1-5: the row
is imported as verified by the importing steward). A row whose source_key was imported
before, or appears twice in the file, is recognised and skipped, never counted twice.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from accord.contributions.checks import check_input
from accord.contributions.models import Contribution
from accord.contributions.schemas import IMPORT_OPTIONAL, IMPORT_REQUIRED, ContributionIn
from accord.domain.errors import InvalidInput
from accord.people.models import Group, Member
from accord.people.visibility import verified_members
from accord.web.inputs import text_problem

REQUIRED = IMPORT_REQUIRED
OPTIONAL = IMPORT_OPTIONAL
SOURCE_KEY_MAX = Contribution._meta.get_field("source_key").max_length or 120


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

    def summary(self) -> str:
        """One line on what happened, or on the first bad row."""
        if self.errors:
            first = self.errors[0]
            return (
                f"{len(self.errors)} bad row(s), nothing imported; first: line {first.line}: "
                f"{'; '.join(first.errors)}"
            )
        verb = "Imported" if self.committed else "Would import"
        return f"{verb} {self.new} contribution(s); {self.duplicates} duplicate(s) skipped."


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
) -> tuple[RowResult, ContributionIn | None, Member | None, int | None]:
    key = (raw.get("source_key") or "").strip()
    result = RowResult(line=line, source_key=key, title=(raw.get("title") or "").strip())
    errors = result.errors
    if not key:
        errors.append("source_key is empty")
    elif len(key) > SOURCE_KEY_MAX:
        errors.append(f"source_key is longer than {SOURCE_KEY_MAX} characters")
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
    # Every field is checked by `check_input` below, which reports problems as values.
    data = ContributionIn.model_construct(
        kind=(raw.get("kind") or "").strip(),
        title=result.title,
        date=when,
        level=level,
        hours=(raw.get("hours") or "0").strip() or "0",
        description=(raw.get("description") or "").strip(),
        evidence_url=(raw.get("evidence_url") or "").strip(),
        group=group.slug if group is not None else None,
        initiative="",
        partnership=None,
    )
    errors.extend(check_input(data, today=today))
    if errors:
        result.status = "error"
        return result, None, member, impact
    return result, data, member, impact


@dataclass(frozen=True)
class PlannedRow:
    source_key: str
    data: ContributionIn
    member: Member
    impact: int | None


@dataclass
class Plan:
    result: ImportResult
    rows: list[PlannedRow]
    groups: dict[str, Group]


def plan(actor: Member, text: str) -> Plan:
    """Check every row of `text` (the acting steward cannot verify their own work): what
    would be imported, what is a duplicate, and every problem per row."""
    problem = text_problem(text)
    if problem:
        raise InvalidInput(f"The file {problem}.")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        raw_rows = list(reader)
    except csv.Error as exc:  # a field over the csv module's limit (128 KiB), say
        raise InvalidInput(f"Line {reader.line_num} is not valid CSV: {exc}.") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"The file has no column {', '.join(missing)}.")
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise InvalidInput(f"Unknown column {', '.join(unknown)}.")
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
        result, row, member, impact = _row(
            line, raw, members=members, groups=groups, actor=actor, today=today
        )
        if result.status != "error" and (result.source_key in known or result.source_key in seen):
            result.status = "duplicate"
        seen.add(result.source_key)
        results.append(result)
        if result.status == "new" and row is not None and member is not None:
            planned.append(PlannedRow(result.source_key, row, member, impact))
    return Plan(ImportResult(rows=results, committed=False), planned, groups)
