"""Second step of `Pathway` moving from the people app (see people 0009 and 0010).

The model joins this app's state over the table people 0009 renamed, and the foreign
keys of goals, exits, assessments and appointments point to it: state only, the
database already holds exactly this.

The content type (people, pathway) becomes (pathways, pathway), keeping its id: the
audit trail's rows and the permissions point to it by id, so a pathway's history
stays attached to it. The audit rows themselves are never rewritten (they are
append-only).
"""

import django.db.models.deletion
from django.db import migrations, models


def relabel_content_type(apps, old_app, new_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=old_app, model="pathway").first()
    if moving is None:
        return  # A new database: post_migrate creates the content type.
    taken = ContentType.objects.filter(app_label=new_app, model="pathway").first()
    if taken is not None:
        # An empty twin created by post_migrate: it takes the old label, so the one
        # holding the history takes the new one and no row is dropped.
        moving.model = "pathway-moving"
        moving.save(update_fields=["model"])
        taken.app_label = old_app
        taken.save(update_fields=["app_label"])
        moving.model = "pathway"
    moving.app_label = new_app
    moving.save(update_fields=["app_label", "model"])


def content_type_to_pathways(apps, schema_editor):
    relabel_content_type(apps, "people", "pathways")


def content_type_to_people(apps, schema_editor):
    relabel_content_type(apps, "pathways", "people")


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0003_data_protection_settings"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("pathways", "0002_default_exit_outcomes"),
        ("people", "0009_pathway_table_for_pathways"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Pathway",
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
                        ("started_on", models.DateField(verbose_name="entrée le")),
                        (
                            "ended_on",
                            models.DateField(blank=True, null=True, verbose_name="sortie le"),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False)),
                        (
                            "centre",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pathways",
                                to="centres.centre",
                                verbose_name="centre",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pathways",
                                to="people.person",
                                verbose_name="personne",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pathways",
                                to="centres.programme",
                                verbose_name="action",
                            ),
                        ),
                        (
                            "referral",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="pathway",
                                to="people.referral",
                                verbose_name="orientation d'origine",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "parcours",
                        "verbose_name_plural": "parcours",
                        "ordering": ["-started_on"],
                        "indexes": [
                            models.Index(
                                fields=["centre", "started_on", "ended_on"], name="pathway_period"
                            )
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="appointment",
                    name="pathway",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appointments",
                        to="pathways.pathway",
                        verbose_name="parcours",
                    ),
                ),
                migrations.AlterField(
                    model_name="assessment",
                    name="pathway",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assessments",
                        to="pathways.pathway",
                        verbose_name="parcours",
                    ),
                ),
                migrations.AlterField(
                    model_name="goal",
                    name="pathway",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="goals",
                        to="pathways.pathway",
                        verbose_name="parcours",
                    ),
                ),
                migrations.AlterField(
                    model_name="pathwayexit",
                    name="pathway",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exit",
                        to="pathways.pathway",
                        verbose_name="parcours",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_type_to_pathways, content_type_to_people),
    ]
