"""The checks behind `python -m accord.verifier`: standard library and cryptography only."""

import base64
import errno
import itertools
import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from accord.domain import keyhistory, merkle
from accord.domain.treehead import TreeHead, signed_bytes
from accord.verifier.rederive import Ledger, RederivationError, check_public, rederive_all


class VerificationError(Exception):
    """Something in the file does not verify; the message names it."""


@dataclass(frozen=True)
class Verified:
    """What a receipt proved, in one line, and the explanation of each statement it holds
    (statement seq -> `explain_statement`'s steps, the ones the statement page shows)."""

    message: str
    explanations: dict[int, dict[str, int | str]] = field(default_factory=dict)


# Bounds on what the verifier reads, so no file (a FIFO, a device, gigabytes without a
# newline) can hang it or exhaust memory. An export line holds one entry or head; a receipt
# bundle holds a member's entries and proofs.
KEY_MAX_BYTES = 64 * 1024
LINE_MAX_BYTES = 16 * 1024 * 1024
RECEIPT_MAX_BYTES = 512 * 1024 * 1024


def _regular(path: str, most: int | None = None) -> None:
    """OSError (naming the file) unless `path` is a regular file of at most `most` bytes."""
    info = Path(path).stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", path)
    if most is not None and info.st_size > most:
        raise VerificationError(f"{path} is larger than {most:,} bytes")


