from django import forms

from parcours.core.forms import DATE, BoundedModelForm

from .models import ErasureRequest, LegalHold


class ErasureRequestForm(BoundedModelForm):
    class Meta:
        model = ErasureRequest
        fields = ["requested_on", "channel"]
        widgets = {"requested_on": DATE}

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["requested_on"].initial = today

    def clean_requested_on(self):
        day = self.cleaned_data["requested_on"]
        if day > self.today:
            raise forms.ValidationError("La demande ne peut pas dater de demain ou plus tard.")
        return day


class LegalHoldForm(BoundedModelForm):
    class Meta:
        model = LegalHold
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "reason": "Par exemple : procédure judiciaire en cours, contrôle du financeur."
        }
