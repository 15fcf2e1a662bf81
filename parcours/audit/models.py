"""The audit trail.

django-auditlog writes the rows (create, update, delete through model signals, and
"access" for reads, which views record explicitly); this module only swaps in a model
that also knows the centre, so a centre's trail is one indexed filter, and that cannot
be changed once written. Security events (failed logins, refused accesses) are not
about one object, hence their own table.
"""

import contextlib

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, transaction

from .enums import ACTION_LABELS, SecurityEventKind


class ImmutableRowError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRowError("Le journal d'audit ne peut pas être modifié.")

    def delete(self):
        raise ImmutableRowError("Le journal d'audit ne peut pas être supprimé.")

    def purge(self):
        """Delete these rows. Reserved to `parcours.privacy.services`: the end of the
        retention period of the trail, and the anonymisation of a file (whose rows go
        with it). `tests/test_consistency.py` checks that nothing else calls it. On
        PostgreSQL a trigger refuses any other DELETE (migration 0005)."""
        with purge_allowed(self.db):
            return models.QuerySet.delete(self)


@contextlib.contextmanager
def purge_allowed(using):
    """Let DELETEs of the trail and of the login records through the PostgreSQL
    triggers (migrations 0005, 0006), inside this block only: the flag is set for
    its own transaction, and set back before anything else runs in it. Reserved to
    the purge, like `AppendOnlyQuerySet.purge`."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('parcours.audit_purge', 'on', true)")
        yield
        cursor.execute("SELECT set_config('parcours.audit_purge', 'off', true)")


class AuditEventManager(LogEntryManager.from_queryset(AppendOnlyQuerySet)):
    def log_create(self, instance, force_log=False, **kwargs):
        kwargs.setdefault("centre_id", getattr(instance, "centre_id", None))
        kwargs.setdefault("person_id", getattr(instance, "person_id", None))
        # The label names the kind of object and its number, never its content: a
        # person's name or a health note must not be copied into the trail.
        kwargs.setdefault("object_repr", f"{instance._meta.verbose_name} n° {instance.pk}")
        return super().log_create(instance, force_log=force_log, **kwargs)


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError("Le journal d'audit ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError("Le journal d'audit ne peut pas être supprimé.")


class AuditEvent(AppendOnlyModel, AbstractLogEntry):  # noqa: DJ008  (__str__ from auditlog)
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name="centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The person whose file the object belongs to, so that a file's trail gathers its
    # referrals, contracts and confidential section with the file itself.
    person_id = models.BigIntegerField("dossier", null=True, blank=True, db_index=True)

    objects = AuditEventManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "événement d'audit"
        verbose_name_plural = "journal d'audit"
        indexes = [
            models.Index(fields=["centre", "-timestamp"], name="audit_centre_time"),
            models.Index(fields=["content_type", "object_pk"], name="audit_object"),
        ]

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]

    def changed_field_labels(self):
        """The French names of the fields this event touched (not their values)."""
        model = self.content_type.model_class()
        labels = []
        for name in self.changes_dict:
            try:
                field = model._meta.get_field(name)
            except (AttributeError, FieldDoesNotExist):
                labels.append(name)
                continue
            # A reverse relation has no label of its own: name it after what it holds.
            label = getattr(field, "verbose_name", None)
            labels.append(str(label or field.related_model._meta.verbose_name_plural))
        return labels


class SecurityEvent(AppendOnlyModel):
    kind = models.CharField("type", max_length=20, choices=SecurityEventKind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name="centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField("identifiant saisi", max_length=254, blank=True)
    path = models.CharField("adresse demandée", max_length=500, blank=True)
    method = models.CharField("méthode", max_length=10, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    timestamp = models.DateTimeField("date", auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "événement de sécurité"
        verbose_name_plural = "événements de sécurité"
        ordering = ["-timestamp"]
        indexes = [models.Index(fields=["centre", "-timestamp"], name="security_centre_time")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.timestamp:%d/%m/%Y %H:%M}"
