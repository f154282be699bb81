"""The ledger's Ed25519 signing key, kept outside the database, and its public history.

`ACCORD_LEDGER_KEY_FILE` names a PEM file (share it between app processes, e.g. as a
mounted secret). Without it the key lives in `$ACCORD_DATA_DIR/ledger/ed25519.pem`, which
only a development run (DEBUG, `accord demo`, `accord serve --dev`) or a test run
(`ACCORD_LEDGER_KEY_GENERATE=1`) creates: production refuses to sign, and `accord serve`
to start, without a key file. A replaced file is read again on next use.

The history (`LedgerKey` rows, see `accord.domain.keyhistory`) is public: every signed
head names its key, and reading the history needs no private key.
"""

import contextlib
import os
import stat
import time
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accord.domain import keyhistory
from accord.ledger.models import Head, LedgerKey


def key_path() -> Path:
    configured = os.environ.get("ACCORD_LEDGER_KEY_FILE")
    return Path(configured) if configured else settings.DATA_DIR / "ledger" / "ed25519.pem"


def _may_generate() -> bool:
    flag = os.environ.get("ACCORD_LEDGER_KEY_GENERATE", "").strip().lower()
    return bool(settings.DEBUG) or flag in {"1", "true", "yes", "on"}


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def write_new_key(path: Path, key: Ed25519PrivateKey | None = None) -> Ed25519PrivateKey:
    """Write `key` (or a new one) to `path`, owner-only, refusing to overwrite a file."""
    key = key or Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: if two processes race to create it, one wins and the other reads it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem(key))
    return key


def load_private(data: bytes, name: str) -> Ed25519PrivateKey:
    try:
        loaded = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} is not an unencrypted PEM private key") from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{name} does not hold an Ed25519 private key")
    return loaded


# A PEM Ed25519 key is about 120 bytes; anything near this is not one.
KEY_FILE_MAX_BYTES = 64 * 1024


@cache
def _load(path: Path, mtime_ns: int) -> Ed25519PrivateKey:
    try:
        # Looked at before opening: a FIFO or a device would block or never end.
        if not stat.S_ISREG(path.stat().st_mode):
            raise ImproperlyConfigured(f"the ledger key file {path} is not a regular file")
        with path.open("rb") as fh:
            data = fh.read(KEY_FILE_MAX_BYTES + 1)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"cannot read the ledger key file {path}: {exc.strerror or exc}"
        ) from exc
    if len(data) > KEY_FILE_MAX_BYTES:
        raise ImproperlyConfigured(f"{path} is too large to be a ledger key file")
    return load_private(data, str(path))


def signing_key() -> Ed25519PrivateKey:
    """The key this process signs with, or ImproperlyConfigured when there is none."""
    path = key_path()
    if not path.exists():
        if not _may_generate():
            raise ImproperlyConfigured(
                f"No ledger signing key at {path}. Set ACCORD_LEDGER_KEY_FILE to an Ed25519 "
                "PEM file shared by every app host (`accord ledger new-key --out FILE` makes "
                "one), or run `accord demo` / `accord serve --dev` for a development server."
            )
        try:
            with contextlib.suppress(FileExistsError):
                write_new_key(path)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"cannot create the ledger key file {path}: {exc.strerror or exc}"
            ) from exc
    try:
        modified = path.stat().st_mtime_ns
    except OSError as exc:
        raise ImproperlyConfigured(
            f"cannot read the ledger key file {path}: {exc.strerror or exc}"
        ) from exc
    return _load(path, modified)


def raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id_of(public: Ed25519PublicKey) -> str:
    return keyhistory.key_id(raw(public))


def public_from_pem(text: str | bytes) -> Ed25519PublicKey:
    loaded = serialization.load_pem_public_key(text.encode() if isinstance(text, str) else text)
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return loaded


def check_signature(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    """`keyhistory.Verify` with cryptography's Ed25519."""
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _unrecorded_first_key() -> LedgerKey | None:
    """Before the history records its first key (a ledger whose heads predate it), the key
    file's key, as it will be recorded: from its first head, unsaved."""
    path = key_path()
    if not path.exists():
        return None
    public = signing_key().public_key()
    kid = key_id_of(public)
    first = (
        Head.objects.filter(key_id=kid).order_by("size").values_list("timestamp_ms", flat=True)
    ).first()
    return LedgerKey(
        key_id=kid,
        public_pem=pem(public).decode(),
        valid_from_ms=now_ms() if first is None else first,
    )


def history() -> list[LedgerKey]:
    """Every key of the ledger, oldest first (recorded, or the key file's before that)."""
    rows = list(LedgerKey.objects.order_by("valid_from_ms", "id"))
    if rows:
        return rows
    first = _unrecorded_first_key()
    return [] if first is None else [first]


def current() -> LedgerKey | None:
    """The key that signs the ledger's heads now, if there is one yet."""
    keys = history()
    return keys[-1] if keys else None


def public_pem() -> bytes:
    """The current public key as PEM (the key file's, or a new one in development)."""
    key = current()
    if key is not None:
        return key.public_pem.encode()
    return pem(signing_key().public_key())


def key_id() -> str:
    key = current()
    return key.key_id if key is not None else key_id_of(signing_key().public_key())


def records(keys: list[LedgerKey]) -> list[keyhistory.KeyRecord]:
    return [
        keyhistory.KeyRecord(
            key_id=k.key_id,
            public_raw=raw(public_from_pem(k.public_pem)),
            valid_from_ms=k.valid_from_ms,
            previous=k.previous,
            endorsement=bytes(k.endorsement),
            acceptance=bytes(k.acceptance),
        )
        for k in keys
    ]


def record_signer(key: Ed25519PrivateKey) -> None:
    """Before `key` signs a head: record it as the first key of an empty history, or refuse
    when it is not the history's current key (another host's, or a retired one). Callers
    hold the ledger's lock."""
    public = key.public_key()
    kid = key_id_of(public)
    newest = LedgerKey.objects.order_by("-valid_from_ms", "-id").first()
    if newest is None:
        first = _unrecorded_first_key()
        start = first.valid_from_ms if first is not None and first.key_id == kid else now_ms()
        LedgerKey.objects.create(key_id=kid, public_pem=pem(public).decode(), valid_from_ms=start)
    elif newest.key_id != kid:
        raise ImproperlyConfigured(
            f"This process signs with key {kid[:12]}…, but the ledger's current key is "
            f"{newest.key_id[:12]}…: give every host the current key file (after "
            "`accord ledger rotate-key`, the new one)."
        )


def forget_cached_key() -> None:
    """For tests: read the key file again on next use even if its time did not change."""
    _load.cache_clear()


def key_json(key: LedgerKey) -> dict[str, object]:
    """One key of the history as the export, the bundles and /ledger/keys.json carry it."""
    return {
        "key_id": key.key_id,
        "public_key": key.public_pem,
        "valid_from_ms": key.valid_from_ms,
        "previous": key.previous,
        "endorsement": bytes(key.endorsement).hex(),
        "acceptance": bytes(key.acceptance).hex(),
    }
