"""Exit outcomes: the default list every centre shares (loaded by migration 0002) and
the outcomes a centre adds beside it."""

from django import forms
from django.db.models import Q

from parcours.core.forms import BoundedModelForm

from .models import ExitOutcome

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


def load_defaults(exit_outcome_model):
    """Create the default outcomes that are missing (a migration calls it)."""
    for order, (label, family, positive) in enumerate(DEFAULTS):
        exit_outcome_model.objects.get_or_create(
            centre=None,
            label=label,
            defaults={"family": family, "is_positive": positive, "order": order},
        )


def outcomes_for(centre):
    """The outcomes a pathway of `centre` may end with: the defaults, then the centre's
    own (a centre's outcome keeps the default order of 100, after the defaults)."""
    return ExitOutcome.objects.filter(Q(centre__isnull=True) | Q(centre=centre)).order_by(
        "order", "label", "pk"
    )


class ExitOutcomeForm(BoundedModelForm):
    """A centre's own outcome. The centre is never a field: a posted `centre` cannot
    move an outcome, nor turn it into a default."""

    class Meta:
        model = ExitOutcome
        fields = ["label", "family", "is_positive"]
        help_texts = {
            "label": "Par exemple : « Création d'entreprise ».",
            "is_positive": "Les rapports comptent les sorties positives à part.",
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre

    def clean_label(self):
        label = self.cleaned_data["label"]
        taken = outcomes_for(self.instance.centre).filter(label__iexact=label)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Cette issue existe déjà dans la liste.")
        return label
