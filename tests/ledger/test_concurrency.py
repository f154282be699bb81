"""Several processes appending at once leave no gap and no duplicate seq (SQLite and PG)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_python, subprocess_env

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


def _run_writers(env: dict[str, str]) -> list[int]:
    migrate = run_python("-m", "accord", "manage", "migrate", "-v0", env=env)
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
    check = run_python("-c", CHECK, env=env)
    assert check.returncode == 0, check.stderr

    result = json.loads(check.stdout.strip().splitlines()[-1])
    assert result["ok"], result["problems"]
    seqs: list[int] = result["seqs"]
    return seqs


def test_concurrent_appends_on_sqlite(tmp_path: Path) -> None:
    seqs = _run_writers(subprocess_env(tmp_path))

    assert seqs == list(range(WRITERS * EACH))


def test_concurrent_appends_on_postgresql(tmp_path: Path, scratch_postgres: str) -> None:
    seqs = _run_writers(subprocess_env(tmp_path, scratch_postgres))

    assert seqs == list(range(WRITERS * EACH))


# Verifies a ledger of 50 entries while, half-way through (after its first batch), another
# connection appends 5 more and signs a head: the verify must judge the 50 it set out to.
VERIFY_WHILE_APPENDING = """
import django, json, threading
django.setup()
from django.db import connection, transaction
from accord.ledger.services import append, sign_head
from accord.ledger.verify import verify_ledger
for i in range(50):
    append("test.before", "system", "s", {"i": i})
sign_head()

def append_more():
    for i in range(5):
        with transaction.atomic():
            append("test.during", "system", "s", {"i": i})
    sign_head()
    connection.close()

appended = []

def meanwhile(done, total):
    if not appended:
        appended.append(done)
        writer = threading.Thread(target=append_more)
        writer.start()
        writer.join()

report = verify_ledger(progress=meanwhile)
again = verify_ledger()
print(json.dumps({"during": [report.ok, report.entries, report.heads, report.problems],
                  "after": [again.ok, again.entries, again.heads, again.problems]}))
"""


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_verify_judges_one_moment_while_appends_go_on(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("scratch_postgres") if engine == "postgresql" else None
    env = subprocess_env(tmp_path, url)
    migrate = run_python("-m", "accord", "manage", "migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr

    done = run_python("-c", VERIFY_WHILE_APPENDING, env=env)

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["during"] == [True, 50, 1, []]
    assert result["after"] == [True, 55, 2, []]
