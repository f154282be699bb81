"""The ledger's Ed25519 signing key, kept outside the database.

`ACCORD_LEDGER_KEY_FILE` names a PEM file (share it between app processes, e.g. as a
mounted secret); by default the key lives in `$ACCORD_DATA_DIR/ledger/ed25519.pem` and is
generated on first use with owner-only permissions.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


def key_path() -> Path:
    configured = os.environ.get("ACCORD_LEDGER_KEY_FILE")
    return Path(configured) if configured else settings.DATA_DIR / "ledger" / "ed25519.pem"


@cache
def _load(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # O_EXCL: if two processes race to create it, one wins and the other reads it.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return loaded


def signing_key() -> Ed25519PrivateKey:
    return _load(key_path())


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_pem() -> bytes:
    return public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def key_id() -> str:
    return key_id_of(public_key())


def forget_cached_key() -> None:
    """For tests and key rotation: read the key file again on next use."""
    _load.cache_clear()
