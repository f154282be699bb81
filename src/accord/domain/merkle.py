"""RFC 6962 (Certificate Transparency) Merkle tree hashing, proofs and verification.

A tree of size n hashes the list of leaf hashes D[0:n]. A *complete aligned subtree*
``(level, index)`` covers leaves ``[index * 2**level, (index + 1) * 2**level)``; level 0 is a
leaf hash itself. Proof generation reads such subtrees through a ``SubtreeHash`` callable,
so a database that stores them (as ``Accumulator`` emits them) serves any proof from
O(log n) rows instead of loading every leaf. Verification follows RFC 9162 sections 2.1.3.2
and 2.1.4.2, which check the proofs RFC 6962 defines.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

SubtreeHash = Callable[[int, int], bytes]
"""``(level, index) -> hash`` of the complete aligned subtree over leaves
``[index * 2**level, (index + 1) * 2**level)``; level 0 must return the leaf hash."""

Subtree = tuple[int, int, bytes]
"""``(level, index, hash)`` of a complete aligned subtree."""

# Hash states already fed the 0x00 (leaf) or 0x01 (node) prefix. Copying one costs about
# half as much as constructing a new sha256 (OpenSSL 3 looks the algorithm up on every
# construction) and skips building the prefixed message. Never update them directly.
_LEAF_PREFIX_STATE = hashlib.sha256(b"\x00")
_NODE_PREFIX_STATE = hashlib.sha256(b"\x01")


def leaf_hash(entry: bytes) -> bytes:
    """Return SHA-256(0x00 || entry); the 0x00 prefix keeps leaves apart from nodes."""
    state = _LEAF_PREFIX_STATE.copy()
    state.update(entry)
    return state.digest()


def leaf_hashes(entries: Iterable[bytes]) -> list[bytes]:
    """`leaf_hash` of each entry, in order."""
    new_leaf = _LEAF_PREFIX_STATE.copy
    hashes = []
    for entry in entries:
        state = new_leaf()
        state.update(entry)
        hashes.append(state.digest())
    return hashes


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return SHA-256(0x01 || left || right), the hash of an interior node."""
    state = _NODE_PREFIX_STATE.copy()
    state.update(left)
    state.update(right)
    return state.digest()