def _json(text: str | bytes) -> Any:
    """`json.loads`; ValueError also for a document nested past the parser's recursion."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def load_key(path: str) -> Ed25519PublicKey:
    _regular(path, KEY_MAX_BYTES)
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except ValueError as exc:
        raise VerificationError(f"{path} is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise VerificationError(f"{path} is not an Ed25519 public key")
    return key


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _verify(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


class Keyring:
    """The keys a reader may trust: the one they hold (`anchor`) and every key the ledger's
    key history links to it by signatures (see `accord.domain.keyhistory`)."""

    def __init__(self, anchor: Ed25519PublicKey, history: list[dict[str, Any]]) -> None:
        anchor_id = keyhistory.key_id(_raw(anchor))
        self.records: list[keyhistory.KeyRecord] = []
        try:
            for item in history:
                public = serialization.load_pem_public_key(item["public_key"].encode())
                if not isinstance(public, Ed25519PublicKey):
                    raise VerificationError("the key history holds a key that is not Ed25519")
                self.records.append(
                    keyhistory.KeyRecord(
                        key_id=str(item["key_id"]),
                        public_raw=_raw(public),
                        valid_from_ms=int(item["valid_from_ms"]),
                        previous=str(item.get("previous", "")),
                        endorsement=bytes.fromhex(item.get("endorsement", "")),
                        acceptance=bytes.fromhex(item.get("acceptance", "")),
                    )
                )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise VerificationError(f"malformed key history: {exc!r}") from exc
        if not self.records:  # an export from before key histories: the one key
            self.records = [keyhistory.KeyRecord(anchor_id, _raw(anchor), 0)]
        try:
            self.places = keyhistory.trusted(self.records, anchor_id, _verify)
        except keyhistory.KeyHistoryError as exc:
            raise VerificationError(str(exc)) from exc
        self.anchor_id = anchor_id

    def key(self, key_id: str) -> bytes | None:
        place = self.places.get(key_id)
        return None if place is None else self.records[place].public_raw

    def check_order(self, heads: list[tuple[int, int, str]]) -> None:
        try:
            keyhistory.check_head_keys(heads, self.records, self.places)
        except keyhistory.KeyHistoryError as exc:
            raise VerificationError(str(exc)) from exc


def _check_head(head: dict[str, Any], keyring: Keyring) -> tuple[int, bytes]:
    try:
        size, root = int(head["size"]), bytes.fromhex(head["root"])
        signature = base64.b64decode(head["signature"])
        signed = signed_bytes(TreeHead(size, root, int(head["timestamp_ms"])))
        key_id = str(head.get("key_id") or keyring.anchor_id)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise VerificationError(f"malformed head: {exc}") from exc
    public = keyring.key(key_id)
    if public is None:
        raise VerificationError(
            f"head at size {size} names a key ({key_id[:12]}…) the key history does not hold"
        )
    if not _verify(public, signature, signed):
        raise VerificationError(f"head at size {size}: signature does not verify") from None
    return size, root


class _Export:
    """An export as read: leaf hashes in seq order, the (size, root) of every head whose
    signature checks, the entries for the distribution checks, and any openings."""

    def __init__(self) -> None:
        self.leaves: list[bytes] = []
        self.keys: list[dict[str, Any]] = []
        self.head_items: list[dict[str, Any]] = []
        self.heads: list[tuple[int, bytes]] = []
        self.ledger = Ledger()
        self.openings: dict[int, dict[str, Any]] = {}


def _read_export(path: str, key: Ed25519PublicKey) -> _Export:
    export = _Export()
    _regular(path)
    with open(path, "rb") as fh:
        for number, line in enumerate(iter(lambda: fh.readline(LINE_MAX_BYTES + 1), b""), 1):
            if len(line) > LINE_MAX_BYTES:
                raise VerificationError(f"line {number} is longer than {LINE_MAX_BYTES:,} bytes")
            try:
                item = _json(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise VerificationError(f"line {number} is not UTF-8 text") from exc
            except ValueError as exc:
                raise VerificationError(f"line {number} is not JSON") from exc
            if not isinstance(item, dict):
                raise VerificationError(f"line {number} is not a JSON object")
            kind = item.get("type")
            if kind == "entry":
                data = _entry_bytes(item, len(export.leaves))
                export.leaves.append(merkle.leaf_hash(data))
                export.ledger.add(item["seq"], data)
            elif kind == "key":
                export.keys.append(item)
            elif kind == "head":
                export.head_items.append(item)
            elif kind == "opening":
                export.openings[_int(item.get("seq"), number)] = item
    keyring = Keyring(key, export.keys)
    export.heads = [_check_head(item, keyring) for item in export.head_items]
    keyring.check_order(
        sorted(
            (size, int(item["timestamp_ms"]), str(item.get("key_id") or keyring.anchor_id))
            for (size, _), item in zip(export.heads, export.head_items, strict=True)
        )
    )
    return export


def _int(value: object, line: int) -> int:
    if not isinstance(value, int):
        raise VerificationError(f"line {line}: seq is not an integer")
    return value


def _entry_bytes(item: dict[str, Any], expected: int) -> bytes:
    seq = item.get("seq")
    if seq != expected:
        raise VerificationError(f"entry {expected} is missing (found {seq})")
    if not isinstance(item.get("entry"), str):
        raise VerificationError(f"entry {seq} holds no entry text")
    data: bytes = item["entry"].encode("utf-8")
    try:
        fields = json.loads(data)
    except json.JSONDecodeError as exc:
        raise VerificationError(f"entry {seq}: its bytes are not JSON") from exc
    if not isinstance(fields, dict) or fields.get("seq") != seq:
        raise VerificationError(f"entry {seq}: its bytes carry another seq")
    return data


def check_export(path: str, key: Ed25519PublicKey, *, auditor: bool = False) -> str:
    """Integrity (leaves, heads, signatures, consistency) and every distribution's
    conservation; with `auditor`, also every opening and every statement re-derived."""
    export = _read_export(path, key)
    leaves, heads = export.leaves, export.heads
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
    message = f"{len(leaves)} entries and {len(heads)} signed heads verify"
    return message + _check_distributions(export, auditor=auditor)


def _check_distributions(export: _Export, *, auditor: bool) -> str:
    message = ""
    try:
        distributions = check_public(export.ledger)
        if distributions:
            message += f"; {distributions} distributions conserve their totals"
        if auditor:
            if not export.openings:
                raise VerificationError("this is not an auditor export: it holds no openings")
            outcome = rederive_all(export.ledger, export.openings, only_opened=False)
            message += (
                f"; {len(export.openings)} openings match and {outcome.rederived} statements "
                "re-derive"
            )
            if outcome.unopened:
                message += f" ({outcome.unopened} of erased members: conservation only)"
    except RederivationError as exc:
        raise VerificationError(str(exc)) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise VerificationError(f"a distribution entry is malformed: {exc!r}") from exc
    return message


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


def check_receipt(path: str, key: Ed25519PublicKey) -> Verified:
    """A single entry's receipt, or a member's receipt bundle (see `check_bundle`)."""
    _regular(path, RECEIPT_MAX_BYTES)
    try:
        receipt = _json(Path(path).read_text(encoding="utf-8"))
    except ValueError as exc:  # UnicodeDecodeError too
        raise VerificationError(f"{path} is not a JSON receipt") from exc
    if isinstance(receipt, dict) and receipt.get("type") == "receipt-bundle":
        return check_bundle(receipt, key)
    try:
        data = receipt["entry"].encode("utf-8")
        seq = int(receipt["seq"])
        proof = [bytes.fromhex(h) for h in receipt["proof"]]
        head, history = dict(receipt["head"]), list(receipt.get("keys") or [])
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise VerificationError(f"malformed receipt: {exc!r}") from exc
    size, root = _check_head(head, Keyring(key, history))
    _check_inclusion(seq, data, proof, size, root)
    return Verified(f"entry {seq} is included in the signed head at size {size}")


def _check_inclusion(seq: int, data: bytes, proof: list[bytes], size: int, root: bytes) -> None:
    try:
        fields = json.loads(data)
    except ValueError as exc:
        raise VerificationError(f"entry {seq}: its bytes are not JSON") from exc
    if not isinstance(fields, dict) or fields.get("seq") != seq:
        raise VerificationError(f"the entry's bytes do not carry seq {seq}")
    if not merkle.verify_inclusion(merkle.leaf_hash(data), seq, size, proof, root):
        raise VerificationError(f"entry {seq} is not included in the head at size {size}")


def check_bundle(bundle: dict[str, Any], key: Ed25519PublicKey) -> Verified:
    """A member's receipt bundle: each entry is in the signed log, each opening matches its
    commitment, and each of their statements re-derives from their own contributions, the
    published policy and the distribution's public rows (whose digest the log holds)."""
    size, root = _check_head(bundle.get("head", {}), Keyring(key, bundle.get("keys") or []))
    ledger = Ledger()
    openings: dict[int, dict[str, Any]] = {}
    try:
        for item in bundle["entries"]:
            seq, data = int(item["seq"]), item["entry"].encode("utf-8")
            _check_inclusion(seq, data, [bytes.fromhex(h) for h in item["proof"]], size, root)
            ledger.add(seq, data)
            if "opening" in item:
                openings[seq] = item["opening"]
        _add_rows(ledger, bundle["rows"])
        outcome = rederive_all(ledger, openings, only_opened=True)
    except RederivationError as exc:
        raise VerificationError(str(exc)) from exc
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise VerificationError(f"malformed receipt bundle: {exc!r}") from exc
    return Verified(
        f"{len(bundle['entries'])} entries are included in the signed head at size {size}; "
        f"{len(openings)} openings match; {outcome.rederived} statements re-derive",
        outcome.explanations,
    )


def _add_rows(ledger: Ledger, rows: dict[str, list[list[Any]]]) -> None:
    """Put each distribution's public rows where its statements sit in the log (right after
    its committed entry); the member's own statements, proven above, must agree."""
    for seq, entry in list(ledger.of_kind("distribution.committed")):
        name = entry["payload"]["distribution"]
        for offset, (subject, weight, amount) in enumerate(rows.get(name, []), start=1):
            row = {"subject": subject, "payload": {"weight": weight, "amount": amount}}
            own = ledger.entries.get(seq + offset)
            if own is not None:
                if (own["subject"], own["payload"]["weight"], own["payload"]["amount"]) != (
                    subject,
                    weight,
                    amount,
                ):
                    raise VerificationError(f"entry {seq + offset} differs from its public row")
                continue
            row["payload"]["distribution"] = name
            ledger.entries[seq + offset] = {"kind": "distribution.statement", **row}
