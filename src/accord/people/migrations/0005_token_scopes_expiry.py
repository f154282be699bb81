"""Tokens gain scopes, an expiry and the reason they were revoked. Tokens made before this
keep reading and writing (never the treasury scope, which did not exist) and expire 90 days
after they were made."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F


def limit_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    tokens = apps.get_model("people", "AccessToken")
    tokens.objects.update(scopes=["read", "write"], expires_at=F("created_at") + timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [("people", "0004_group_archived_at")]

    operations = [
        migrations.AddField(
            model_name="accesstoken", name="scopes", field=models.JSONField(default=list)
        ),
        migrations.AddField(
            model_name="accesstoken",
            name="revoked_because",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="accesstoken", name="expires_at", field=models.DateTimeField(null=True)
        ),
        migrations.RunPython(limit_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accesstoken", name="expires_at", field=models.DateTimeField()
        ),
    ]
