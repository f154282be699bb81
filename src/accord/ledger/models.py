"""The append-only ledger: entries, stored subtree hashes, signed tree heads.

Entries are never updated or deleted: database triggers refuse it on SQLite and on
PostgreSQL, and corrections are new entries that reverse old ones.
"""

from django.db import models
from django.db.models import F, Q

# The actor of entries no member caused (imports, scheduled expiry, distributions).
SYSTEM = "system"

# Complete subtrees at this level and above are stored (one row per 2**NODE_LEVEL leaves
# and fewer above), so a proof reads at most two runs of leaf hashes plus O(log n) nodes.
NODE_LEVEL = 8


class SequenceField(models.BigIntegerField):  # type: ignore[type-arg]
    """A 64-bit integer key that SQLite stores as the table's own rowid ("integer primary
    key"), so the table is kept in seq order with no separate index to read or update."""

    def db_type(self, connection):  # type: ignore[no-untyped-def]
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class Entry(models.Model):
    """One ledger entry. `data` holds the canonical JSON bytes exactly as hashed; the other
    columns repeat parts of it for filtering, and `accord verify` checks they agree.

    Entry times never decrease along seq, so a date range is a seq range (found by bisection)
    and `at` needs no index. Each index is one more page every append writes and syncs, so
    there are only three: kind, subject, and actor where it adds something to subject (not
    the member acting on themselves, not the system).
    """

    seq = SequenceField(primary_key=True)
    at = models.DateTimeField()
    kind = models.CharField(max_length=64)
    actor = models.CharField(max_length=40)
    subject = models.CharField(max_length=120, db_index=True)
    data = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "entries"
        indexes = [
            # Kind then seq: a kind's entries newest first, and its newest entry, are read
            # straight from the index (PostgreSQL would otherwise sort every one of them).
            models.Index(fields=["kind", "seq"], name="ledger_entry_kind_seq"),
            models.Index(
                fields=["actor"],
                name="ledger_entry_other_actor",
                condition=~Q(actor=F("subject")) & ~Q(actor=SYSTEM),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class Node(models.Model):
    """The hash of the complete aligned subtree (level, index), for level >= NODE_LEVEL."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.SmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"node {self.level}/{self.index}"


class State(models.Model):
    """The single row every append locks: the tree's size and its peaks (the compact range),
    so appending never rereads the tree."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    peaks = models.BinaryField(default=b"")
    # The newest entry's time in microseconds since the epoch: the next is never earlier.
    at_us = models.BigIntegerField(default=0)
    # Entry times never decrease from this seq on. Ledgers written before that rule (by
    # concurrent writers that read the clock before the lock) may step back below it.
    monotonic_from = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"ledger of {self.size} entries"


class HeadReason(models.TextChoices):
    EVERY_N = "every_n", "Regular checkpoint"
    DISTRIBUTION = "distribution", "After a distribution"
    DECISION = "decision", "After a closed decision"
    ON_DEMAND = "on_demand", "On demand"


class Head(models.Model):
    """A signed tree head: the log's public commitment to its first `size` entries."""

    size = models.BigIntegerField(unique=True)
    root = models.BinaryField(max_length=32)
    timestamp_ms = models.BigIntegerField()
    signature = models.BinaryField(max_length=64)
    key_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=16, choices=HeadReason)

    class Meta:
        ordering = ["size"]

    def __str__(self) -> str:
        return f"head at {self.size}"


class LedgerKey(models.Model):
    """One key of the ledger's key history (see `accord.domain.keyhistory`): the first is
    recorded when it signs its first head; each later one by `accord ledger rotate-key`,
    signed by the key before it and by itself. The newest is the only one that may sign."""

    key_id = models.CharField(max_length=64, unique=True)
    public_pem = models.TextField()
    valid_from_ms = models.BigIntegerField()
    previous = models.CharField(max_length=64, blank=True)
    endorsement = models.BinaryField(max_length=64, default=b"")
    acceptance = models.BinaryField(max_length=64, default=b"")

    class Meta:
        ordering = ["valid_from_ms", "id"]

    def __str__(self) -> str:
        return f"ledger key {self.key_id[:12]}…"


class Opening(models.Model):
    """The private half of an entry about a member: the salt and value its commitment hides.

    Only that member's receipt bundle and the auditor export carry it. Erasing the member
    deletes it, after which their entries still verify and point at no one. `owner` is the
    member's id as a plain integer (the ledger sits below the app that defines members).
    """

    seq = models.BigIntegerField(primary_key=True)
    owner = models.BigIntegerField(db_index=True)
    salt = models.BinaryField(max_length=16)
    value = models.TextField(help_text="The committed value as canonical JSON.")

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"opening of #{self.seq}"


class Note(models.Model):
    """Free text (a reason, a funding source) that entries name only by salted hash.

    Unlike entries, notes can be erased: `owner` is the member a note is by or about.
    """

    digest = models.CharField(max_length=64, unique=True)
    salt = models.BinaryField(max_length=16)
    text = models.TextField()
    owner = models.BigIntegerField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"note {self.digest[:12]}"


class ArchivedEntry(models.Model):
    """An entry of a log this ledger replaced, kept privately for auditors.

    Migration 0006 turns a ledger written before entries about members were blinded (log 1,
    "v1") into the current form: its entries move here, and the new log's first entry
    (`ledger.genesis`) commits to their final signed head. They named members in the clear,
    so they are never shown publicly; the auditor export carries them. `owner` is the member
    an entry was about: erasing that member blanks the entry's bytes and names, keeping its
    leaf hash so that the old root can still be recomputed.
    """

    log = models.PositiveSmallIntegerField(default=1)
    seq = models.BigIntegerField()
    at = models.DateTimeField()
    kind = models.CharField(max_length=64)
    actor = models.CharField(max_length=40)
    subject = models.CharField(max_length=120)
    data = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)
    owner = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["log", "seq"]
        verbose_name_plural = "archived entries"
        constraints = [
            models.UniqueConstraint(fields=["log", "seq"], name="ledger_archived_entry_seq")
        ]

    def __str__(self) -> str:
        return f"log {self.log} #{self.seq} {self.kind}"


class ArchivedHead(models.Model):
    """A signed tree head of a replaced log (see `ArchivedEntry`)."""

    log = models.PositiveSmallIntegerField(default=1)
    size = models.BigIntegerField()
    root = models.BinaryField(max_length=32)
    timestamp_ms = models.BigIntegerField()
    signature = models.BinaryField(max_length=64)
    key_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=16)

    class Meta:
        ordering = ["log", "size"]
        constraints = [
            models.UniqueConstraint(fields=["log", "size"], name="ledger_archived_head_size")
        ]

    def __str__(self) -> str:
        return f"log {self.log} head at {self.size}"
