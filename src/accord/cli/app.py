"""The `accord` command, assembled from each app's commands."""

import typer

from accord.cli import (
    benefits,
    contributions,
    escalations,
    governance,
    ledger,
    ops,
    partners,
    people,
    site,
    succession,
)
from accord.cli import (
    calendar as calendar_cli,
)
from accord.cli.base import export_app, import_app, out
from accord.cli.documents import document_app

app = typer.Typer(
    name="accord",
    help="Accord: run your community's partnerships in the open.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
for commands in (site.app, people.app, ledger.app, benefits.app, ops.app):
    app.registered_commands.extend(commands.registered_commands)
app.add_typer(export_app, name="export")
app.add_typer(ledger.ledger_app, name="ledger")
app.add_typer(import_app, name="import")
app.add_typer(contributions.policy_app, name="policy")
app.add_typer(benefits.pool_app, name="pool")
app.add_typer(benefits.statement_app, name="statement")
app.add_typer(people.group_app, name="group", no_args_is_help=True)
app.add_typer(people.role_app, name="role")
app.add_typer(partners.partner_app, name="partner")
app.add_typer(partners.agreement_app, name="agreement")


app.add_typer(partners.risk_app, name="risk")
app.add_typer(partners.disclose_app, name="disclose")
app.add_typer(people.consent_app, name="consent")
app.add_typer(partners.offering_app, name="offering")
app.add_typer(governance.decision_app, name="decision")
app.add_typer(escalations.concern_app, name="concern")
app.add_typer(succession.position_app, name="position")
app.add_typer(succession.call_app, name="call")
app.add_typer(succession.memory_app, name="memory")
app.add_typer(calendar_cli.calendar_app, name="calendar")
app.add_typer(document_app, name="document")

__all__ = ["app", "out"]
