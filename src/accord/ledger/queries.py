"""Reading the ledger: pages of entries, proofs, receipts, heads and the export."""

import base64
import bisect
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accord.ledger import keys
from accord.ledger.models import SYSTEM, ArchivedEntry, ArchivedHead, Entry, Head, Opening, State
from accord.ledger.store import DatabaseTree
from accord.web.inputs import BIGINT_MAX, storable

EXPORT_VERSION = 2
BUNDLE_VERSION = 1


def entries(
    *,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
    member: str = "",
    owner: int | None = None,
) -> QuerySet[Entry]:
    """Entries newest first, filtered by kind, date range (inclusive), an office holder's
    public handle (`member`) and, for "My receipts" only, the member they are about (`owner`,
    known to the server through the member's openings).

    A date bound compares the time itself (exact) and, for speed, the seq range where times
    never decrease; older entries below that range are filtered by time alone.
    """
    qs = Entry.objects.order_by("-seq")
    if not (storable(kind) and storable(member)):
        return qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    if since or (until and until < date.max):
        span = monotonic_span()
        if since:
            start = timezone.make_aware(datetime.combine(since, time.min))
            qs = qs.filter(Q(at__gte=start) & span.widen(Q(seq__gte=span.first_at(start))))
        if until and until < date.max:
            end = timezone.make_aware(datetime.combine(until + ONE_DAY, time.min))
            qs = qs.filter(Q(at__lt=end) & span.widen(Q(seq__lt=span.first_at(end))))
    if owner is not None:
        qs = qs.filter(seq__in=Opening.objects.filter(owner=owner).values("seq"))
    if member:
        # The second branch spells out the actor index's condition so that it is used.
        qs = qs.filter(
            Q(subject=member) | (Q(actor=member) & ~Q(actor=F("subject")) & ~Q(actor=SYSTEM))
        )
    return qs


ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class MonotonicSpan:
    """Seqs [start, size) over which entry times never decrease (see `State`)."""

    start: int
    size: int

    def first_at(self, moment: datetime) -> int:
        """The first seq in the span at or after `moment`: bisection, log2(size) key reads."""

        def at_of(seq: int) -> datetime:
            return Entry.objects.filter(seq=seq).values_list("at", flat=True).get()

        return bisect.bisect_left(range(self.size), moment, lo=self.start, key=at_of)

    def widen(self, in_span: Q) -> Q:
        """`in_span`, or any entry older than the span."""
        return in_span | Q(seq__lt=self.start) if self.start else in_span


def monotonic_span() -> MonotonicSpan:
    row = State.objects.filter(pk=1).values_list("monotonic_from", "size").first()
    return MonotonicSpan(*row) if row is not None else MonotonicSpan(0, 0)


def kinds() -> list[str]:
    """The kinds present, in order: a loose index scan (one index seek per kind), so it
    costs the same for a million entries as for a hundred."""
    table, kind = Entry._meta.db_table, Entry._meta.get_field("kind").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE k(kind) AS (SELECT MIN({kind}) FROM {table} "  # noqa: S608 - model names
            f"UNION ALL SELECT (SELECT MIN({kind}) FROM {table} WHERE {kind} > k.kind) "
            "FROM k WHERE k.kind IS NOT NULL) SELECT kind FROM k WHERE kind IS NOT NULL"
        )
        return [str(row[0]) for row in cursor.fetchall()]


def newest_entry_of(kind: str) -> int | None:
    """The seq of the newest entry of `kind`, read from the (kind, seq) index.

    Asked as "the last (kind, seq) at or below (kind, the largest seq)", an order only that
    index gives: asked as "kind = %s ORDER BY seq DESC", PostgreSQL walks the primary key
    backwards for a common kind, past every newer entry of other kinds."""
    table = connection.ops.quote_name(Entry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, seq FROM {table} WHERE (kind, seq) <= (%s, %s) "  # noqa: S608 - model name
            "ORDER BY kind DESC, seq DESC LIMIT 1",
            [kind, BIGINT_MAX],
        )
        row = cursor.fetchone()
    return int(row[1]) if row is not None and row[0] == kind else None


COUNT_CAP = 10_000  # a filtered listing counts its entries up to this many


def count_entries(qs: QuerySet[Entry], *, cap: int | None = None) -> int:
    """How many entries `qs` holds: the ledger's size when it is not filtered (no scan);
    else counted, at most `cap` + 1 when a cap is given (so "more than `cap`")."""
    if not qs.query.where:
        return int(State.objects.filter(pk=1).values_list("size", flat=True).first() or 0)
    return (qs.order_by()[: cap + 1] if cap is not None else qs).count()


def parsed(entry: Entry) -> dict[str, Any]:
    """An entry as its hashed bytes say, never as the filter columns say."""
    value: dict[str, Any] = json.loads(bytes(entry.data))
    return value


