"""The acceptance flow every door must leave the same trace of: a steward creates a pool,
funds it, previews and commits a round, and a member takes their amount."""

from collections.abc import Iterable

# The ledger entry kinds the flow appends, in order (one or more statements per round).
FLOW_KINDS = [
    "pool.created",
    "pool.funded",
    "distribution.committed",
    "distribution.statement",
    "statement.choice",
]


def collapsed(kinds: Iterable[str]) -> list[str]:
    """The kinds in order, each run of one kind (a round's statements) written once."""
    out: list[str] = []
    for kind in kinds:
        if not out or out[-1] != kind:
            out.append(kind)
    return out
