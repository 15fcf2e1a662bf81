"""The consent fields give way to the register (parcours.consent), which took their
values over in consent.0002_from_person_booleans."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_retention_and_version"),
        ("consent", "0002_from_person_booleans"),
    ]

    operations = [
        migrations.RemoveField(model_name="person", name="consent_on"),
        migrations.RemoveField(model_name="person", name="consent_processing"),
        migrations.RemoveField(model_name="person", name="consent_sharing"),
        migrations.RemoveField(model_name="person", name="consent_sharing_scope"),
    ]
