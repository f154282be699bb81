"""PostgreSQL: `pg_dump -Fc` from an exported snapshot, and `pg_restore` in one transaction.

The client tools are found on PATH or under /usr/lib/postgresql/*/bin (the newest), and get
their connection from the environment (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, ...)
built from `settings.DATABASES`: a password never appears on a command line.
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connection, transaction

from accord.ops.errors import BackupError
from accord.ops.holdings import Holdings, read_holdings

# Connection options dj-database-url may put in OPTIONS, as libpq's environment names.
_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


def tool(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore)."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(part) for part in p.parts[-3].split(".") if part.isdigit()],
    )
    if not versions:
        raise BackupError(f"{name} was not found on PATH nor under /usr/lib/postgresql/*/bin")
    return str(versions[-1])


def environment() -> dict[str, str]:
    """This process's environment plus the configured database's connection parameters."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("NAME", "PGDATABASE"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    for option, var in _OPTION_ENV.items():
        value = (db.get("OPTIONS") or {}).get(option)
        if value is not None:
            env[var] = str(value)
    return env


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(  # noqa: S603 - a found client program, arguments we built
        args, env=environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{what}: {lines[0] if lines else f'exit code {done.returncode}'}")


def dump(target: Path) -> Holdings:
    """`pg_dump -Fc` into `target` from a snapshot this connection exports, and the figures
    read in that same snapshot, so the file and its manifest describe one moment."""
    connection.ensure_connection()
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            [
                tool("pg_dump"),
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            "pg_dump failed",
        )
        return read_holdings(cursor, "postgresql")


def check(backup: Path) -> None:
    """Refuse a file that pg_restore cannot read."""
    _run([tool("pg_restore"), "--list", str(backup)], f"{backup} is not a pg_dump archive")


def restore(backup: Path) -> None:
    """Replace what the backup holds in the configured database, in one transaction: on
    any error nothing has changed."""
    connection.close()
    _run(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(backup),
        ],
        "pg_restore failed, nothing was changed",
    )
