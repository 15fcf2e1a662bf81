from django import forms
from django.contrib.auth import password_validation

from parcours.accounts.forms import PASSWORD_MAX_LENGTH
from parcours.accounts.models import User
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
    """Whom to invite. No name: a new account chooses its own when accepting, and an
    existing one keeps the name its holder gave."""

    email = forms.EmailField(label="Adresse e-mail")
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class NewAccountForm(BoundedForm):
    """The account an invitee without one opens on the invitation's page."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Mot de passe (confirmation)",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password and password != cleaned.get("password2"):
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif password:
            # The validators compare the password with the account's name and address.
            account = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, account)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MemberRoleForm(BoundedModelForm):
    class Meta:
        model = Membership
        fields = ["role"]
