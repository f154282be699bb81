"""Restore drills: a real demo community is backed up, changed or lost, and restored with
`accord restore`, which must prove the result (the ledger verifies, row counts and account
balances equal the backup's). On SQLite always, and on PostgreSQL when the suite runs on it.
Bad backups are refused in one line and leave the database as it was."""

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import run_python, scratch_database, subprocess_env
from tests.test_cli import accord

pytestmark = pytest.mark.slow

ENGINES = ["sqlite"]
if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    ENGINES.append("postgresql")

PASSWORD = {"ACCORD_PASSWORD": "a long and unusual passphrase"}

# The benefits app's own balances, read in a child process: {account code: balance}.
APP_BALANCES = """
import json, django
django.setup()
from accord.benefits.accounts import balance
from accord.benefits.models import Account
print(json.dumps({a.code: balance(a) for a in Account.objects.all()}))
"""

# Writes until the file named by argv[1] exists; each step appends a ledger entry and posts
# a transaction in one database transaction, so any one snapshot holds as many of each.
WRITER = """
import os, sys, django
django.setup()
from django.db import transaction
from accord.benefits import accounts
from accord.ledger.services import append, sign_head
source = accounts.funding_account("drill-source", "EUR")
sink = accounts.funding_account("drill-sink", "EUR")
i = 0
while not os.path.exists(sys.argv[1]):
    with transaction.atomic():
        append("drill.tick", "steward", f"t-{i}", {"i": i})
        accounts.post(f"drill-{i}", "drill", [(source, -1), (sink, 1)])
    i += 1
    if i == 1:
        print("writing", flush=True)
    if i % 25 == 0:
        sign_head()
print(i, flush=True)
"""


