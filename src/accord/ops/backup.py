"""`accord backup` and `accord restore`: the database file and its manifest, and the proof.

A backup never overwrites a file: it is written under a temporary name beside FILE and
linked into place, so FILE and FILE.json appear complete or not at all. A restore checks
the file against its manifest and the target engine before it touches anything, replaces
the database only with --yes when it holds data, and then proves the result: the ledger
verifies, and every row count and account balance equals the manifest's.
"""

import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from accord.ledger.verify import Report, verify_ledger
from accord.ops import postgres, sqlite
from accord.ops.errors import BackupError
from accord.ops.holdings import Holdings, differences, read_holdings

FORMAT = "accord-backup/1"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Manifest:
    """What a backup file holds, kept beside it as FILE.json."""

    engine: str
    created_at: str
    file_name: str
    file_bytes: int
    sha256: str
    holdings: Holdings

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "engine": self.engine,
            "created_at": self.created_at,
            "file": {"name": self.file_name, "bytes": self.file_bytes, "sha256": self.sha256},
            **self.holdings.as_json(),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> "Manifest":
        """KeyError, TypeError or ValueError when `doc` is not a manifest."""
        if doc["format"] != FORMAT or doc["engine"] not in ENGINES:
            raise ValueError("not an Accord backup manifest")
        return cls(
            engine=doc["engine"],
            created_at=str(doc["created_at"]),
            file_name=str(doc["file"]["name"]),
            file_bytes=int(doc["file"]["bytes"]),
            sha256=str(doc["file"]["sha256"]),
            holdings=Holdings.from_json(doc),
        )


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    holdings: Holdings
    report: Report
    differences: list[str]

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.differences


# A manifest lists tables and account balances: a few megabytes for a large community.
MANIFEST_MAX_BYTES = 256 * 1024 * 1024


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def _engine() -> str:
    if connection.vendor not in ENGINES:
        raise BackupError(f"cannot back up or restore a {connection.vendor} database")
    return connection.vendor


def _sqlite_file() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"the SQLite database {name} is not a plain file")
    return Path(name)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_backup(out: Path) -> Manifest:
    """Back the configured database up into the new file `out`, plus `out`.json."""
    engine = _engine()
    sidecar = manifest_path(out)
    for path in (out, sidecar):
        if path.exists() or path.is_symlink():
            raise BackupError(f"{path} exists: a backup never overwrites a file")
    if not out.parent.is_dir():
        raise BackupError(f"there is no folder {out.parent}")
    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    partial_manifest = manifest_path(partial)
    created_at = timezone.now().isoformat().replace("+00:00", "Z")
    try:
        # Owner-only from the start: the files hold personal data and password hashes.
        for path in (partial, partial_manifest):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        if engine == "sqlite":
            holdings = sqlite.copy_out(_sqlite_file(), partial)
        else:
            holdings = postgres.dump(partial)
        manifest = Manifest(
            engine, created_at, out.name, partial.stat().st_size, _sha256(partial), holdings
        )
        partial_manifest.write_text(json.dumps(manifest.as_json(), indent=1) + "\n")
        _publish([(partial, out), (partial_manifest, sidecar)])
    except OSError as exc:
        raise BackupError(f"cannot write {exc.filename or out}: {exc.strerror}") from exc
    finally:
        for path in (partial, partial_manifest):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return manifest


def _publish(moves: list[tuple[Path, Path]]) -> None:
    """Give each finished temporary file its final name, all or none; a hard link fails,
    rather than replaces, when the final name exists."""
    linked: list[Path] = []
    try:
        for temporary, final in moves:
            _fsync(temporary)
            try:
                os.link(temporary, final)
            except FileExistsError as exc:
                raise BackupError(f"{final} exists: a backup never overwrites a file") from exc
            linked.append(final)
        _fsync(moves[0][1].parent)
    except BaseException:
        for path in linked:
            path.unlink()
        raise


def read_manifest(backup: Path) -> Manifest:
    """The manifest beside `backup`, once the file is known to be the one it describes."""
    sidecar = manifest_path(backup)
    if not backup.is_file():
        raise BackupError(f"there is no backup file {backup}")
    if not sidecar.is_file():
        raise BackupError(f"there is no manifest {sidecar} beside the backup")
    if sidecar.stat().st_size > MANIFEST_MAX_BYTES:
        raise BackupError(f"{sidecar} is too large to be an Accord backup manifest")
    try:
        manifest = Manifest.from_json(json.loads(sidecar.read_text(encoding="utf-8")))
    except (
        OSError,
        UnicodeError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
    ) as exc:
        raise BackupError(f"{sidecar} is not an Accord backup manifest") from exc
    if backup.stat().st_size != manifest.file_bytes or _sha256(backup) != manifest.sha256:
        raise BackupError(
            f"{backup} is not the file its manifest describes (damaged or changed since the "
            "backup): its size or SHA-256 differs"
        )
    return manifest


def restore_backup(backup: Path, *, replace: bool) -> Restored:
    """Restore `backup` into the configured database, then check it against the manifest.

    Nothing is touched until the file matches its manifest, suits this engine and reads
    as a database, and (without `replace`) the target holds no data."""
    engine = _engine()
    manifest = read_manifest(backup)
    if manifest.engine != engine:
        raise BackupError(
            f"{backup} is a {ENGINES[manifest.engine]} backup, and the configured database "
            f"is {ENGINES[engine]}"
        )
    if engine == "sqlite":
        sqlite.check(backup)
    else:
        postgres.check(backup)
    with connection.cursor() as cursor:
        present = read_holdings(cursor, engine)
    if present.holds_data() and not replace:
        raise BackupError(
            f"the database holds data ({present.rows:,} rows in {len(present.tables)} tables); "
            "add --yes to replace it with the backup"
        )
    connection.close()
    if engine == "sqlite":
        sqlite.copy_in(backup, _sqlite_file())
    else:
        postgres.restore(backup)
    with connection.cursor() as cursor:
        holdings = read_holdings(cursor, engine)
    return Restored(
        manifest=manifest,
        holdings=holdings,
        report=verify_ledger(),
        differences=differences(manifest.holdings, holdings),
    )
