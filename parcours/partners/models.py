from django.db import models
from django.db.models.functions import Lower
from phonenumber_field.modelfields import PhoneNumberField

from parcours.centres.models import Centre, CentreScopedQuerySet
from parcours.core.forms import NOTES_MAX_LENGTH
from parcours.core.search import name_key

from .enums import PartnerKind, Theme


class Partner(models.Model):
    """An organisation of the centre's network: it refers people, receives relays."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de structure", max_length=30, choices=PartnerKind)
    # Themes are few, fixed and filtered on: one flag each keeps filters and report
    # counts plain column lookups on SQLite and PostgreSQL alike.
    theme_health = models.BooleanField(Theme.HEALTH.label, default=False)
    theme_employment = models.BooleanField(Theme.EMPLOYMENT.label, default=False)
    theme_housing = models.BooleanField(Theme.HOUSING.label, default=False)
    theme_daily_life = models.BooleanField(Theme.DAILY_LIFE.label, default=False)
    theme_youth = models.BooleanField(Theme.YOUTH.label, default=False)
    theme_parenting = models.BooleanField(Theme.PARENTING.label, default=False)
    theme_justice = models.BooleanField(Theme.JUSTICE.label, default=False)
    theme_addictions = models.BooleanField(Theme.ADDICTIONS.label, default=False)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    phone = PhoneNumberField("téléphone", blank=True, region="FR")
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("site web", blank=True)
    notes = models.TextField("notes", blank=True, max_length=NOTES_MAX_LENGTH)
    search_key = models.CharField(max_length=200, editable=False, db_index=True)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("centre", Lower("name"), name="partner_name_per_centre")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def themes(self):
        return [theme for theme in Theme if getattr(self, f"theme_{theme.value}")]


class PartnerContact(models.Model):
    """A named professional of a partner organisation."""

    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, related_name="contacts"
    )
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100)
    job_title = models.CharField("fonction", max_length=150, blank=True)
    phone = PhoneNumberField("téléphone", blank=True, region="FR")
    email = models.EmailField("e-mail", blank=True)

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.job_title})" if self.job_title else name

    @property
    def centre_id(self):
        # Audit rows and policy checks ask every case object for its centre.
        return self.partner.centre_id
