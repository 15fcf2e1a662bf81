from django import forms

# The browser's own pickers; values in ISO format whatever the page language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FieldsetsMixin:
    """A form listing `FIELDSETS = [(legend, [field names])]` renders as fieldsets
    (templates/fieldsets.html), which long forms need to stay readable."""

    FIELDSETS = []

    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]
