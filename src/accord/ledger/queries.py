"""Reading the ledger: pages of entries, proofs, receipts, heads and the export."""

import base64
import bisect
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accord.ledger import keys
from accord.ledger.models import SYSTEM, Entry, Head, State
from accord.ledger.store import DatabaseTree

EXPORT_VERSION = 1


def entries(
    *, kind: str = "", since: date | None = None, until: date | None = None, member: str = ""
) -> QuerySet[Entry]:
    """Entries newest first, filtered by kind, date range (inclusive) and pseudonym."""
    qs = Entry.objects.order_by("-seq")
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(_from(timezone.make_aware(datetime.combine(since, time.min))))
    if until and until < date.max:
        qs = qs.filter(_before(timezone.make_aware(datetime.combine(until + ONE_DAY, time.min))))
    if member:
        # The second branch spells out the actor index's condition so that it is used.
        qs = qs.filter(
            Q(subject=member) | (Q(actor=member) & ~Q(actor=F("subject")) & ~Q(actor=SYSTEM))
        )
    return qs


ONE_DAY = timedelta(days=1)


def _from(moment: datetime) -> Q:
    """Entries at or after `moment`: exactly by time, and quickly by the seq range where
    times never decrease (older entries below it are filtered by time alone)."""
    return Q(at__gte=moment) & _or_older(Q(seq__gte=first_seq_at(moment)))


def _before(moment: datetime) -> Q:
    """Entries before `moment` (see `_from`)."""
    return Q(at__lt=moment) & _or_older(Q(seq__lt=first_seq_at(moment)))


def _or_older(in_range: Q) -> Q:
    monotonic_from, _ = _monotonic_range()
    return in_range | Q(seq__lt=monotonic_from) if monotonic_from else in_range


def _monotonic_range() -> tuple[int, int]:
    """(monotonic_from, size): entry times never decrease over seqs in that range."""
    row = State.objects.filter(pk=1).values_list("monotonic_from", "size").first()
    return row if row is not None else (0, 0)


def first_seq_at(moment: datetime) -> int:
    """The first seq from which entries are at or after `moment` (current time zone if
    naive), searching where entry times never decrease: bisection, log2(size) reads by key.
    """
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    monotonic_from, size = _monotonic_range()

    def at_of(seq: int) -> datetime:
        return Entry.objects.filter(seq=seq).values_list("at", flat=True).get()

    return bisect.bisect_left(range(size), moment, lo=monotonic_from, key=at_of)


def kinds() -> list[str]:
    return list(Entry.objects.order_by("kind").values_list("kind", flat=True).distinct())


def parsed(entry: Entry) -> dict[str, Any]:
    """An entry as its hashed bytes say, never as the filter columns say."""
    value: dict[str, Any] = json.loads(bytes(entry.data))
    return value


def latest_head() -> Head | None:
    return Head.objects.order_by("-size").first()


def head_json(head: Head) -> dict[str, Any]:
    return {
        "size": head.size,
        "root": bytes(head.root).hex(),
        "timestamp_ms": head.timestamp_ms,
        "signed_at": datetime.fromtimestamp(head.timestamp_ms / 1000, tz=UTC).isoformat(),
        "signature": base64.b64encode(bytes(head.signature)).decode(),
        "key_id": head.key_id,
        "reason": head.reason,
    }


@dataclass(frozen=True)
class Receipt:
    """An entry plus its inclusion proof against a signed head: checkable offline."""

    entry: Entry
    head: Head
    proof: list[bytes]

    def as_json(self) -> dict[str, Any]:
        return {
            "type": "receipt",
            "version": EXPORT_VERSION,
            "seq": self.entry.seq,
            "entry": bytes(self.entry.data).decode("utf-8"),
            "leaf_hash": bytes(self.entry.leaf_hash).hex(),
            "head": head_json(self.head),
            "proof": [h.hex() for h in self.proof],
            "public_key": keys.public_pem().decode(),
        }


def receipt(seq: int, *, head: Head | None = None) -> Receipt | None:
    """The receipt for entry `seq` against `head` (default: the newest head covering it)."""
    entry = Entry.objects.filter(seq=seq).first()
    if entry is None:
        return None
    head = head or Head.objects.filter(size__gt=seq).order_by("-size").first()
    if head is None:
        return None
    proof = DatabaseTree().inclusion_proof(seq, head.size)
    return Receipt(entry=entry, head=head, proof=proof)


def consistency(old_size: int, new_size: int) -> list[bytes]:
    return DatabaseTree().consistency_proof(old_size, new_size)


def export_lines() -> Iterator[str]:
    """The JSON Lines export: a header with the public key, every entry, every head."""
    yield json.dumps(
        {
            "type": "ledger",
            "version": EXPORT_VERSION,
            "public_key": keys.public_pem().decode(),
            "key_id": keys.key_id(),
        }
    )
    for seq, data in (
        Entry.objects.order_by("seq").values_list("seq", "data").iterator(chunk_size=20_000)
    ):
        yield json.dumps(
            {"type": "entry", "seq": seq, "entry": bytes(data).decode("utf-8")}, ensure_ascii=False
        )
    for head in Head.objects.order_by("size"):
        yield json.dumps({"type": "head", **head_json(head)})