@dataclass(frozen=True)
class Site:
    """One Accord installation: a data folder (secret key, ledger key) and its database."""

    engine: str
    data_dir: Path
    database_url: str

    @property
    def sqlite_file(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    def accord(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return accord(
            *args, data_dir=self.data_dir, env={"DATABASE_URL": self.database_url, **(env or {})}
        )

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.engine == "sqlite":
            with contextlib.closing(sqlite3.connect(self.sqlite_file)) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(self.database_url) as db:
            return db.execute(sql.encode()).fetchall()

    def row_counts(self) -> dict[str, int]:
        if self.engine == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        names = [n for (n,) in self.query(sql) if not n.startswith("sqlite_")]
        return {n: self.query(f'SELECT COUNT(*) FROM "{n}"')[0][0] for n in names}

    def balances(self) -> dict[str, int]:
        return dict(
            self.query(
                "SELECT a.code, COALESCE(SUM(p.amount), 0) FROM benefits_account AS a "
                "LEFT JOIN benefits_posting AS p ON p.account_id = a.id GROUP BY a.code"
            )
        )

    def app_balances(self) -> dict[str, int]:
        env = subprocess_env(self.data_dir, self.database_url)
        done = run_python("-c", APP_BALANCES, env=env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def wipe(self) -> None:
        if self.engine == "sqlite":
            for path in self.sqlite_file.parent.glob(self.sqlite_file.name + "*"):
                path.unlink()
        else:
            with psycopg.connect(self.database_url, autocommit=True) as db:
                db.execute("DROP SCHEMA public CASCADE")
                db.execute("CREATE SCHEMA public")


@contextlib.contextmanager
def empty_database(engine: str, data_dir: Path, name: str) -> Iterator[str]:
    """The URL of a new, empty database of `engine`."""
    if engine == "sqlite":
        yield f"sqlite:///{data_dir / name}.sqlite3"
        return
    with scratch_database() as url:
        yield url


@pytest.fixture(scope="module", params=ENGINES)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The demo community (40 members), seeded once per engine."""
    data_dir = tmp_path_factory.mktemp(f"site-{request.param}")
    with empty_database(request.param, data_dir, "accord") as url:
        site = Site(request.param, data_dir, url)
        seeded = site.accord("demo", "--members", "40", "--no-serve", env={"DEBUG": "1"})
        assert seeded.returncode == 0, seeded.stderr
        yield site


@pytest.fixture(scope="module")
def backup(site: Site) -> Path:
    """A backup of the demo as seeded (a test that changes the database restores it)."""
    path = site.data_dir.parent / f"{site.data_dir.name}.backup"
    made = site.accord("backup", "--out", str(path))
    assert made.returncode == 0, made.stderr
    return path


def manifest_of(backup: Path) -> dict[str, Any]:
    return json.loads(backup.with_name(backup.name + ".json").read_text())


def assert_restored(result: subprocess.CompletedProcess[str], site: Site, backup: Path) -> None:
    """`accord restore` succeeded, saying the ledger verifies and all figures are equal, and
    the database, read apart from Accord, holds the manifest's row counts and balances."""
    manifest = manifest_of(backup)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "│ ledger verify " in result.stdout
    assert "DIFFERS" not in result.stdout
    assert "FAILS" not in result.stdout
    assert "OK: restored" in result.stdout
    assert site.row_counts() == manifest["tables"]
    assert site.balances() == manifest["balances"]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("accord: error: ")
    return lines[0]


def test_restore_drill_after_a_change_and_after_losing_the_database(
    site: Site, backup: Path
) -> None:
    manifest = manifest_of(backup)
    assert backup.stat().st_mode & 0o777 == 0o600
    assert manifest["engine"] == site.engine
    assert manifest["tables"] == site.row_counts()
    assert manifest["balances"] == site.app_balances()
    assert manifest["ledger"]["head"]["size"] == manifest["ledger"]["size"]
    assert manifest["tables"]["people_member"] == 40
    assert any(manifest["balances"].values())

    changed = site.accord("createsteward", "late@example.org", env=PASSWORD)
    assert changed.returncode == 0, changed.stderr
    counts_after_change = site.row_counts()
    refused = site.accord("restore", str(backup))
    untouched = site.row_counts()
    restored = site.accord("restore", str(backup), "--yes")
    verified = site.accord("verify")

    assert "holds data" in one_line_error(refused)
    assert untouched == counts_after_change != manifest["tables"]
    assert_restored(restored, site, backup)
    assert verified.returncode == 0, verified.stderr
    assert f"OK: {manifest['ledger']['size']} entries" in verified.stdout

    site.wipe()
    from_nothing = site.accord("restore", str(backup))

    assert_restored(from_nothing, site, backup)
    after = site.accord("createsteward", "later@example.org", env=PASSWORD)
    assert after.returncode == 0, after.stderr  # sequences and triggers came back too


def test_a_backup_taken_while_writes_go_on_is_one_snapshot(site: Site, tmp_path: Path) -> None:
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=subprocess_env(site.data_dir, site.database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing", writer.stderr
        made = site.accord("backup", "--out", str(tmp_path / "live.backup"))
    finally:
        stop.touch()
        written, problems = writer.communicate(timeout=60)
    assert writer.returncode == 0, problems
    assert made.returncode == 0, made.stderr

    with empty_database(site.engine, tmp_path, "elsewhere") as url:
        elsewhere = replace(site, database_url=url)
        restored = elsewhere.accord("restore", str(tmp_path / "live.backup"))
        ticks = elsewhere.query("SELECT COUNT(*) FROM ledger_entry WHERE kind = 'drill.tick'")
        posted = elsewhere.query(
            "SELECT COUNT(*) FROM benefits_transaction WHERE key LIKE 'drill-%'"
        )
        balances = elsewhere.balances()

    assert restored.returncode == 0, restored.stdout + restored.stderr
    taken = ticks[0][0]
    assert 0 < taken < int(written.split()[-1])
    assert posted[0][0] == taken
    assert balances["funding:drill-sink:EUR"] == taken == -balances["funding:drill-source:EUR"]


def test_bad_backups_are_refused_in_one_line_and_touch_nothing(
    site: Site, backup: Path, tmp_path: Path
) -> None:
    manifest = manifest_of(backup)
    damaged = tmp_path / "damaged.backup"
    data = bytearray(backup.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    damaged.write_bytes(bytes(data))
    damaged.with_name("damaged.backup.json").write_text(json.dumps(manifest))
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a database at all\n" * 100)
    garbage.with_name("garbage.backup.json").write_text(
        json.dumps(
            manifest
            | {"file": {"name": "garbage.backup", "bytes": 2200, "sha256": _sha256(garbage)}}
        )
    )
    alone = tmp_path / "alone.backup"
    alone.write_bytes(backup.read_bytes())
    before = (site.row_counts(), site.balances())

    with ThreadPoolExecutor() as pool:  # read-only attempts, all at once to save time
        missing, no_manifest, corrupt, not_a_database, overwrite = pool.map(
            lambda args: site.accord(*args),
            [
                ("restore", str(tmp_path / "missing.backup"), "--yes"),
                ("restore", str(alone), "--yes"),
                ("restore", str(damaged), "--yes"),
                ("restore", str(garbage), "--yes"),
                ("backup", "--out", str(garbage)),
            ],
        )

    assert "there is no backup file" in one_line_error(missing)
    assert "there is no manifest" in one_line_error(no_manifest)
    assert "not the file its manifest describes" in one_line_error(corrupt)
    assert (
        "not a readable SQLite database" if site.engine == "sqlite" else "not a pg_dump archive"
    ) in one_line_error(not_a_database)
    assert "exists: a backup never overwrites a file" in one_line_error(overwrite)
    assert garbage.read_bytes() == b"not a database at all\n" * 100
    assert (site.row_counts(), site.balances()) == before


def test_a_restore_that_differs_from_its_manifest_fails_naming_the_difference(
    site: Site, backup: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "accord.backup"
    copy.write_bytes(backup.read_bytes())
    manifest = manifest_of(backup)
    account = next(code for code, amount in manifest["balances"].items() if amount)
    members = manifest["tables"]["people_member"]
    manifest["balances"][account] += 1
    manifest["tables"]["people_member"] += 1
    copy.with_name("accord.backup.json").write_text(
        json.dumps(manifest | {"file": manifest["file"] | {"name": copy.name}})
    )

    restored = site.accord("restore", str(copy), "--yes")

    assert "differs from its manifest in 2 place(s)" in one_line_error(restored)
    assert f"account {account}: " in restored.stdout
    assert f"table people_member: {members + 1} in the backup, {members}\n" in restored.stdout


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
