from django import forms

from parcours.core.forms import BoundedForm


class TrailFilterForm(BoundedForm):
    """Narrows the trail to one object (`type` + `objet`) or to one person's file."""

    type = forms.IntegerField(required=False, min_value=1)
    objet = forms.CharField(required=False, max_length=255)
    personne = forms.IntegerField(required=False, min_value=1)
