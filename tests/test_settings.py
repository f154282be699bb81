"""Production settings pass Django's deployment checks; SQLite is configured for safety."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

import accord.settings as production
from accord.people.models import Group
from tests.conftest import run_python

pytestmark = pytest.mark.slow


def test_check_deploy_is_clean_for_a_production_configuration(tmp_path: Path) -> None:
    kept = ("PATH", "HOME", "LANG", "PYTHONPATH", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k in kept}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "accord.settings",
            "SECRET_KEY": "a-production-like-secret-key-with-enough-entropy-8d7f6a5e4c3b2a1f0e9",
            "ALLOWED_HOSTS": "accord.example.org",
            "EMAIL_HOST": "smtp.example.org",
            "ACCORD_DATA_DIR": str(tmp_path),
        }
    )

    result = run_python(
        "-m", "django", "check", "--deploy", "--fail-level", "WARNING", env=env, timeout=120
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_passwords_use_argon2id_in_production() -> None:

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_pages_carry_a_csp_with_a_nonce(db: None) -> None:
    response = Client().get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_runs_with_wal_foreign_keys_and_immediate_transactions(db: None) -> None:
    options = settings.DATABASES["default"]["OPTIONS"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        foreign_keys = cursor.fetchone()[0]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert foreign_keys == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")
def test_postgresql_prepares_the_statements_a_connection_runs_often(db: None) -> None:
    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    def probes() -> list[str]:
        return [s for s in prepared() if '"people_group"."term_limit"' in s]

    before = probes()
    for _ in range(6):
        list(Group.objects.filter(slug="nowhere").values_list("term_limit", "slug"))
    after = probes()

    assert before == []
    assert len(after) == 1
    assert '"people_group"."slug" = $1' in after[0]  # bound by the server


def test_a_postgresql_url_keeps_its_own_options(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    env.update(
        DATABASE_URL="postgres://accord@db.example.org/accord?sslmode=require",
        ACCORD_DATA_DIR=str(tmp_path),
        SECRET_KEY="settings-test-key-with-enough-entropy-0123456789abcdef",
    )
    code = "import accord.settings as s; print(sorted(s.DATABASES['default']['OPTIONS'].items()))"

    result = run_python("-c", code, env=env, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "[('prepare_threshold', 5), ('server_side_binding', True), ('sslmode', 'require')]"
    )
