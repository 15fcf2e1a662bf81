"""What the privacy work records of its own: the legal holds that keep a file, and the
erasure requests with their outcome. The retention dates themselves live on the file
(`Person.archived_on`, `Person.anonymised_on`)."""

from django.conf import settings
from django.db import models

from parcours.audit.registry import ALL
from parcours.people.models import Person

from .enums import ErasureChannel, ErasureOutcome


class LegalHoldQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(lifted_on__isnull=True)


class LegalHold(models.Model):
    """A legal reason to keep a file, recorded by the coordinator (a dispute, a request
    from a court, a funder's audit in progress). While it stands, neither an erasure
    request nor the retention command anonymises the file."""

    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField("motif de conservation", max_length=2000)
    recorded_on = models.DateField("décidée le")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    lifted_on = models.DateField("levée le", null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    # The reason may tell about the person's situation: the trail records that it
    # changed, not what it says.
    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "conservation pour motif légal"
        verbose_name_plural = "conservations pour motif légal"
        ordering = ["-recorded_on", "-pk"]

    def __str__(self):
        return f"Conservation n° {self.pk}"

    @property
    def centre_id(self):
        return self.person.centre_id


class ErasureRequest(models.Model):
    """A person asked for their file to be erased (GDPR art. 17): when they asked, how,
    and what was done. The refusal reason is written by Parcours from the legal
    reasons found (see services.legal_reasons), never typed: it stays readable after
    the file is anonymised."""

    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    requested_on = models.DateField("demande reçue le")
    channel = models.CharField("demande faite", max_length=20, choices=ErasureChannel)
    outcome = models.CharField("suite donnée", max_length=10, choices=ErasureOutcome)
    refusal_reason = models.TextField("motif du refus", blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "demande d'effacement"
        verbose_name_plural = "demandes d'effacement"
        ordering = ["-requested_on", "-pk"]

    def __str__(self):
        return f"Demande d'effacement n° {self.pk}"

    @property
    def centre_id(self):
        return self.person.centre_id