CARRIED_OUT = "decision.carried_out"  # see `accord.ledger.mandates`


def carried_out(decision_id: int) -> bool:
    """Whether a decision's gated action has been done (each decision allows it once)."""
    return Entry.objects.filter(kind=CARRIED_OUT, subject=f"decision:{decision_id}").exists()


def latest_head() -> Head | None:
    return Head.objects.order_by("-size").first()


def head_json(head: Head | ArchivedHead) -> dict[str, Any]:
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
            "keys": key_history_json(),
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


def key_history_json() -> list[dict[str, object]]:
    """The ledger's keys, oldest first, each signed by the one before it and by itself."""
    return [keys.key_json(k) for k in keys.history()]


def export_lines() -> Iterator[str]:
    """The JSON Lines export: a header with the current public key, the key history, every
    entry, every head (each naming the key that signed it)."""
    yield json.dumps(
        {
            "type": "ledger",
            "version": EXPORT_VERSION,
            "public_key": keys.public_pem().decode(),
            "key_id": keys.key_id(),
        }
    )
    for key in key_history_json():
        yield json.dumps({"type": "key", **key})
    for seq, data in (
        Entry.objects.order_by("seq").values_list("seq", "data").iterator(chunk_size=20_000)
    ):
        yield json.dumps(
            {"type": "entry", "seq": seq, "entry": bytes(data).decode("utf-8")}, ensure_ascii=False
        )
    for head in Head.objects.order_by("size"):
        yield json.dumps({"type": "head", **head_json(head)})


def opening_json(opening: Opening) -> dict[str, Any]:
    return {"salt": bytes(opening.salt).hex(), "value": json.loads(opening.value)}


def auditor_export_lines() -> Iterator[str]:
    """The public export followed by every opening: what an auditor needs to re-derive
    every statement. Openings of erased members are gone, so nothing ties to them."""
    yield from export_lines()
    for opening in Opening.objects.order_by("seq").iterator(chunk_size=20_000):
        yield json.dumps({"type": "opening", "seq": opening.seq, **opening_json(opening)})
    yield from archive_lines()


def archive_lines() -> Iterator[str]:
    """The log an upgrade replaced (see `ArchivedEntry`), for auditors only: each entry's
    bytes (null once its member is erased) and leaf hash, and its signed heads; the new
    log's genesis commits to the last of them."""
    rows = ArchivedEntry.objects.order_by("log", "seq").values_list(
        "log", "seq", "data", "leaf_hash"
    )
    for log, seq, data, leaf in rows.iterator(chunk_size=20_000):
        entry = bytes(data).decode("utf-8") or None
        yield json.dumps(
            {
                "type": "archived-entry",
                "log": log,
                "seq": seq,
                "entry": entry,
                "leaf_hash": bytes(leaf).hex(),
            },
            ensure_ascii=False,
        )
    for head in ArchivedHead.objects.order_by("log", "size"):
        yield json.dumps({"type": "archived-head", "log": head.log, **head_json(head)})


def receipt_bundle(owner: int) -> dict[str, Any] | None:
    """Everything member `owner` needs to check offline, against the newest signed head:
    each of their entries with its inclusion proof and opening; for each distribution that
    gave them a statement, its committed entry, its policy's entry and every public row."""
    head = latest_head()
    if head is None:
        return None
    openings = {
        o.seq: o for o in Opening.objects.filter(owner=owner, seq__lt=head.size).order_by("seq")
    }
    mine = {e.seq: e for e in Entry.objects.filter(seq__in=list(openings))}
    names = {
        parsed(e)["payload"]["distribution"]
        for e in mine.values()
        if e.kind == "distribution.statement"
    }
    committed = [
        e
        for e in Entry.objects.filter(kind="distribution.committed", seq__lt=head.size)
        if parsed(e)["payload"]["distribution"] in names
    ]
    versions = {parsed(e)["payload"]["policy"] for e in committed}
    policies = [
        e
        for e in Entry.objects.filter(kind="policy.published", seq__lt=head.size)
        if parsed(e)["payload"]["version"] in versions
    ]
    tree = DatabaseTree()

    def item(entry: Entry) -> dict[str, Any]:
        out = {
            "seq": entry.seq,
            "entry": bytes(entry.data).decode("utf-8"),
            "proof": [h.hex() for h in tree.inclusion_proof(entry.seq, head.size)],
        }
        if entry.seq in openings:
            out["opening"] = opening_json(openings[entry.seq])
        return out

    rows = {}
    for e in committed:
        payload = parsed(e)["payload"]
        statements = Entry.objects.filter(
            seq__gt=e.seq, seq__lte=e.seq + payload["statements"]
        ).order_by("seq")
        rows[payload["distribution"]] = [
            [s.subject, p["weight"], p["amount"]]
            for s, p in ((s, parsed(s)["payload"]) for s in statements)
        ]
    return {
        "type": "receipt-bundle",
        "version": BUNDLE_VERSION,
        "public_key": keys.public_pem().decode(),
        "keys": key_history_json(),
        "head": head_json(head),
        "entries": [item(e) for e in sorted([*mine.values(), *committed, *policies], key=_seq)],
        "rows": rows,
    }


