"""Entries keyed by SQLite's rowid, times that never decrease, and fewer indexes.

Each index on the entries table is one more page that every append writes and syncs; a
date range is now found by bisecting seq (entry times never decrease), and actors are
indexed only where they add to the subject index. On SQLite, changing the key's type
rebuilds the table, which drops its triggers: they are created again at the end.
"""

import importlib

from django.db import migrations, models

import accord.ledger.models

append_only = importlib.import_module("accord.ledger.migrations.0002_append_only")


def newest_time(apps, schema_editor):
    Entry = apps.get_model("ledger", "Entry")
    State = apps.get_model("ledger", "State")
    newest = Entry.objects.order_by("-at").values_list("at", flat=True).first()
    if newest is not None:
        micros = int(newest.timestamp()) * 1_000_000 + newest.microsecond
        State.objects.filter(pk=1).update(at_us=micros)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only")]

    operations = [
        migrations.RunPython(append_only.drop_triggers, append_only.create_triggers),
        migrations.AddField(
            model_name="state",
            name="at_us",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="entry",
            name="actor",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="entry",
            name="at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="entry",
            name="seq",
            field=accord.ledger.models.SequenceField(primary_key=True, serialize=False),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                condition=~models.Q(actor=models.F("subject")) & ~models.Q(actor="system"),
                fields=["actor"],
                name="ledger_entry_other_actor",
            ),
        ),
        migrations.RunPython(newest_time, migrations.RunPython.noop),
        migrations.RunPython(append_only.create_triggers, append_only.drop_triggers),
    ]
