import datetime

from django import forms
from django.forms import inlineformset_factory

from parcours.accounts.models import User
from parcours.centres.enums import Role
from parcours.centres.forms import CentreOwnedForm
from parcours.centres.models import Place, Programme
from parcours.core.forms import (
    DATE,
    TIME,
    BoundedForm,
    BoundedModelForm,
    FieldsetsMixin,
    LongSelect,
    ModelMultipleChoiceField,
)
from parcours.partners.models import Partner
from parcours.people.models import Person

from .enums import Presence
from .models import ClosurePeriod, Session, TimetableSlot, Workshop


class WorkshopForm(FieldsetsMixin, CentreOwnedForm):
    FIELDSETS = [
        ("L'atelier", ["name", "kind", "programme", "description", "partner"]),
        ("Organisation", ["place", "facilitators", "capacity", "runs_in_school_holidays"]),
        ("Objectif", ["yearly_target", "is_active"]),
    ]

    class Meta:
        model = Workshop
        fields = [
            "name",
            "kind",
            "programme",
            "description",
            "partner",
            "place",
            "facilitators",
            "capacity",
            "runs_in_school_holidays",
            "yearly_target",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "facilitators": forms.CheckboxSelectMultiple,
        }
        field_classes = {"facilitators": ModelMultipleChoiceField}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        self.fields["programme"].queryset = Programme.objects.of_centre(centre)
        self.fields["place"].queryset = Place.objects.of_centre(centre)
        self.fields["partner"].queryset = Partner.objects.of_centre(centre)
        self.fields["facilitators"].queryset = User.objects.filter(
            memberships__centre=centre,
            memberships__role__in=[Role.FACILITATOR, Role.COORDINATOR],
            is_active=True,
        ).distinct()

    def clean_name(self):
        return self.unique_in_centre("name", "Le centre a déjà un atelier de ce nom.")


class SlotForm(BoundedModelForm):
    class Meta:
        model = TimetableSlot
        fields = ["weekday", "starts_at", "ends_at"]
        widgets = {"starts_at": TIME, "ends_at": TIME}

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "La fin doit suivre le début.")
        return cleaned


SlotFormSet = inlineformset_factory(
    Workshop, TimetableSlot, form=SlotForm, extra=1, can_delete=True, max_num=7
)


class SessionForm(BoundedModelForm):
    class Meta:
        model = Session
        fields = ["workshop", "date", "starts_at", "ends_at", "place"]
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME}
        help_texts = {"place": "Laisser vide pour le lieu habituel de l'atelier."}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre
        self.fields["workshop"].queryset = Workshop.objects.of_centre(centre).filter(is_active=True)
        self.fields["place"].queryset = Place.objects.of_centre(centre)
        if self.instance.pk:
            # A session stays with its workshop once created.
            del self.fields["workshop"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "La fin doit suivre le début.")
        return cleaned


class CancelForm(BoundedForm):
    reason = forms.CharField(label="Motif de l'annulation", max_length=200)


class PlanForm(BoundedForm):
    start = forms.DateField(label="Du", widget=DATE)
    end = forms.DateField(label="Au", widget=DATE)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin de la période doit suivre son début.")
        if start and end and (end - start).days > 800:
            self.add_error("end", "Planifiez au plus deux ans à la fois.")
        return cleaned


class EnrolForm(BoundedForm):
    person = forms.ModelChoiceField(
        label="Personne", queryset=Person.objects.none(), widget=LongSelect
    )
    starts_on = forms.DateField(label="Inscrite à partir du", widget=DATE)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["starts_on"].initial = datetime.date.today


class MarkForm(BoundedForm):
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    presence = forms.ChoiceField(choices=Presence.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class WalkInForm(BoundedForm):
    person = forms.ModelChoiceField(
        label="Personne venue sans inscription", queryset=Person.objects.none(), widget=LongSelect
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ClosureForm(CentreOwnedForm):
    class Meta:
        model = ClosurePeriod
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin de la fermeture doit suivre son début.")
        return cleaned
