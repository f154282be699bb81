"""The kind index becomes (kind, seq): one kind's entries newest first, a page at a time,
and its newest entry, come straight from the index; PostgreSQL no longer sorts every entry
of a kind to show fifty. Still three indexes, so appends cost the same.

The index is swapped in place: altering the field on SQLite would rebuild the table (and
drop its append-only triggers) for what is only an index change.
"""

from django.db import migrations, models

OLD = "ledger_entry_kind_36a98d3d"  # Django's name for the former db_index on kind


class Migration(migrations.Migration):
    dependencies = [("ledger", "0008_no_truncate")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="kind",
                    field=models.CharField(max_length=64),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD}"; DROP INDEX IF EXISTS "{OLD}_like";',
                    f'CREATE INDEX "{OLD}" ON "ledger_entry" ("kind");',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["kind", "seq"], name="ledger_entry_kind_seq"),
        ),
    ]
