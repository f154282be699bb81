"""What a database holds, in figures a restore can be checked against.

The figures are read with plain SQL through any DB-API cursor (Django's, or a bare sqlite3
connection to a backup file), so a backup's figures come from the very snapshot it copied.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from accord.benefits.models import Account, Posting
from accord.ledger.models import Entry, Head

# What `migrate` writes into a new database: one holding only these rows is empty.
MIGRATION_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "ledger_state"}
)


class Cursor(Protocol):
    def execute(self, sql: str) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


@dataclass(frozen=True)
class Holdings:
    """Row counts per table, balance per account code (the sum of its postings, in the
    account's minor units), ledger entries, and the latest signed head (size, root in hex,
    key id) or None."""

    tables: dict[str, int]
    balances: dict[str, int]
    ledger_size: int
    head: dict[str, Any] | None

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def holds_data(self) -> bool:
        return any(n for table, n in self.tables.items() if table not in MIGRATION_TABLES)

    def as_json(self) -> dict[str, Any]:
        return {
            "ledger": {"size": self.ledger_size, "head": self.head},
            "tables": self.tables,
            "balances": self.balances,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> "Holdings":
        """The figures a manifest records; KeyError/TypeError/ValueError when malformed."""
        head = doc["ledger"]["head"]
        return cls(
            tables={str(k): int(v) for k, v in doc["tables"].items()},
            balances={str(k): int(v) for k, v in doc["balances"].items()},
            ledger_size=int(doc["ledger"]["size"]),
            head=None if head is None else dict(head),
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    "postgresql": (
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ),
}


def read_holdings(cursor: Cursor, vendor: str) -> Holdings:
    """The figures of the database `cursor` reads (`vendor` is "sqlite" or "postgresql"),
    within whatever transaction or snapshot the cursor is in."""
    cursor.execute(_TABLES[vendor])
    names = [name for (name,) in cursor.fetchall() if not name.startswith("sqlite_")]
    tables = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 - a catalog name
        tables[name] = int(cursor.fetchone()[0])
    balances: dict[str, int] = {}
    account, posting = Account._meta.db_table, Posting._meta.db_table
    if account in tables and posting in tables:
        cursor.execute(
            f"SELECT a.code, COALESCE(SUM(p.amount), 0) FROM {_quote(account)} AS a "  # noqa: S608
            f"LEFT JOIN {_quote(posting)} AS p ON p.account_id = a.id GROUP BY a.code"
        )
        balances = {code: int(total) for code, total in cursor.fetchall()}
    head = None
    if Head._meta.db_table in tables:
        cursor.execute(
            f"SELECT size, root, key_id FROM {_quote(Head._meta.db_table)} "  # noqa: S608
            "ORDER BY size DESC LIMIT 1"
        )
        row = cursor.fetchone()
        if row is not None:
            head = {"size": int(row[0]), "root": bytes(row[1]).hex(), "key_id": row[2]}
    return Holdings(
        tables=tables,
        balances=dict(sorted(balances.items())),
        ledger_size=tables.get(Entry._meta.db_table, 0),
        head=head,
    )


def differences(expected: Holdings, actual: Holdings) -> list[str]:
    """Every way `actual` differs from `expected`, one line each (empty when equal)."""
    found = []
    if actual.ledger_size != expected.ledger_size:
        found.append(f"ledger entries: {expected.ledger_size} in the backup, {actual.ledger_size}")
    if actual.head != expected.head:
        found.append(
            f"latest signed head: {_head(expected.head)} in the backup, {_head(actual.head)}"
        )
    for what, want, got in (
        ("table", expected.tables, actual.tables),
        ("account", expected.balances, actual.balances),
    ):
        for name in sorted(want.keys() | got.keys()):
            if name not in got:
                found.append(f"{what} {name}: {want[name]} in the backup, missing")
            elif name not in want:
                found.append(f"{what} {name}: not in the backup, {got[name]}")
            elif want[name] != got[name]:
                found.append(f"{what} {name}: {want[name]} in the backup, {got[name]}")
    return found


def _head(head: dict[str, Any] | None) -> str:
    return "none" if head is None else f"size {head['size']} root {str(head['root'])[:16]}…"
