"""Contributions: import them from CSV; publish a version of the attribution policy."""

import json
from pathlib import Path
from typing import Annotated

import typer
from django.conf import settings
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, import_app, out, read_text
from accord.contributions.schemas import ImportIn, PolicyIn, import_too_large
from accord.contributions.services import import_contributions, publish_policy
from accord.domain.errors import DomainError
from accord.people.schemas import parse

policy_app = typer.Typer(help="Attribution policies.", no_args_is_help=True)


@import_app.command("contributions")
def import_contributions_command(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8).")],
    as_member: AsOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check only; import nothing.")
    ] = False,
) -> None:
    """Import contributions from CSV: all rows or none, duplicates skipped."""
    actor = acting(as_member)
    most = settings.ACCORD_IMPORT_MAX_BYTES
    text = read_text(file, max_bytes=most, too_large=lambda size: str(import_too_large(size)))
    try:
        result = import_contributions(actor, parse(ImportIn, {"csv": text, "dry_run": dry_run}))
    except DomainError as exc:
        fail(exc.detail)
    if result.errors:
        table = Table("line", "source_key", "problem")
        for row in result.errors:
            table.add_row(str(row.line), row.source_key, "; ".join(row.errors))
        out.print(table)  # the report on stdout; stderr keeps the one-line error
        fail(result.summary())
    out.print(result.summary())


@policy_app.command("publish")
def policy_publish(
    file: Annotated[Path, typer.Argument(help="The policy document (JSON).")],
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="Why this version is published.")],
    effective: Annotated[str, typer.Option(help="YYYY-MM-DD it takes effect.")],
    decision: Annotated[
        int | None,
        typer.Option(help="The passed decision that adopted this document from this day."),
    ] = None,
) -> None:
    """Publish a new version of the attribution policy, carrying out a passed decision."""
    actor = acting(as_member)
    text = read_text(file)
    try:
        document = json.loads(text)
    except ValueError as exc:
        fail(f"cannot read {file} as JSON: {exc}".splitlines()[0])
    except RecursionError:
        fail(f"cannot read {file} as JSON: it nests too deeply.")
    try:
        data = parse(
            PolicyIn,
            {
                "document": document,
                "effective_from": effective,
                "reason": reason,
                "decision": decision,
            },
        )
        version = publish_policy(actor, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(
        f"Published policy version {version.version}, in force from {version.effective_from}."
    )
