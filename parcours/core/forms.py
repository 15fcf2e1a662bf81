from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

# The browser's own pickers; values in ISO format whatever the page language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LongSelect(forms.Select):
    """A <select> of hundreds of options (a centre's people), written in Python. Django
    renders each option through two templates, and even `format_html` per option
    spends most of its time checking for lazy strings: at 500 people either took most
    of the session page's time (bench: ~50 ms, ~15 ms, against ~3 ms for this)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308 (every value escaped above)


class FieldsetsMixin:
    """A form listing `FIELDSETS = [(legend, [field names])]` renders as fieldsets
    (templates/fieldsets.html), which long forms need to stay readable."""

    FIELDSETS = []

    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database column can hold (a forged "9999…" in a list
    of checkboxes): Django checks such ids for one choice but not for several, where the
    database lookup then fails with a server error (OverflowError on SQLite, DataError on
    PostgreSQL)."""

    def _check_values(self, value):
        key = self.queryset.model._meta.pk
        if self.to_field_name:
            key = self.queryset.model._meta.get_field(self.to_field_name)
        if key.get_internal_type() not in connection.ops.integer_field_ranges:
            return super()._check_values(value)
        low, high = connection.ops.integer_field_range(key.get_internal_type())
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # not a number: Django's own check reports it
            if not low <= number <= high:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
