"""The `accord` command, assembled from each app's commands."""

import typer

from accord.cli import benefits, contributions, ledger, people, site
from accord.cli.base import export_app, import_app, out

app = typer.Typer(
    name="accord",
    help="Accord: run your community's partnerships in the open.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
for commands in (site.app, people.app, ledger.app, benefits.app):
    app.registered_commands.extend(commands.registered_commands)
app.add_typer(export_app, name="export")
app.add_typer(ledger.ledger_app, name="ledger")
app.add_typer(import_app, name="import")
app.add_typer(contributions.policy_app, name="policy")

__all__ = ["app", "out"]
