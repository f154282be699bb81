"""`accord verify`: recompute the whole ledger from the database and check every claim.

Checks, streaming in seq order: seqs run 0, 1, 2, ... with no gap or reordering; each
entry's bytes carry its own seq and agree with its filter columns; each stored leaf hash is
SHA-256(0x00 || bytes); each stored subtree node equals the recomputed one; each signed
head's root equals the recomputed root at its size, its signature checks with the key it
names, which the key history holds (a chain of rotations, each signed by both keys), and
consecutive heads are joined by a valid consistency proof. In a ledger upgraded from v1,
the archived old log hashes to the head its genesis entry commits to. The first failure is
reported with the seq it concerns.
"""

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accord.domain import keyhistory, merkle
from accord.domain.treehead import TreeHead, signed_bytes
from accord.ledger import keys
from accord.ledger.models import NODE_LEVEL, ArchivedEntry, Entry, Head, Node, State
from accord.ledger.queries import monotonic_span
from accord.ledger.services import format_at
from accord.ledger.upgrade import GENESIS

BATCH = 2048  # rows per fetch: small enough that a batch stays in the CPU cache


@dataclass
class Report:
    entries: int = 0
    heads: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, message: str, seq: int | None = None, *, exact: bool = True) -> None:
        """Record a problem; `seq` locates it exactly, or (exact=False) only roughly, as
        when a whole subtree or head disagrees and an entry check may already be precise."""
        if seq is not None and (
            self.first_bad_seq is None or (exact and seq < self.first_bad_seq)
        ):
            self.first_bad_seq = seq
        self.problems.append(message)


CHUNK = 1 << NODE_LEVEL
# Problems the column check names before it stops looking (the first is what matters).
COLUMN_PROBLEMS = 20


class _Scan:
    """What the streaming pass has recomputed so far.

    Every leaf hash is kept (heads need them). Subtrees at NODE_LEVEL and above are built
    from whole chunks of 2**NODE_LEVEL leaves: a chunk's root is folded level by level in
    one go, and an accumulator over chunk roots finishes the higher levels. That yields the
    same (level, index) -> hash map as appending every leaf to one accumulator, with far
    less per-leaf work.
    """

    def __init__(self) -> None:
        self.leaves: list[bytes] = []
        self.nodes_seen: dict[tuple[int, int], bytes] = {}
        self._chunk_roots = merkle.Accumulator()

    @property
    def size(self) -> int:
        return len(self.leaves)

    def fold_chunks(self) -> None:
        leaves, nodes_seen, upper = self.leaves, self.nodes_seen, self._chunk_roots
        while (upper.size + 1) * CHUNK <= len(leaves):
            index = upper.size
            digest = merkle.root(leaves[index * CHUNK : (index + 1) * CHUNK])
            nodes_seen[(NODE_LEVEL, index)] = digest
            for level, above, node in upper.append(digest):
                nodes_seen[(NODE_LEVEL + level, above)] = node


def _check_rows(rows: list[tuple[int, bytes, bytes]], scan: _Scan, report: Report) -> bool:
    """Hash a batch of (seq, data, leaf_hash) rows in seq order into the scan; False when a
    seq is missing, after which nothing further lines up.

    Seqs are unique and come in order, so a batch whose first and last seq are where they
    belong has no gap. Stored leaf hashes are compared a batch at a time, and one by one
    only to name the entry when the batch differs.
    """
    expected = len(scan.leaves)
    whole = rows[0][0] == expected and rows[-1][0] == expected + len(rows) - 1
    if not whole:
        offset, seq = next(
            (offset, seq) for offset, (seq, _, _) in enumerate(rows) if seq != expected + offset
        )
        rows = rows[:offset]
        report.fail(
            f"seq {expected + offset} is missing (next stored entry is {seq})", expected + offset
        )
    try:
        leaves = merkle.leaf_hashes([data for _, data, _ in rows])
        stored = [bytes(leaf) for _, _, leaf in rows]
    except TypeError:  # a value that is not bytes at all (NULL, or text on SQLite)
        leaves, stored = _hash_as_stored(rows, expected, report)
    if leaves != stored:
        for seq, leaf, kept in zip(
            range(expected, expected + len(rows)), leaves, stored, strict=True
        ):
            if leaf != kept:
                report.fail(f"entry {seq}: its bytes do not match its leaf hash (altered)", seq)
    scan.leaves += leaves
    return whole


