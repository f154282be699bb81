"""Reading the tree from the database: subtree hashes, roots and proofs in O(log n) reads.

Levels >= NODE_LEVEL come from stored nodes; lower levels are folded from the stored leaf
hashes of at most two runs of 2**NODE_LEVEL entries (the proved leaf's and the right edge).
"""

from collections.abc import Callable, Iterable

from django.db import connection

from accord.domain import merkle
from accord.ledger.models import NODE_LEVEL, Entry, Node

CHUNK = 1 << NODE_LEVEL


class DatabaseTree:
    """A `merkle.SubtreeHash` over the database, caching what it reads."""

    def __init__(self) -> None:
        self._chunks: dict[int, list[bytes]] = {}
        self._nodes: dict[tuple[int, int], bytes] = {}

    def _chunk(self, number: int) -> list[bytes]:
        if number not in self._chunks:
            start = number * CHUNK
            self._chunks[number] = [
                bytes(h)
                for h in Entry.objects.filter(seq__gte=start, seq__lt=start + CHUNK)
                .order_by("seq")
                .values_list("leaf_hash", flat=True)
            ]
        return self._chunks[number]

    def prefetch(self, requests: Iterable[tuple[int, int]]) -> None:
        """Read every stored node and leaf chunk that `requests` need, in two queries."""
        requests = list(requests)
        wanted = sorted({(lv, ix) for lv, ix in requests if lv >= NODE_LEVEL} - self._nodes.keys())
        chunks = sorted(
            {(ix << lv) // CHUNK for lv, ix in requests if lv < NODE_LEVEL} - self._chunks.keys()
        )
        if not (wanted or chunks):
            return
        quote = connection.ops.quote_name
        # Plain SQL: building ORM querysets cost more than running them (a proof needs
        # about 2 * log2(size) nodes), and one OR of primary-key lookups is a single query.
        with connection.cursor() as cursor:
            if wanted:
                index = quote("index")
                where = " OR ".join([f"(level = %s AND {index} = %s)"] * len(wanted))
                cursor.execute(
                    f"SELECT level, {index}, hash FROM {quote(Node._meta.db_table)} "  # noqa: S608
                    f"WHERE {where}",
                    [value for key in wanted for value in key],
                )
                for level, ix, digest in cursor.fetchall():
                    self._nodes[(level, ix)] = bytes(digest)
            if chunks:
                where = " OR ".join(["(seq >= %s AND seq < %s)"] * len(chunks))
                cursor.execute(
                    f"SELECT seq, leaf_hash FROM {quote(Entry._meta.db_table)} "  # noqa: S608
                    f"WHERE {where} ORDER BY seq",
                    [bound for n in chunks for bound in (n * CHUNK, (n + 1) * CHUNK)],
                )
                for number in chunks:
                    self._chunks[number] = []
                for seq, digest in cursor.fetchall():
                    self._chunks[seq // CHUNK].append(bytes(digest))

    def __call__(self, level: int, index: int) -> bytes:
        if level >= NODE_LEVEL:
            key = (level, index)
            if key not in self._nodes:
                self.prefetch([key])
            try:
                return self._nodes[key]
            except KeyError:
                raise LookupError(f"the ledger has no stored subtree {level}/{index}") from None
        start = index << level
        leaves = self._chunk(start // CHUNK)
        offset = start % CHUNK
        part = leaves[offset : offset + (1 << level)]
        if len(part) != 1 << level:
            raise LookupError(f"the ledger has no complete subtree {level}/{index}")
        return part[0] if level == 0 else merkle.root(part)

    def _planned(self, plan: Callable[[merkle.SubtreeHash], object]) -> None:
        """Run `plan` once against a recorder to learn its reads, then fetch them in bulk."""
        requests: list[tuple[int, int]] = []

        def record(level: int, index: int) -> bytes:
            requests.append((level, index))
            return merkle.EMPTY_ROOT

        plan(record)
        self.prefetch(requests)

    def root(self, size: int) -> bytes:
        if size == 0:
            return merkle.EMPTY_ROOT
        self._planned(lambda sub: merkle.range_hash(0, size, sub))
        return merkle.range_hash(0, size, self)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        self._planned(lambda sub: merkle.inclusion_proof(index, size, sub))
        return merkle.inclusion_proof(index, size, self)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        self._planned(lambda sub: merkle.consistency_proof(old_size, new_size, sub))
        return merkle.consistency_proof(old_size, new_size, self)
