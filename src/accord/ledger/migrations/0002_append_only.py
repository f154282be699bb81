"""The database itself refuses UPDATE and DELETE on ledger entries, nodes and heads."""

from django.db import migrations

TABLES = ["ledger_entry", "ledger_node", "ledger_head"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'the ledger is append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(vendor):
    """(create, drop) statements that make the ledger tables append-only on `vendor`."""
    create, drop = [], []
    if vendor == "postgresql":
        create.append(POSTGRES_FUNCTION)
    for table in TABLES:
        for op in ("UPDATE", "DELETE"):
            name = f"{table}_no_{op.lower()}"
            if vendor == "sqlite":
                create.append(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: {op} on {table} "
                    "refused'); END;"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name}")
            elif vendor == "postgresql":
                create.append(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION ledger_append_only();"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    return create, drop


def create_triggers(apps, schema_editor):
    for statement in trigger_sql(schema_editor.connection.vendor)[0]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in trigger_sql(schema_editor.connection.vendor)[1]:
        schema_editor.execute(statement)


def create_state(apps, schema_editor):
    apps.get_model("ledger", "State").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(create_state, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