def _hash_as_stored(
    rows: Sequence[tuple[int, object, object]], first: int, report: Report
) -> tuple[list[bytes], list[bytes]]:
    """`_check_rows`' hashing, one row at a time, naming rows whose data or leaf hash is not
    bytes (they count as empty, so the tree above them fails too)."""
    leaves, stored = [], []
    for seq, (_, data, leaf) in enumerate(rows, start=first):
        for name, value in (("bytes", data), ("leaf hash", leaf)):
            if not isinstance(value, bytes | memoryview):
                report.fail(f"entry {seq}: its {name} hold {type(value).__name__}", seq)
        leaves.append(merkle.leaf_hash(_as_bytes(data)))
        stored.append(_as_bytes(leaf))
    return leaves, stored


def _as_bytes(value: object) -> bytes:
    return bytes(value) if isinstance(value, bytes | memoryview) else b""


# The filter columns against the entry bytes, in SQL, over the whole table at once. Kind,
# actor and subject are identifiers whose JSON is the value in quotes, so everything but the
# payload sits at offsets the columns give: the bytes must start with
# {"actor":"A","at":"T","kind":"K","payload":   (67 + len(A) + len(K) bytes; T is 27 long)
# and end with ,"seq":N,"subject":"S"}            (21 + len(N) + len(S) bytes).
# Each column must hold text (SQLite keeps whatever it is given; a NULL or a blob would slip
# through the comparisons but hide the entry from filters). The same pass finds entries whose
# time is earlier than the one before them, from where times never decrease.
_COLUMN_CHECK = {
    "sqlite": """
        SELECT e.seq FROM {entry} AS e LEFT JOIN {entry} AS p ON p.seq = e.seq - 1 WHERE
            typeof(e.actor) || typeof(e.at) || typeof(e.kind) || typeof(e.subject)
                || typeof(e.data) != 'texttexttexttextblob'
            OR substr(e.data, 1, 67 + length(e.actor) + length(e.kind)) != CAST(
                '{{"actor":"' || e.actor || '","at":"' || replace(e.at, ' ', 'T')
                || CASE WHEN length(e.at) = 19 THEN '.000000' ELSE '' END
                || 'Z","kind":"' || e.kind || '","payload":' AS BLOB)
            OR substr(e.data, -(21 + length(e.seq) + length(e.subject)))
                != CAST(',"seq":' || e.seq || ',"subject":"' || e.subject || '"}}' AS BLOB)
            OR (e.at < p.at AND e.seq > {monotonic_from})
        ORDER BY e.seq LIMIT {limit}
    """,
    "postgresql": """
        SELECT e.seq FROM {entry} AS e LEFT JOIN {entry} AS p ON p.seq = e.seq - 1 WHERE
            e.actor IS NULL OR e.at IS NULL OR e.kind IS NULL OR e.subject IS NULL
            OR e.data IS NULL
            OR substr(e.data, 1, 67 + length(e.actor) + length(e.kind)) != convert_to(
                '{{"actor":"' || e.actor || '","at":"'
                || to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                || 'Z","kind":"' || e.kind || '","payload":', 'UTF8')
            OR substr(e.data, length(e.data) - 20 - length(e.seq::text) - length(e.subject))
                != convert_to(',"seq":' || e.seq || ',"subject":"' || e.subject || '"}}', 'UTF8')
            OR (e.at < p.at AND e.seq > {monotonic_from})
        ORDER BY e.seq LIMIT {limit}
    """,
}


