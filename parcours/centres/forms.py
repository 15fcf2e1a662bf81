from django import forms

from parcours.core.forms import BoundedForm, BoundedModelForm

from .enums import Role
from .models import Centre, Membership, Place, Programme


class CentreOwnedForm(BoundedModelForm):
    """A form for an object of the centre being worked in.

    The centre is never a form field: a posted `centre` cannot move an object.
    """

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre

    def unique_in_centre(self, field, message, lookup="iexact"):
        """Refuse a value another object of the centre already has."""
        value = self.cleaned_data[field]
        others = type(self.instance).objects.of_centre(self.instance.centre)
        if others.filter(**{f"{field}__{lookup}": value}).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(message)
        return value


class CentreForm(BoundedModelForm):
    class Meta:
        model = Centre
        fields = [
            "name",
            "address",
            "postcode",
            "city",
            "department",
            "school_zone",
            "absences_before_alert",
            "privacy_contact",
            "retention_months",
            "archive_months",
            "audit_retention_months",
        ]


class ProgrammeForm(CentreOwnedForm):
    class Meta:
        model = Programme
        fields = ["name", "slug", "description", "started_on"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_slug(self):
        return self.unique_in_centre(
            "slug", "Une autre action du centre a déjà cet identifiant.", lookup="exact"
        )


class PlaceForm(CentreOwnedForm):
    class Meta:
        model = Place
        fields = ["name", "address", "postcode", "city"]

    def clean_name(self):
        return self.unique_in_centre("name", "Le centre a déjà un lieu de ce nom.")


class MemberInviteForm(BoundedForm):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class MemberRoleForm(BoundedModelForm):
    class Meta:
        model = Membership
        fields = ["role"]
