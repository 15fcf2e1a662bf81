import datetime

from django import forms
from django.utils import timezone

from parcours.core.forms import DATE, BoundedForm

from .enums import Funder
from .layout import SECTION_KEYS
from .models import Narrative


class PeriodForm(BoundedForm):
    """The report's period (a calendar year by default) and the funder's view."""

    du = forms.DateField(label="Du", widget=DATE)
    au = forms.DateField(label="Au", widget=DATE)
    financeur = forms.ChoiceField(label="Pour", choices=Funder.choices, required=False)

    def __init__(self, data=None, **kwargs):
        year = timezone.localdate().year
        defaults = {"du": datetime.date(year, 1, 1), "au": datetime.date(year, 12, 31)}
        if data is not None and not data.get("du") and not data.get("au"):
            data = {**defaults, "financeur": data.get("financeur", "")}
        super().__init__(data or defaults, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error("au", "La fin de la période doit suivre son début.")
        if start and end and (end - start).days > 3 * 366:
            self.add_error("au", "Une période de trois ans au plus.")
        return cleaned


class NarrativeForm(BoundedForm):
    section = forms.ChoiceField(choices=[(key, key) for key in SECTION_KEYS])
    text = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=Narrative._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