def _seq(entry: Entry) -> int:
    return int(entry.seq)


@dataclass(frozen=True)
class EntryListing:
    context: dict[str, Any]
    bad: bool  # a date filter could not be read


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _bound(value: str | None) -> int | None:
    """A page bound from the query string; anything unusable means the newest page."""
    try:
        seq = int(value) if value else None
    except ValueError:
        return None
    return seq if seq is not None and 0 <= seq <= BIGINT_MAX else None


PAGE_SIZE = 50


@dataclass(frozen=True)
class SeqPage:
    """One page of entries, newest first, bounded by seq: a deep page costs what the first
    does (no OFFSET, no count of what lies before it)."""

    rows: list[Entry]
    newer: int | None  # `after` for the page before this one (newer entries), if any
    older: int | None  # `before` for the page after this one (older entries), if any


def seq_page(
    qs: QuerySet[Entry], *, before: int | None, after: int | None, size: int = PAGE_SIZE
) -> SeqPage:
    """The `size` entries of `qs` just below `before`, or just above `after`, or the newest."""
    # The page's seqs are picked first, from the filter's own index (kind then seq reads
    # a kind's entries in order); then the rows by key. Asked for whole rows at once,
    # PostgreSQL walks the key backwards and filters, which for a kind no entry of the
    # last thousands has reads them all.
    if after is not None:
        seqs = qs.filter(seq__gt=after).order_by("seq").values("seq")[:size]
    else:
        below = qs.filter(seq__lt=before) if before is not None else qs
        seqs = below.order_by("-seq").values("seq")[:size]
    rows = list(Entry.objects.filter(seq__in=seqs).order_by("-seq"))
    if not rows:
        return SeqPage([], None, None)
    newest, oldest = rows[0].seq, rows[-1].seq
    return SeqPage(
        rows,
        newer=newest
        if (before is not None or after is not None)  # else this is the newest page
        and _any(qs.filter(seq__gt=newest).order_by("seq"))
        else None,
        older=oldest if _any(qs.filter(seq__lt=oldest).order_by("-seq")) else None,
    )


def _any(qs: QuerySet[Entry]) -> bool:
    """Whether `qs` (ordered by seq) holds an entry, read as its first seq: an index-only
    read of the filter's index, where `exists()` lets PostgreSQL walk the key instead."""
    return bool(list(qs.values_list("seq", flat=True)[:1]))


def rows_key(rows: list[Entry], head: Head | None) -> str:
    """What a page of rows renders from, as one digest: each entry's leaf hash (which
    covers every byte of it) and the newest head's size (rows it covers link to a proof).
    The rendered rows are kept under it (the `rendered` cache): the same digest can only
    render the same HTML, so nothing kept there is ever stale."""
    digest = hashlib.sha256(str(head.size if head else 0).encode())
    for entry in rows:
        digest.update(bytes(entry.leaf_hash))
    return digest.hexdigest()


def entry_listing(params: Mapping[str, str], *, owner: int | None = None) -> EntryListing:
    """One page of entries filtered by `params` (kind, since, until; before or after for
    the page), as the public ledger and a member's receipts show it; `owner` narrows it to
    their own entries. A filtered count stops at COUNT_CAP ("more than")."""
    kind = params.get("kind", "")
    since, until = _date(params.get("since")), _date(params.get("until"))
    bad = any(params.get(k) and _date(params.get(k)) is None for k in ("since", "until"))
    listed = entries(kind=kind, since=since, until=until, owner=owner)
    page = seq_page(listed, before=_bound(params.get("before")), after=_bound(params.get("after")))
    count = count_entries(listed, cap=COUNT_CAP)
    more_than = bool(listed.query.where) and count > COUNT_CAP
    query = {k: v for k, v in params.items() if k not in ("page", "before", "after")}
    head = latest_head()
    return EntryListing(
        context={
            "page": page,
            "count": COUNT_CAP if more_than else count,
            "more_than": more_than,
            "rows": [(e, parsed(e)) for e in page.rows],
            "rows_key": rows_key(page.rows, head),
            "kinds": kinds(),
            "kind": kind,
            "since": since,
            "until": until,
            "bad_dates": bad,
            "query": urlencode(query),
            "head": head,
        },
        bad=bool(bad),
    )
