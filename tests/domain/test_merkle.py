import hashlib
import itertools
from collections.abc import Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.domain.merkle import (
    EMPTY_ROOT,
    Accumulator,
    consistency_proof,
    consistency_proof_from_leaves,
    inclusion_proof,
    inclusion_proof_from_leaves,
    leaf_hash,
    node_hash,
    range_hash,
    root,
    subtree_from_leaves,
    verify_consistency,
    verify_inclusion,
)

# Certificate Transparency reference data, copied from transparency-dev/merkle (the Go
# successor of google/certificate-transparency's merkle_tree_test): leaf inputs, node hashes
# and tree heads from testonly/constants.go; proofs from proof/verify_test.go.
LEAF_INPUTS = [
    bytes.fromhex(""),
    bytes.fromhex("00"),
    bytes.fromhex("10"),
    bytes.fromhex("2021"),
    bytes.fromhex("3031"),
    bytes.fromhex("40414243"),
    bytes.fromhex("5051525354555657"),
    bytes.fromhex("606162636465666768696a6b6c6d6e6f"),
]
LEAVES = [leaf_hash(entry) for entry in LEAF_INPUTS]

# testonly/constants.go NodeHashes(): every complete subtree, by level then index.
NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]

# testonly/constants.go RootHashes(), indexed by tree size.
ROOTS = [
    bytes.fromhex(h)
    for h in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]

# proof/verify_test.go inclusionProofs, with the 1-based leaf number turned into an index.
INCLUSION_VECTORS = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# proof/verify_test.go consistencyProofs.
CONSISTENCY_VECTORS = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

# proof/proof_test.go TestInclusion and TestConsistency: the stored nodes, as
# compact.NewNodeID(level, index), that each proof is built from.
INCLUSION_NODES = [
    (1, 0, []),
    (2, 0, [(0, 1)]),
    (2, 1, [(0, 0)]),
    (3, 1, [(0, 0), (0, 2)]),
    (7, 0, [(0, 1), (1, 1), (0, 6), (1, 2)]),
    (7, 1, [(0, 0), (1, 1), (0, 6), (1, 2)]),
    (7, 2, [(0, 3), (1, 0), (0, 6), (1, 2)]),
    (7, 3, [(0, 2), (1, 0), (0, 6), (1, 2)]),
    (7, 4, [(0, 5), (0, 6), (2, 0)]),
    (7, 5, [(0, 4), (0, 6), (2, 0)]),
    (7, 6, [(1, 2), (2, 0)]),
    (4, 2, [(0, 3), (1, 0)]),
    (5, 3, [(0, 2), (1, 0), (0, 4)]),
    (6, 3, [(0, 2), (1, 0), (1, 2)]),
    (6, 4, [(0, 5), (2, 0)]),
    (15, 10, [(0, 11), (1, 4), (0, 14), (1, 6), (3, 0)]),
    (31, 24, [(0, 25), (1, 13), (0, 30), (1, 14), (3, 2), (4, 0)]),
    (95, 81, [(0, 80), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)]),
]
CONSISTENCY_NODES = [
    (1, 2, [(0, 1)]),
    (1, 4, [(0, 1), (1, 1)]),
    (1, 6, [(0, 1), (1, 1), (1, 2)]),
    (2, 3, [(0, 2)]),
    (2, 8, [(1, 1), (2, 1)]),
    (3, 7, [(0, 2), (0, 3), (1, 0), (0, 6), (1, 2)]),
    (4, 7, [(0, 6), (1, 2)]),
    (5, 7, [(0, 4), (0, 5), (0, 6), (2, 0)]),
    (6, 7, [(1, 2), (0, 6), (2, 0)]),
    (7, 8, [(0, 6), (0, 7), (1, 2), (2, 0)]),
    (5, 5, []),
    (8, 8, []),
    (2, 4, [(1, 1)]),
    (3, 5, [(0, 2), (0, 3), (1, 0), (0, 4)]),
    (3, 6, [(0, 2), (0, 3), (1, 0), (1, 2)]),
    (4, 6, [(1, 2)]),
    (1, 7, [(0, 1), (1, 1), (0, 6), (1, 2)]),
    (10, 15, [(1, 4), (1, 5), (0, 14), (1, 6), (3, 0)]),
    (24, 31, [(3, 2), (0, 30), (1, 14), (2, 6), (4, 0)]),
    (81, 95, [(0, 80), (0, 81), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)]),
]

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")

