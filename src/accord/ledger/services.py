"""Writing to the ledger: append inside the caller's transaction, sign tree heads.

Every app's services call `append` inside the same transaction as the change it records,
so the change and its entry commit or roll back together. The State row lock makes seq
strictly increasing with no gaps: a rolled-back transaction also rolls back its seq.
"""

import functools
import itertools
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction
from django.utils import timezone

from accord.bulk import insert_rows
from accord.domain import canonical, keyhistory, merkle
from accord.domain.canonical import canonical_json
from accord.domain.commitments import BLIND_PREFIX, SALT_BYTES, commit_encoded, text_digest
from accord.domain.treehead import TreeHead, signed_bytes
from accord.ledger import keys
from accord.ledger.models import (
    NODE_LEVEL,
    ArchivedEntry,
    Entry,
    Head,
    HeadReason,
    LedgerKey,
    Node,
    Note,
    Opening,
    State,
)
from accord.ledger.models import SYSTEM as _SYSTEM

SYSTEM = _SYSTEM  # other apps' services name the system actor `ledger.SYSTEM`
MEMBER = "member"  # the actor of entries a member makes about themselves: never their handle


def head_every() -> int:
    """Sign a head after every N entries (`ACCORD_LEDGER_HEAD_EVERY`, default 1000)."""
    return max(1, int(os.environ.get("ACCORD_LEDGER_HEAD_EVERY", "1000")))


@dataclass(frozen=True)
class Private:
    """The opening of an entry's commitment, kept off the public record (see `Opening`)."""

    owner: int
    salt: bytes
    value: str  # the facts in canonical JSON, as committed to


@dataclass(frozen=True)
class Record:
    """What a service asks the ledger to record.

    Office holders acting in office are named by public handle. An entry about a member as
    contributor, consent giver or beneficiary is built by `about_member`: a blinded subject,
    a salted commitment in the payload, and its opening in `private`.
    """

    kind: str
    actor: str
    subject: str
    payload: dict[str, Any]
    private: Private | None = None


def about_member(
    kind: str,
    actor: str,
    owner: int | None,
    facts: dict[str, Any],
    *,
    public: dict[str, Any] | None = None,
    subject: str = "",
) -> Record:
    """An entry about member `owner` that names no one: `facts` go in as a salted
    commitment whose opening stays private, `public` (never member-derived identifiers) in
    the clear. The subject is fresh and random, unless the caller needs a label it can
    compute again (`commitments.blind`: a distribution's preview and its commit).

    `owner=None` (a member already erased, as an upgrade meets them) keeps no opening: the
    entry has the same shape, and nothing can open it."""
    salt = secrets.token_bytes(SALT_BYTES)
    subject = subject or BLIND_PREFIX + secrets.token_hex(16)
    encoded = _canonical(facts)
    payload = {**(public or {}), "commitment": commit_encoded(salt, encoded)}
    # Kept as text, as the opening stores it: orjson's bytes keep their whole buffer, and
    # a distribution holds 100,000 of these until they are written.
    private = None if owner is None else Private(owner, salt, encoded.decode())
    return Record(kind, actor, subject, payload, private)


def note(text: str, *, owner: int | None = None) -> str:
    """Keep free text off the ledger: store it in the erasable notes and return the salted
    hash that an entry may carry instead. `owner` is the member it is by or about."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = text_digest(salt, text)
    Note.objects.create(digest=digest, salt=salt, text=text, owner=owner)
    return digest


def forget(owner: int) -> int:
    """Erase what ties the ledger to member `owner`: their openings and notes, and the
    archived v1 entries about them. Their entries stay and verify; nothing can open them
    any more. Returns the rows deleted or blanked."""
    openings, _ = Opening.objects.filter(owner=owner).delete()
    notes, _ = Note.objects.filter(owner=owner).delete()
    return openings + notes + forget_archived(owner)


def forget_archived(owner: int) -> int:
    """Blank the archived entries about member `owner` (see `ArchivedEntry`): their bytes
    and names go, their leaf hashes stay, so the old log's root can still be recomputed."""
    return ArchivedEntry.objects.filter(owner=owner).update(data=b"", actor="", subject="")


