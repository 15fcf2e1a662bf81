from django import forms
from django.utils import timezone

from parcours.core.forms import DATE, BoundedForm, BoundedModelForm
from parcours.partners.models import Partner

from .enums import Purpose
from .models import ConsentOverride, ConsentRecord

# What may be overridden: what is blocked without consent.
OVERRIDABLE = [Purpose.SHARE_PARTNER, Purpose.RSA_BILAN, Purpose.SENSITIVE]


class NoticeGivenForm(BoundedForm):
    given_on = forms.DateField(label="Notice remise le", widget=DATE, initial=timezone.localdate)


class ConsentForm(BoundedModelForm):
    class Meta:
        model = ConsentRecord
        fields = ["purpose", "partner", "partner_kind", "on", "scope"]
        labels = {"on": "Accord donné le"}
        widgets = {"on": DATE, "scope": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "partner": "Pour « partage avec un partenaire nommé ».",
            "partner_kind": "Pour « partage avec un type de partenaire ».",
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.of_centre(centre)
        self.fields["on"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        purpose = cleaned.get("purpose")
        if purpose == Purpose.SHARE_PARTNER and not cleaned.get("partner"):
            self.add_error("partner", "Choisissez le partenaire avec qui partager.")
        if purpose == Purpose.SHARE_KIND and not cleaned.get("partner_kind"):
            self.add_error("partner_kind", "Choisissez le type de partenaire.")
        return cleaned


class WithdrawForm(BoundedForm):
    on = forms.DateField(label="Retrait à compter du", widget=DATE, initial=timezone.localdate)


class OverrideForm(BoundedModelForm):
    class Meta:
        model = ConsentOverride
        fields = ["purpose", "partner", "reason"]
        labels = {"purpose": "Ce qui sera transmis sans accord", "reason": "Motif"}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "partner": "Pour un relais qui transmet des informations.",
            "reason": (
                "Obligation légale, danger pour la personne ou pour autrui… La dérogation "
                "vaut pour aujourd'hui, figure dans l'historique des consentements et au "
                "journal d'audit."
            ),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p.value, p.label) for p in OVERRIDABLE]
        self.fields["partner"].queryset = Partner.objects.of_centre(centre)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") == Purpose.SHARE_PARTNER and not cleaned.get("partner"):
            self.add_error("partner", "Choisissez le partenaire à qui transmettre.")
        return cleaned
