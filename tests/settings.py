"""Test settings: the real settings, given the environment a test run needs."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ACCORD_SECURE_HTTPS", "0")
os.environ.setdefault("ACCORD_STATIC_FROM_APPS", "1")
os.environ.setdefault("ACCORD_DATA_DIR", tempfile.mkdtemp(prefix="accord-tests-"))
# Tests and the processes they start may make a ledger key; production never does.
os.environ.setdefault("ACCORD_LEDGER_KEY_GENERATE", "1")

from accord.settings import *  # noqa: F403

# A fast hasher: the suite creates many accounts (production uses Argon2id).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The ledger refuses TRUNCATE on PostgreSQL; flushing the test database between tests
# (TransactionTestCase) truncates every table, so the test sessions allow it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c accord.ledger_truncate=allowed"
    )