def _pair_up(hashes: Iterable[bytes]) -> list[bytes]:
    # zip over one iterator pairs neighbours and drops an odd last element.
    new_node = _NODE_PREFIX_STATE.copy
    it = iter(hashes)
    paired = []
    for left, right in zip(it, it, strict=False):
        state = new_node()
        state.update(left)
        state.update(right)
        paired.append(state.digest())
    return paired


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return MTH(D[0:n]) for the leaf hashes D, and EMPTY_ROOT for no leaves.

    Built bottom-up: neighbours pair up level by level and a lone last node is carried up
    unchanged, which gives the same tree as RFC 6962's split at the largest power of two.
    """
    level = list(leaf_hashes)
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        carried = level[-1] if len(level) & 1 else None
        level = _pair_up(level)
        if carried is not None:
            level.append(carried)
    return level[0]


class Accumulator:
    """Streaming Merkle tree: the compact range of complete subtrees over D[0:size].

    Memory is one hash per set bit of ``size``. Each append returns the complete aligned
    subtrees it finished, at levels >= 1 only (the level-0 subtree is the appended leaf hash
    itself), so a store that keeps these plus the leaf hashes can answer every
    ``SubtreeHash`` request that proof generation makes.
    """

    __slots__ = ("_peaks", "_size")

    def __init__(self) -> None:
        self._peaks: list[bytes] = []
        self._size = 0

    @classmethod
    def resume(cls, size: int, subtree: SubtreeHash) -> "Accumulator":
        """Rebuild the accumulator for an existing tree of ``size`` leaves.

        Reads one complete subtree per set bit of ``size`` (the tree's peaks).
        """
        if size < 0:
            raise ValueError(f"a tree cannot have {size} leaves")
        acc = cls()
        acc._peaks = [subtree(level, index) for level, index in _decompose(0, size)]
        acc._size = size
        return acc

    @classmethod
    def from_peaks(cls, size: int, peaks: Sequence[bytes]) -> "Accumulator":
        """Rebuild the accumulator from its saved ``peaks`` (one per set bit of ``size``)."""
        if size < 0 or len(peaks) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} peaks")
        if not _well_formed(*peaks):
            raise ValueError("a peak is a 32-byte hash")
        acc = cls()
        acc._peaks = list(peaks)
        acc._size = size
        return acc

    @property
    def peaks(self) -> tuple[bytes, ...]:
        """The complete subtrees over D[0:size], largest (leftmost) first."""
        return tuple(self._peaks)

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> list[Subtree]:
        """Add one leaf hash; return the subtrees at levels >= 1 it completed, lowest first.

        The leaf at index i completes one subtree per trailing zero bit of i + 1.
        """
        if leaf_hash.__class__ is not bytes or len(leaf_hash) != HASH_SIZE:
            raise ValueError("a leaf hash is 32 bytes")
        size = self._size + 1
        self._size = size
        peaks = self._peaks
        if size & 1:
            peaks.append(leaf_hash)
            return []
        new_node = _NODE_PREFIX_STATE.copy
        pop = peaks.pop
        completed: list[Subtree] = []
        h = leaf_hash
        level = 0
        n = size
        while not n & 1:
            level += 1
            n >>= 1
            state = new_node()
            state.update(pop())
            state.update(h)
            h = state.digest()
            completed.append((level, n - 1, h))
        peaks.append(h)
        return completed

    def extend(self, leaf_hashes: Iterable[bytes]) -> list[Subtree]:
        """Add leaf hashes in order; return every subtree (level >= 1) they completed.

        The result equals concatenating ``append`` results, in completion order.
        """
        new_node = _NODE_PREFIX_STATE.copy
        peaks = self._peaks
        push = peaks.append
        pop = peaks.pop
        completed: list[Subtree] = []
        emit = completed.append
        size = self._size
        try:
            for leaf in leaf_hashes:
                if leaf.__class__ is not bytes or len(leaf) != HASH_SIZE:
                    raise ValueError("a leaf hash is 32 bytes")
                size += 1
                if size & 1:
                    push(leaf)
                    continue
                h = leaf
                level = 0
                n = size
                while not n & 1:
                    level += 1
                    n >>= 1
                    state = new_node()
                    state.update(pop())
                    state.update(h)
                    h = state.digest()
                    emit((level, n - 1, h))
                push(h)
        finally:
            # Keep size in step with the peaks even if the iterable raises midway.
            self._size = size
        return completed

    def extend_from_level(self, leaf_hashes: Sequence[bytes], level: int) -> list[Subtree]:
        """`extend`, returning only the completed subtrees at ``level`` and above.

        Whole aligned runs of ``2**level`` leaves are folded with `root` in one go and added
        as one subtree, which costs less than stepping leaf by leaf; for storing the upper
        levels of a tree (an append path, a bulk import).
        """
        if level < 1:
            raise ValueError("level must be at least 1")
        chunk = 1 << level
        if not all(leaf.__class__ is bytes and len(leaf) == HASH_SIZE for leaf in leaf_hashes):
            raise ValueError("a leaf hash is 32 bytes")
        lead = min(len(leaf_hashes), -self._size % chunk)
        completed = [s for s in self.extend(leaf_hashes[:lead]) if s[0] >= level]
        done = lead
        while done + chunk <= len(leaf_hashes):
            digest = root(leaf_hashes[done : done + chunk])
            completed.append((level, self._size >> level, digest))
            completed.extend(self._push(digest, level))
            done += chunk
        completed.extend(s for s in self.extend(leaf_hashes[done:]) if s[0] >= level)
        return completed

    def _push(self, digest: bytes, level: int) -> list[Subtree]:
        """Add a complete subtree at ``level`` (size must be a multiple of its width);
        return the subtrees above it that it completed."""
        peaks = self._peaks
        self._size += 1 << level
        n = self._size >> level
        completed: list[Subtree] = []
        while not n & 1:
            level += 1
            n >>= 1
            digest = node_hash(peaks.pop(), digest)
            completed.append((level, n - 1, digest))
        peaks.append(digest)
        return completed

    def root(self) -> bytes:
        """Return MTH(D[0:size]): the peaks folded right to left, EMPTY_ROOT when empty."""
        peaks = self._peaks
        if not peaks:
            return EMPTY_ROOT
        h = peaks[-1]
        for peak in reversed(peaks[:-1]):
            h = node_hash(peak, h)
        return h


def _decompose(start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) into complete aligned subtrees, largest (leftmost) first."""
    pieces = []
    pos = start
    length = end - start
    for level in range(length.bit_length() - 1, -1, -1):
        if length >> level & 1:
            pieces.append((level, pos >> level))
            pos += 1 << level
    return pieces


def range_hash(start: int, end: int, subtree: SubtreeHash) -> bytes:
    """Return MTH(D[start:end]) from complete aligned subtrees.

    The range must be one that occurs inside an RFC 6962 tree: ``start`` is 0 or a multiple
    of the smallest power of two >= ``end - start``. Such a range splits into one complete
    aligned subtree per set bit of its length, folded right to left; those are the only
    ``(level, index)`` pairs requested. An empty range hashes to EMPTY_ROOT.
    """
    length = end - start
    if start < 0 or length < 0:
        raise ValueError(f"invalid range [{start}, {end})")
    if length == 0:
        return EMPTY_ROOT
    if start & ((1 << (length - 1).bit_length()) - 1):
        raise ValueError(f"range [{start}, {end}) is not a subtree of an RFC 6962 tree")
    pieces = _decompose(start, end)
    level, index = pieces[-1]
    h = subtree(level, index)
    for level, index in reversed(pieces[:-1]):
        h = node_hash(subtree(level, index), h)
    return h


def inclusion_proof(index: int, size: int, subtree: SubtreeHash) -> list[bytes]:
    """Return RFC 6962 PATH(index, D[0:size]), the sibling hashes from the leaf upwards.

    Needs ``0 <= index < size``. Requests at most 2 * log2(size) complete subtrees, all
    inside [0, size): one per left sibling, and the pieces of the single right-edge sibling.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    path = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if index < lo + k:
            path.append(range_hash(lo + k, hi, subtree))
            hi = lo + k
        else:
            level = k.bit_length() - 1
            path.append(subtree(level, lo >> level))
            lo += k
    path.reverse()
    return path


def consistency_proof(old_size: int, new_size: int, subtree: SubtreeHash) -> list[bytes]:
    """Return RFC 6962 PROOF(old_size, D[0:new_size]) = SUBPROOF(old_size, D[0:new_size], true).

    Needs ``0 <= old_size <= new_size``. By this module's convention the proof is empty when
    ``old_size`` is 0 or equal to ``new_size``. Requests only complete subtrees inside
    [0, new_size), O(log new_size) of them.
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"cannot prove size {old_size} is a prefix of size {new_size}")
    if old_size in (0, new_size):
        return []
    proof = []
    lo, hi = 0, new_size
    whole_old_tree = True
    while old_size != hi:
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if old_size <= lo + k:
            proof.append(range_hash(lo + k, hi, subtree))
            hi = lo + k
        else:
            level = k.bit_length() - 1
            proof.append(subtree(level, lo >> level))
            lo += k
            whole_old_tree = False
    # SUBPROOF(m, D[m], false) = {MTH(D[m])}: the verifier cannot know this node otherwise.
    if not whole_old_tree:
        proof.append(range_hash(lo, hi, subtree))
    proof.reverse()
    return proof


