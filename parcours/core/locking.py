"""No lost update: optimistic locking of a person's file and of a pathway.

Two people may open the same file at once. Every form that edits a file or a pathway
carries, in a hidden field, the version of the record it was loaded from
(`Person.version`, `Pathway.version`). Saving first claims that version with one
conditional UPDATE (`... WHERE pk = … AND version = <loaded>`, version + 1) in the
save's transaction: if someone saved in between, it matches no row, nothing is
written, and the form comes back (status 409) saying who saved, when, and each field
whose stored value now differs from what was typed, marking those the other save
changed (the form also carries, signed, a digest of each value it was opened with —
never the values: the confidential section's text must not travel twice), so the
change can be re-applied knowingly.

One version guards several tables (a file's confidential section, a pathway's goals
and appointments), which django-concurrency, built around a model's own saves and its
own field type, does not fit; these few lines do.

The trail row of each new version names who saved it. That row is written and read
through django-auditlog's configured entry model (as `get_user_model()` for users), so
this base module needs no app of the project.
"""

import datetime
from dataclasses import dataclass

from auditlog import get_logentry_model
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.choices import flatten_choices
from django.utils.crypto import salted_hmac

CONFLICT_STATUS = 409
STALE_FORM = "Ce formulaire est incomplet ou périmé : rechargez la page puis recommencez."
# The records that carry a version, as the conflict message names them.
SUBJECTS = {"person": "Ce dossier", "pathway": "Ce parcours"}
EMPTY = "(vide)"
# The hidden field that carries what the form showed when it was opened.
LOADED = "loaded"
LOADED_SALT = "parcours.core.locking.loaded"


class EditConflict(Exception):
    """Someone saved the record after the editor loaded it."""


def version_claim(*, record, version):
    """Take `record` from `version` to the next one, or raise EditConflict.

    The conditional UPDATE waits for any concurrent save of the row to commit, then
    re-reads the version, so of two simultaneous saves exactly one matches. The trail
    row names who made the new version, for the other editor's conflict message.
    """
    model = type(record)
    claimed = model._default_manager.filter(pk=record.pk, version=version).update(
        version=version + 1
    )
    if not claimed:
        raise EditConflict(record)
    record.version = version + 1
    LogEntry = get_logentry_model()
    LogEntry.objects.log_create(
        record,
        action=LogEntry.Action.UPDATE,
        changes={"version": [str(version), str(version + 1)]},
        additional_data={"version": version + 1},
    )


def version_author(record):
    """The trail row of the save that made `record`'s current version, if still kept."""
    return (
        get_logentry_model()
        .objects.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_pk=str(record.pk),
            additional_data__version=record.version,
        )
        .select_related("actor")
        .order_by("-timestamp")
        .first()
    )


@dataclass(frozen=True)
class Difference:
    label: str
    stored: str
    entered: str
    # The other save changed it (stored now differs from what the form was opened
    # with); otherwise the difference is the editor's own entry.
    changed_meanwhile: bool = False


@dataclass(frozen=True)
class Conflict:
    subject: str
    saved: object | None  # the trail row of the other save, if still kept
    differences: list[Difference]

    @property
    def message(self):
        who = ""
        if self.saved is not None:
            when = timezone.localtime(self.saved.timestamp)
            who = f" le {when:%d/%m/%Y} à {when:%H:%M}"
            if self.saved.actor is not None:
                who = f" par {self.saved.actor}{who}"
        return (
            f"{self.subject} a été modifié{who} pendant que vous le modifiiez : votre "
            "saisie n'est pas enregistrée. Comparez ci-dessous : si vous enregistrez à "
            "nouveau, votre saisie remplacera ce qui est enregistré maintenant ; reprenez "
            "d'abord dans le formulaire ce que vous voulez garder de l'autre modification."
        )