FAST = settings(max_examples=25, deadline=None)


def _hashes(hexes: Sequence[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


def _leaves(size: int, seed: int = 0) -> list[bytes]:
    return [leaf_hash(seed.to_bytes(4, "big") + i.to_bytes(4, "big")) for i in range(size)]


def _mth(leaves: Sequence[bytes]) -> bytes:
    # RFC 6962 section 2.1 as written, as an oracle independent of the module's loops.
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


class _RecordingStore:
    """A SubtreeHash that remembers requests and refuses any not complete inside the tree."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.size = len(leaves)
        self.requests: list[tuple[int, int]] = []
        self._subtree = subtree_from_leaves(leaves)

    def __call__(self, level: int, index: int) -> bytes:
        assert level >= 0
        assert index >= 0
        assert (index + 1) << level <= self.size
        self.requests.append((level, index))
        return self._subtree(level, index)


def _flip(data: bytes, position: int, mask: int) -> bytes:
    flipped = bytearray(data)
    flipped[position % len(flipped)] ^= mask
    return bytes(flipped)


def test_leaf_and_node_hashes_use_rfc6962_domain_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    left, right = b"L" * 32, b"R" * 32
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert EMPTY_ROOT == hashlib.sha256(b"").digest() == ROOTS[0]


def test_root_matches_published_tree_heads() -> None:
    for size, expected in enumerate(ROOTS):
        assert root(LEAVES[:size]) == expected


def test_every_complete_subtree_matches_published_node_hashes() -> None:
    subtree = subtree_from_leaves(LEAVES)
    for level, row in enumerate(NODE_HASHES):
        for index, expected in enumerate(row):
            assert subtree(level, index).hex() == expected
            start, end = index << level, (index + 1) << level
            assert range_hash(start, end, subtree).hex() == expected


def test_accumulator_reproduces_published_roots_and_node_hashes() -> None:
    accumulator = Accumulator()
    emitted = {}
    for size, leaf in enumerate(LEAVES, start=1):
        for level, index, h in accumulator.append(leaf):
            emitted[level, index] = h.hex()
        assert accumulator.size == size
        assert accumulator.root() == ROOTS[size]
    published = {
        (level, index): h
        for level, row in enumerate(NODE_HASHES)
        for index, h in enumerate(row)
        if level >= 1
    }
    assert emitted == published


def test_inclusion_proofs_match_published_paths() -> None:
    for index, size, expected in INCLUSION_VECTORS:
        proof = inclusion_proof_from_leaves(index, LEAVES[:size])
        assert proof == _hashes(expected)
        assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size])


def test_consistency_proofs_match_published_proofs() -> None:
    for old_size, new_size, expected in CONSISTENCY_VECTORS:
        proof = consistency_proof_from_leaves(old_size, LEAVES[:new_size])
        assert proof == _hashes(expected)
        assert verify_consistency(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof)


def test_it_rejects_published_inclusion_proofs_that_were_tampered_with() -> None:
    # The probes of corruptInclusionProof in transparency-dev/merkle proof/verify_test.go.
    for index, size, expected in INCLUSION_VECTORS[1:]:
        proof, good_root, leaf = _hashes(expected), ROOTS[size], LEAVES[index]
        probes = [
            (index - 1, size, good_root, leaf, proof),
            (index + 1, size, good_root, leaf, proof),
            (index ^ 2, size, good_root, leaf, proof),
            (index, size * 2, good_root, leaf, proof),
            (index, size // 2, good_root, leaf, proof),
            (index, size, good_root, b"WrongLeaf", proof),
            (index, size, EMPTY_ROOT, leaf, proof),
            (index, size, SOME_HASH, leaf, proof),
            (index, size, good_root, leaf, [*proof, b""]),
            (index, size, good_root, leaf, [*proof, good_root]),
            (index, size, good_root, leaf, [b"", *proof]),
            (index, size, good_root, leaf, [good_root, *proof]),
            (index, size, good_root, leaf, proof[:-1]),
        ]
        if len(proof) > 1:
            probes.append((index, size, good_root, leaf, [proof[0], SOME_HASH, *proof[1:]]))
        for i in range(len(proof)):
            bad = [*proof[:i], _flip(proof[i], 0, 8), *proof[i + 1 :]]
            probes.append((index, size, good_root, leaf, bad))
        for p_index, p_size, p_root, p_leaf, p_proof in probes:
            assert not verify_inclusion(p_leaf, p_index, p_size, p_proof, p_root)


def test_it_rejects_published_consistency_proofs_that_were_tampered_with() -> None:
    # The probes of corruptConsistencyProof in transparency-dev/merkle proof/verify_test.go.
    for m, n, expected in CONSISTENCY_VECTORS[1:]:
        proof, r1, r2 = _hashes(expected), ROOTS[m], ROOTS[n]
        probes = [
            (m - 1, n, r1, r2, proof),
            (m + 1, n, r1, r2, proof),
            (m ^ 2, n, r1, r2, proof),
            (m, n * 2, r1, r2, proof),
            (m, n // 2, r1, r2, proof),
            (m, n, b"WrongRoot", r2, proof),
            (m, n, r1, b"WrongRoot", proof),
            (m, n, r2, r1, proof),
            (m, n, r1, r2, []),
            (m, n, r1, r2, [*proof, b""]),
            (m, n, r1, r2, [*proof, r1]),
            (m, n, r1, r2, [*proof, r2]),
            (m, n, r1, r2, [b"", *proof]),
            (m, n, r1, r2, [r1, *proof]),
            (m, n, r1, r2, [r2, *proof]),
            (m, n, r1, r2, [proof[0], *proof]),
            (m, n, r1, r2, proof[:-1]),
        ]
        for i in range(len(proof)):
            bad = [*proof[:i], _flip(proof[i], 0, 16), *proof[i + 1 :]]
            probes.append((m, n, r1, r2, bad))
        for p_m, p_n, p_r1, p_r2, p_proof in probes:
            assert not verify_consistency(p_m, p_n, p_r1, p_r2, p_proof)


def test_proofs_are_built_from_the_nodes_transparency_dev_reads() -> None:
    leaves = _leaves(95)
    for size, index, nodes in INCLUSION_NODES:
        store = _RecordingStore(leaves[:size])
        inclusion_proof(index, size, store)
        assert sorted(store.requests) == sorted(nodes)
    for old_size, new_size, nodes in CONSISTENCY_NODES:
        store = _RecordingStore(leaves[:new_size])
        consistency_proof(old_size, new_size, store)
        assert sorted(store.requests) == sorted(nodes)


def test_range_hash_matches_published_subtree_vectors() -> None:
    # draft-ietf-plants-merkle-tree-certs "Subtree Test Vectors", as reproduced by
    # transparency-dev/merkle testonly/vectors_test.go: every valid subtree [start, end) of
    # the tree over d[i] = bytes([i]), i < 130, folded into one rolling SHA-256.
    leaves = [leaf_hash(bytes([i])) for i in range(130)]
    subtree = subtree_from_leaves(leaves)
    hash_digest, proof_digest = hashlib.sha256(), hashlib.sha256()
    for end in range(1, 131):
        for start in range(end):
            if start and start % (1 << (end - start - 1).bit_length()):
                continue
            subtree_hash = range_hash(start, end, subtree).hex()
            hash_digest.update(f"[{start}, {end}) {subtree_hash}\n".encode())

            def shifted(level: int, index: int, start: int = start) -> bytes:
                return subtree(level, index + (start >> level))

            for index in range(start, end):
                proof = inclusion_proof(index - start, end - start, shifted)
                line = f"{index} [{start}, {end})" + "".join(" " + h.hex() for h in proof)
                proof_digest.update(f"{line}\n".encode())
    assert hash_digest.hexdigest() == (
        "94a95384a8c69acea9b50d035a58285b3a777cb7a724005faa5e1f1e1190007f"
    )
    assert proof_digest.hexdigest() == (
        "ac2a8f989e44d99e399db448050ff5f19757df53cfb716aa81015d3955d8163f"
    )


def test_range_hash_refuses_ranges_that_are_not_rfc6962_subtrees() -> None:
    subtree = subtree_from_leaves(LEAVES)
    for start, end in [(1, 3), (2, 5), (4, 3), (-1, 2)]:
        with pytest.raises(ValueError, match="range"):
            range_hash(start, end, subtree)
    assert range_hash(3, 3, subtree) == EMPTY_ROOT


def test_proof_generation_refuses_impossible_arguments() -> None:
    subtree = subtree_from_leaves(LEAVES)
    for index, size in [(0, 0), (8, 8), (-1, 8)]:
        with pytest.raises(ValueError, match="not in a tree"):
            inclusion_proof(index, size, subtree)
    for old_size, new_size in [(9, 8), (-1, 8)]:
        with pytest.raises(ValueError, match="cannot prove"):
            consistency_proof(old_size, new_size, subtree)
    assert consistency_proof(0, 8, subtree) == []
    assert consistency_proof(8, 8, subtree) == []


def test_verify_inclusion_returns_false_for_bad_input() -> None:
    single = leaf_hash(b"data")
    assert verify_inclusion(single, 0, 1, [], single)
    assert not verify_inclusion(b"", 0, 1, [], single)
    assert not verify_inclusion(single, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], b"")
    for index, size in [(0, 0), (1, 0), (2, 1), (1, 1), (-1, 1)]:
        assert not verify_inclusion(SOME_HASH, index, size, [], SOME_HASH)
        assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)


def test_verify_consistency_conventions_at_the_edges() -> None:
    r1, r2 = ROOTS[1], ROOTS[2]
    # Empty tree: consistent with anything, by an empty proof from EMPTY_ROOT only.
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 5, EMPTY_ROOT, r2, [])
    assert not verify_consistency(0, 0, r1, r1, [])
    assert not verify_consistency(0, 5, r1, r2, [])
    assert not verify_consistency(0, 5, EMPTY_ROOT, r2, [EMPTY_ROOT])
    # Equal sizes: empty proof and equal roots.
    assert verify_consistency(1, 1, r1, r1, [])
    assert not verify_consistency(1, 1, r1, r2, [])
    assert not verify_consistency(1, 1, r1, r1, [EMPTY_ROOT])
    # Time travel, negative sizes, missing proof, malformed hashes.
    assert not verify_consistency(1, 0, r1, r2, [])
    assert not verify_consistency(2, 1, r1, r2, [])
    assert not verify_consistency(-1, 1, r1, r2, [])
    assert not verify_consistency(1, 2, r1, r2, [])
    assert not verify_consistency(1, 1, b"short", b"short", [])


def test_accumulator_refuses_leaf_hashes_that_are_not_32_bytes() -> None:
    accumulator = Accumulator()
    accumulator.extend(LEAVES[:3])
    with pytest.raises(ValueError, match="32 bytes"):
        accumulator.extend([LEAVES[3], b"short"])
    with pytest.raises(ValueError, match="32 bytes"):
        accumulator.append(b"short")
    assert accumulator.size == 4
    assert accumulator.root() == ROOTS[4]
    with pytest.raises(ValueError, match="cannot have"):
        Accumulator.resume(-1, subtree_from_leaves(LEAVES))


@FAST
@example(size=256, seed=0)
@example(size=257, seed=0)
@given(size=st.integers(1, 300), seed=st.integers(0, 2**16))
def test_inclusion_proofs_verify_for_every_index(size: int, seed: int) -> None:
    leaves = _leaves(size, seed)
    tree_root = root(leaves)
    store = _RecordingStore(leaves)
    for index in range(size):
        store.requests.clear()
        proof = inclusion_proof(index, size, store)
        assert len(store.requests) <= 2 * size.bit_length()
        assert verify_inclusion(leaves[index], index, size, proof, tree_root)


@FAST
@example(size=256, seed=0)
@example(size=257, seed=0)
@given(size=st.integers(1, 300), seed=st.integers(0, 2**16))
def test_consistency_proofs_verify_for_every_prefix(size: int, seed: int) -> None:
    leaves = _leaves(size, seed)
    accumulator = Accumulator()
    roots = [EMPTY_ROOT]
    for leaf in leaves:
        accumulator.append(leaf)
        roots.append(accumulator.root())
    store = _RecordingStore(leaves)
    for old_size in range(1, size + 1):
        store.requests.clear()
        proof = consistency_proof(old_size, size, store)
        assert len(store.requests) <= 2 * size.bit_length()
        assert verify_consistency(old_size, size, roots[old_size], roots[size], proof)


@FAST
@given(size=st.integers(1, 70), seed=st.integers(0, 2**16), data=st.data())
def test_generated_proofs_equal_the_rfc_recursive_definitions(
    size: int, seed: int, data: st.DataObject
) -> None:
    leaves = _leaves(size, seed)

    def path(m: int, d: Sequence[bytes]) -> list[bytes]:
        if len(d) == 1:
            return []
        k = 1 << ((len(d) - 1).bit_length() - 1)
        if m < k:
            return [*path(m, d[:k]), _mth(d[k:])]
        return [*path(m - k, d[k:]), _mth(d[:k])]

    def subproof(m: int, d: Sequence[bytes], whole: bool) -> list[bytes]:
        if m == len(d):
            return [] if whole else [_mth(d)]
        k = 1 << ((len(d) - 1).bit_length() - 1)
        if m <= k:
            return [*subproof(m, d[:k], whole), _mth(d[k:])]
        return [*subproof(m - k, d[k:], False), _mth(d[:k])]

    index = data.draw(st.integers(0, size - 1))
    old_size = data.draw(st.integers(1, size))
    assert root(leaves) == _mth(leaves)
    assert inclusion_proof_from_leaves(index, leaves) == path(index, leaves)
    assert consistency_proof_from_leaves(old_size, leaves) == subproof(old_size, leaves, True)


@FAST
@given(
    size=st.integers(2, 300),
    data=st.data(),
    target=st.sampled_from(["proof", "leaf", "root"]),
    position=st.integers(0, 31),
    mask=st.integers(1, 255),
)
def test_flipping_any_byte_breaks_an_inclusion_proof(
    size: int, data: st.DataObject, target: str, position: int, mask: int
) -> None:
    leaves = _leaves(size)
    index = data.draw(st.integers(0, size - 1))
    proof = inclusion_proof_from_leaves(index, leaves)
    leaf, tree_root = leaves[index], root(leaves)
    if target == "proof":
        i = data.draw(st.integers(0, len(proof) - 1))
        proof[i] = _flip(proof[i], position, mask)
    elif target == "leaf":
        leaf = _flip(leaf, position, mask)
    else:
        tree_root = _flip(tree_root, position, mask)
    assert not verify_inclusion(leaf, index, size, proof, tree_root)


@FAST
@given(
    size=st.integers(2, 300),
    data=st.data(),
    target=st.sampled_from(["proof", "old_root", "new_root"]),
    position=st.integers(0, 31),
    mask=st.integers(1, 255),
)
def test_flipping_any_byte_breaks_a_consistency_proof(
    size: int, data: st.DataObject, target: str, position: int, mask: int
) -> None:
    leaves = _leaves(size)
    old_size = data.draw(st.integers(1, size - 1))
    proof = consistency_proof_from_leaves(old_size, leaves)
    old_root, new_root = root(leaves[:old_size]), root(leaves)
    if target == "proof":
        i = data.draw(st.integers(0, len(proof) - 1))
        proof[i] = _flip(proof[i], position, mask)
    elif target == "old_root":
        old_root = _flip(old_root, position, mask)
    else:
        new_root = _flip(new_root, position, mask)
    assert not verify_consistency(old_size, size, old_root, new_root, proof)


@FAST
@example(size=256, seed=0)
@example(size=257, seed=0)
@given(size=st.integers(0, 300), seed=st.integers(0, 2**16))
def test_accumulator_root_equals_root_at_every_size(size: int, seed: int) -> None:
    leaves = _leaves(size, seed)
    accumulator = Accumulator()
    assert accumulator.root() == EMPTY_ROOT
    for n, leaf in enumerate(leaves, start=1):
        accumulator.append(leaf)
        assert accumulator.size == n
        assert accumulator.root() == root(leaves[:n])


@FAST
@example(size=256, seed=0)
@example(size=257, seed=0)
@given(size=st.integers(0, 300), seed=st.integers(0, 2**16))
def test_accumulator_emits_each_complete_subtree_once_with_its_hash(size: int, seed: int) -> None:
    leaves = _leaves(size, seed)
    subtree = subtree_from_leaves(leaves)
    accumulator = Accumulator()
    emitted = []
    for leaf in leaves:
        completed = accumulator.append(leaf)
        assert all((index + 1) << level == accumulator.size for level, index, _ in completed)
        emitted.extend(completed)
    expected = {
        (level, index) for level in range(1, size.bit_length()) for index in range(size >> level)
    }
    assert len(emitted) == len(expected)
    assert {(level, index) for level, index, _ in emitted} == expected
    for level, index, h in emitted:
        assert h == range_hash(index << level, (index + 1) << level, subtree)
        assert h == root(leaves[index << level : (index + 1) << level])


@FAST
@given(
    size=st.integers(0, 300),
    cuts=st.lists(st.integers(0, 300), max_size=6),
    seed=st.integers(0, 2**16),
)
def test_extend_and_resume_continue_the_same_tree(size: int, cuts: list[int], seed: int) -> None:
    leaves = _leaves(size, seed)
    one_by_one = Accumulator()
    expected = [s for leaf in leaves for s in one_by_one.append(leaf)]
    store = subtree_from_leaves(leaves)
    batched = Accumulator()
    got = []
    bounds = sorted({0, size, *(c for c in cuts if c <= size)})
    for start, end in itertools.pairwise(bounds):
        resumed = Accumulator.resume(start, store)
        assert resumed.root() == batched.root()
        batch = batched.extend(leaves[start:end])
        assert resumed.extend(leaves[start:end]) == batch
        got.extend(batch)
    assert got == expected
    assert batched.size == size
    assert batched.root() == one_by_one.root() == root(leaves)


@FAST
@example(size=40, cuts=[3, 11], level=3, seed=0)
@given(
    size=st.integers(0, 300),
    cuts=st.lists(st.integers(0, 300), max_size=6),
    level=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_extend_from_level_keeps_exactly_the_upper_subtrees(
    size: int, cuts: list[int], level: int, seed: int
) -> None:
    """The chunked path gives the same tree and the same subtrees (at `level` and above) as
    stepping leaf by leaf, whatever the batch boundaries."""
    leaves = _leaves(size, seed)
    one_by_one = Accumulator()
    expected = [s for leaf in leaves for s in one_by_one.append(leaf) if s[0] >= level]
    chunked = Accumulator()
    got = []
    for start, end in itertools.pairwise(sorted({0, size, *(c for c in cuts if c <= size)})):
        got.extend(chunked.extend_from_level(leaves[start:end], level))
        assert chunked.size == end
        assert chunked.peaks == Accumulator.from_peaks(end, chunked.peaks).peaks
        assert chunked.root() == root(leaves[:end])
    assert got == expected
    assert chunked.peaks == one_by_one.peaks


def test_extend_from_level_refuses_what_is_not_a_leaf_hash() -> None:
    accumulator = Accumulator()
    with pytest.raises(ValueError, match="32 bytes"):
        accumulator.extend_from_level([*LEAVES[:3], b"short"], 2)
    with pytest.raises(ValueError, match="at least 1"):
        accumulator.extend_from_level(LEAVES, 0)
    assert accumulator.size == 0