def subtree_from_leaves(leaf_hashes: Sequence[bytes]) -> SubtreeHash:
    """Return a SubtreeHash over an in-memory list, for tests and small trees.

    Holds every complete aligned subtree (about 2n hashes); asking for one that is not
    complete inside [0, len(leaf_hashes)) raises LookupError.
    """
    levels = [list(leaf_hashes)]
    while len(levels[-1]) > 1:
        levels.append(_pair_up(levels[-1]))

    def subtree(level: int, index: int) -> bytes:
        if not (0 <= level < len(levels) and 0 <= index < len(levels[level])):
            raise LookupError(f"no complete subtree ({level}, {index})")
        return levels[level][index]

    return subtree


def inclusion_proof_from_leaves(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Return PATH(index, D) for the whole list D of leaf hashes."""
    return inclusion_proof(index, len(leaf_hashes), subtree_from_leaves(leaf_hashes))


def consistency_proof_from_leaves(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Return PROOF(old_size, D) for the whole list D of leaf hashes."""
    return consistency_proof(old_size, len(leaf_hashes), subtree_from_leaves(leaf_hashes))


def _well_formed(*hashes: bytes) -> bool:
    return all(len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Return whether ``proof`` shows ``leaf_hash`` at ``index`` in the tree with ``root``.

    RFC 9162 section 2.1.3.2. Never raises: an index outside [0, size), a proof of the wrong
    length or a hash that is not 32 bytes all give False.
    """
    if not 0 <= index < size or not _well_formed(leaf_hash, root, *proof):
        return False
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            # Skip levels where this node has no right sibling and is carried up as is.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Return whether ``proof`` shows the ``old_size`` tree is a prefix of the ``new_size`` one.

    RFC 9162 section 2.1.4.2 for ``0 < old_size < new_size``. Conventions at the edges:
    equal sizes need an empty proof and equal roots; ``old_size`` 0 needs an empty proof and
    ``old_root == EMPTY_ROOT`` (stricter than transparency-dev, which ignores that root).
    Never raises: negative sizes, ``old_size > new_size``, a proof of the wrong length or a
    hash that is not 32 bytes all give False.
    """
    if not 0 <= old_size <= new_size or not _well_formed(old_root, new_root, *proof):
        return False
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT and (new_size > 0 or new_root == EMPTY_ROOT)
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # The old tree is one complete subtree, so the proof omits its root.
        path.insert(0, old_root)
    if not path:
        return False
    roots = _fold_consistency(path, old_size - 1, new_size - 1)
    return roots == (old_root, new_root)


def _fold_consistency(path: list[bytes], fn: int, sn: int) -> tuple[bytes, bytes] | None:
    """RFC 9162 2.1.4.2 steps 3-7: the (old, new) roots the path implies, or None."""
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return (fr, sr) if sn == 0 else None