def _column_problems(monotonic_from: int) -> list[int]:
    """Seqs (the first few) whose filter columns or time disagree with their bytes."""
    sql = _COLUMN_CHECK[connection.vendor].format(
        entry=connection.ops.quote_name(Entry._meta.db_table),
        limit=COLUMN_PROBLEMS,
        monotonic_from=int(monotonic_from),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [seq for (seq,) in cursor.fetchall()]


def _in_own_thread(monotonic_from: int) -> list[int]:
    try:
        return _column_problems(monotonic_from)
    finally:
        connection.close()  # this thread's connection, opened for the check


def _describe_columns(seqs: list[int], monotonic_from: int, report: Report) -> None:
    """Name what disagrees in each entry the column check found (read as stored, since a
    tampered column may not even be text)."""
    if not seqs:
        return
    table = connection.ops.quote_name(Entry._meta.db_table)
    wanted = sorted({*seqs, *(s - 1 for s in seqs)})
    with connection.cursor() as cursor:
        cursor.execute(
            # The time as text, as stored: no converter turns a tampered value into None.
            f"SELECT seq, kind, actor, subject, CAST(at AS TEXT), data FROM {table} "  # noqa: S608
            f"WHERE seq IN ({', '.join(['%s'] * len(wanted))}) ORDER BY seq",
            wanted,
        )
        rows = cursor.fetchall()
    times = {seq: _stored_time(at) for seq, _, _, _, at, _ in rows}
    for seq, kind, actor, subject, at, raw in rows:
        if seq not in seqs:
            continue
        data = bytes(raw) if isinstance(raw, bytes | memoryview) else b""
        problems = []
        for name, value in (("kind", kind), ("actor", actor), ("subject", subject), ("at", at)):
            text = times[seq] if name == "at" else value
            if not isinstance(text, str):
                what = "a time" if name == "at" else "text"
                problems.append(f"entry {seq}: column {name} holds {value!r}, not {what}")
            elif not any(f'"{name}":"{text}"{end}'.encode() in data for end in (",", "}")):
                problems.append(f"entry {seq}: column {name}={text!r} disagrees with its bytes")
        if f',"seq":{seq},"subject":'.encode() not in data:
            problems.append(f"entry {seq}: its bytes do not carry seq {seq}")
        before, now = times.get(seq - 1), times[seq]
        if before is not None and now is not None and now < before and seq > monotonic_from:
            problems.append(f"entry {seq}: its time is earlier than the entry before")
        for problem in problems or [f"entry {seq}: its columns disagree with its bytes"]:
            report.fail(problem, seq)


def _stored_time(value: object) -> str | None:
    """A stored `at` (as text) as entry bytes spell times; None if it is not a time."""
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)  # SQLite keeps UTC without an offset
    return format_at(moment) if moment is not None else None


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the ledger while the site keeps appending: entries, nodes,
    heads and the state row as of one moment (REPEATABLE READ on PostgreSQL, a deferred read
    transaction on SQLite, which in WAL mode holds no writer off). Inside a caller's
    transaction, that transaction's view."""
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
        return
    # Django begins SQLite transactions in the configured mode (IMMEDIATE, which would
    # take the write lock for the whole verify): this one only reads.
    mode = connection.transaction_mode  # type: ignore[attr-defined]
    connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            connection.transaction_mode = mode  # type: ignore[attr-defined]
            yield
    finally:
        connection.transaction_mode = mode  # type: ignore[attr-defined]


def verify_ledger(progress: Callable[[int, int], None] | None = None) -> Report:
    """Recompute everything, as of one moment (appends may go on meanwhile);
    `progress(done, total)` is called after each batch.

    The filter-column check is one SQL query; outside a transaction it runs on its own
    connection in a second thread while this one hashes (the database does that work with
    the GIL released; rows appended since the snapshot are whole, so that connection may
    see them), inside one it runs after the scan, since another connection would not see
    the transaction's rows.
    """
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]
    alongside = not (connection.in_atomic_block or in_memory)
    with _snapshot():
        return _verify(progress, alongside=alongside)


def _verify(progress: Callable[[int, int], None] | None, *, alongside: bool) -> Report:
    report = Report()
    total = Entry.objects.count()
    scan = _Scan()
    table = connection.ops.quote_name(Entry._meta.db_table)
    # On PostgreSQL a plain cursor holds the whole result in client memory (about 900 MB
    # at a million entries); a server-side one streams it, as it does on SQLite anyway.
    streaming = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    monotonic_from = monotonic_span().start
    with ThreadPoolExecutor(max_workers=1) as pool:
        columns = pool.submit(_in_own_thread, monotonic_from) if alongside else None
        with connection.chunked_cursor() if streaming else connection.cursor() as cursor:
            cursor.execute(f"SELECT seq, data, leaf_hash FROM {table} ORDER BY seq")  # noqa: S608
            while rows := cursor.fetchmany(BATCH):
                whole = _check_rows(rows, scan, report)
                scan.fold_chunks()
                if not whole:
                    break
                if progress:
                    progress(scan.size, total)
        bad_columns = columns.result() if columns else _column_problems(monotonic_from)
    _describe_columns(bad_columns, monotonic_from, report)
    report.entries = scan.size
    leaves, nodes_seen = scan.leaves, scan.nodes_seen
    _check_nodes(nodes_seen, report)
    _check_heads(leaves, nodes_seen, report)
    _check_genesis(report)
    state = State.objects.filter(pk=1).first()
    if state is not None and state.size != scan.size and report.ok:
        report.fail(f"the ledger says it holds {state.size} entries but {scan.size} were read")
    return report


def _check_nodes(nodes_seen: dict[tuple[int, int], bytes], report: Report) -> None:
    for level, index, digest in Node.objects.values_list("level", "index", "hash"):
        recomputed = nodes_seen.get((level, index))
        if recomputed is None:
            report.fail(f"stored subtree {level}/{index} covers entries that do not exist")
        elif recomputed != bytes(digest):
            first = index << level
            report.fail(
                f"stored subtree {level}/{index} (entries {first}..{first + (1 << level) - 1}) "
                "does not match the entries",
                first,
                exact=False,
            )


