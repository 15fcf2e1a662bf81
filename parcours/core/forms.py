class FieldsetsMixin:
    """A form listing `FIELDSETS = [(legend, [field names])]` renders as fieldsets
    (templates/fieldsets.html), which long forms need to stay readable."""

    FIELDSETS = []

    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]
