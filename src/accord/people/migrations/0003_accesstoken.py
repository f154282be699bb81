"""Access tokens belong to members: the people app takes over the `api_accesstoken` table
that the api app created (no change to the database)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_ledger_secret_and_erasure"),
        ("api", "0002_accesstoken_moves_to_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=80)),
                        (
                            "prefix",
                            models.CharField(
                                help_text="The first characters, to recognise it.",
                                max_length=12,
                            ),
                        ),
                        ("digest", models.CharField(max_length=64, unique=True)),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="access_tokens",
                                to="people.member",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "api_accesstoken",
                        "ordering": ["-created_at", "-id"],
                    },
                )
            ],
            database_operations=[],
        )
    ]
