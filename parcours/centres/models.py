import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from parcours.core.states import StateMachine, StatusChange

from .enums import InvitationStatus, Role, SchoolZone


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
    # When the user last chose to work in this centre: after login they start in the
    # centre they last used, never in one they were attached to since.
    last_used_at = models.DateTimeField("dernier choix", null=True, blank=True, editable=False)

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


INVITATION_DAYS = 14


def invitation_token_hash(token):
    """The stored form of an invitation link's token. A plain SHA-256 is enough: the
    token is 32 random bytes, not a password to brute-force, and the lookup must be one
    indexed equality."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(CentreScopedQuerySet):
    def pending(self):
        return self.filter(status=InvitationStatus.PENDING)

    def by_token(self, token):
        return self.filter(token_hash=invitation_token_hash(token))


class Invitation(StateMachine, models.Model):
    """An offer of a role in a centre, sent by e-mail to an address. No membership exists
    until the account holder accepts it through the link: an admin never attaches an
    account by naming its address, nor learns whether it exists or where else it works.

    The link's token is minted when the e-mail is sent (`centres.tasks`) and only its
    hash is stored: the database, a backup or the task queue never hold a working link.
    Resending mints a new token, which retires the previous link."""

    TRANSITIONS = {
        InvitationStatus.PENDING: {InvitationStatus.ACCEPTED, InvitationStatus.REVOKED},
    }

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField("adresse e-mail")
    role = models.CharField("rôle", max_length=20, choices=Role)
    status = models.CharField(
        "état", max_length=20, choices=InvitationStatus, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="invitée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # NULL until the worker sends the first link: unique, and "" would collide.
    token_hash = models.CharField(  # noqa: DJ001
        "empreinte du lien", max_length=64, unique=True, null=True, editable=False
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="acceptée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    # The hash opens nothing, but it is no business of the trail either.
    AUDIT_EXCLUDED_FIELDS = ("token_hash",)

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "email"],
                condition=models.Q(status=InvitationStatus.PENDING),
                name="one_pending_invitation_per_address",
            )
        ]

    def __str__(self):
        return f"Invitation de {self.email} ({self.centre})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self.expires_at is None:
            self.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
        super().save(*args, **kwargs)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_open(self):
        """The link may still be accepted."""
        return self.status == InvitationStatus.PENDING and not self.is_expired

    @property
    def closed_message(self):
        """Why the link no longer opens anything, in French; empty while it does."""
        if self.status == InvitationStatus.ACCEPTED:
            return "Cette invitation a déjà été acceptée : le lien ne sert qu'une fois."
        if self.status == InvitationStatus.REVOKED:
            return "Cette invitation a été annulée par le centre."
        if self.is_expired:
            return (
                "Ce lien d'invitation a expiré. Demandez à l'administration du centre de "
                "vous l'envoyer de nouveau."
            )
        return ""

    def new_token(self):
        """Mint the link's token, keep its hash and a fresh expiry; return the token
        (the caller saves the invitation and puts the token in the e-mail, nowhere else)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = invitation_token_hash(token)
        self.sent_at = timezone.now()
        self.expires_at = self.sent_at + timedelta(days=INVITATION_DAYS)
        return token


class InvitationTransition(StatusChange):
    """One row per status change of an invitation: accepted, or revoked by whom."""

    invitation = models.ForeignKey(
        Invitation,
        verbose_name="invitation",
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField("avant", max_length=20, choices=InvitationStatus)
    to_status = models.CharField("après", max_length=20, choices=InvitationStatus)

    class Meta(StatusChange.Meta):
        verbose_name = "changement d'état d'une invitation"
        verbose_name_plural = "changements d'état des invitations"
