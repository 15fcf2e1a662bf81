from django.db import migrations

def load(apps, schema_editor):
    from parcours.pathways.outcomes import load_defaults

    load_defaults(apps.get_model("pathways", "ExitOutcome"))


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
