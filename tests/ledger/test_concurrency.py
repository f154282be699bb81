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
