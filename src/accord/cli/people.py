"""People: stewards' accounts, groups, roles, terms, erasure, the directory export."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accord.cli.base import AsOption, acting, export_app, fail, migrate, out
from accord.domain.errors import DomainError
from accord.people import queries, services
from accord.people.models import ConsentSource, SiteRole
from accord.people.schemas import (
    ErasureIn,
    GroupArchiveIn,
    GroupIn,
    GroupMergeIn,
    GroupPatch,
    GroupRoleIn,
    LeadershipTermIn,
    SiteRoleIn,
    parse,
)
from accord.people.services import create_member
from accord.web.csvfiles import write_csv

app = typer.Typer()


# bandit B107: the password's empty default means "prompt for it".
@app.command()
def createsteward(  # nosec B107
    email: Annotated[str, typer.Argument(help="The steward's email address.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password: Annotated[
        str,
        typer.Option(
            envvar="ACCORD_PASSWORD",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Or set ACCORD_PASSWORD.",
        ),
    ] = "",
) -> None:
    """Create a steward account (community staff with the admin)."""
    migrate()
    try:
        validate_password(password)
    except ValidationError as exc:
        fail("password refused: " + " ".join(exc.messages))
    try:
        member = create_member(
            email,
            display_name=name or email.split("@")[0],
            password=password,
            role=SiteRole.STEWARD,
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Steward {member.display_name} <{email}> created.")


@export_app.command("members")
def export_members(
    out_file: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    as_member: Annotated[
        str, typer.Option("--as", help="Export what this member (email) may see.")
    ],
) -> None:
    """Export the member directory as CSV: only members who chose to be listed."""
    rows = queries.member_export_rows(acting(as_member))
    try:
        with out_file.open("w", newline="", encoding="utf-8") as fh:
            write_csv(fh, queries.EXPORT_COLUMNS, rows)
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    out.print(f"Wrote {len(rows)} members to {out_file}.")


# Groups, roles, terms and erasure: what stewards script. Each command parses its input,
# calls the one service and prints one line; a refusal is one line on stderr, exit 1.

group_app = typer.Typer(help="Start, edit, archive and merge groups; appoint roles.")
role_app = typer.Typer(help="Appoint site roles.", no_args_is_help=True)

GroupArg = Annotated[str, typer.Argument(metavar="GROUP", help="The group's slug.")]
MemberArg = Annotated[str, typer.Argument(metavar="EMAIL", help="The member's email address.")]


def _run[T](call: Callable[[], T]) -> T:
    try:
        return call()
    except DomainError as exc:
        fail(exc.detail)


def _given(**options: object) -> dict[str, object]:
    return {k: v for k, v in options.items() if v is not None}


@group_app.command("create")
def group_create(
    name: Annotated[str, typer.Argument(help="The group's name.")],
    *,
    as_member: AsOption,
    kind: Annotated[str, typer.Option(help="chapter, affinity, committee, ...")] = "chapter",
    parent: Annotated[str, typer.Option(help="The parent group's slug.")] = "",
    description: Annotated[str, typer.Option()] = "",
    term_limit: Annotated[int, typer.Option(help="Consecutive terms one may lead.")] = 2,
) -> None:
    """Start a group; the member it is started --as becomes its lead."""
    actor = acting(as_member)
    data = _run(
        lambda: parse(
            GroupIn,
            {
                "name": name,
                "kind": kind,
                "parent": parent or None,
                "description": description,
                "term_limit": term_limit,
            },
        )
    )
    group = _run(lambda: services.create_group(actor, data))
    out.print(f"Started {group.name} ({group.slug}).", markup=False)


@group_app.command("edit")
def group_edit(
    slug: GroupArg,
    *,
    as_member: AsOption,
    name: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    parent: Annotated[str | None, typer.Option(help="A slug; empty for the top.")] = None,
    description: Annotated[str | None, typer.Option()] = None,
    term_limit: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Edit a group (stewards and the group's leads): only the options given change."""
    actor = acting(as_member)
    given = _given(
        name=name, kind=kind, parent=parent, description=description, term_limit=term_limit
    )
    data = _run(lambda: parse(GroupPatch, given))
    group = _run(lambda: services.update_group(actor, slug, data))
    out.print(f"Saved {group.name} ({group.slug}).", markup=False)


