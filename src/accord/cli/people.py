"""People: stewards' accounts and the member directory export."""

from pathlib import Path
from typing import Annotated

import typer
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accord.cli.base import acting, export_app, fail, migrate, out
from accord.domain.errors import DomainError
from accord.people import queries
from accord.people.models import SiteRole
from accord.people.services import create_member
from accord.web.csvfiles import write_csv

app = typer.Typer()


@app.command()
def createsteward(
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
