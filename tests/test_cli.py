"""The `accord` command: real processes, real exit codes, one-line errors."""

import csv
import os
import subprocess
from pathlib import Path

import pytest

from accord.people.queries import member_export_rows
from tests.conftest import run_python
from tests.factories import make_member

pytestmark = pytest.mark.slow


def accord(
    *args: str, data_dir: Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        {
            "ACCORD_DATA_DIR": str(data_dir),
            "SECRET_KEY": "cli-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ACCORD_SECURE_HTTPS": "0",
            "DEBUG": "",
        }
    )
    environment.update(env or {})
    return run_python("-m", "accord", *args, env=environment, input=input, timeout=120)


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["demo", "--members", "-5"],
        ["demo", "--members", "lots"],
        ["serve", "--port", "99999"],
        ["export", "members"],
    ],
)
def test_bad_arguments_exit_non_zero_with_one_line(tmp_path: Path, args: list[str]) -> None:
    result = accord(*args, data_dir=tmp_path)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("accord: error: ")


@pytest.mark.parametrize("args", [["verify"], ["decision", "list", "--as", "steward@example.org"]])
def test_a_database_not_set_up_is_one_line_not_a_traceback(
    tmp_path: Path, args: list[str]
) -> None:
    result = accord(*args, data_dir=tmp_path)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("accord: error: the database refused this (no such table")
    assert "accord manage migrate" in lines[0]


def test_it_refuses_to_start_without_a_secret_key_in_production(tmp_path: Path) -> None:
    result = accord("check", data_dir=tmp_path, env={"SECRET_KEY": ""})

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "SECRET_KEY is not set" in result.stderr


def test_createsteward_then_check(tmp_path: Path) -> None:
    created = accord(
        "createsteward",
        "lead@example.org",
        "--name",
        "Lead Steward",
        data_dir=tmp_path,
        env={"ACCORD_PASSWORD": "a long and unusual passphrase"},
    )
    again = accord(
        "createsteward",
        "lead@example.org",
        data_dir=tmp_path,
        env={"ACCORD_PASSWORD": "a long and unusual passphrase"},
    )
    weak = accord(
        "createsteward", "weak@example.org", data_dir=tmp_path, env={"ACCORD_PASSWORD": "123"}
    )
    checked = accord("check", data_dir=tmp_path)

    assert created.returncode == 0, created.stderr
    assert "Lead Steward" in created.stdout
    assert again.returncode == 1
    assert (
        again.stderr.strip()
        == "accord: error: An account with the email lead@example.org already exists."
    )
    assert weak.returncode == 1
    assert weak.stderr.startswith("accord: error: password refused")
    assert checked.returncode == 0, checked.stderr
    assert "OK" in checked.stdout


def test_check_reports_pending_migrations(tmp_path: Path) -> None:
    result = accord("check", data_dir=tmp_path)

    assert result.returncode == 1
    assert "migration(s) not applied" in result.stderr


def test_demo_seeds_deterministically_and_exports_only_consenting_members(tmp_path: Path) -> None:
    first = accord(  # as `make demo` runs it: no SECRET_KEY in the environment
        "demo", "--members", "60", "--no-serve", data_dir=tmp_path / "a",
        env={"DEBUG": "1", "SECRET_KEY": ""},
    )  # fmt: skip
    second = accord(
        "demo", "--members", "60", "--no-serve", data_dir=tmp_path / "b", env={"DEBUG": "1"}
    )
    out_a, out_b = tmp_path / "a.csv", tmp_path / "b.csv"
    export_a = accord(
        "export",
        "members",
        "--out",
        str(out_a),
        "--as",
        "steward@demo.accord.example",
        data_dir=tmp_path / "a",
    )
    accord(
        "export",
        "members",
        "--out",
        str(out_b),
        "--as",
        "steward@demo.accord.example",
        data_dir=tmp_path / "b",
    )
    unknown = accord(
        "export",
        "members",
        "--out",
        str(out_a),
        "--as",
        "nobody@example.org",
        data_dir=tmp_path / "a",
    )

    assert first.returncode == 0, first.stderr
    for role in ("steward", "member", "partner representative", "auditor"):
        assert role in first.stdout
    assert export_a.returncode == 0, export_a.stderr
    rows_a = list(csv.DictReader(out_a.open()))
    assert rows_a == list(csv.DictReader(out_b.open()))  # same seed, same community
    assert 10 < len(rows_a) < 61  # mixed consents: some listed, not all
    assert second.returncode == 0
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "accord: error: no member with the email nobody@example.org."

    # Right after the demo, in the same folder, commands need no SECRET_KEY (the demo kept one).
    no_key = {"SECRET_KEY": "", "DEBUG": ""}
    verified = accord("verify", data_dir=tmp_path / "a", env=no_key)
    exported = accord("export", "ledger", "--out", str(tmp_path / "p.jsonl"),
                      data_dir=tmp_path / "a", env=no_key)  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o077 == 0  # the owner's alone

    audit = tmp_path / "audit.jsonl"
    by_auditor = accord(
        "export", "ledger", "--auditor", "--as", "auditor@demo.accord.example",
        "--out", str(audit), data_dir=tmp_path / "a",
    )  # fmt: skip
    by_steward = accord(
        "export", "ledger", "--auditor", "--as", "steward@demo.accord.example",
        "--out", str(tmp_path / "no.jsonl"), data_dir=tmp_path / "a",
    )  # fmt: skip
    key = tmp_path / "key.pem"
    accord("ledger", "key", "--out", str(key), data_dir=tmp_path / "a")
    checked = run_python(
        "-m", "accord.verifier", "--key", str(key), "--auditor", str(audit),
        env=dict(os.environ), timeout=300,
    )  # fmt: skip

    assert by_auditor.returncode == 0, by_auditor.stderr
    assert by_steward.returncode == 1
    assert by_steward.stderr.strip() == "accord: error: Only auditors download the auditor export."
    assert not (tmp_path / "no.jsonl").exists()
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_python_dash_m_accord_shows_help(tmp_path: Path) -> None:
    result = accord("--help", data_dir=tmp_path)

    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "createsteward", "check"):
        assert command in result.stdout


def test_export_reads_the_same_directory_as_the_page(db: None) -> None:
    # The CLI and the page share one query; the page side is tested in test_consent.
    viewer = make_member()

    assert [r[0] for r in member_export_rows(viewer)] == [viewer.pseudonym]
