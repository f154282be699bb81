"""The `accord` command line: run the demo, serve, work the task queue, administer.

Every command configures Django itself; bad input exits non-zero with a one-line reason.
"""

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

# typer vendors click; its exception classes are only importable from there.
from rich.console import Console
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

app = typer.Typer(
    name="accord",
    help="Accord: run your community's partnerships in the open.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
export_app = typer.Typer(help="Export data as files.", no_args_is_help=True)
app.add_typer(export_app, name="export")
ledger_app = typer.Typer(help="Work with the tamper-evident ledger.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")
import_app = typer.Typer(help="Import data from files.", no_args_is_help=True)
app.add_typer(import_app, name="import")
policy_app = typer.Typer(help="Attribution policies.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")

AsOption = Annotated[str, typer.Option("--as", help="Act as this steward (email).")]


def acting(email: str):  # type: ignore[no-untyped-def]
    """The member a command acts as, or a one-line error."""
    from accord.people.models import Member

    member = Member.objects.filter(user__email__iexact=email.strip()).first()
    if member is None:
        fail(f"no member with the email {email}.")
    return member


out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr and exit non-zero."""
    err.print(f"accord: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def setup_django(*, debug: bool = False) -> None:
    if debug:
        os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        fail(str(exc))


def migrate(*, verbose: bool = False) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


@app.command()
def demo(
    members: Annotated[int, typer.Option(min=10, max=1_000_000, help="How many members.")] = 500,
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    serve: Annotated[bool, typer.Option(help="Serve the demo after seeding.")] = True,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same demo.")
    ] = 2026,
) -> None:
    """Create the demo community (once) and serve it at http://127.0.0.1:PORT."""
    setup_django(debug=True)
    from accord.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo

    migrate()
    created = seed_demo(members=members, seed=seed, console=out)
    out.print("Demo community ready." if created else "Demo community already seeded.")
    out.print(f"Open http://127.0.0.1:{port}/ and sign in as one of (password: {DEMO_PASSWORD}):")
    for role, email in DEMO_LOGINS.items():
        out.print(f"  {role:<24} {email}")
    if serve:
        from django.core.management import call_command

        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)


@app.command(name="serve")
def serve_cmd(
    dev: Annotated[
        bool, typer.Option("--dev", help="Django's development server, DEBUG on.")
    ] = False,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(envvar="WEB_CONCURRENCY", min=1, max=64, help="gunicorn workers.")
    ] = 2,
) -> None:
    """Serve Accord: gunicorn in production (several can share one PostgreSQL)."""
    setup_django(debug=dev)
    from django.core.management import call_command

    migrate()
    if dev:
        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "accord.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
    os.execv(sys.executable, args)  # noqa: S606 - replace this process with gunicorn


@app.command()
def worker() -> None:
    """Run background tasks (django-tasks-db); run as many as you need."""
    setup_django()
    from django.core.management import call_command

    call_command("db_worker")


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
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from accord.domain.errors import DomainError
    from accord.people.models import SiteRole
    from accord.people.services import create_member

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


@app.command()
def check(
    deploy: Annotated[bool, typer.Option(help="Also run Django's deployment checks.")] = False,
) -> None:
    """Check the configuration, the database connection and pending migrations."""
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        call_command("check", deploy=deploy, fail_level="WARNING", verbosity=0)
    except SystemCheckError as exc:
        fail(str(exc).strip().splitlines()[0] + " (run `accord manage check` for details)")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        fail(f"cannot reach the database: {exc}".splitlines()[0])
    if pending:
        fail(f"{len(pending)} migration(s) not applied; run `accord manage migrate`.")
    out.print(f"OK: configuration, database ({connection.vendor}) and migrations.")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `accord manage migrate`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["accord manage", *ctx.args])


@export_app.command("members")
def export_members(
    out_file: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    as_member: Annotated[
        str, typer.Option("--as", help="Export what this member (email) may see.")
    ],
) -> None:
    """Export the member directory as CSV: only members who chose to be listed."""
    setup_django()

    from accord.people import queries
    from accord.people.models import Member
    from accord.web.csvfiles import write_csv

    viewer = Member.objects.filter(user__email__iexact=as_member).first()
    if viewer is None:
        fail(f"no member with the email {as_member}.")
    rows = queries.member_export_rows(viewer)
    try:
        with out_file.open("w", newline="", encoding="utf-8") as fh:
            write_csv(fh, queries.EXPORT_COLUMNS, rows)
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    out.print(f"Wrote {len(rows)} members to {out_file}.")


@app.command()
def verify() -> None:
    """Recompute the whole ledger and check every entry, subtree and signed head."""
    setup_django()
    from rich.progress import Progress

    from accord.ledger.verify import verify_ledger

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Verifying", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = verify_ledger(progress=advance)
    if not report.ok:
        where = (
            f" (first bad seq: {report.first_bad_seq})" if report.first_bad_seq is not None else ""
        )
        for problem in report.problems[1:6]:
            err.print(f"  also: {problem}", markup=False, highlight=False, soft_wrap=True)
        fail(f"ledger does not verify{where}: {report.problems[0]}")
    out.print(f"OK: {report.entries} entries and {report.heads} signed heads verify.")


