from django.db import migrations


def load(apps, schema_editor):
    from parcours.workshops import school_holidays

    school_holidays.load(apps.get_model("workshops", "SchoolHoliday"))


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
