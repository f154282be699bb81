"""Access tokens belong to members: the model moves to the people app. The table stays as
it is (`api_accesstoken`); only Django's record of which app owns it changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessToken")],
            database_operations=[],
        )
    ]
