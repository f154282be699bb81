"""TRUNCATE skips row triggers, so on PostgreSQL the ledger's tables refuse it with a
statement trigger of their own. (SQLite has no TRUNCATE: `DELETE FROM t` without a WHERE
runs the row triggers, which refuse it.) A test database's flush between tests sets
`accord.ledger_truncate = 'allowed'` for its own sessions; nothing else does."""

from django.db import migrations

TABLES = ["ledger_entry", "ledger_node", "ledger_head"]

FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('accord.ledger_truncate', true) = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the ledger is append-only: TRUNCATE on ' || TG_TABLE_NAME || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ledger_no_truncate()"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS ledger_no_truncate()")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_ledger_key_history")]

    operations = [migrations.RunPython(create, drop)]
