from django.db import migrations

# The list; a centre adds its own outcomes beside these.
DEFAULTS = [
    ("Emploi : CDI", "employment", True),
    ("Emploi : CDD de 6 mois ou plus", "employment", True),
    ("Emploi : CDD de moins de 6 mois", "employment", True),
    ("Emploi : intérim", "employment", True),
    ("Emploi : contrat aidé", "employment", True),
    ("Emploi : structure d'insertion par l'activité économique", "employment", True),
    ("Entrée en formation", "training", True),
    ("Orientée vers une structure plus adaptée", "referral", False),
    ("Déménagement", "other", False),
    ("Raisons de santé", "other", False),
    ("A cessé de venir", "other", False),
    ("Autre", "other", False),
]


def load(apps, schema_editor):
    ExitOutcome = apps.get_model("pathways", "ExitOutcome")
    for order, (label, family, positive) in enumerate(DEFAULTS):
        ExitOutcome.objects.get_or_create(
            centre=None, label=label, defaults={"family": family, "is_positive": positive, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