@group_app.command("archive")
def group_archive(
    slug: GroupArg,
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="Why (kept off the ledger).")] = "",
) -> None:
    """Archive a group (stewards): hidden from the tree, cannot be joined, history kept."""
    actor = acting(as_member)
    data = _run(lambda: parse(GroupArchiveIn, {"reason": reason}))
    group = _run(lambda: services.archive_group(actor, slug, data))
    out.print(f"Archived {group.name}.", markup=False)


@group_app.command("merge")
def group_merge(
    slug: GroupArg,
    into: Annotated[str, typer.Option(help="The slug of the group that takes the members.")],
    as_member: AsOption,
) -> None:
    """Merge a group into another (stewards) and archive it."""
    actor = acting(as_member)
    merge = _run(lambda: services.merge_group(actor, slug, GroupMergeIn(into=into)))
    out.print(
        f"Merged {merge.merged.slug} into {merge.into.slug}: {merge.moved} moved, "
        f"{merge.closed} already there.",
        markup=False,
    )


@group_app.command("role")
def group_role(
    slug: GroupArg,
    email: MemberArg,
    role: Annotated[str, typer.Argument(help="lead, co_lead, member or shadow.")],
    as_member: AsOption,
) -> None:
    """Appoint or remove a group's lead, co-lead or shadow (stewards and its leads)."""
    actor = acting(as_member)
    data = GroupRoleIn(member=email, role=role)
    membership = _run(lambda: services.set_group_role(actor, slug, data))
    out.print(f"{email} is now {membership.role} of {slug}.", markup=False)


@group_app.command("term")
def group_term(
    slug: GroupArg,
    email: MemberArg,
    *,
    start: Annotated[str, typer.Option(help="YYYY-MM-DD, the first day.")],
    end: Annotated[str, typer.Option(help="YYYY-MM-DD, the last day.")],
    as_member: AsOption,
    role: Annotated[str, typer.Option(help="lead or co_lead.")] = "lead",
) -> None:
    """Record a leadership term (stewards); lead terms of one group never overlap."""
    actor = acting(as_member)
    fields = {"member": email, "role": role, "start": start, "end": end}
    data = _run(lambda: parse(LeadershipTermIn, fields))
    term = _run(lambda: services.add_leadership_term(actor, slug, data))
    out.print(f"Recorded {term.role} term of {slug}: {term.start} to {term.end}.", markup=False)


@role_app.command("set")
def role_set(
    email: MemberArg,
    role: Annotated[str, typer.Argument(help="member, steward or auditor.")],
    as_member: AsOption,
) -> None:
    """Appoint a member's site role (stewards; nobody changes their own)."""
    actor = acting(as_member)
    member = _run(lambda: services.set_site_role(actor, email, SiteRoleIn(role=role)))
    out.print(f"{email} is now {member.role}.", markup=False)


@app.command()
def erase(
    email: MemberArg,
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="The member's request, as they made it.")],
) -> None:
    """Erase a member's account on their request (stewards), with the reason recorded."""
    actor = acting(as_member)
    data = _run(lambda: parse(ErasureIn, {"reason": reason}))
    _run(lambda: services.erase_member(actor, email, data))
    out.print(f"Erased the account of {email}.", markup=False)


# -- offerings: consent to share with one partner ------------------------------------------

consent_app = typer.Typer(
    help="Share who you are with one partner, or stop (no penalty).", no_args_is_help=True
)
PartnerSlug = Annotated[str, typer.Argument(help="The partner's slug (from its address).")]


@consent_app.command("share")
def share(partner: PartnerSlug, as_member: AsOption) -> None:
    """Let this partner's representatives see your name, profile and email address."""
    member = acting(as_member)
    try:
        changed = services.grant_partner_consent(member, partner, source=ConsentSource.CLI)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"You share who you are with {partner}." if changed else "Nothing changed.")


@consent_app.command("withdraw")
def withdraw(partner: PartnerSlug, as_member: AsOption) -> None:
    """Stop sharing who you are with this partner."""
    member = acting(as_member)
    try:
        changed = services.withdraw_partner_consent(member, partner, source=ConsentSource.CLI)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"You no longer share with {partner}." if changed else "Nothing changed.")


@consent_app.command("partners")
def partners(as_member: AsOption) -> None:
    """Every partner, and whether you share who you are with it."""
    member = acting(as_member)
    for row in queries.partner_consents_for(member):
        out.print(f"{row.partner}\t{'yes' if row.granted else 'no'}\t{row.name}", markup=False)
