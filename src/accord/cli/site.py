"""Running Accord: the demo, the server, the task worker, checks and Django's commands."""

import os
import sys
from typing import Annotated

import typer
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accord.cli.base import fail, migrate, out
from accord.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_KEY, demo_code, seed_demo
from accord.jobs import run_due, schedule_tick
from accord.ledger import keys

app = typer.Typer()


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
    migrate()
    created = seed_demo(members=members, seed=seed, console=out)
    out.print("Demo community ready." if created else "Demo community already seeded.")
    out.print(f"Open http://127.0.0.1:{port}/ and sign in as one of (password: {DEMO_PASSWORD}):")
    for role, email in DEMO_LOGINS.items():
        out.print(f"  {role:<24} {email}")
    out.print(
        "The steward, the treasurer and the auditor also enter a code from an authenticator "
        f"app holding the key {DEMO_TOTP_KEY}, or the one `accord demo-code` prints.",
        markup=False,
    )
    if serve:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)


@app.command(name="demo-code")
def demo_code_cmd() -> None:
    """Print the current two-factor code of the demo's steward, treasurer and auditor (their
    authenticator-app key is the demo's published one; demo data only)."""
    out.print(demo_code())


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
    if not dev:
        try:
            keys.signing_key()  # production refuses to start without its ledger key file
        except ImproperlyConfigured as exc:
            fail(str(exc))
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
    """Run background tasks (django-tasks-db), and the jobs that fall due, every minute;
    run as many workers as you need (one tick waits at a time)."""
    schedule_tick()
    call_command("db_worker")


@app.command()
def tick() -> None:
    """Run the jobs that fall due now, once (for cron, without a worker)."""
    outcomes = run_due()
    for o in outcomes:
        out.print(f"{o.job}: {o.done}" if o.ok else f"{o.job}: FAILED: {o.error}", markup=False)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        fail(f"{len(failed)} of {len(outcomes)} job(s) failed; the others ran.")


@app.command()
def check(
    deploy: Annotated[bool, typer.Option(help="Also run Django's deployment checks.")] = False,
) -> None:
    """Check the configuration, the database connection and pending migrations."""
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
    execute_from_command_line(["accord manage", *ctx.args])
