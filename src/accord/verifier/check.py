"""The checks behind `python -m accord.verifier`: standard library and cryptography only."""

import base64
import itertools
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from accord.domain import merkle
from accord.domain.treehead import TreeHead, signed_bytes


class VerificationError(Exception):
    """Something in the file does not verify; the message names it."""


def load_key(path: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except ValueError as exc:
        raise VerificationError(f"{path} is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise VerificationError(f"{path} is not an Ed25519 public key")
    return key


def _check_head(head: dict[str, Any], key: Ed25519PublicKey) -> tuple[int, bytes]:
    try:
        size, root = int(head["size"]), bytes.fromhex(head["root"])
        signature = base64.b64decode(head["signature"])
        signed = signed_bytes(TreeHead(size, root, int(head["timestamp_ms"])))
    except (KeyError, ValueError, TypeError) as exc:
        raise VerificationError(f"malformed head: {exc}") from exc
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        raise VerificationError(f"head at size {size}: signature does not verify") from None
    return size, root


def _read_export(path: str, key: Ed25519PublicKey) -> tuple[list[bytes], list[tuple[int, bytes]]]:
    """Leaf hashes in seq order and the (size, root) of every head whose signature checks."""
    leaves: list[bytes] = []
    heads: list[tuple[int, bytes]] = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise VerificationError(f"line {number} is not JSON") from exc
            if item.get("type") == "entry":
                leaves.append(_entry_leaf(item, len(leaves)))
            elif item.get("type") == "head":
                heads.append(_check_head(item, key))
    return leaves, heads


def _entry_leaf(item: dict[str, Any], expected: int) -> bytes:
    seq = item.get("seq")
    if seq != expected:
        raise VerificationError(f"entry {expected} is missing (found {seq})")
    data = item["entry"].encode("utf-8")
    if json.loads(data).get("seq") != seq:
        raise VerificationError(f"entry {seq}: its bytes carry another seq")
    return merkle.leaf_hash(data)


def check_export(path: str, key: Ed25519PublicKey) -> str:
    leaves, heads = _read_export(path, key)
    if not heads:
        raise VerificationError("the export holds no signed head")
    heads.sort()
    if heads[-1][0] > len(leaves):
        raise VerificationError(f"head at size {heads[-1][0]} covers entries not in the export")
    nodes = _check_roots(leaves, heads)

    def subtree(level: int, index: int) -> bytes:
        return leaves[index] if level == 0 else nodes[(level, index)]

    for (old_size, old_root), (new_size, new_root) in itertools.pairwise(heads):
        proof = merkle.consistency_proof(old_size, new_size, subtree)
        if not merkle.verify_consistency(old_size, new_size, old_root, new_root, proof):
            raise VerificationError(f"heads {old_size} and {new_size} are not consistent")
    return f"{len(leaves)} entries and {len(heads)} signed heads verify"


def _check_roots(
    leaves: list[bytes], heads: list[tuple[int, bytes]]
) -> dict[tuple[int, int], bytes]:
    """Stream the leaves once, comparing the root at every head; keep every subtree."""
    acc = merkle.Accumulator()
    nodes: dict[tuple[int, int], bytes] = {}
    pending = iter(heads)
    head = next(pending, None)
    while head is not None and head[0] == 0:
        head = next(pending, None)
    for leaf in leaves:
        for level, index, digest in acc.append(leaf):
            nodes[(level, index)] = digest
        while head is not None and head[0] == acc.size:
            if acc.root() != head[1]:
                raise VerificationError(f"head at size {head[0]}: root does not match the entries")
            head = next(pending, None)
    return nodes


def check_receipt(path: str, key: Ed25519PublicKey) -> str:
    try:
        receipt = json.loads(Path(path).read_text(encoding="utf-8"))
        data = receipt["entry"].encode("utf-8")
        seq = int(receipt["seq"])
        proof = [bytes.fromhex(h) for h in receipt["proof"]]
    except (KeyError, ValueError, TypeError) as exc:
        raise VerificationError(f"malformed receipt: {exc}") from exc
    size, root = _check_head(receipt["head"], key)
    if json.loads(data).get("seq") != seq:
        raise VerificationError(f"the entry's bytes do not carry seq {seq}")
    if not merkle.verify_inclusion(merkle.leaf_hash(data), seq, size, proof, root):
        raise VerificationError(f"entry {seq} is not included in the head at size {size}")
    return f"entry {seq} is included in the signed head at size {size}"
