import datetime

from django import forms
from django.utils import timezone

from parcours.accounts.models import User
from parcours.centres.enums import Role
from parcours.centres.forms import CentreOwnedForm
from parcours.centres.models import Programme
from parcours.core.forms import DATE, DATE_MIN, BoundedForm, BoundedModelForm, FieldsetsMixin
from parcours.core.locking import VersionLockMixin
from parcours.partners.models import Partner, PartnerContact

from .enums import ReferralStatus
from .models import (
    ConfidentialNote,
    Neighbourhood,
    Person,
    Referral,
    ReferralEvent,
    RsaContract,
)

IDENTITY = ["last_name", "first_name", "birth_date", "sex", "phone", "email"]


PERSON_FIELDSETS = [
    ("Identité", IDENTITY),
    ("Adresse", ["address", "postcode", "city", "neighbourhood"]),
    ("Foyer", ["household", "children_count", "children_ages"]),
    ("Ressources", ["benefit", "rsa_orientation", "rights_end_on"]),
    (
        "Difficultés",
        [
            "difficulty_financial",
            "difficulty_health",
            "difficulty_housing",
            "difficulty_isolation",
            "difficulty_language",
            "difficulty_mobility",
            "difficulty_childcare",
        ],
    ),
    ("Langue et formation", ["french_level", "education_level", "disability_recognised"]),
    (
        "Référent RSA",
        ["rsa_referent_name", "rsa_referent_partner", "rsa_referent_phone", "rsa_referent_email"],
    ),
    ("Notes", ["notes"]),
]


class PersonForm(VersionLockMixin, FieldsetsMixin, CentreOwnedForm):
    FIELDSETS = PERSON_FIELDSETS

    class Meta:
        model = Person
        fields = [name for _, names in PERSON_FIELDSETS for name in names]
        widgets = {
            "birth_date": DATE,
            "rights_end_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        if "neighbourhood" in self.fields:
            self.fields["neighbourhood"].queryset = Neighbourhood.objects.of_centre(centre)
            self.fields[
                "neighbourhood"
            ].help_text = (
                "Laissez vide pour le déduire de l'adresse, si le centre a listé ses rues."
            )
        if "rsa_referent_partner" in self.fields:
            self.fields["rsa_referent_partner"].queryset = Partner.objects.of_centre(centre)

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date and not (DATE_MIN <= birth_date <= timezone.localdate()):
            raise forms.ValidationError("La date de naissance doit être passée et après 1900.")
        return birth_date


class PersonIdentityForm(PersonForm):
    """The few fields asked when a referral arrives for someone new."""

    FIELDSETS = [("La personne orientée", IDENTITY)]

    class Meta(PersonForm.Meta):
        fields = IDENTITY


class LookalikeForm(BoundedForm):
    """The identity typed so far, for the live duplicate check."""

    last_name = forms.CharField(max_length=100)
    first_name = forms.CharField(max_length=100, required=False)
    birth_date = forms.DateField(required=False)

    def clean(self):
        cleaned = super().clean()
        # A half-typed date is no reason to hide the people with this name.
        if "birth_date" in self.errors:
            del self.errors["birth_date"]
            cleaned["birth_date"] = None
        return cleaned


class ReferralForm(FieldsetsMixin, BoundedModelForm):
    FIELDSETS = [
        ("Qui oriente", ["partner", "contact", "referrer_user"]),
        ("L'orientation", ["received_on", "reason", "expectations"]),
    ]

    class Meta:
        model = Referral
        fields = ["partner", "contact", "referrer_user", "received_on", "reason", "expectations"]
        widgets = {
            "received_on": DATE,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.of_centre(centre)
        self.fields["partner"].empty_label = "Aucune : la personne vient d'elle-même"
        self.fields["contact"].empty_label = "Non précisé"
        self.fields["referrer_user"].empty_label = "Aucun"
        self.fields["contact"].queryset = PartnerContact.objects.filter(
            partner__centre=centre
        ).select_related("partner")
        self.fields["contact"].label_from_instance = lambda c: f"{c} — {c.partner}"
        self.fields["referrer_user"].queryset = User.objects.filter(
            memberships__centre=centre, memberships__role=Role.PARTNER_WORKER, is_active=True
        )
        self.fields["received_on"].initial = datetime.date.today

    def clean(self):
        cleaned = super().clean()
        contact, partner = cleaned.get("contact"), cleaned.get("partner")
        if contact and partner and contact.partner_id != partner.pk:
            self.add_error(
                "contact", "Ce professionnel ne travaille pas pour la structure choisie."
            )
        if contact and not partner:
            cleaned["partner"] = contact.partner
        received_on = cleaned.get("received_on")
        if received_on and received_on > timezone.localdate():
            self.add_error("received_on", "La date de réception ne peut pas être dans le futur.")
        return cleaned


class PlanIntakeForm(BoundedForm):
    intake_on = forms.DateTimeField(
        label="Date et heure de l'entretien d'accueil",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class AdmitForm(BoundedForm):
    programme = forms.ModelChoiceField(label="Action", queryset=Programme.objects.none())
    started_on = forms.DateField(label="Entrée dans le parcours le", widget=DATE)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.of_centre(centre)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0]
        self.fields["started_on"].initial = datetime.date.today


class CloseReferralForm(BoundedForm):
    status = forms.ChoiceField(
        label="Issue",
        choices=[
            (ReferralStatus.NOT_ADMITTED.value, ReferralStatus.NOT_ADMITTED.label),
            (ReferralStatus.NO_SHOW.value, ReferralStatus.NO_SHOW.label),
        ],
        widget=forms.RadioSelect,
    )
    # The reason is both the decision's and its log entry's note: the shorter limit.
    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=ReferralEvent._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ReferralStatus.NOT_ADMITTED
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", "Indiquez le motif de la non-admission.")
        return cleaned


ONLY_ERASE = (
    "La personne n'a pas donné son accord pour ces données, ou l'a retiré : le volet ne "
    "peut qu'être vidé. Pour y écrire, enregistrez d'abord son accord (« données "
    "sensibles ») ou une dérogation motivée dans ses consentements."
)


class ConfidentialNoteForm(VersionLockMixin, BoundedModelForm):
    """Locked by the version of the person's file (see parcours.core.locking). Without
    the person's consent (`only_erase`), what is written may only be emptied: erasing is
    what a withdrawal calls for."""

    class Meta:
        model = ConfidentialNote
        fields = ["health", "addictions", "violence"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}

    def __init__(self, *args, only_erase=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.only_erase = only_erase

    def clean(self):
        cleaned = super().clean()
        if self.only_erase and any(cleaned.get(name, "").strip() for name in self.Meta.fields):
            raise forms.ValidationError(ONLY_ERASE)
        return cleaned

    def stored_instance(self):
        # Someone may have written the file's first note while this one was typed.
        return ConfidentialNote.objects.filter(person=self.instance.person).first()


class RsaContractForm(BoundedModelForm):
    class Meta:
        model = RsaContract
        fields = ["starts_on", "ends_on", "goals"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "goals": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin du contrat doit suivre son début.")
        return cleaned


class NeighbourhoodForm(CentreOwnedForm):
    class Meta:
        model = Neighbourhood
        fields = ["name", "is_qpv", "streets"]
        widgets = {"streets": forms.Textarea(attrs={"rows": 6})}

    def clean_name(self):
        return self.unique_in_centre("name", "Le centre a déjà un quartier de ce nom.")
