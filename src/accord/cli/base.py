"""What every command module shares: the consoles, one-line failures, the acting member."""

from typing import Annotated, NoReturn

import typer
from django.core.management import call_command
from rich.console import Console

from accord.people.models import Member

out = Console()
err = Console(stderr=True)

AsOption = Annotated[str, typer.Option("--as", help="Act as this member (email).")]

# Groups of commands that several apps add to.
export_app = typer.Typer(help="Export data as files.", no_args_is_help=True)
import_app = typer.Typer(help="Import data from files.", no_args_is_help=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr and exit non-zero."""
    err.print(f"accord: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def acting(email: str) -> Member:
    """The member a command acts as, or a one-line error."""
    member = Member.objects.filter(user__email__iexact=email.strip()).first()
    if member is None:
        fail(f"no member with the email {email}.")
    return member


def migrate(*, verbose: bool = False) -> None:
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
