"""Upgrading a v1 ledger: a log that named members in the clear becomes one that does not.

Ledgers written before blinded subjects and commitments (commit afc6c65) name members by
handle in subjects and payloads and carry free text (reasons, funding sources). `upgrade_v1`
moves that log into the private archive (`ArchivedEntry`, `ArchivedHead`: only the auditor
export carries it), starts a new log whose first entry, `ledger.genesis`, commits to the old
log's final signed head, and re-records every old entry, in order and with its time, the
way the services write it now (`rules` says how, kind by kind). Old entry n becomes new
entry n + 1.

Migration 0006 calls it with the migration's app registry, through which it reads
members, contributions, policies and distributions (the ledger sits below those apps and
imports none of them). On an empty ledger, a ledger already in the current form or one
already upgraded it does nothing, so running it again changes nothing.
"""

import base64
import importlib
import json
from typing import Any

from django.apps.registry import Apps
from django.db import connection, transaction
from django.db.models import Q

from accord.domain.commitments import BLIND_PREFIX
from accord.ledger import services
from accord.ledger.models import (
    SYSTEM,
    ArchivedEntry,
    ArchivedHead,
    Entry,
    Head,
    HeadReason,
    Node,
    Opening,
    State,
)
from accord.ledger.services import Record
from accord.ledger.upgrade.old import (
    ABOUT_MEMBER,
    BATCH,
    OLD_LOG,
    PAYLOAD_CHECKED,
    archived_entries,
    old_payload,
)
from accord.ledger.upgrade.rules import Converter, UpgradeError

__all__ = ["ABOUT_MEMBER", "GENESIS", "UpgradeError", "needs_upgrade", "upgrade_v1"]

GENESIS = "ledger.genesis"


def needs_upgrade() -> bool:
    """Whether the ledger is a v1 log: it has entries, does not start with a genesis, and
    at least one entry is in the old form (an entry about a member whose subject is not
    blinded, a subject `member:<id>` or `contribution:<id>`, a plain-role change naming the
    member, a clear funding source or policy reason, or a distribution without its rows
    digest). An empty ledger, or one written only in the current form, is left alone."""
    first = Entry.objects.order_by("seq").values_list("kind", flat=True).first()
    if first is None or first == GENESIS:
        return False
    unblinded = Q(kind__in=ABOUT_MEMBER) & ~Q(subject__startswith=BLIND_PREFIX)
    named = Q(subject__startswith="member:") | Q(subject__startswith="contribution:")
    if Entry.objects.filter(unblinded | named).exists():
        return True
    checked = Entry.objects.filter(kind__in=PAYLOAD_CHECKED).values_list("data", flat=True)
    return any(old_payload(json.loads(bytes(data))) for data in checked.iterator(BATCH))


def upgrade_v1(apps: Apps) -> Head | None:
    """Turn a v1 ledger into the current form in one transaction (see `rules`);
    return the new log's signed head, or None when there was nothing to upgrade."""
    with transaction.atomic():
        if not needs_upgrade():
            return None
        head = services.sign_head(HeadReason.ON_DEMAND)  # the old log's final head
        if head is None:
            return None
        first = Entry.objects.order_by("seq").values_list("at", flat=True).first()
        openings = {o.seq: o for o in Opening.objects.all()}
        _append_only("drop")
        _archive_and_reset()
        _append_only("create")
        services.append_many([Record(GENESIS, SYSTEM, "ledger", genesis_payload(head))], at=first)
        converter = Converter(apps, openings)
        converter.rerecord(archived_entries(OLD_LOG))
        converter.save_owners()
        return services.sign_head(HeadReason.ON_DEMAND)


def genesis_payload(head: Head) -> dict[str, Any]:
    """What the genesis publishes: the old log's final signed head, no member data."""
    return {
        "previous": {
            "log": OLD_LOG,
            "size": head.size,
            "root": bytes(head.root).hex(),
            "timestamp_ms": head.timestamp_ms,
            "signature": base64.b64encode(bytes(head.signature)).decode(),
            "key_id": head.key_id,
        }
    }


def _append_only(action: str) -> None:
    migration = importlib.import_module("accord.ledger.migrations.0002_append_only")
    create, drop = migration.trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in create if action == "create" else drop:
            cursor.execute(statement)


def _archive_and_reset() -> None:
    """Copy the old entries and heads to the archive, empty the public tables (stored
    subtrees are recomputable from the archived leaf hashes) and restart the tree."""
    quote = connection.ops.quote_name
    entry, head, node = (quote(m._meta.db_table) for m in (Entry, Head, Node))
    columns = "seq, at, kind, actor, subject, data, leaf_hash"
    heads = "size, root, timestamp_ms, signature, key_id, reason"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ArchivedEntry._meta.db_table)} (log, {columns}) "  # noqa: S608
            f"SELECT %s, {columns} FROM {entry} ORDER BY seq",
            [OLD_LOG],
        )
        cursor.execute(
            f"INSERT INTO {quote(ArchivedHead._meta.db_table)} (log, {heads}) "  # noqa: S608
            f"SELECT %s, {heads} FROM {head} ORDER BY size",
            [OLD_LOG],
        )
        for table in (node, head, entry):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    Opening.objects.all().delete()  # they follow their entries to the new seqs
    State.objects.update_or_create(
        pk=1, defaults={"size": 0, "peaks": b"", "at_us": 0, "monotonic_from": 0}
    )
