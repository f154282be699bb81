"""A state machine over the Merkle log: append, sign heads, prove, verify, tamper."""

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from accord.domain import merkle

NODE_LEVEL = 2  # as the database stores from level 8, but small enough to exercise here


class Log(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[bytes] = []
        self.leaves: list[bytes] = []
        self.acc = merkle.Accumulator()
        self.stored: dict[tuple[int, int], bytes] = {}
        self.heads: list[tuple[int, bytes]] = []

    def subtree(self, level: int, index: int) -> bytes:
        if level >= NODE_LEVEL:
            return self.stored[(level, index)]
        start = index << level
        part = self.leaves[start : start + (1 << level)]
        return part[0] if level == 0 else merkle.root(part)

    @rule(data=st.lists(st.binary(max_size=40), min_size=1, max_size=9))
    def append(self, data: list[bytes]) -> None:
        for entry in data:
            leaf = merkle.leaf_hash(entry)
            self.entries.append(entry)
            self.leaves.append(leaf)
            for level, index, digest in self.acc.append(leaf):
                if level >= NODE_LEVEL:
                    self.stored[(level, index)] = digest

    @precondition(lambda self: self.acc.size > 0)
    @rule()
    def sign(self) -> None:
        if not self.heads or self.heads[-1][0] < self.acc.size:
            self.heads.append((self.acc.size, self.acc.root()))

    @precondition(lambda self: bool(self.heads))
    @rule(pick=st.integers(min_value=0))
    def prove_inclusion(self, pick: int) -> None:
        size, root = self.heads[-1]
        index = pick % size
        proof = merkle.inclusion_proof(index, size, self.subtree)
        assert merkle.verify_inclusion(self.leaves[index], index, size, proof, root)
        tampered = merkle.leaf_hash(self.entries[index] + b"!")
        assert not merkle.verify_inclusion(tampered, index, size, proof, root)

    @precondition(lambda self: len(self.heads) >= 2)
    @rule(pick=st.integers(min_value=0))
    def prove_consistency(self, pick: int) -> None:
        (old, old_root), (new, new_root) = self.heads[pick % (len(self.heads) - 1)], self.heads[-1]
        proof = merkle.consistency_proof(old, new, self.subtree)
        assert merkle.verify_consistency(old, new, old_root, new_root, proof)
        assert (
            not merkle.verify_consistency(old, new, new_root, old_root, proof)
            or old_root == new_root
        )

    @invariant()
    def root_matches_a_full_recomputation(self) -> None:
        assert self.acc.root() == merkle.root(self.leaves)


TestLog = Log.TestCase
TestLog.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
