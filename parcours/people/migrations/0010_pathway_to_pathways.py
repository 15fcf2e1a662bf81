"""Last step of `Pathway` moving to the pathways app (see pathways 0003): the people
app forgets the model. State only: the table now belongs to pathways."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0003_pathway_from_people"),
        ("people", "0009_pathway_table_for_pathways"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Pathway")]
        ),
    ]
