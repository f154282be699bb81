"""Several processes appending at once leave no gap and no duplicate seq (SQLite and PG)."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WRITERS = 4
EACH = 60

WRITER = """
import django, sys
django.setup()
from django.db import transaction
from accord.ledger.services import append
name = sys.argv[1]
for i in range(int(sys.argv[2])):
    with transaction.atomic():
        append("test.concurrent", "system", name, {"i": i})
"""

CHECK = """
import django, json
django.setup()
from accord.ledger.models import Entry
from accord.ledger.services import sign_head
from accord.ledger.verify import verify_ledger
sign_head()
report = verify_ledger()
print(json.dumps({"seqs": list(Entry.objects.order_by("seq").values_list("seq", flat=True)),
                  "ok": report.ok, "problems": report.problems}))
"""


def _env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "accord.settings",
            "DEBUG": "1",
            "ACCORD_DATA_DIR": str(tmp_path),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run_writers(env: dict[str, str]) -> list[int]:
    migrate = subprocess.run(
        [sys.executable, "-m", "accord", "manage", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"w{n}", str(EACH)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    for w in writers:
        _, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
    check = subprocess.run(
        [sys.executable, "-c", CHECK],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    import json

    result = json.loads(check.stdout.strip().splitlines()[-1])
    assert result["ok"], result["problems"]
    seqs: list[int] = result["seqs"]
    return seqs


def test_concurrent_appends_on_sqlite(tmp_path: Path) -> None:
    seqs = _run_writers(_env(tmp_path, None))

    assert seqs == list(range(WRITERS * EACH))


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    base = os.environ.get("ACCORD_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            raise
        pytest.skip("PostgreSQL is not reachable")
    name = f"accord_concurrency_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def test_concurrent_appends_on_postgresql(tmp_path: Path, scratch_postgres: str) -> None:
    seqs = _run_writers(_env(tmp_path, scratch_postgres))

    assert seqs == list(range(WRITERS * EACH))
