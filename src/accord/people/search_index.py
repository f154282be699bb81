"""The member search index, used to narrow a search for a term few members match.

On SQLite it is an FTS5 trigram table over names and expertise, kept by triggers; on
PostgreSQL, pg_trgm GIN indexes on the very expressions `icontains` compares (migration
0010), which the planner reads by itself for a term its statistics say is rare. It only
narrows: the directory still applies its own `icontains` test to what it returns, so the
results are exactly those of a full scan."""

from django.db import connection, connections
from django.db.models import Q

TABLE = "people_member_search"
TRIGRAM = 3  # the indexes find terms of at least three characters

# The triggers that keep the SQLite table in step with people_member (as migration 0010
# made them). SQLite drops a table's triggers when Django rebuilds the table to alter a
# column, so `keep_triggers` puts back any that are missing after every migrate.
TRIGGERS = {
    "people_member_search_insert": "AFTER INSERT ON people_member BEGIN "
    "INSERT INTO people_member_search(rowid, display_name, expertise) "
    "VALUES (new.id, new.display_name, new.expertise); END",
    "people_member_search_delete": "AFTER DELETE ON people_member BEGIN "
    "INSERT INTO people_member_search(people_member_search, rowid, display_name, expertise) "
    "VALUES ('delete', old.id, old.display_name, old.expertise); END",
    "people_member_search_update": "AFTER UPDATE OF display_name, expertise "
    "ON people_member BEGIN "
    "INSERT INTO people_member_search(people_member_search, rowid, display_name, expertise) "
    "VALUES ('delete', old.id, old.display_name, old.expertise); "
    "INSERT INTO people_member_search(rowid, display_name, expertise) "
    "VALUES (new.id, new.display_name, new.expertise); END",
}


def keep_triggers(using: str = "default") -> list[str]:
    """On SQLite, create the search table's missing triggers and rebuild the table from
    people_member if any was missing (it may have missed changes meanwhile). Returns the
    names put back."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE]
        )
        if cursor.fetchone() is None:
            return []  # before migration 0010
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {TRIGGERS[name]}")
        if missing:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")  # noqa: S608 - a constant
    return missing


def matching(term: str) -> Q:
    """The directory's search test: a name, or an expertise tag, containing `term`."""
    return Q(display_name__icontains=term) | Q(expertise__icontains=term.lower())


def candidates(term: str, *, limit: int) -> list[int] | None:
    """Ids of members whose name or expertise may contain `term`, if there are at most
    `limit` of them; None when the search needs no narrowing list: a term too short, more
    matches than `limit` (reading in name order then finds a page sooner), or PostgreSQL,
    whose planner reads the trigram indexes itself when its statistics say few match."""
    if len(term) < TRIGRAM or connection.vendor != "sqlite":
        return None
    phrase = '"' + term.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s",  # noqa: S608 - a constant
            [phrase, limit + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= limit else None
