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
