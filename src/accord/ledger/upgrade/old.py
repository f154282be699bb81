"""The v1 log as the upgrade reads it: its entries from the archive, and the marks of its
old form.

Ledgers written before blinded subjects and commitments (commit afc6c65) name members by
handle in subjects and payloads and carry free text (reasons, funding sources).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from accord.ledger.models import ArchivedEntry

OLD_LOG = 1  # the number the archive gives the v1 log
ABOUT_MEMBER = frozenset(
    {
        "contribution.recorded",
        "contribution.verified",
        "contribution.rejected",
        "contribution.disputed",
        "consent.changed",
        "distribution.statement",
        "statement.choice",
        "payout.paid",
        "member.erased",
    }
)
# Kinds whose old form shows only in the payload (detection reads these entries).
PAYLOAD_CHECKED = (
    "group_role.changed",
    "pool.funded",
    "policy.published",
    "distribution.committed",
)
OFFICES = frozenset({"lead", "co_lead"})
BATCH = 2000


def old_payload(fields: dict[str, Any]) -> bool:
    """Whether an entry of a `PAYLOAD_CHECKED` kind is in the old form."""
    kind, p = fields["kind"], fields["payload"]
    if kind == "group_role.changed":
        return not ({p.get("role"), p.get("previous")} & OFFICES or "commitment" in p)
    if kind == "pool.funded":
        return "source" in p
    if kind == "policy.published":
        return "reason" in p or "document" not in p
    return kind == "distribution.committed" and "rows_sha256" not in p


@dataclass(frozen=True)
class Old:
    """An archived entry as its bytes say."""

    seq: int
    at: datetime
    kind: str
    actor: str
    subject: str
    payload: dict[str, Any]


def archived_entries(log: int) -> Iterator[Old]:
    """The archived entries of `log` in seq order, read a batch at a time."""
    start = 0
    while True:
        rows = list(
            ArchivedEntry.objects.filter(log=log, seq__gte=start)
            .order_by("seq")
            .values_list("seq", "data")[:BATCH]
        )
        for seq, data in rows:
            f = json.loads(bytes(data))
            at = datetime.strptime(f["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            yield Old(seq, at, f["kind"], f["actor"], f["subject"], f["payload"])
        if len(rows) < BATCH:
            return
        start = rows[-1][0] + 1
