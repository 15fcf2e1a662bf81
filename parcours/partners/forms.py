from django.db import models

from parcours.centres.forms import CentreOwnedForm
from parcours.core.forms import BoundedModelForm, FieldsetsMixin

from .enums import Theme
from .models import Partner, PartnerContact

THEME_FIELDS = [f"theme_{theme.value}" for theme in Theme]
FIELDSETS = [
    ("Structure", ["name", "kind"]),
    ("Thèmes", THEME_FIELDS),
    ("Coordonnées", ["address", "postcode", "city", "phone", "email", "website"]),
    ("Notes", ["notes"]),
]


def _formfield(model_field, **kwargs):
    # A website typed without its scheme, "www.example.org", is saved as https://.
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class PartnerForm(FieldsetsMixin, CentreOwnedForm):
    FIELDSETS = FIELDSETS

    class Meta:
        model = Partner
        formfield_callback = _formfield
        fields = [name for _legend, names in FIELDSETS for name in names]
        error_messages = {
            "name": {"required": "Indiquez le nom du partenaire."},
            "kind": {"required": "Choisissez le type de structure."},
        }
        help_texts = {"phone": "Par exemple 03 82 12 34 56."}

    def clean_name(self):
        return self.unique_in_centre("name", "Le centre a déjà un partenaire de ce nom.")


class PartnerContactForm(BoundedModelForm):
    class Meta:
        model = PartnerContact
        fields = ["first_name", "last_name", "job_title", "phone", "email"]
        error_messages = {"last_name": {"required": "Indiquez le nom du contact."}}
        help_texts = {"phone": "Par exemple 03 82 12 34 56."}

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        # Likewise a posted `partner` cannot move a contact to another organisation.
        self.instance.partner = partner
