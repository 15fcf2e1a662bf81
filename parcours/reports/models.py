from django.conf import settings
from django.db import models

from parcours.centres.models import Centre, CentreScopedQuerySet, Programme


class Narrative(models.Model):
    """The coordinator's text for one section of the report of one period."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, verbose_name="action", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField("du")
    end = models.DateField("au")
    section = models.CharField("partie", max_length=40)
    text = models.TextField("commentaire", max_length=20000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "commentaire du bilan"
        verbose_name_plural = "commentaires du bilan"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "start", "end", "section"], name="one_narrative_per_section"
            )
        ]

    def __str__(self):
        return f"Commentaire n° {self.pk}"
