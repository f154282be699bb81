"""Contributions name the partnership agreement they served by a link instead of free
text. A text that matches an agreement's title becomes the link; any other text is kept at
the end of the contribution's description, so nothing a member wrote is lost."""

import django.db.models.deletion
from django.db import migrations, models

DESCRIPTION_MAX = 5000


def link_partnerships(apps, schema_editor):
    Contribution = apps.get_model("contributions", "Contribution")
    Agreement = apps.get_model("partners", "Agreement")
    by_title = {a.title.casefold(): a.pk for a in Agreement.objects.all()}
    for c in Contribution.objects.exclude(partnership="").iterator():
        text = c.partnership.strip()
        found = by_title.get(text.casefold())
        if found is not None:
            c.partnership_link_id = found
        else:
            kept = f"Partnership: {text}"
            joined = f"{c.description}\n\n{kept}" if c.description else kept
            c.description = joined[:DESCRIPTION_MAX]
        c.save(update_fields=["partnership_link", "description"])


def unlink_partnerships(apps, schema_editor):
    Contribution = apps.get_model("contributions", "Contribution")
    for c in Contribution.objects.filter(partnership_link__isnull=False).select_related(
        "partnership_link"
    ):
        c.partnership = c.partnership_link.title[:120]
        c.save(update_fields=["partnership"])


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0002_status_date_id_index"),
        ("partners", "0004_agreements"),
    ]

    operations = [
        migrations.AddField(
            model_name="contribution",
            name="partnership_link",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.agreement",
            ),
        ),
        migrations.RunPython(link_partnerships, unlink_partnerships),
        migrations.RemoveField(model_name="contribution", name="partnership"),
        migrations.RenameField(
            model_name="contribution", old_name="partnership_link", new_name="partnership"
        ),
        migrations.AlterField(
            model_name="contribution",
            name="partnership",
            field=models.ForeignKey(
                blank=True,
                help_text="The partnership agreement this work served.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contributions",
                to="partners.agreement",
            ),
        ),
    ]
