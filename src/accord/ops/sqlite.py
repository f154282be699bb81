"""SQLite: the online backup API, out of the live database and back into it.

`Connection.backup` with its default `pages=-1` copies every page in one step, under one
read transaction: one snapshot, while other processes go on writing (WAL mode).
"""

import sqlite3
from pathlib import Path

from accord.ops.errors import BackupError
from accord.ops.holdings import Holdings, read_holdings


def _open(path: Path, mode: str) -> sqlite3.Connection:
    # A URI with a mode never creates a file that is not there.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=20)


def copy_out(database: Path, target: Path) -> Holdings:
    """Copy the database into the new file `target` as one snapshot, self-contained (a
    rollback journal, not WAL), and read the figures from the copy."""
    try:
        source = _open(database, "rw")  # read-write only so WAL can be read; nothing is written
    except sqlite3.OperationalError as exc:
        raise BackupError(f"cannot open the database {database}: {exc}") from exc
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            return read_holdings(copy.cursor(), "sqlite")
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise BackupError(f"cannot back up the database {database}: {exc}") from exc
    finally:
        source.close()


def check(backup: Path) -> None:
    """Refuse a file that is not a sound SQLite database of Accord."""
    try:
        db = _open(backup, "ro")
        try:
            (result,) = db.execute("PRAGMA quick_check").fetchone()
            migrated = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup} is not a readable SQLite database: {exc}") from exc
    if result != "ok":
        raise BackupError(f"{backup} is damaged: {result}")
    if migrated is None:
        raise BackupError(f"{backup} is not an Accord database (it has no migrations table)")


def copy_in(backup: Path, database: Path) -> None:
    """Replace the database's whole content with the backup's, through the backup API: one
    write transaction, so other connections see the old database or the new one, never a
    mixture, and a failure leaves the old one."""
    database.parent.mkdir(parents=True, exist_ok=True)
    source = _open(backup, "ro")
    try:
        target = sqlite3.connect(database, timeout=20)
        try:
            source.backup(target)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot write the database {database}: {exc}") from exc
        finally:
            target.close()
    finally:
        source.close()