def displayed(field, value):
    """A field's value as a person reads it, for comparing a stored value with a typed one."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (models.QuerySet, list, tuple)):
        return ", ".join(sorted(str(item) for item in value)) or EMPTY
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(flatten_choices(field.choices)).get(value, value))
    return str(value)


LOADED_MAX_LENGTH = 20_000


def _digest(value):
    return salted_hmac(LOADED_SALT, value).hexdigest()[:20]


class VersionLockMixin:
    """For a form editing a file or a pathway: `lock` is the Person or Pathway whose
    version guards the save (None when the form creates something, which overwrites
    nothing). The view saves with `form.save_locked()` and renders with
    `status=form.response_status`."""

    def __init__(self, *args, lock, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock, self.conflict, self.loaded_version = lock, None, None
        if lock is not None:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                initial=lock.version,
                min_value=1,
                max_value=2**31 - 1,
                error_messages={
                    key: STALE_FORM for key in ("required", "invalid", "min_value", "max_value")
                },
            )
            # Filled when the form is shown (a callable initial), after the subclass
            # has set its fields.
            # A signed digest of 20 characters per field: a few kilobytes for the
            # longest form, far below the limit.
            self.fields[LOADED] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                max_length=LOADED_MAX_LENGTH,
                initial=self._snapshot,
            )

    def clean(self):
        cleaned = super().clean()
        if "version" in self._errors:
            # A hidden field's error would show nowhere: it goes on top of the form.
            del self._errors["version"]
            self.add_error(None, STALE_FORM)
        # Out of cleaned_data, so that services taking **cleaned_data never see them.
        self.loaded_version = cleaned.pop("version", None)
        cleaned.pop(LOADED, None)
        return cleaned

    def save_locked(self, write=None):
        """Run `write` (by default the form's save) if the record is still at the loaded
        version, in one transaction; otherwise write nothing, show the conflict on the
        form and return False."""
        write = write or self.save
        if self.lock is None:
            write()
            return True
        try:
            with transaction.atomic():
                version_claim(record=self.lock, version=self.loaded_version)
                write()
        except EditConflict:
            self._show_conflict()
            return False
        return True

    @property
    def response_status(self):
        return CONFLICT_STATUS if self.conflict else 200

    def stored_instance(self):
        """The edited object as stored now (a ModelForm's instance, read again)."""
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return None
        return type(instance)._default_manager.filter(pk=instance.pk).first()

    def stored_values(self):
        """The values stored now for the form's fields; forms whose fields are not
        those of one object say where theirs are."""
        return self._values_of(self.stored_instance())

    def _values_of(self, instance):
        if instance is None:
            return {}
        values = {}
        for name in self.fields:
            value = getattr(instance, name, None)
            values[name] = list(value.all()) if isinstance(value, models.Manager) else value
        return values

    def _shown(self, values):
        return {
            name: displayed(field, values.get(name))
            for name, field in self.fields.items()
            if name not in ("version", LOADED)
        }

    def _snapshot(self, shown=None):
        """A digest of each value the form is opened with, signed (sent back with it):
        enough to tell which values changed since, without carrying them. A model
        form is opened on its instance, just read: no need to read it again."""
        if shown is None:
            instance = getattr(self, "instance", None)
            values = self.stored_values() if instance is None else self._values_of(instance)
            shown = self._shown(values)
        return signing.dumps(
            {name: _digest(value) for name, value in shown.items()}, salt=LOADED_SALT
        )

    def _loaded(self):
        try:
            return signing.loads(self.data.get(self.add_prefix(LOADED), ""), salt=LOADED_SALT)
        except signing.BadSignature:
            return {}  # an old or forged page: every difference is shown as the editor's

    def _show_conflict(self):
        current = type(self.lock)._default_manager.filter(pk=self.lock.pk).first()
        if current is None:
            raise Http404("Cet élément a été supprimé.")
        stored = self._shown(self.stored_values())
        loaded = self._loaded()
        differences = [
            Difference(
                str(field.label),
                now,
                entered,
                changed_meanwhile=name in loaded and loaded[name] != _digest(now),
            )
            for name, field in self.fields.items()
            if name not in ("version", LOADED)
            and (now := stored[name]) != (entered := displayed(field, self.cleaned_data.get(name)))
        ]
        self.conflict = Conflict(
            subject=SUBJECTS.get(current._meta.model_name, "Ce dossier"),
            saved=version_author(current),
            differences=differences,
        )
        # Sent again, the form now carries the current version: saving re-applies what
        # the editor sees on the page, knowingly.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version
        self.data[self.add_prefix(LOADED)] = self._snapshot(stored)
        self.add_error(None, self.conflict.message)
