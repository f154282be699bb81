"""`accord verify`: recompute the whole ledger from the database and check every claim.

Checks, streaming in seq order: seqs run 0, 1, 2, ... with no gap or reordering; each
entry's bytes carry its own seq and agree with its filter columns; each stored leaf hash is
SHA-256(0x00 || bytes); each stored subtree node equals the recomputed one; each signed
head's root equals the recomputed root at its size, its signature checks with the current
key, and consecutive heads are joined by a valid consistency proof. The first failure is
reported with the seq it concerns.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from django.db import connection

from accord.domain import merkle
from accord.domain.treehead import TreeHead, signed_bytes
from accord.ledger import keys
from accord.ledger.models import NODE_LEVEL, Entry, Head, Node, State

BATCH = 20_000


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


def _column_marker(name: str, value: str) -> bytes:
    return f'"{name}":{json.dumps(value, ensure_ascii=False)}'.encode()


CHUNK = 1 << NODE_LEVEL
# Distinct column values whose markers are kept; a ledger names few kinds and, as actors and
# subjects, a bounded set of pseudonyms. Values beyond the limit are simply not cached.
CACHE_LIMIT = 1 << 17
# Length of the quoted "at" value in entry bytes: "YYYY-MM-DDTHH:MM:SS.ffffffZ".
_AT_LENGTH = 29


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
        # Column value -> the bytes around it in a canonical entry (see `_check_rows`).
        self.actor_prefix: dict[str, bytes] = {}
        self.kind_marker: dict[str, bytes] = {}
        self.subject_suffix: dict[str, bytes] = {}

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

    def marker(self, cache: dict[str, bytes], value: object, before: bytes, after: bytes) -> bytes:
        marker = before + json.dumps(value, ensure_ascii=False).encode() + after
        if value.__class__ is str and len(cache) < CACHE_LIMIT:
            cache[value] = marker
        return marker


def _check_rows(rows, scan: _Scan, report: Report) -> None:  # type: ignore[no-untyped-def]
    """Check a batch of rows in seq order and append their leaf hashes to the scan.

    A canonical entry is `{"actor":A,"at":T,"kind":K,"payload":..,"seq":N,"subject":S}` with
    T of fixed length, so two startswith and one endswith against cached markers prove
    every column and seq check at once (a substring search costs more than all three). A
    row that fails them goes through the separate checks, which name what disagrees
    exactly as before.
    """
    sha256 = merkle._sha256
    leaves = scan.leaves
    add = leaves.append
    marker = scan.marker
    prefixes, kinds, suffixes = scan.actor_prefix, scan.kind_marker, scan.subject_suffix
    prefix_of, kind_of, suffix_of = prefixes.get, kinds.get, suffixes.get
    expected = len(leaves)
    for seq, kind, actor, subject, raw, stored_leaf in rows:
        if seq != expected:
            report.fail(f"seq {expected} is missing (next stored entry is {seq})", expected)
            return
        data = raw if raw.__class__ is bytes else bytes(raw)
        prefix = prefix_of(actor) or marker(prefixes, actor, b'{"actor":', b',"at":')
        kind_marker = kind_of(kind) or marker(kinds, kind, b',"kind":', b',"payload":')
        suffix = suffix_of(subject) or marker(suffixes, subject, b',"subject":', b"}")
        if not (
            data.startswith(prefix)
            and data.startswith(kind_marker, len(prefix) + _AT_LENGTH)
            and data.endswith(b',"seq":%d' % seq + suffix)
        ):
            _check_columns(data, seq, kind, actor, subject, report=report)
        leaf = sha256(b"\x00" + data).digest()
        if leaf != stored_leaf and leaf != bytes(stored_leaf):
            report.fail(f"entry {seq}: its bytes do not match its leaf hash (altered)", seq)
        add(leaf)
        expected += 1


def _check_columns(
    data: bytes, seq: int, kind: str, actor: str, subject: str, *, report: Report
) -> None:
    if f',"seq":{seq},"subject":'.encode() not in data:
        report.fail(f"entry {seq}: its bytes do not carry seq {seq} (moved or altered)", seq)
    for name, value in (("kind", kind), ("actor", actor), ("subject", subject)):
        if _column_marker(name, value) not in data:
            report.fail(f"entry {seq}: column {name}={value!r} disagrees with its bytes", seq)


def verify_ledger(progress: Callable[[int, int], None] | None = None) -> Report:
    """Recompute everything; `progress(done, total)` is called after each batch."""
    report = Report()
    total = Entry.objects.count()
    scan = _Scan()
    table = connection.ops.quote_name(Entry._meta.db_table)
    # On PostgreSQL a plain cursor holds the whole result in client memory (about 900 MB
    # at a million entries); a server-side one streams it, as it does on SQLite anyway.
    streaming = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if streaming else connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, kind, actor, subject, data, leaf_hash FROM {table} ORDER BY seq"  # noqa: S608
        )
        while rows := cursor.fetchmany(BATCH):
            _check_rows(rows, scan, report)
            scan.fold_chunks()
            if report.first_bad_seq is not None and "missing" in report.problems[-1]:
                break
            if progress:
                progress(scan.size, total)
    report.entries = scan.size
    leaves, nodes_seen = scan.leaves, scan.nodes_seen
    _check_nodes(nodes_seen, report)
    _check_heads(leaves, nodes_seen, report)
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


def _check_heads(
    leaves: list[bytes], nodes_seen: dict[tuple[int, int], bytes], report: Report
) -> None:
    public = keys.public_key()
    key_id = keys.key_id_of(public)
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
        if head.key_id != key_id:
            report.fail(
                f"head at size {head.size} was signed by another key ({head.key_id[:12]}…)"
            )
        try:
            public.verify(bytes(head.signature), signed_bytes(tree_head))
        except InvalidSignature:
            report.fail(f"head at size {head.size}: signature does not verify with the ledger key")
        if previous is not None:
            proof = merkle.consistency_proof(previous.size, head.size, subtree)
            if not merkle.verify_consistency(
                previous.size, head.size, bytes(previous.root), root, proof
            ):
                report.fail(f"heads at sizes {previous.size} and {head.size} are not consistent")
        previous = head
