"""The ledger's key history: which Ed25519 keys signed its heads, in order, each new key
vouched for by the one before it.

A rotation is one statement, ``rotation_bytes(previous, next, valid_from_ms)``, signed by
both keys: the old key's signature (the endorsement) says "my successor is this key", the
new key's (the acceptance) says "my predecessor was that key". So a reader who trusts any
one key of the history (the one they downloaded, or one a newspaper printed) can trust
every other key by following the signatures, forwards or backwards, and can check every
head under the key it names. Heads never go back to a retired key.

Pure: signature checks are passed in (`Verify`), so the server and the standalone
verifier share these rules with their own cryptography.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from accord.domain.canonical import canonical_json

Verify = Callable[[bytes, bytes, bytes], bool]  # (raw public key, signature, message) -> ok


class KeyHistoryError(ValueError):
    """The history does not hold together; the message says where."""


def key_id(public_raw: bytes) -> str:
    """A key's id: the SHA-256 of its 32 raw public bytes, in hex."""
    return hashlib.sha256(public_raw).hexdigest()


def rotation_bytes(previous: str, next_key: str, valid_from_ms: int) -> bytes:
    """What both keys of a rotation sign (canonical JSON)."""
    return canonical_json(
        {
            "type": "accord-key-rotation",
            "previous": previous,
            "next": next_key,
            "valid_from_ms": valid_from_ms,
        }
    )


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """One key of the history. The first has no `previous` and no endorsement."""

    key_id: str
    public_raw: bytes
    valid_from_ms: int
    previous: str = ""
    endorsement: bytes = b""  # the previous key's signature over the rotation
    acceptance: bytes = b""  # this key's signature over the rotation


def check_history(records: Sequence[KeyRecord], verify: Verify) -> None:
    """Raise KeyHistoryError unless `records` (oldest first) form one chain: each id is its
    key's, each key names the one before it, starts no earlier, and both signatures of each
    rotation check."""
    for i, record in enumerate(records):
        if key_id(record.public_raw) != record.key_id:
            raise KeyHistoryError(f"key {record.key_id[:12]}…: its id is not its key's")
        if i == 0:
            if record.previous:
                raise KeyHistoryError("the first key names a predecessor the history lacks")
            continue
        before = records[i - 1]
        if record.previous != before.key_id:
            raise KeyHistoryError(f"key {record.key_id[:12]}… does not follow the key before it")
        if record.valid_from_ms < before.valid_from_ms:
            raise KeyHistoryError(f"key {record.key_id[:12]}… starts before its predecessor")
        message = rotation_bytes(before.key_id, record.key_id, record.valid_from_ms)
        if not verify(before.public_raw, record.endorsement, message):
            raise KeyHistoryError(f"key {record.key_id[:12]}…: its predecessor did not sign it")
        if not verify(record.public_raw, record.acceptance, message):
            raise KeyHistoryError(f"key {record.key_id[:12]}…: it did not sign its rotation")


def trusted(records: Sequence[KeyRecord], anchor: str, verify: Verify) -> dict[str, int]:
    """Key id -> its place in the history, when the history holds together and holds the
    key the reader trusts (`anchor`); else KeyHistoryError."""
    check_history(records, verify)
    places = {r.key_id: i for i, r in enumerate(records)}
    if anchor not in places:
        raise KeyHistoryError(f"the key you trust ({anchor[:12]}…) is not in the key history")
    return places


def check_head_keys(
    heads: Sequence[tuple[int, int, str]], records: Sequence[KeyRecord], places: dict[str, int]
) -> None:
    """Each head (size, timestamp_ms, key id), in size order, names a key of the history,
    was signed while that key was current (from its start, before its successor's), and
    never by a key older than the last head's."""
    latest = 0
    for size, timestamp_ms, kid in heads:
        place = places.get(kid)
        if place is None:
            raise KeyHistoryError(f"head at size {size} names a key not in the history")
        if place < latest:
            raise KeyHistoryError(f"head at size {size} goes back to a retired key")
        if timestamp_ms < records[place].valid_from_ms:
            raise KeyHistoryError(f"head at size {size} predates its key")
        if place + 1 < len(records) and timestamp_ms >= records[place + 1].valid_from_ms:
            raise KeyHistoryError(f"head at size {size} was signed by a retired key")
        latest = place
