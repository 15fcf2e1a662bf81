from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .enums import Role, SchoolZone


class CentreQuerySet(models.QuerySet):
    def with_member(self, user):
        """The centres `user` is a member of, whatever their role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Centre(models.Model):
    """A social centre. Every row of case data belongs to exactly one centre."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant court", unique=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    department = models.CharField(
        "département",
        max_length=3,
        blank=True,
        help_text="Numéro du département, par exemple 57 pour la Moselle.",
    )
    school_zone = models.CharField(
        "zone de vacances scolaires", max_length=1, choices=SchoolZone, default=SchoolZone.B
    )
    absences_before_alert = models.PositiveSmallIntegerField(
        "absences de suite avant alerte",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=(
            "Une personne absente autant de fois de suite à ses ateliers apparaît sur "
            "l'accueil de la coordination."
        ),
    )
    # Data protection: who answers for the files, and how long they are kept (CNIL
    # référentiel for social accompaniment: active base 2 years after the last contact).
    privacy_contact = models.TextField(
        "contact pour la protection des données",
        blank=True,
        max_length=2000,
        help_text=(
            "Délégué à la protection des données ou personne à contacter : nom, adresse, "
            "e-mail. Imprimé sur la notice d'information remise aux personnes."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        "conservation après le dernier contact (mois)",
        default=24,
        validators=[MinValueValidator(12), MaxValueValidator(36)],
        help_text="Un dossier sans contact depuis cette durée est archivé (12 à 36 mois).",
    )
    archive_months = models.PositiveSmallIntegerField(
        "durée d'archivage avant anonymisation (mois)",
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
        help_text=(
            "Un dossier archivé n'est lisible que par l'administration du centre, pour "
            "preuve ; il est anonymisé au terme de cette durée (0 à 120 mois)."
        ),
    )
    audit_retention_months = models.PositiveSmallIntegerField(
        "conservation du journal d'accès (mois)",
        default=12,
        validators=[MinValueValidator(6), MaxValueValidator(12)],
        help_text="Les traces d'accès et de modification sont effacées après (6 à 12 mois).",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = "centre"
        verbose_name_plural = "centres"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def centre_id(self):
        # Lets audit and policy code ask any case object, the centre included, for its centre.
        return self.pk


class CentreScopedQuerySet(models.QuerySet):
    """Queryset of a model with a `centre` foreign key: what a user may reach."""

    def of_member_centres(self, user):
        """The rows of the centres `user` is a member of, whatever their role: the
        tenancy fence. Which of them a role then sees is asked of parcours.policy."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(centre__memberships__user=user)

    def of_centre(self, centre):
        return self.filter(centre=centre)


class Programme(models.Model):
    """A funded programme ("action") of a centre, e.g. "Objectif : Insertion(s)"."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant court")
    description = models.TextField("description", blank=True, max_length=5000)
    started_on = models.DateField("début de l'action", null=True, blank=True)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "slug"], name="programme_slug_per_centre")
        ]

    def __str__(self):
        return self.name


class Place(models.Model):
    """A place where the centre receives people or runs workshops."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=255)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="place_name_per_centre")
        ]

    def __str__(self):
        return self.name


class MembershipQuerySet(CentreScopedQuerySet):
    def active(self):
        return self.filter(user__is_active=True)


class Membership(models.Model):
    """A user's role in one centre. A user may belong to several centres."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=Role)
    created_at = models.DateTimeField("depuis le", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rôle dans un centre"
        verbose_name_plural = "rôles dans les centres"
        ordering = ["centre__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "centre"], name="one_role_per_centre")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.centre})"
