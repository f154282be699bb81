"""Writing to the ledger: append inside the caller's transaction, sign tree heads.

Every app's services call `append` inside the same transaction as the change it records,
so the change and its entry commit or roll back together. The State row lock makes seq
strictly increasing with no gaps: a rolled-back transaction also rolls back its seq.
"""

import os
import time
from collections.abc import Iterable
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
    canonical.check(record.payload, "payload")


def _lock_state() -> State:
    state = State.objects.select_for_update().filter(pk=1).first()
    if state is None:
        State.objects.get_or_create(pk=1)
        state = State.objects.select_for_update().get(pk=1)
    return state


def _accumulator(state: State) -> merkle.Accumulator:
    raw = bytes(state.peaks)
    return merkle.Accumulator.from_peaks(
        state.size, [raw[i : i + 32] for i in range(0, len(raw), 32)]
    )


def append(kind: str, actor: str, subject: str, payload: dict[str, Any]) -> Entry:
    """Append one entry in the current transaction (or a new one) and return it."""
    return append_many([Record(kind, actor, subject, payload)])[0]


def append_many(records: Iterable[Record], *, at: datetime | None = None) -> list[Entry]:
    """Append entries in order, in the current transaction (or a new one).

    Used one at a time by services and in bulk by imports; a head is signed whenever the
    size crosses a multiple of `head_every()`.
    """
    records = list(records)
    for record in records:
        _validate(record)
    stamp = format_at(at or timezone.now())
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    every = head_every()
    with transaction.atomic(savepoint=False):
        state = _lock_state()
        acc = _accumulator(state)
        entries: list[Entry] = []
        nodes: list[Node] = []
        checkpoints: list[tuple[int, bytes]] = []
        for record in records:
            seq = acc.size
            data = entry_bytes(seq, stamp, record)
            leaf = merkle.leaf_hash(data)
            for level, index, digest in acc.append(leaf):
                if level >= NODE_LEVEL:
                    nodes.append(Node(level=level, index=index, hash=digest))
            entries.append(
                Entry(
                    seq=seq,
                    at=when,
                    kind=record.kind,
                    actor=record.actor,
                    subject=record.subject,
                    data=data,
                    leaf_hash=leaf,
                )
            )
            if acc.size % every == 0:
                checkpoints.append((acc.size, acc.root()))
        _insert(entries, nodes)
        state.size = acc.size
        state.peaks = b"".join(acc.peaks)
        state.save(update_fields=["size", "peaks"])
        for size, root in checkpoints:
            _sign(size, root, HeadReason.EVERY_N)
    return entries


def _insert(entries: list[Entry], nodes: list[Node]) -> None:
    # Plain executemany: the ORM's per-object work would dominate large imports.
    quote = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value(entries[0].at) if entries else None
    entry_rows: list[Any] = [
        (e.seq, at, e.kind, e.actor, e.subject, e.data, e.leaf_hash) for e in entries
    ]
    node_rows: list[Any] = [(n.level, n.index, n.hash) for n in nodes]
    with connection.cursor() as cursor:
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


def bulk_import(records: Iterable[Record], *, batch: int = 20_000) -> int:
    """Append a long stream of records in batches, each its own transaction."""
    total = 0
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= batch:
            append_many(chunk)
            total += len(chunk)
            chunk = []
    if chunk:
        append_many(chunk)
        total += len(chunk)
    return total


def using_sqlite() -> bool:
    return connection.vendor == "sqlite"
