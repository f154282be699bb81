"""Accord's settings, read from the environment only.

The variables (`DATABASE_URL`, `SECRET_KEY`, `ALLOWED_HOSTS`, `DEBUG`, `ACCORD_DATA_DIR`,
`ACCORD_SECURE_HTTPS`, `EMAIL_HOST`, ...) are described in the README's configuration table.
"""

import os
import re
import secrets
from fractions import Fraction
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ACCORD_DATA_DIR", "data")).resolve()

DEBUG = _flag("DEBUG")


def _secret_key() -> str:
    """`SECRET_KEY` from the environment; else the key kept in the data folder, which a
    development run (`accord demo`, `accord serve --dev`) creates once, so every later
    command in the same checkout (verify, export, distribute) signs and reads alike."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or run `accord demo` / `accord serve --dev` for a development server."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(key + "\n")
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "accord.people.admin_apps.AccordAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.mfa's security-key list uses it
    "ninja",
    "django_htmx",
    "django_tasks_db",
    "accord.web",  # before allauth, so its templates use Accord's layout
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accord.ledger",
    "accord.people",
    "accord.partners",
    "accord.contributions",
    "accord.benefits",
    "accord.governance",
    "accord.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accord.people.navigation.navigation",
            ],
        },
    },
]

# Databases: SQLite in the data folder unless DATABASE_URL says otherwise.
_SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
    # failing with "database is locked" half-way through a transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    # A 64 MB page cache per connection, and reads through a memory map: the pages a
    # request needs stay warm between requests (connections persist, below).
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
        "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
    ),
}
# Each app process keeps its SQLite connection between requests, as it keeps PostgreSQL's
# (conn_max_age below), so a request pays neither the connect nor a cold page cache.
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(_SQLITE_OPTIONS)
    elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Parameters bound by the server, and a statement run five times on a connection
        # is prepared there: PostgreSQL then neither parses nor plans a page's queries
        # again (a pooler in front must keep prepared statements, as PgBouncer 1.21+ can).
        # Options the URL gives (?sslmode=require) stay.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options.setdefault("server_side_binding", True)
        _options.setdefault("prepare_threshold", 5)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "accord.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }

# The cache holds rate-limit counters, so it is shared by every process: the database
# (table accord_cache, created by `migrate`) unless REDIS_URL names a Redis server
# (tests/web/test_redis_cache.py). `check --deploy` refuses a cache each process keeps for
# itself.
_redis_url = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "accord_cache",
        }
    ),
    # HTML rendered from content that never changes, under a digest of that content (ledger
    # rows under their leaf hashes): each process keeps its own, and none can be stale.
    "rendered": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "accord-rendered",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# The largest thing anyone sends is a CSV of contributions: at most this many bytes, said the
# same way by the page, the API and the command (contributions.schemas.import_too_large).
# The API takes it as a JSON string, whose escapes (\n, \") can double it, so a request
# body may be twice that (and a megabyte more) before Django refuses it (413 in the API).
ACCORD_IMPORT_MAX_BYTES = 20_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * ACCORD_IMPORT_MAX_BYTES + 1_000_000

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: people sign in with their email address.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Nobody appears anywhere or is matched by an import before verifying their address.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "accord.people.adapters.AccountAdapter"
# Sign-in lockout: after 5 failures for one email in 15 minutes, even the right password is
# refused until the window passes (and 10 failures a minute from one address). Counters
# live in the shared cache (CACHES), so every process counts together.
# Password resets: 3 emails an hour to one address (so nobody floods a member's inbox) and
# 10 requests a minute from one network address; the page a reset link opens takes 20 tries
# a minute from one address (its key is long, but guessing stays slow).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/15m/key",
    "reset_password": "10/m/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
}
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) or a security key
# (WebAuthn), with recovery codes. Stewards and auditors hold no powers until they set one
# up (accord.people.permissions).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Accord"
MFA_TOTP_TOLERANCE = 1  # a phone's clock 30 seconds off still works (RFC 6238 section 5.2)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://localhost in development only
LOGIN_REDIRECT_URL = "people:home"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `accord demo` serve static files straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG or _flag("ACCORD_STATIC_FROM_APPS")
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email: the console in development, SMTP when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _flag("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "accord@localhost")

# Security. A production deployment is served over HTTPS behind a proxy that sets
# X-Forwarded-Proto; `manage.py check --deploy --fail-level WARNING` is clean.
_HTTPS = _flag("ACCORD_SECURE_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = _HTTPS
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
if _HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Separated duties: a treasurer who would receive more than this (in the pool's smallest unit)
# from a round commits it only after another office holder approved it. 0: any amount.
try:
    ACCORD_SELF_BENEFIT_APPROVAL_ABOVE = int(
        os.environ.get("ACCORD_SELF_BENEFIT_APPROVAL_ABOVE", "0")
    )
except ValueError as exc:
    raise ImproperlyConfigured(
        "ACCORD_SELF_BENEFIT_APPROVAL_ABOVE must be a whole number of the smallest unit."
    ) from exc
# A partnership becomes active only after an evaluation on the ten criteria whose mean is at
# least the threshold, with no criterion's mean under the floor, by this many evaluators.
try:
    ACCORD_ACTIVATION_THRESHOLD = Fraction(os.environ.get("ACCORD_ACTIVATION_THRESHOLD", "3.5"))
    ACCORD_ACTIVATION_FLOOR = Fraction(os.environ.get("ACCORD_ACTIVATION_FLOOR", "2"))
    ACCORD_ACTIVATION_EVALUATORS = int(os.environ.get("ACCORD_ACTIVATION_EVALUATORS", "2"))
except ValueError as exc:
    raise ImproperlyConfigured(
        "ACCORD_ACTIVATION_THRESHOLD and _FLOOR are numbers from 1 to 5 (e.g. 3.5), "
        "ACCORD_ACTIVATION_EVALUATORS a whole number."
    ) from exc
if ACCORD_SELF_BENEFIT_APPROVAL_ABOVE < 0:
    raise ImproperlyConfigured("ACCORD_SELF_BENEFIT_APPROVAL_ABOVE cannot be negative.")
ACCOUNT_SIGNUP_FORM_CLASS = "accord.people.adapters.SignupForm"
# The revenue page warns when the largest partner's share of partner income exceeds this
# fraction (0 to 1).
try:
    ACCORD_DEPENDENCE_WARNING = Fraction(os.environ.get("ACCORD_DEPENDENCE_WARNING", "0.5"))
except (ValueError, ZeroDivisionError) as exc:
    raise ImproperlyConfigured(
        "ACCORD_DEPENDENCE_WARNING is a share from 0 to 1 (e.g. 0.5)."
    ) from exc
if not 0 <= ACCORD_DEPENDENCE_WARNING <= 1:
    raise ImproperlyConfigured("ACCORD_DEPENDENCE_WARNING is a share from 0 to 1 (e.g. 0.5).")

# The community currency (ISO 4217): partners state what an offering is worth in it, and
# promise and pay financial commitments in it (received money lands in the benefits accounts).
ACCORD_CURRENCY = os.environ.get("ACCORD_CURRENCY", "EUR").strip().upper()
if not re.fullmatch(r"[A-Z]{3}", ACCORD_CURRENCY):
    raise ImproperlyConfigured("ACCORD_CURRENCY is an ISO 4217 code such as EUR.")
# What one member's consent to share who they are with a partner is worth to that partner
# (a decimal in ACCORD_CURRENCY, e.g. "25.00"): each consented contact counts at this value
# on the partner's side of a partnership's reciprocity. 0 (the default) shows the count only.
ACCORD_CONTACT_VALUE = os.environ.get("ACCORD_CONTACT_VALUE", "0").strip()
if not re.fullmatch(r"[0-9]{1,12}(\.[0-9]{1,4})?", ACCORD_CONTACT_VALUE):
    raise ImproperlyConfigured(
        "ACCORD_CONTACT_VALUE is an amount in ACCORD_CURRENCY, such as 25.00 (0 to count only)."
    )
