"""First step of `Pathway` moving to the pathways app: its table takes the pathways
app's name. A rename, done in place by both databases: no row is copied, and the
foreign keys pointing to the table follow it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_retention_listed_on"),
    ]

    operations = [
        migrations.AlterModelTable(name="pathway", table="pathways_pathway"),
    ]
