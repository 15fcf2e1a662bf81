from django import forms
from django.contrib.auth.forms import AuthenticationForm

from parcours.core.forms import BoundedFieldsMixin, BoundedForm, BoundedModelForm

from .models import User


def axes_username(request, credentials):
    """The account a login attempt counts against: the e-mail, trimmed and lower-cased,
    so that 'Anne@X.fr ' and 'anne@x.fr' share one failure counter."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()


PASSWORD_MAX_LENGTH = 4096


class LoginForm(BoundedFieldsMixin, AuthenticationForm):
    # The bound is explicit: AuthenticationForm's own one does not validate a field
    # declared here, and a longer "address" would reach the lockout's records (255
    # characters) and fail there on PostgreSQL.
    username = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    # Django's, with a limit: a password is hashed on purpose slowly, and a megabyte
    # one would keep a worker busy for nothing.
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(BoundedModelForm):
    """What a user may change about themselves: their name, nothing else."""

    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class CodeForm(BoundedForm):
    """The code step: 6 digits from the phone's app, or a recovery code."""

    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=20,
        help_text=(
            "Le code affiché par votre application d'authentification, ou un code de secours."
        ),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )


class EnrolmentForm(BoundedForm):
    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=10,
        help_text="Le code que votre application affiche maintenant pour Parcours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PasswordConfirmForm(BoundedForm):
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autofocus": True, "autocomplete": "current-password"}),
    )
