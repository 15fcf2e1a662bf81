import datetime
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


# Every date typed in Parcours lies in these years. Outside them it is a typing slip
# (0001, 9999) that no screen would show sensibly, and one the audit trail cannot even
# compare: a date-time of year 1 overflows when turned to UTC.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
DATE_BOUNDS_ERROR = "Choisissez une date entre 1900 et 2100."


def date_in_bounds(value):
    """Validator: a date, or a date-time on the centre's clock, from DATE_MIN to DATE_MAX."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise forms.ValidationError(DATE_BOUNDS_ERROR, code="date_bounds")


# A free-text note of a file (notes, an appointment's, the confidential section's):
# about four typed pages. A paste of a whole document does not belong there, and would
# make the page that shows it endless.
NOTES_MAX_LENGTH = 10_000

# The bounds as the browser's own pickers take them.
PICKER_BOUNDS = {
    "date": (DATE_MIN.isoformat(), DATE_MAX.isoformat()),
    "datetime-local": (f"{DATE_MIN.isoformat()}T00:00", f"{DATE_MAX.isoformat()}T23:59"),
}


def bound_dates(fields):
    """Give every date and date-time field of `fields` the bounds, once each."""
    for field in fields.values():
        if not isinstance(field, forms.DateField | forms.DateTimeField):
            continue
        if date_in_bounds not in field.validators:
            field.validators.append(date_in_bounds)
        bounds = PICKER_BOUNDS.get(getattr(field.widget, "input_type", None))
        if bounds:
            field.widget.attrs.setdefault("min", bounds[0])
            field.widget.attrs.setdefault("max", bounds[1])


class BoundedFieldsMixin:
    """Every form of Parcours derives from it (through BoundedForm and BoundedModelForm):
    its dates are bounded (`date_in_bounds`), including those of fields a form adds
    after it is made. Text lengths are each field's own `max_length`, which
    tests/proofs/test_forms.py requires of every text field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self.fields)

    def full_clean(self):
        bound_dates(self.fields)
        super().full_clean()


class BoundedForm(BoundedFieldsMixin, forms.Form):
    pass


class BoundedModelForm(BoundedFieldsMixin, forms.ModelForm):
    pass


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
