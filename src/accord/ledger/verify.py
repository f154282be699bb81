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


def _check_rows(rows, acc, leaves, nodes_seen, report) -> None:  # type: ignore[no-untyped-def]
    sha256 = merkle._sha256
    for seq, kind, actor, subject, raw, stored_leaf in rows:
        expected = acc.size
        data = bytes(raw)
        if seq != expected:
            report.fail(f"seq {expected} is missing (next stored entry is {seq})", expected)
            return
        if f',"seq":{seq},"subject":'.encode() not in data:
            report.fail(f"entry {seq}: its bytes do not carry seq {seq} (moved or altered)", seq)
        for name, value in (("kind", kind), ("actor", actor), ("subject", subject)):
            if _column_marker(name, value) not in data:
                report.fail(f"entry {seq}: column {name}={value!r} disagrees with its bytes", seq)
        leaf = sha256(b"\x00" + data).digest()
        if leaf != bytes(stored_leaf):
            report.fail(f"entry {seq}: its bytes do not match its leaf hash (altered)", seq)
        leaves.append(leaf)
        for level, index, digest in acc.append(leaf):
            if level >= NODE_LEVEL:
                nodes_seen[(level, index)] = digest


def verify_ledger(progress: Callable[[int, int], None] | None = None) -> Report:
    """Recompute everything; `progress(done, total)` is called after each batch."""
    report = Report()
    total = Entry.objects.count()
    acc = merkle.Accumulator()
    leaves: list[bytes] = []
    nodes_seen: dict[tuple[int, int], bytes] = {}
    table = connection.ops.quote_name(Entry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, kind, actor, subject, data, leaf_hash FROM {table} ORDER BY seq"  # noqa: S608
        )
        while rows := cursor.fetchmany(BATCH):
            _check_rows(rows, acc, leaves, nodes_seen, report)
            if report.first_bad_seq is not None and "missing" in report.problems[-1]:
                break
            if progress:
                progress(acc.size, total)
    report.entries = acc.size
    _check_nodes(nodes_seen, report)
    _check_heads(leaves, nodes_seen, report)
    state = State.objects.filter(pk=1).first()
    if state is not None and state.size != acc.size and report.ok:
        report.fail(f"the ledger says it holds {state.size} entries but {acc.size} were read")
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


def _check_heads(
    leaves: list[bytes], nodes_seen: dict[tuple[int, int], bytes], report: Report
) -> None:
    public = keys.public_key()
    key_id = keys.key_id_of(public)

    def subtree(level: int, index: int) -> bytes:
        if level >= NODE_LEVEL:
            return nodes_seen[(level, index)]
        start = index << level
        part = leaves[start : start + (1 << level)]
        return part[0] if level == 0 else merkle.root(part)

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
