"""State machines: a status that follows rules, and the log of its changes.

A model with a `status` field mixes in `StateMachine` and declares, in one table
(`TRANSITIONS`), which status may follow which; its log is a `StatusChange` subclass
whose foreign key to the record is named `related_name="transitions"`. Every change
goes through `move_to` (or `move_all` for many records at once), which refuses an
illegal change and writes who, when, from, to and why. A record's first status is its
starting state, not a change: it writes no row (the record's own creation date says
when).

The libraries (django-fsm-2, viewflow.fsm) decorate one method per transition and log
through a second package; a table and two methods say the same for our few machines,
and keep the log a plain model that anonymisation and the file's export can read.
`Referral` and its `ReferralEvent` predate this module and keep their own table.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class StatusChange(models.Model):
    """One change of a record's status. A subclass adds the foreign key to its record
    (`related_name="transitions"`, PROTECT: the history never vanishes) and the two
    statuses, `from_status` and `to_status`, with the record's choices."""

    at = models.DateTimeField("le", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide quand le changement est automatique (archivage, démonstration).",
    )
    reason = models.TextField("motif", blank=True, max_length=2000)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class StateMachine:
    """Mixin for a model whose `status` follows `TRANSITIONS` ({status: {the statuses
    it may become}}); a status missing from the table is final."""

    TRANSITIONS = {}

    def can_become(self, status):
        return status in self.TRANSITIONS.get(self.status, ())

    def move_to(self, status, *, by, reason=""):
        """Apply one allowed change and write its log row; the caller saves the record
        (with whatever else the change sets) in the same transaction."""
        self._log_model().objects.create(**self._change(status, by=by, reason=reason))
        self.status = status

    @classmethod
    def _log_model(cls):
        return cls.transitions.rel.related_model

    def _change(self, status, *, by, reason):
        if not self.can_become(status):
            labels = dict(self._meta.get_field("status").flatchoices)
            raise ValidationError(
                f"Changement d'état impossible ({self._meta.verbose_name}) : "
                f"« {labels[self.status]} » ne peut pas devenir « {labels[status]} »."
            )
        return {
            type(self).transitions.field.name: self,
            "from_status": self.status,
            "to_status": status,
            "by": by,
            "reason": reason,
        }


def move_all(records, status, *, by, reason="", fields=()):
    """`move_to` for many records of one model at once (a demo's history): each change
    is checked, then the log rows and the records are written in bulk, with the
    records' `fields` besides their status."""
    if not records:
        return
    changes = [record._change(status, by=by, reason=reason) for record in records]
    model = type(records[0])
    log = model._log_model()
    log.objects.bulk_create([log(**change) for change in changes], batch_size=1000)
    for record in records:
        record.status = status
    model.objects.bulk_update(records, ["status", *fields], batch_size=1000)


class StatusFormMixin:
    """For the model form of a `StateMachine` record with a `status` field: the field
    offers the record's status and those it may become (every status for a new record:
    its starting state), and the view saves with `save_moving(by=…)`, which moves the
    status through the machine, with its log row, and saves the record once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Validating the form writes the chosen status onto the instance: the change
        # starts from the status the record was loaded with.
        self.loaded_status = self.instance.status if self.instance.pk else None
        if self.loaded_status is not None:
            field = self.fields["status"]
            field.choices = [
                (value, label)
                for value, label in field.choices
                if value == self.loaded_status or self.instance.can_become(value)
            ]
            field.error_messages["invalid_choice"] = (
                f"Cet état ne peut pas suivre « {self.instance.get_status_display()} »."
            )

    def save_moving(self, *, by):
        record = self.save(commit=False)
        if self.loaded_status is not None and record.status != self.loaded_status:
            chosen, record.status = record.status, self.loaded_status
            record.move_to(chosen, by=by)
        record.save()
        self.save_m2m()
        return record
