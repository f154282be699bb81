"""Where entry times start never decreasing.

Before 0003, a writer read the clock before taking the ledger's lock, so concurrent writers
(or an explicit earlier time) could leave a later entry with an earlier time. Those entries
are hashed and cannot change: the date filter and `accord verify` rely on times that never
decrease only from the last such step back on.
"""

from django.db import migrations, models


def last_step_back(times):
    """The last position whose time is earlier than the one before it (0 if none)."""
    found, previous = 0, None
    for position, moment in enumerate(times):
        if previous is not None and moment < previous:
            found = position
        previous = moment
    return found


def record_monotonic_from(apps, schema_editor):
    Entry = apps.get_model("ledger", "Entry")
    State = apps.get_model("ledger", "State")
    times = Entry.objects.order_by("seq").values_list("at", flat=True).iterator(chunk_size=20_000)
    State.objects.filter(pk=1).update(monotonic_from=last_step_back(times))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_entry_rowid_and_fewer_indexes")]

    operations = [
        migrations.AddField(
            model_name="state",
            name="monotonic_from",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(record_monotonic_from, migrations.RunPython.noop),
    ]
