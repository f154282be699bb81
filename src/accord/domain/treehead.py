"""Tree heads: the (size, root, time) a log signs, encoded as RFC 6962 section 3.5 does.

The signed bytes are the TreeHeadSignature structure: version v1 (0), signature type
tree_hash (1), uint64 timestamp in milliseconds, uint64 tree size, the 32-byte root.
"""

import struct
from dataclasses import dataclass

_FORMAT = ">BBQQ32s"


@dataclass(frozen=True, slots=True)
class TreeHead:
    size: int
    root: bytes
    timestamp_ms: int


def signed_bytes(head: TreeHead) -> bytes:
    """The 50 bytes a log key signs for `head` (RFC 6962 TreeHeadSignature)."""
    if len(head.root) != 32:
        raise ValueError("a tree root is 32 bytes")
    if not (0 <= head.timestamp_ms < 1 << 64 and 0 <= head.size < 1 << 64):
        raise ValueError("a tree head's size and time are unsigned 64-bit numbers")
    return struct.pack(_FORMAT, 0, 1, head.timestamp_ms, head.size, head.root)
