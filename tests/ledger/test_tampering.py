"""Acceptance: any change to the stored ledger makes verify fail and name the seq."""

import json
import os
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction

from accord.domain.merkle import leaf_hash
from accord.ledger import keys, queries
from accord.ledger.models import Entry
from accord.ledger.services import Record, append_many, format_at, sign_head
from accord.ledger.verify import verify_ledger
from tests.conftest import ledger_triggers, run_python


@pytest.fixture
def ledger(db: None) -> None:
    append_many([Record("test.event", "system", f"s-{i}", {"i": i}) for i in range(600)])
    sign_head()
    append_many([Record("test.event", "system", f"t-{i}", {"i": i}) for i in range(50)])
    sign_head()
    assert verify_ledger().ok
    ledger_triggers("drop")  # DDL is transactional: restored when the test rolls back


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _data(seq: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM ledger_entry WHERE seq = %s", [seq])
        return bytes(cursor.fetchone()[0])


@pytest.mark.parametrize("seq", [0, 300, 649])
def test_changing_one_byte_of_an_entry_is_found_at_its_seq(ledger: None, seq: int) -> None:
    data = bytearray(_data(seq))
    data[data.index(b'"i":') + 4] ^= 0x01  # one digit becomes another

    _sql("UPDATE ledger_entry SET data = %s WHERE seq = %s", bytes(data), seq)
    report = verify_ledger()

    assert not report.ok
    assert report.first_bad_seq == seq


def test_a_changed_entry_with_a_recomputed_leaf_hash_is_still_found(ledger: None) -> None:

    forged = _data(10).replace(b'"i":10', b'"i":99')
    _sql(
        "UPDATE ledger_entry SET data = %s, leaf_hash = %s WHERE seq = 10",
        forged,
        leaf_hash(forged),
    )
    report = verify_ledger()

    assert not report.ok
    assert report.first_bad_seq is not None
    assert report.first_bad_seq <= 10


def test_deleting_an_entry_is_found_at_its_seq(ledger: None) -> None:
    _sql("DELETE FROM ledger_entry WHERE seq = 123")

    report = verify_ledger()

    assert report.first_bad_seq == 123
    assert "seq 123 is missing" in report.problems[0]


def test_reordering_entries_is_found(ledger: None) -> None:
    a, b = _data(40), _data(41)
    _sql("UPDATE ledger_entry SET data = %s WHERE seq = 40", b)
    _sql("UPDATE ledger_entry SET data = %s WHERE seq = 41", a)

    report = verify_ledger()

    assert report.first_bad_seq == 40


@pytest.mark.parametrize(
    ("column", "value"),
    [("kind", "hidden"), ("actor", "m-someone"), ("subject", "s-70"), ("subject", "s-7 ")],
)
def test_a_changed_filter_column_is_found(ledger: None, column: str, value: str) -> None:
    _sql(f"UPDATE ledger_entry SET {column} = %s WHERE seq = 7", value)

    report = verify_ledger()

    assert report.first_bad_seq == 7
    assert f"column {column}={value!r} disagrees" in report.problems[0]


def test_a_changed_time_column_is_found(ledger: None) -> None:

    at = Entry.objects.get(seq=7).at
    _sql("UPDATE ledger_entry SET at = %s WHERE seq = 7", at + timedelta(microseconds=1))

    report = verify_ledger()

    assert report.first_bad_seq == 7
    assert "column at=" in report.problems[0]


def test_times_that_go_back_are_found(ledger: None) -> None:
    """The date filter bisects seq, which needs entry times that never decrease."""

    entry = Entry.objects.get(seq=20)
    earlier = entry.at - timedelta(days=1)
    forged = bytes(entry.data).replace(format_at(entry.at).encode(), format_at(earlier).encode())
    _sql(
        "UPDATE ledger_entry SET at = %s, data = %s, leaf_hash = %s WHERE seq = 20",
        earlier,
        forged,
        leaf_hash(forged),
    )

    report = verify_ledger()

    assert report.first_bad_seq == 20
    assert any("earlier than the entry before" in p for p in report.problems)


def test_a_changed_stored_subtree_is_found(ledger: None) -> None:
    _sql(
        "UPDATE ledger_node SET hash = %s WHERE level = 8 AND "
        + connection.ops.quote_name("index")
        + " = 1",
        b"\x00" * 32,
    )

    report = verify_ledger()

    assert not report.ok
    assert report.first_bad_seq == 256


def test_a_changed_head_is_found(ledger: None) -> None:
    _sql("UPDATE ledger_head SET root = %s WHERE size = 600", b"\x11" * 32)

    report = verify_ledger()

    assert not report.ok
    assert any("size 600" in p for p in report.problems)


def test_replacing_the_key_is_found(
    ledger: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_LEDGER_KEY_FILE", str(tmp_path / "other.pem"))
    keys.write_new_key(tmp_path / "other.pem")
    keys.forget_cached_key()
    try:
        report = verify_ledger()
    finally:
        monkeypatch.delenv("ACCORD_LEDGER_KEY_FILE")
        keys.forget_cached_key()

    assert not report.ok
    assert any("is not in the key history" in p for p in report.problems)


@pytest.mark.slow
def test_accord_verify_exits_1_and_names_the_seq(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({"ACCORD_DATA_DIR": str(tmp_path), "DEBUG": "1"})

    def accord(*args: str) -> subprocess.CompletedProcess[str]:
        return run_python("-m", "accord", *args, env=env, timeout=120)

    seeded = accord("demo", "--members", "40", "--no-serve")
    assert seeded.returncode == 0, seeded.stderr
    assert accord("verify").returncode == 0
    db = sqlite3.connect(tmp_path / "accord.sqlite3")
    db.execute("DROP TRIGGER ledger_entry_no_update")
    # A filter column (checked in SQL, on a second connection while the first hashes).
    kind = db.execute("SELECT kind FROM ledger_entry WHERE seq = 5").fetchone()[0]
    db.execute("UPDATE ledger_entry SET kind = 'hidden' WHERE seq = 5")
    db.commit()

    column = accord("verify")

    assert column.returncode == 1
    assert "first bad seq: 5" in column.stderr
    assert "column kind='hidden'" in column.stderr
    db.execute("UPDATE ledger_entry SET kind = ? WHERE seq = 5", (kind,))
    # The entry bytes.
    data = db.execute("SELECT data FROM ledger_entry WHERE seq = 17").fetchone()[0]
    db.execute(
        "UPDATE ledger_entry SET data = ? WHERE seq = 17",
        (data.replace(b'"commitment":"', b'"commitment":"0'),),
    )
    db.commit()
    db.close()

    result = accord("verify")

    assert result.returncode == 1
    assert "first bad seq: 17" in result.stderr
    assert json.dumps(17) in result.stderr


def test_verify_outside_a_transaction_checks_columns_on_a_second_connection(
    transactional_db: None,
) -> None:
    """Outside a transaction the column check runs on its own connection in a second thread
    (on PostgreSQL here; an in-memory SQLite test database keeps it on this one)."""

    append_many([Record("test.event", "system", f"s-{i}", {"i": i}) for i in range(300)])
    sign_head()
    assert verify_ledger().ok
    with transaction.atomic():
        ledger_triggers("drop")
        _sql("UPDATE ledger_entry SET subject = 's-x' WHERE seq = 3")
        ledger_triggers("create")

    report = verify_ledger()

    assert report.first_bad_seq == 3
    assert "column subject='s-x' disagrees" in report.problems[0]


def _store_a_wrong_type(column: str, seq: int, sqlite_value: str) -> None:
    """Put a value of the wrong type in `column`: SQLite keeps whatever it is given, so
    `sqlite_value` (an SQL expression); PostgreSQL's columns are typed, so NULL, once the
    column's NOT NULL is dropped (DDL, like dropping the triggers)."""
    if connection.vendor == "sqlite":
        _sql(f"UPDATE ledger_entry SET {column} = {sqlite_value} WHERE seq = %s", seq)
    else:
        _sql(f"ALTER TABLE ledger_entry ALTER COLUMN {column} DROP NOT NULL")
        _sql(f"UPDATE ledger_entry SET {column} = NULL WHERE seq = %s", seq)


@pytest.mark.parametrize(
    ("column", "sqlite_value", "problem"),
    [
        # A blob with the same bytes (or NULL) passes a plain comparison, yet hides the
        # entry from the member filter.
        ("subject", "CAST(subject AS BLOB)", "entry 5: column subject holds"),
        ("at", "'yesterday'", "entry 5: column at holds"),
        ("data", "CAST(data AS TEXT)", "entry 5: its bytes hold"),
    ],
)
def test_a_value_of_the_wrong_type_is_found_not_crashed_on(
    ledger: None, column: str, sqlite_value: str, problem: str
) -> None:

    _store_a_wrong_type(column, 5, sqlite_value)
    if column == "subject":
        assert not queries.entries(member="s-5").exists()

    report = verify_ledger()

    assert report.first_bad_seq == 5
    assert any(p.startswith(problem) for p in report.problems), report.problems