@export_app.command("ledger")
def export_ledger(
    out_file: Annotated[Path, typer.Option("--out", help="JSON Lines file to write.")],
    auditor: Annotated[
        bool,
        typer.Option(
            "--auditor", help="The auditor export (openings included); needs --as an auditor."
        ),
    ] = False,
    as_member: Annotated[
        str, typer.Option("--as", help="The auditor (email) taking the auditor export.")
    ] = "",
) -> None:
    """Export every entry and signed head, plus the public key, as JSON Lines; with
    --auditor, the auditor export (each one is recorded in the ledger)."""
    setup_django()
    from accord.domain.errors import DomainError
    from accord.ledger.queries import export_lines
    from accord.people.services import export_for_auditor

    if auditor and not as_member:
        fail("the auditor export needs --as with an auditor's email.")
    if as_member and not auditor:
        fail("--as is only for the auditor export (add --auditor).")
    reader = acting(as_member) if auditor else None
    try:
        fh = out_file.open("w", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    with fh:  # opened first, so a file that cannot be written records no auditor export
        try:
            lines = export_lines() if reader is None else export_for_auditor(reader)
        except DomainError as exc:
            fh.close()
            out_file.unlink()
            fail(str(exc))
        count = 0
        try:
            for line in lines:
                fh.write(line + "\n")
                count += 1
        except OSError as exc:
            fail(f"cannot write {out_file}: {exc.strerror}")
    out.print(f"Wrote {count} lines to {out_file}.")


@ledger_app.command("sign")
def ledger_sign() -> None:
    """Sign a tree head for the ledger as it is now."""
    setup_django()
    from accord.ledger.services import sign_head

    head = sign_head()
    if head is None:
        fail("the ledger is empty: there is nothing to sign.")
    out.print(f"Signed head at size {head.size}: {bytes(head.root).hex()}")


@ledger_app.command("key")
def ledger_key(
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the PEM here.")] = None,
) -> None:
    """Print (or write) the ledger's public key, for the standalone verifier."""
    setup_django()
    from accord.ledger.keys import public_pem

    pem = public_pem()
    if out_file is None:
        out.print(pem.decode().strip(), markup=False, highlight=False)
        return
    try:
        out_file.write_bytes(pem)
    except OSError as exc:
        fail(f"cannot write {out_file}: {exc.strerror}")
    out.print(f"Wrote the public key to {out_file}.")


@import_app.command("contributions")
def import_contributions(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8).")],
    as_member: AsOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check only; import nothing.")
    ] = False,
) -> None:
    """Import contributions from CSV: all rows or none, duplicates skipped."""
    setup_django()
    from rich.table import Table

    from accord.contributions.imports import import_contributions as run
    from accord.domain.errors import DomainError

    actor = acting(as_member)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}")
    try:
        result = run(actor, text, dry_run=dry_run)
    except DomainError as exc:
        fail(exc.detail)
    if result.errors:
        table = Table("line", "source_key", "problem")
        for row in result.errors:
            table.add_row(str(row.line), row.source_key, "; ".join(row.errors))
        err.print(table)
        first = result.errors[0]
        fail(
            f"{len(result.errors)} bad row(s), nothing imported; first: line {first.line}: "
            f"{'; '.join(first.errors)}"
        )
    verb = "Would import" if dry_run else "Imported"
    out.print(f"{verb} {result.new} contribution(s); {result.duplicates} duplicate(s) skipped.")


@policy_app.command("publish")
def policy_publish(
    file: Annotated[Path, typer.Argument(help="The policy document (JSON).")],
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="Why this version is published.")],
    effective: Annotated[str, typer.Option(help="YYYY-MM-DD it takes effect.")],
) -> None:
    """Publish a new version of the attribution policy."""
    setup_django()
    import json
    from datetime import date

    from accord.contributions.services import publish_policy
    from accord.domain.errors import DomainError

    actor = acting(as_member)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read {file} as JSON: {exc}".splitlines()[0])
    try:
        effective_from = date.fromisoformat(effective)
    except ValueError:
        fail(f"--effective {effective!r} is not a date (YYYY-MM-DD).")
    try:
        version = publish_policy(actor, document, effective_from=effective_from, reason=reason)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Published policy version {version.version}, in force from {effective_from}.")


@app.command()
def distribute(
    pool_slug: Annotated[str, typer.Argument(metavar="POOL", help="The pool's slug.")],
    as_member: AsOption,
    preview: Annotated[bool, typer.Option("--preview", help="Show who would get what.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the round, once.")] = False,
    key: Annotated[str, typer.Option(help="Idempotency key for --commit.")] = "",
) -> None:
    """Preview or commit the next round of a pool."""
    if preview == commit:
        fail("give exactly one of --preview or --commit.", code=2)
    setup_django()
    from rich.table import Table

    from accord.benefits import planning, services
    from accord.benefits.models import Pool
    from accord.domain.errors import DomainError
    from accord.domain.money import format_amount

    actor = acting(as_member)
    pool = Pool.objects.filter(slug=pool_slug).first()
    if pool is None:
        fail(f"no pool {pool_slug!r}.")
    if preview:
        with out.status("Computing"):
            p = planning.preview(pool)
        table = Table("member", "weight", "payout", "carried out", title=pool.name)
        paid = [a for a in p.plan.allocations if a.payout or a.carried_out]
        for a in sorted(paid, key=lambda a: -a.payout)[:25]:
            table.add_row(
                a.member,
                str(a.weight),
                format_amount(a.payout, pool.unit),
                format_amount(a.carried_out, pool.unit),
            )
        out.print(table)
        out.print(
            f"{len(paid)} members receive something; "
            f"{format_amount(p.inputs.total, pool.unit)} to share, "
            f"{format_amount(p.plan.unallocated, pool.unit)} stays in the pool."
        )
        return
    try:
        with out.status("Committing"):
            d = services.commit_distribution(
                actor, pool, key=key or f"cli:{pool.slug}:{pool.distributions.count() + 1}"
            )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Committed round {d.round} of {pool.name}: {d.statements.count()} statements.")


def main() -> None:
    """Entry point: usage errors become one line on stderr and exit code 2."""
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
    sys.exit(code if isinstance(code, int) else 0)
