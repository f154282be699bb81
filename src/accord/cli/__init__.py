"""The `accord` command line: run the demo, serve, work the task queue, administer.

`main` configures Django once (the one setup step), then loads the commands, one module
per app, which import what they need at the top. Bad input exits non-zero with a one-line
reason.
"""

import os
import sys

import django
import typer
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from rich.console import Console

# typer vendors click; its exception classes are only importable from there.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

err = Console(stderr=True)

# Help needs no configuration: a placeholder key lets it show without one (nothing is
# signed or stored while printing help).
_HELP = {"--help", "-h"}


def _configure(argv: list[str]) -> None:
    # The commands that run a development server start Django in DEBUG.
    if argv[:1] == ["demo"] or (argv[:1] == ["serve"] and "--dev" in argv):
        os.environ["DEBUG"] = "1"
    if not argv or _HELP & set(argv):
        os.environ.setdefault("SECRET_KEY", "help-only-not-a-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    # Django reads its settings from the environment set just above.
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        err.print(f"accord: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)


def main() -> None:
    """Entry point: usage errors become one line on stderr and exit code 2."""
    _configure(sys.argv[1:])
    # The commands import models, which exist only once Django is set up, so they load here.
    from accord.cli.app import app, out  # noqa: PLC0415

    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        out.print(exc.ctx.get_help() if exc.ctx else "", markup=False, highlight=False)
        sys.exit(0)
    except typer.Abort:
        err.print("accord: aborted", markup=False)
        sys.exit(1)
    except UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "accord"
        message = " ".join(exc.format_message().split())
        err.print(
            f"accord: error: {message} (see `{command} --help`)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except ClickException as exc:
        err.print(f"accord: error: {exc.format_message()}", markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ImproperlyConfigured as exc:  # e.g. a ledger key file that cannot be read
        err.print(f"accord: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except DatabaseError as exc:  # e.g. a database nobody has set up yet
        reason = " ".join(str(exc).split()) or type(exc).__name__
        err.print(
            f"accord: error: the database refused this ({reason}); if it is new, "
            "`accord manage migrate` sets it up",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