def format_at(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_bytes(seq: int, at: str, record: Record) -> bytes:
    """The entry's canonical JSON: the definition that the fast path in `_append` follows."""
    return canonical_json(
        {
            "seq": seq,
            "at": at,
            "kind": record.kind,
            "actor": record.actor,
            "subject": record.subject,
            "payload": record.payload,
        }
    )


# Kind, actor and subject are identifiers: printable ASCII without space, quote or
# backslash. Their JSON is then just the value in quotes, one byte per character, which is
# what lets `accord verify` check the filter columns against the bytes at known offsets.
_IDENTIFIER = re.compile(r"[!#-\[\]-~]+")
_LIMITS = (("kind", 64), ("actor", 40), ("subject", 120))
# All three at once (a space cannot occur in any of them): one match per entry.
_COLUMNS = re.compile(r"[!#-\[\]-~]{1,64} [!#-\[\]-~]{1,40} [!#-\[\]-~]{1,120}")


def _validate(record: Record) -> None:
    kind, actor, subject = record.kind, record.actor, record.subject
    if not (
        kind.__class__ is str
        and actor.__class__ is str
        and subject.__class__ is str
        and _COLUMNS.fullmatch(f"{kind} {actor} {subject}")
    ):
        _explain_columns(record)
    # Most payloads are scalars and lists of scalars: accept those without the recursive
    # walk, which builds a path string per item (and is still used for everything else).
    if not _flat(record.payload):
        canonical.check(record.payload, "payload")


def _explain_columns(record: Record) -> None:
    for name, limit in _LIMITS:
        value = getattr(record, name)
        if value.__class__ is not str or not _IDENTIFIER.fullmatch(value):
            raise ValueError(
                f"a ledger entry's {name} must be printable ASCII without spaces, quotes or "
                f"backslashes, not {value!r}"
            )
        if len(value) > limit:
            raise ValueError(f"a ledger entry's {name} is longer than {limit} characters")


def _flat(payload: Any) -> bool:
    if payload.__class__ is not dict or not _STR_ONLY.issuperset(map(type, payload)):
        return False
    if _SCALARS.issuperset(map(type, payload.values())):
        return True  # the common case, decided without a loop in Python
    for value in payload.values():
        kind = value.__class__
        if kind in _SCALARS or (kind is list and _SCALARS.issuperset(map(type, value))):
            continue
        return False
    return True


_STR_ONLY = frozenset({str})
_SCALARS = frozenset({str, int, bool, type(None)})
_dumps = orjson.dumps
_SORTED = orjson.OPT_SORT_KEYS


def _encode(seq: int, at: str, record: Record) -> bytes:
    """`entry_bytes`, by orjson: the same canonical bytes for every validated record (a
    property test holds them equal), about ten times faster."""
    try:
        return _dumps(
            {
                "actor": record.actor,
                "at": at,
                "kind": record.kind,
                "payload": record.payload,
                "seq": seq,
                "subject": record.subject,
            },
            option=_SORTED,
        )
    except orjson.JSONEncodeError:
        # Integers beyond 64 bits: the standard library's encoder takes them.
        return entry_bytes(seq, at, record)


def _canonical(value: dict[str, Any]) -> bytes:
    """`canonical_json`, by orjson after the same check: the same bytes, faster."""
    canonical.check(value)
    try:
        return _dumps(value, option=_SORTED)
    except orjson.JSONEncodeError:
        return canonical_json(value)  # integers beyond 64 bits


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


# An entry row, as `_prepare` builds it.
_ENTRY_COLUMNS = ("seq", "at", "kind", "actor", "subject", "data", "leaf_hash")
_OPENING_COLUMNS = ("seq", "owner", "salt", "value")


class _Statements:
    """The append path's SQL for the connection's engine, built once."""

    def __init__(self) -> None:
        quote = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        state, entry, node = (quote(model._meta.db_table) for model in (State, Entry, Node))
        self.lock = f"SELECT size, peaks, at_us FROM {state} WHERE id = 1{lock}"  # noqa: S608
        self.save = f"UPDATE {state} SET size = %s, peaks = %s, at_us = %s WHERE id = 1"  # noqa: S608
        self.entry = (
            f"INSERT INTO {entry} ({', '.join(_ENTRY_COLUMNS)}) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        self.node = f"INSERT INTO {node} (level, {quote('index')}, hash) VALUES (%s, %s, %s)"  # noqa: S608


def _sql() -> _Statements:
    return _statements_for(connection.vendor)


@functools.cache
def _statements_for(vendor: str) -> _Statements:
    return _Statements()


def _lock_state(cursor: Any, sql: _Statements) -> tuple[int, bytes, int]:
    """Lock the state row and return (size, peaks, newest entry time in microseconds).

    Plain SQL: on the append path the ORM's per-query work would be most of the cost."""
    cursor.execute(sql.lock)
    row = cursor.fetchone()
    if row is None:
        State.objects.get_or_create(pk=1)
        cursor.execute(sql.lock)
        row = cursor.fetchone()
    return row[0], bytes(row[1]), row[2]


def _accumulator_of(size: int, raw: bytes) -> merkle.Accumulator:
    return merkle.Accumulator.from_peaks(size, [raw[i : i + 32] for i in range(0, len(raw), 32)])


def append(kind: str, actor: str, subject: str, payload: dict[str, Any]) -> Entry:
    """Append one entry in the current transaction (or a new one) and return it."""
    when, [(seq, _, kind, actor, subj, data, leaf)] = _append(
        [Record(kind, actor, subject, payload)], None
    )
    return Entry(seq, when, kind, actor, subj, data, leaf)


def append_many(records: Iterable[Record], *, at: datetime | None = None) -> int:
    """Append entries in order, in the current transaction (or a new one).

    Used one at a time by services and in bulk by imports; a head is signed whenever the
    size crosses a multiple of `head_every()`. Entry times never decrease along seq: an
    `at` (or clock reading) earlier than the newest entry's time becomes that time.
    Returns how many were appended (a distribution appends 100,000: no model objects).
    """
    return len(_append(list(records), at)[1])


@dataclass
class _Batch:
    """Entries ready to write, with the tree's nodes, heads and peaks after them."""

    when: datetime
    rows: list[tuple[Any, ...]]
    nodes: list[tuple[int, int, bytes]]
    checkpoints: list[tuple[int, bytes]]
    after: merkle.Accumulator

    @property
    def when_us(self) -> int:
        return _micros(self.when)


def _prepare(records: list[Record], size: int, peaks: bytes, when: datetime) -> _Batch:
    """Encode, hash and fold `records` as entries size, size + 1, ...; no database work."""
    stamp = format_at(when)
    db_at = connection.ops.adapt_datetimefield_value(when)
    datas = [_encode(seq, stamp, record) for seq, record in enumerate(records, start=size)]
    leaves = merkle.leaf_hashes(datas)
    rows = [
        (seq, db_at, record.kind, record.actor, record.subject, data, leaf)
        for seq, (record, data, leaf) in enumerate(
            zip(records, datas, leaves, strict=True), start=size
        )
    ]
    acc = _accumulator_of(size, peaks)
    nodes: list[tuple[int, int, bytes]] = []
    checkpoints: list[tuple[int, bytes]] = []
    every = head_every()
    # Feed the accumulator in runs that end on head boundaries, where a root is needed.
    done = 0
    while done < len(leaves):
        upto = min(len(leaves), done + every - (acc.size % every))
        nodes += acc.extend_from_level(leaves[done:upto], NODE_LEVEL)
        done = upto
        if acc.size % every == 0:
            checkpoints.append((acc.size, acc.root()))
    return _Batch(when, rows, nodes, checkpoints, acc)


def _write(cursor: Any, sql: _Statements, batch: _Batch, records: list[Record]) -> None:
    """Store a prepared batch under the state lock the caller holds, and sign its heads."""
    # Plain SQL: the ORM's per-object work would dominate, in bulk and one at a time.
    if len(batch.rows) == 1:
        cursor.execute(sql.entry, batch.rows[0])
    elif batch.rows:
        # COPY on PostgreSQL: a 200,000-entry import went from 11,935 to 32,932 entries/s.
        insert_rows(Entry._meta.db_table, _ENTRY_COLUMNS, batch.rows)
    openings = [
        (row[0], r.private.owner, r.private.salt, r.private.value)
        for row, r in zip(batch.rows, records, strict=True)
        if r.private is not None
    ]
    if openings:
        insert_rows(Opening._meta.db_table, _OPENING_COLUMNS, openings)
    if batch.nodes:
        cursor.executemany(sql.node, batch.nodes)
    cursor.execute(sql.save, [batch.after.size, b"".join(batch.after.peaks), batch.when_us])
    for checkpoint_size, root in batch.checkpoints:
        _sign(checkpoint_size, root, HeadReason.EVERY_N)


def _append(records: list[Record], at: datetime | None) -> tuple[datetime, list[tuple[Any, ...]]]:
    """Append `records`; return their time and their rows in `Entry` field order."""
    for record in records:
        _validate(record)
    when = (at or timezone.now()).astimezone(UTC)
    sql = _sql()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        size, peaks, newest = _lock_state(cursor, sql)
        if _micros(when) < newest:
            # A writer that read the clock later took the lock first, or the clock stepped
            # back: these entries take the newest entry's time.
            when = _EPOCH + newest * _MICROSECOND
        batch = _prepare(records, size, peaks, when)
        _write(cursor, sql, batch, records)
    return when, batch.rows


def sign_head(reason: HeadReason = HeadReason.ON_DEMAND) -> Head | None:
    """Sign the current tree head (after a distribution, a decision, or on demand).

    Returns the existing head when the tree has not grown since, None when it is empty.
    """
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        size, peaks, _ = _lock_state(cursor, _sql())
        if size == 0:
            return None
        existing = Head.objects.filter(size=size).first()
        if existing is not None:
            return existing
        return _sign(size, _accumulator_of(size, peaks).root(), reason)


def _sign(size: int, root: bytes, reason: str, key: Ed25519PrivateKey | None = None) -> Head:
    """Sign with `key` (default: this process's), which must be the ledger's current key
    (callers hold the ledger's lock, so a rotation cannot interleave)."""
    key = key or keys.signing_key()
    keys.record_signer(key)
    head = TreeHead(size=size, root=root, timestamp_ms=time.time_ns() // 1_000_000)
    return Head.objects.create(
        size=size,
        root=root,
        timestamp_ms=head.timestamp_ms,
        signature=key.sign(signed_bytes(head)),
        key_id=keys.key_id_of(key.public_key()),
        reason=reason,
    )


@dataclass(frozen=True)
class Rotation:
    previous: str
    key: LedgerKey
    head: Head | None  # the first head the new key signed


def rotate_key(new_key: Ed25519PrivateKey | None = None) -> Rotation:
    """Retire the current signing key for `new_key` (default: a new one, which replaces the
    key file once the rotation is recorded; the old file is kept beside it as
    `<name>.<old id>.retired`). Both keys sign the rotation; the ledger records it and the
    new key signs a head at once. An operator's action, run from the command line on a host
    that holds the key file: with `new_key`, every host must then be given that key file,
    and until then refuses to sign rather than sign with a retired key."""
    old = keys.signing_key()
    path = keys.key_path()
    replace = new_key is None
    new_key = new_key or Ed25519PrivateKey.generate()
    pending = path.with_name(f"{path.name}.next")
    if replace:
        pending.unlink(missing_ok=True)
        keys.write_new_key(pending, new_key)
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        _lock_state(cursor, _sql())
        keys.record_signer(old)
        old_id, new_public = keys.key_id_of(old.public_key()), new_key.public_key()
        new_id = keys.key_id_of(new_public)
        if new_id == old_id or LedgerKey.objects.filter(key_id=new_id).exists():
            raise ValueError("that key has signed this ledger before: rotate to a new key")
        # Recorded first: a head this entry may trigger is still the old key's to sign.
        append("ledger.key_rotated", _SYSTEM, "ledger", {"previous": old_id, "next": new_id})
        start = keys.now_ms()
        message = keyhistory.rotation_bytes(old_id, new_id, start)
        record = LedgerKey.objects.create(
            key_id=new_id,
            public_pem=keys.pem(new_public).decode(),
            valid_from_ms=start,
            previous=old_id,
            endorsement=old.sign(message),
            acceptance=new_key.sign(message),
        )
    if replace:
        os.replace(path, path.with_name(f"{path.name}.{old_id[:12]}.retired"))
        os.replace(pending, path)
    head = None
    with transaction.atomic(), connection.cursor() as cursor:
        size, peaks, _ = _lock_state(cursor, _sql())
        if size:
            head = _sign(size, _accumulator_of(size, peaks).root(), HeadReason.ON_DEMAND, new_key)
    return Rotation(previous=old_id, key=record, head=head)


def bulk_import(
    records: Iterable[Record], *, batch: int = 20_000, defer_indexes: bool = False
) -> int:
    """Append a long stream of records in batches, each its own transaction.

    With `defer_indexes`, the ledger's secondary indexes (kind, subject, actor) are dropped
    for the import and rebuilt at the end, even if the import fails: for loading a large
    history into a quiet ledger, where rebuilding once beats updating them per row.
    Readers meanwhile see every committed entry, only without those indexes.
    """
    total = 0
    with _large_page_cache(), _deferred_indexes() if defer_indexes else nullcontext():
        for chunk in itertools.batched(records, batch):
            # Like append_many, without building the Entry objects nobody reads.
            _append(list(chunk), None)
            total += len(chunk)
    return total


def _secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of each non-unique index on the entries table."""
    table = Entry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


@contextmanager
def _deferred_indexes() -> Iterator[None]:
    indexes = _secondary_indexes()
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, create in indexes:
                cursor.execute(create)


LARGE_PAGE_CACHE = -262144  # SQLite's cache_size in KiB when negative: 256 MB


@contextmanager
def _large_page_cache() -> Iterator[None]:
    """On SQLite, keep the index pages an import touches in memory (256 MB) while it runs.

    Appends touch the pseudonym indexes at random places; with the default 2 MB cache most
    of a batch's time goes to rereading pages. Durability is unchanged.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {LARGE_PAGE_CACHE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
