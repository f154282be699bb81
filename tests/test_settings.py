"""Production settings pass Django's deployment checks; SQLite is configured for safety."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

import accord.settings as production
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
