"""Writing to the ledger: append inside the caller's transaction, sign tree heads.

Every app's services call `append` inside the same transaction as the change it records,
so the change and its entry commit or roll back together. The State row lock makes seq
strictly increasing with no gaps: a rolled-back transaction also rolls back its seq.
"""

import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accord.domain import canonical, merkle
from accord.domain.canonical import canonical_json
from accord.domain.treehead import TreeHead, signed_bytes
from accord.ledger import keys
from accord.ledger.models import NODE_LEVEL, Entry, Head, HeadReason, Node, State

SYSTEM = "system"


def head_every() -> int:
    """Sign a head after every N entries (`ACCORD_LEDGER_HEAD_EVERY`, default 1000)."""
    return max(1, int(os.environ.get("ACCORD_LEDGER_HEAD_EVERY", "1000")))


@dataclass(frozen=True)
class Record:
    """What a service asks the ledger to record. Members appear only as pseudonyms."""

    kind: str
    actor: str
    subject: str
    payload: dict[str, Any]


def format_at(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_bytes(seq: int, at: str, record: Record) -> bytes:
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


def _validate(record: Record) -> None:
    if not record.kind or len(record.kind) > 64:
        raise ValueError("a ledger entry needs a kind of 1 to 64 characters")
    if len(record.actor) > 40 or len(record.subject) > 120:
        raise ValueError("ledger actor or subject is too long")
    # Most payloads are scalars and lists of scalars: accept those without the recursive
    # walk, which builds a path string per item (and is still used for everything else).
    if not _flat(record.payload):
        canonical.check(record.payload, "payload")


def _flat(payload: Any) -> bool:
    if payload.__class__ is not dict or not _STR_ONLY.issuperset(map(type, payload)):
        return False
    for value in payload.values():
        kind = value.__class__
        if kind in _SCALARS or (kind is list and _SCALARS.issuperset(map(type, value))):
            continue
        return False
    return True


_STR_ONLY = frozenset({str})
_SCALARS = frozenset({str, int, bool, type(None)})
# The same encoder `canonical_json` configures, built once instead of per entry.
_PAYLOAD_JSON = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode
_QUOTE = json.encoder.encode_basestring


def _encode_parts(record: Record, at_json: str) -> tuple[str, str] | None:
    """The canonical JSON of an entry around its seq, as `entry_bytes` would encode it:
    keys sorted (actor, at, kind, payload, seq, subject), so the seq is the only part that
    depends on the lock and the rest is built before taking it. None for records with
    non-string columns, which `entry_bytes` handles (and rejects or encodes) itself."""
    kind, actor, subject = record.kind, record.actor, record.subject
    if not (isinstance(kind, str) and isinstance(actor, str) and isinstance(subject, str)):
        return None
    return (
        f'{{"actor":{_QUOTE(actor)},"at":{at_json},"kind":{_QUOTE(kind)},'
        f'"payload":{_PAYLOAD_JSON(record.payload)},"seq":',
        f',"subject":{_QUOTE(subject)}}}',
    )


def _lock_state() -> State:
    state = State.objects.select_for_update().filter(pk=1).first()
    if state is None:
        State.objects.get_or_create(pk=1)
        state = State.objects.select_for_update().get(pk=1)
    return state


def _lock_state_raw(cursor: Any) -> tuple[int, bytes]:
    """`_lock_state` for the append path, without the ORM's per-query work."""
    table = connection.ops.quote_name(State._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT size, peaks FROM {table} WHERE id = 1{lock}"  # noqa: S608 - model table
    cursor.execute(sql)
    row = cursor.fetchone()
    if row is None:
        State.objects.get_or_create(pk=1)
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0], bytes(row[1])


def _accumulator(state: State) -> merkle.Accumulator:
    return _accumulator_of(state.size, bytes(state.peaks))


def _accumulator_of(size: int, raw: bytes) -> merkle.Accumulator:
    return merkle.Accumulator.from_peaks(size, [raw[i : i + 32] for i in range(0, len(raw), 32)])


def append(kind: str, actor: str, subject: str, payload: dict[str, Any]) -> Entry:
    """Append one entry in the current transaction (or a new one) and return it."""
    return append_many([Record(kind, actor, subject, payload)])[0]


def append_many(records: Iterable[Record], *, at: datetime | None = None) -> list[Entry]:
    """Append entries in order, in the current transaction (or a new one).

    Used one at a time by services and in bulk by imports; a head is signed whenever the
    size crosses a multiple of `head_every()`.
    """
    when, rows = _append(list(records), at)
    return [
        Entry(seq, when, kind, actor, subj, data, leaf)
        for seq, _, kind, actor, subj, data, leaf in rows
    ]


def _append(records: list[Record], at: datetime | None) -> tuple[datetime, list[tuple[Any, ...]]]:
    """Append `records`; return their time and their rows in `Entry` field order."""
    for record in records:
        _validate(record)
    when = (at or timezone.now()).astimezone(UTC)
    stamp = format_at(when)
    at_json = _QUOTE(stamp)
    parts = [_encode_parts(record, at_json) for record in records]
    every = head_every()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        size, peaks = _lock_state_raw(cursor)
        acc = _accumulator_of(size, peaks)
        db_at = connection.ops.adapt_datetimefield_value(when)
        sha256 = merkle._sha256
        rows: list[tuple[Any, ...]] = []
        add = rows.append
        seq = size
        for record, part in zip(records, parts, strict=True):
            if part is None:
                data = entry_bytes(seq, stamp, record)
            else:
                data = f"{part[0]}{seq}{part[1]}".encode()
            add(
                (
                    seq,
                    db_at,
                    record.kind,
                    record.actor,
                    record.subject,
                    data,
                    sha256(b"\x00" + data).digest(),
                )
            )
            seq += 1
        nodes: list[tuple[int, int, bytes]] = []
        checkpoints: list[tuple[int, bytes]] = []
        # Feed the accumulator in runs that end on head boundaries, where a root is needed.
        done = 0
        while done < len(rows):
            upto = min(len(rows), done + every - (acc.size % every))
            nodes.extend(
                node
                for node in acc.extend([row[6] for row in rows[done:upto]])
                if node[0] >= NODE_LEVEL
            )
            done = upto
            if acc.size % every == 0:
                checkpoints.append((acc.size, acc.root()))
        _insert(cursor, rows, nodes)
        _save_state(cursor, acc)
        for checkpoint_size, root in checkpoints:
            _sign(checkpoint_size, root, HeadReason.EVERY_N)
    return when, rows


def _insert(
    cursor: Any, entry_rows: list[tuple[Any, ...]], node_rows: list[tuple[int, int, bytes]]
) -> None:
    # Plain executemany: the ORM's per-object work would dominate large imports.
    quote = connection.ops.quote_name
    if entry_rows:
        cursor.executemany(
            f"INSERT INTO {quote(Entry._meta.db_table)} "  # noqa: S608 - model table names
            "(seq, at, kind, actor, subject, data, leaf_hash) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            entry_rows,
        )
    if node_rows:
        cursor.executemany(
            f"INSERT INTO {quote(Node._meta.db_table)} "  # noqa: S608 - model table names
            f"(level, {quote('index')}, hash) VALUES (%s, %s, %s)",
            node_rows,
        )


def _save_state(cursor: Any, acc: merkle.Accumulator) -> None:
    table = connection.ops.quote_name(State._meta.db_table)
    cursor.execute(
        f"UPDATE {table} SET size = %s, peaks = %s WHERE id = 1",  # noqa: S608 - model table
        [acc.size, b"".join(acc.peaks)],
    )


def sign_head(reason: HeadReason = HeadReason.ON_DEMAND) -> Head | None:
    """Sign the current tree head (after a distribution, a decision, or on demand).

    Returns the existing head when the tree has not grown since, None when it is empty.
    """
    with transaction.atomic(savepoint=False):
        state = _lock_state()
        if state.size == 0:
            return None
        existing = Head.objects.filter(size=state.size).first()
        if existing is not None:
            return existing
        return _sign(state.size, _accumulator(state).root(), reason)


def _sign(size: int, root: bytes, reason: str) -> Head:
    head = TreeHead(size=size, root=root, timestamp_ms=time.time_ns() // 1_000_000)
    signature = keys.signing_key().sign(signed_bytes(head))
    return Head.objects.create(
        size=size,
        root=root,
        timestamp_ms=head.timestamp_ms,
        signature=signature,
        key_id=keys.key_id(),
        reason=reason,
    )


def bulk_import(
    records: Iterable[Record], *, batch: int = 20_000, defer_indexes: bool = False
) -> int:
    """Append a long stream of records in batches, each its own transaction.

    With `defer_indexes`, the ledger's secondary indexes (time, kind, actor, subject) are
    dropped for the import and rebuilt at the end, even if the import fails: for loading a
    large history into a quiet ledger, where rebuilding once beats updating them per row.
    Readers meanwhile see every committed entry, only without those indexes.
    """
    # Like append_many per batch, without building the Entry objects nobody reads.
    total = 0
    chunk: list[Record] = []
    with _large_page_cache(), _deferred_indexes() if defer_indexes else nullcontext():
        for record in records:
            chunk.append(record)
            if len(chunk) >= batch:
                _append(chunk, None)
                total += len(chunk)
                chunk = []
        if chunk:
            _append(chunk, None)
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
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