def _recomputed_subtrees(
    leaves: list[bytes], nodes_seen: dict[tuple[int, int], bytes]
) -> merkle.SubtreeHash:
    # Consecutive heads ask for many of the same small subtrees near the right edge.
    folded: dict[tuple[int, int], bytes] = {}

    def subtree(level: int, index: int) -> bytes:
        if level >= NODE_LEVEL:
            return nodes_seen[(level, index)]
        if level == 0:
            return leaves[index]
        key = (level, index)
        digest = folded.get(key)
        if digest is None:
            start = index << level
            digest = folded[key] = merkle.root(leaves[start : start + (1 << level)])
        return digest

    return subtree


def _history(report: Report) -> dict[str, Ed25519PublicKey]:
    """The key history, checked as a chain (each key signed by the one before it and by
    itself), anchored in the key this host signs with when it holds the key file: key id
    -> public key; empty (with a problem reported) when it does not hold together."""
    rows = keys.history()
    if not rows:
        return {}
    anchor = rows[-1].key_id
    if keys.key_path().exists():
        anchor = keys.key_id_of(keys.signing_key().public_key())
    records = keys.records(rows)
    heads = Head.objects.order_by("size").values_list("size", "timestamp_ms", "key_id")
    try:
        places = keyhistory.trusted(records, anchor, keys.check_signature)
        keyhistory.check_head_keys(list(heads), records, places)
    except keyhistory.KeyHistoryError as exc:
        report.fail(f"the key history: {exc}")
    return {k.key_id: keys.public_from_pem(k.public_pem) for k in rows}


def _check_heads(
    leaves: list[bytes], nodes_seen: dict[tuple[int, int], bytes], report: Report
) -> None:
    history = _history(report)
    subtree = _recomputed_subtrees(leaves, nodes_seen)
    previous: Head | None = None
    for head in Head.objects.order_by("size"):
        report.heads += 1
        root = bytes(head.root)
        if head.size > len(leaves):
            report.fail(
                f"head at size {head.size} covers entries that do not exist",
                len(leaves),
                exact=False,
            )
            continue
        if merkle.range_hash(0, head.size, subtree) != root:
            report.fail(
                f"head at size {head.size}: root does not match the entries",
                head.size - 1,
                exact=False,
            )
        tree_head = TreeHead(head.size, root, head.timestamp_ms)
        public = history.get(head.key_id)
        if public is None:
            report.fail(
                f"head at size {head.size} was signed by a key not in the ledger's key history "
                f"({head.key_id[:12]}…)"
            )
        else:
            try:
                public.verify(bytes(head.signature), signed_bytes(tree_head))
            except InvalidSignature:
                report.fail(
                    f"head at size {head.size}: signature does not verify with the key it names"
                )
        if previous is not None:
            proof = merkle.consistency_proof(previous.size, head.size, subtree)
            if not merkle.verify_consistency(
                previous.size, head.size, bytes(previous.root), root, proof
            ):
                report.fail(f"heads at sizes {previous.size} and {head.size} are not consistent")
        previous = head


def _check_genesis(report: Report) -> None:
    """An upgraded ledger's genesis names the old log's final signed head: the archived
    entries must hash to its root (blanked ones by their kept leaf hashes), and its
    signature must check when it was made with the current key."""
    data = Entry.objects.filter(seq=0, kind=GENESIS).values_list("data", flat=True).first()
    if data is None:
        return
    previous = json.loads(bytes(data))["payload"]["previous"]
    rows = ArchivedEntry.objects.filter(log=previous["log"]).order_by("seq")
    leaves: list[bytes] = []
    for seq, raw, leaf in rows.values_list("seq", "data", "leaf_hash").iterator(BATCH):
        if seq != len(leaves):
            report.fail(f"archived entry {len(leaves)} is missing")
            return
        if raw and merkle.leaf_hash(bytes(raw)) != bytes(leaf):
            report.fail(f"archived entry {seq}: its bytes do not match its leaf hash")
        leaves.append(bytes(leaf))
    size, root = int(previous["size"]), bytes.fromhex(previous["root"])
    if len(leaves) != size or merkle.root(leaves) != root:
        report.fail(f"the genesis commits to a log of {size} entries that the archive is not")
    known = {k.key_id: k.public_pem for k in keys.history()}
    if previous["key_id"] not in known:
        return  # signed by a key older than the history: checkable with that key only
    public = keys.public_from_pem(known[previous["key_id"]])
    head = TreeHead(size, root, int(previous["timestamp_ms"]))
    try:
        public.verify(base64.b64decode(previous["signature"]), signed_bytes(head))
    except InvalidSignature:
        report.fail("the genesis's head of the old log: signature does not verify")
