"""Blinded subjects and salted commitments: how the public ledger speaks about a member.

An entry about a member (as contributor, consent giver or beneficiary) names no one. Its
subject is a blinded label that is new for every entry, and the member-derived facts are a
salted commitment ``sha256(salt || canonical_json(value))``. The opening (salt and value)
stays on the server and reaches only the member's own receipt bundle and the auditor
export; without it the commitment reveals nothing, and two commitments to the same value
differ because their salts do.
"""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

from accord.domain.canonical import canonical_json

BLIND_PREFIX = "b-"
"""Every blinded subject starts with this, so a reader can tell it from a public name."""

SALT_BYTES = 16
SECRET_BYTES = 32


def commitment(salt: bytes, value: Mapping[str, Any]) -> str:
    """Return ``sha256(salt || canonical_json(value))`` in hex.

    Binding: opening it to another value means finding a SHA-256 collision. Hiding: with a
    random 16-byte salt, guessing the value needs the salt too.
    """
    return commit_encoded(salt, canonical_json(dict(value)))


def commit_encoded(salt: bytes, encoded: bytes) -> str:
    """`commitment` of a value already in canonical JSON (encode once, commit and keep)."""
    if len(salt) != SALT_BYTES:
        raise ValueError(f"A salt is {SALT_BYTES} bytes.")
    return hashlib.sha256(salt + encoded).hexdigest()


def opens(digest: str, salt: bytes, value: Mapping[str, Any]) -> bool:
    """Return whether (`salt`, `value`) is an opening of the commitment `digest`."""
    return len(salt) == SALT_BYTES and hmac.compare_digest(commitment(salt, value), digest)


def blind(secret: bytes, context: str) -> str:
    """Return the blinded subject of a member's entry in `context`.

    ``"b-" + hex(HMAC-SHA256(secret, context))[:32]``: the same member and context always
    give the same label (so a previewed distribution keys its rows as the commit will), while
    without the member's secret no label can be tied to the member or to their other labels.
    """
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"A member's ledger secret is {SECRET_BYTES} bytes.")
    mac = hmac.new(secret, context.encode("utf-8"), hashlib.sha256).hexdigest()
    return BLIND_PREFIX + mac[:32]


def text_digest(salt: bytes, text: str) -> str:
    """Return the salted hash under which free text (a reason, a note) enters the ledger."""
    if len(salt) != SALT_BYTES:
        raise ValueError(f"A salt is {SALT_BYTES} bytes.")
    return hashlib.sha256(salt + text.encode("utf-8")).hexdigest()


def rows_digest(rows: Sequence[Sequence[str | int]]) -> str:
    """Return the SHA-256 of a distribution's public statement rows ``[subject, weight,
    amount]`` in ledger order, as its committed entry publishes it, so a member's receipt
    bundle can carry the rows without a proof for each."""
    return hashlib.sha256(canonical_json({"rows": [list(r) for r in rows]})).hexdigest()
