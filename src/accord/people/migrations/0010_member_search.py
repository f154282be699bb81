"""An index for the member directory's search, so that a name or an expertise found in a
few of 100,000 members does not read every row: SQLite's FTS5 trigram table (kept by
triggers), or PostgreSQL's pg_trgm GIN indexes on the expressions Django's `icontains`
compares."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE people_member_search USING fts5("
    "display_name, expertise, content='people_member', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_member_search_insert AFTER INSERT ON people_member BEGIN "
    "INSERT INTO people_member_search(rowid, display_name, expertise) "
    "VALUES (new.id, new.display_name, new.expertise); END",
    "CREATE TRIGGER people_member_search_delete AFTER DELETE ON people_member BEGIN "
    "INSERT INTO people_member_search(people_member_search, rowid, display_name, expertise) "
    "VALUES ('delete', old.id, old.display_name, old.expertise); END",
    "CREATE TRIGGER people_member_search_update AFTER UPDATE OF display_name, expertise "
    "ON people_member BEGIN "
    "INSERT INTO people_member_search(people_member_search, rowid, display_name, expertise) "
    "VALUES ('delete', old.id, old.display_name, old.expertise); "
    "INSERT INTO people_member_search(rowid, display_name, expertise) "
    "VALUES (new.id, new.display_name, new.expertise); END",
    "INSERT INTO people_member_search(people_member_search) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS people_member_search_insert",
    "DROP TRIGGER IF EXISTS people_member_search_delete",
    "DROP TRIGGER IF EXISTS people_member_search_update",
    "DROP TABLE IF EXISTS people_member_search",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_name_trgm ON people_member "
    'USING gin ((UPPER("display_name"::text)) gin_trgm_ops)',
    "CREATE INDEX IF NOT EXISTS member_expertise_trgm ON people_member "
    'USING gin ((UPPER("expertise"::text)) gin_trgm_ops)',
]
POSTGRES_UNDO = [
    "DROP INDEX IF EXISTS member_name_trgm",
    "DROP INDEX IF EXISTS member_expertise_trgm",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0009_membership_by_role")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}),
        )
    ]
