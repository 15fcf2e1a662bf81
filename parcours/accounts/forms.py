from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import User


def axes_username(request, credentials):
    """The account a login attempt counts against: the e-mail, trimmed and lower-cased,
    so that 'Anne@X.fr ' and 'anne@x.fr' share one failure counter."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()


class LoginForm(AuthenticationForm):
    # The bound is explicit: AuthenticationForm's own one does not validate a field
    # declared here, and a longer "address" would reach the lockout's records (255
    # characters) and fail there on PostgreSQL.
    username = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(forms.ModelForm):
    """What a user may change about themselves: their name, nothing else."""

    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class CodeForm(forms.Form):
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


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=10,
        help_text="Le code que votre application affiche maintenant pour Parcours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autofocus": True, "autocomplete": "current-password"}),
    )
