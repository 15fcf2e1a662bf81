from django import forms
from django.utils import timezone

from parcours.accounts.models import User
from parcours.centres.enums import Role
from parcours.core.forms import (
    DATE,
    DATETIME,
    BoundedForm,
    BoundedModelForm,
    ModelMultipleChoiceField,
)
from parcours.core.locking import VersionLockMixin
from parcours.core.states import StatusFormMixin

from .models import Appointment, ExitOutcome, Goal, Pathway, PathwayExit
from .outcomes import outcomes_for


class AppointmentForm(StatusFormMixin, VersionLockMixin, BoundedModelForm):
    class Meta:
        model = Appointment
        fields = ["starts_at", "duration", "kind", "status", "staff", "other_attendees", "note"]
        widgets = {
            "starts_at": DATETIME,
            "staff": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"note": "Visible de la coordination seulement."}
        field_classes = {"staff": ModelMultipleChoiceField}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.filter(
            memberships__centre=centre,
            memberships__role__in=[Role.COORDINATOR, Role.FACILITATOR],
            is_active=True,
        ).distinct()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == "held"
            and cleaned.get("starts_at")
            and cleaned["starts_at"] > timezone.now()
        ):
            self.add_error("status", "Un entretien à venir ne peut pas être déjà tenu.")
        return cleaned


class GoalForm(StatusFormMixin, VersionLockMixin, BoundedModelForm):
    class Meta:
        model = Goal
        fields = ["axis", "wording", "steps", "due_on", "status", "rsa_contract"]
        widgets = {"due_on": DATE, "steps": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, pathway, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.pathway = pathway
        self.fields["rsa_contract"].queryset = pathway.person.rsa_contracts.all()
        self.fields["rsa_contract"].empty_label = "Non"


class CloseForm(VersionLockMixin, BoundedForm):
    ended_on = forms.DateField(label="Sortie le", widget=DATE)
    outcome = forms.ModelChoiceField(label="Issue", queryset=ExitOutcome.objects.none())
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=PathwayExit._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes_for(centre)
        self.fields["outcome"].empty_label = "Choisir l'issue…"
        self.fields["ended_on"].initial = timezone.localdate

    def stored_values(self):
        pathway = Pathway.objects.select_related("exit__outcome").get(pk=self.lock.pk)
        pathway_exit = getattr(pathway, "exit", None)
        return {
            "ended_on": pathway.ended_on,
            "outcome": pathway_exit.outcome if pathway_exit else None,
            "comment": pathway_exit.comment if pathway_exit else "",
        }
