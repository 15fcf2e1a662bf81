from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from parcours.audit.registry import ALL
from parcours.centres.models import Centre, CentreScopedQuerySet
from parcours.core.forms import NOTES_MAX_LENGTH
from parcours.core.search import name_key
from parcours.partners.models import Partner, PartnerContact

from . import file
from .crypto import EncryptedTextField
from .enums import (
    Benefit,
    Difficulty,
    Direction,
    EducationLevel,
    FrenchLevel,
    Household,
    PersonStatus,
    ReferralStatus,
    RsaOrientation,
    Sex,
)


class Neighbourhood(models.Model):
    """A neighbourhood of the centre's area; reports count people by neighbourhood and QPV."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="neighbourhoods"
    )
    name = models.CharField("nom", max_length=100)
    is_qpv = models.BooleanField(
        "quartier prioritaire (QPV)",
        default=False,
        help_text="Quartier prioritaire de la politique de la ville.",
    )
    streets = models.TextField(
        "rues",
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        help_text=(
            "Une rue par ligne : le quartier d'une personne s'en déduit à partir de son adresse."
        ),
    )

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "quartier"
        verbose_name_plural = "quartiers"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="neighbourhood_name_per_centre")
        ]

    def __str__(self):
        return f"{self.name} (QPV)" if self.is_qpv else self.name

    def street_keys(self):
        return [name_key(line) for line in self.streets.splitlines() if line.strip()]

    @classmethod
    def finder(cls, centre):
        """A function giving the centre's neighbourhood whose street list contains an
        address's street, or None; the street lists are read once, however many
        addresses it is then asked about (an import)."""
        streets = [
            (neighbourhood, neighbourhood.street_keys())
            for neighbourhood in cls.objects.of_centre(centre).exclude(streets="")
        ]

        def find(address):
            key = f" {name_key(address)} "
            for neighbourhood, keys in streets:
                # Whole words: "rue de Metz" is not "rue de Metzervisse".
                if any(f" {street} " in key for street in keys):
                    return neighbourhood
            return None

        return find

    @classmethod
    def for_address(cls, centre, address):
        """The centre's neighbourhood whose street list contains the address's street."""
        return cls.finder(centre)(address)


class PersonQuerySet(CentreScopedQuerySet):
    def current(self):
        """The files not archived: an archived file leaves every list, search, count and
        lookup (only the admin's archive view reads it, see parcours.privacy)."""
        return self.filter(archived_on__isnull=True)

    def lookalikes(self, centre, last_name, first_name, birth_date):
        """The centre's current people with this name, spelling aside, and this birth
        date (or any birth date when it is not known yet). Someone whose old file was
        archived comes back with a new one."""
        people = self.of_centre(centre).current().filter(search_key=name_key(last_name, first_name))
        return people.filter(birth_date=birth_date) if birth_date else people

    def referred_by(self, user):
        """The people `user` referred to the centre (a partner worker's people)."""
        referred = Referral.objects.filter(
            person=OuterRef("pk"), direction=Direction.IN, referrer_user=user
        )
        return self.filter(Exists(referred))


class PersonRecordQuerySet(CentreScopedQuerySet):
    """Queryset of a record of a person's file (referral, pathway, appointment): it
    leaves every user's reach with the file when the file is archived."""

    def current(self):
        return self.filter(person__archived_on__isnull=True)

    def of_member_centres(self, user):
        return super().of_member_centres(user).current()


class Person(models.Model):
    """A person followed by the programme (personne accompagnée)."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="people"
    )
    # Identity
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    sex = models.CharField("sexe", max_length=10, choices=Sex, blank=True)
    phone = PhoneNumberField("téléphone", blank=True, region="FR")
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name="quartier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    # Household
    household = models.CharField(
        "situation familiale", max_length=20, choices=Household, blank=True
    )
    children_count = models.PositiveSmallIntegerField(
        "enfants à charge", default=0, validators=[MaxValueValidator(30)]
    )
    children_ages = models.CharField(
        "âge des enfants", max_length=100, blank=True, help_text="Par exemple : 3, 7, 12"
    )
    # Income
    benefit = models.CharField("ressources principales", max_length=20, choices=Benefit, blank=True)
    rsa_orientation = models.CharField(
        "orientation RSA du Département", max_length=20, choices=RsaOrientation, blank=True
    )
    rights_end_on = models.DateField("fin de droits le", null=True, blank=True)
    # Difficulties, several at once (see enums.Difficulty)
    difficulty_financial = models.BooleanField("difficultés financières", default=False)
    difficulty_health = models.BooleanField("difficultés de santé", default=False)
    difficulty_housing = models.BooleanField("difficultés de logement", default=False)
    difficulty_isolation = models.BooleanField("isolement social ou familial", default=False)
    difficulty_language = models.BooleanField("barrière de la langue", default=False)
    difficulty_mobility = models.BooleanField("difficultés de mobilité", default=False)
    difficulty_childcare = models.BooleanField("garde d'enfants", default=False)
    french_level = models.CharField(
        "niveau de français", max_length=20, choices=FrenchLevel, blank=True
    )
    education_level = models.CharField(
        "niveau de diplôme", max_length=10, choices=EducationLevel, blank=True
    )
    disability_recognised = models.BooleanField(
        "handicap reconnu (RQTH, AAH…)",
        default=False,
        help_text="Demandé par le FSE+ ; ne noter que ce que la personne a accepté de dire.",
    )
    # RSA referent (référent unique)
    rsa_referent_name = models.CharField("référent RSA", max_length=150, blank=True)
    rsa_referent_partner = models.ForeignKey(
        Partner,
        verbose_name="structure du référent RSA",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rsa_referred_people",
    )
    rsa_referent_phone = PhoneNumberField("téléphone du référent", blank=True, region="FR")
    rsa_referent_email = models.EmailField("e-mail du référent", blank=True)
    notes = models.TextField("notes", blank=True, max_length=NOTES_MAX_LENGTH)
    # Kept up to date by the services (referral admitted, pathway closed…).
    status = models.CharField(
        "situation", max_length=20, choices=PersonStatus, default=PersonStatus.REFERRED
    )
    search_key = models.CharField(max_length=220, editable=False, db_index=True)
    # Retention (see privacy services): archived files are kept for legal proof only,
    # anonymised ones keep what past reports count and nothing that identifies.
    archived_on = models.DateField("archivé le", null=True, blank=True, editable=False)
    # The day the daily retention command first listed the file as soon archived: it is
    # not archived before it has been listed for 30 days (privacy.retention).
    retention_listed_on = models.DateField(
        "signalé avant archivage le", null=True, blank=True, editable=False
    )
    anonymised_on = models.DateField("anonymisé le", null=True, blank=True, editable=False)
    # Optimistic locking: bumped by every save through a form, checked against the
    # version the editor loaded.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PersonQuerySet.as_manager()

    # Nothing of a file reaches the audit trail but which fields changed.
    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "personne accompagnée"
        verbose_name_plural = "personnes accompagnées"
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["centre", "search_key", "birth_date"], name="person_identity"),
            models.Index(fields=["centre", "status"], name="person_status"),
        ]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self, find_neighbourhood=None):
        """The search key, and the neighbourhood deduced from the address when none is
        chosen; `find_neighbourhood` (a `Neighbourhood.finder`) when saving many."""
        self.search_key = name_key(self.last_name, self.first_name)
        if self.neighbourhood_id is None and self.address:
            find = find_neighbourhood or Neighbourhood.finder(self.centre)
            self.neighbourhood = find(self.address)

    @property
    def person_id(self):
        # Lets the audit trail ask any object of a file, the file included, whose it is.
        return self.pk

    @property
    def difficulties(self):
        return [d for d in Difficulty if getattr(self, f"difficulty_{d.value}")]

    def prefetch_history(self):
        """Read, one query per kind, what `timeline` lists: the file page shows most of
        these lists too and then reads them from here, not a second time. Relations
        already read are not read again."""
        lookups = [lookup for part in file.timelines() for lookup in part.prefetch()]
        prefetch_related_objects([self], *lookups)
        return self

    def timeline(self):
        """Everything that happened in this file, newest first: one query per kind of
        event, whatever the length of the history."""
        self.prefetch_history()
        entries = [entry for part in file.timelines() for entry in part.entries(self)]
        return sorted(entries, key=lambda entry: entry.date, reverse=True)

    def possible_duplicates(self):
        """People of the same centre with the same name and birth date, spelling aside."""
        return (
            Person.objects.of_centre(self.centre)
            .current()
            .filter(
                search_key=name_key(self.last_name, self.first_name), birth_date=self.birth_date
            )
            .exclude(pk=self.pk)
        )


class ConfidentialNote(models.Model):
    """Health, addiction and violence information (GDPR art. 9).

    Kept apart from the file so that one rule guards it (policy.can_view_confidential),
    every read of it is audited, and the trail never holds its text.
    """

    person = models.OneToOneField(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="confidential"
    )
    health = EncryptedTextField("santé", blank=True, max_length=NOTES_MAX_LENGTH)
    addictions = EncryptedTextField("addictions", blank=True, max_length=NOTES_MAX_LENGTH)
    violence = EncryptedTextField("violences subies", blank=True, max_length=NOTES_MAX_LENGTH)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "volet confidentiel"
        verbose_name_plural = "volets confidentiels"

    def __str__(self):
        return f"Volet confidentiel n° {self.pk}"

    @property
    def centre_id(self):
        return self.person.centre_id


class RsaContract(models.Model):
    """The RSA engagement contract (contrat d'engagement réciproque, CER)."""

    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="rsa_contracts"
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    goals = models.TextField("objectifs du contrat", max_length=5000)

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "contrat d'engagement RSA (CER)"
        verbose_name_plural = "contrats d'engagement RSA (CER)"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cer_ends_after_start"
            )
        ]

    def __str__(self):
        return f"CER du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    @property
    def centre_id(self):
        return self.person.centre_id


class Referral(models.Model):
    """An orientation: incoming (a social worker sends the person to the programme) or,
    later, outgoing (a relay to a partner)."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="referrals"
    )
    direction = models.CharField("sens", max_length=3, choices=Direction, default=Direction.IN)
    partner = models.ForeignKey(
        Partner,
        verbose_name="structure qui oriente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="Laisser vide si la personne vient d'elle-même.",
    )
    contact = models.ForeignKey(
        PartnerContact,
        verbose_name="professionnel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    referrer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte du travailleur social",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        help_text="Le travailleur social partenaire qui suit la personne dans Parcours.",
    )
    received_on = models.DateField("reçue le")
    reason = models.TextField("motif de l'orientation", max_length=5000)
    expectations = models.TextField("attentes de la personne", blank=True, max_length=5000)
    status = models.CharField(
        "état", max_length=20, choices=ReferralStatus, default=ReferralStatus.RECEIVED
    )
    intake_on = models.DateTimeField("entretien d'accueil prévu le", null=True, blank=True)
    decided_on = models.DateField("décision le", null=True, blank=True)
    decision_reason = models.TextField("motif de la décision", blank=True, max_length=5000)
    # Relays only: what was passed on (with the person's consent) and when to check.
    shared_information = models.TextField(
        "informations transmises",
        blank=True,
        max_length=5000,
        help_text="Seulement ce que la personne a accepté de partager.",
    )
    follow_up_on = models.DateField("relancer le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = PersonRecordQuerySet.as_manager()

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["centre", "status"], name="referral_status")]

    def __str__(self):
        return f"Orientation du {self.received_on:%d/%m/%Y}"

    def check_admission_on(self, started_on):
        """A pathway cannot begin before the referral arrived, nor before its planned
        intake interview (the admission follows the intake)."""
        if started_on < self.received_on:
            raise ValidationError(
                "L'entrée en parcours ne peut pas précéder la réception de l'orientation "
                f"(le {self.received_on:%d/%m/%Y})."
            )
        intake_day = timezone.localtime(self.intake_on).date() if self.intake_on else None
        if intake_day and started_on < intake_day:
            raise ValidationError(
                "L'entrée en parcours ne peut pas précéder l'entretien d'accueil prévu "
                f"(le {intake_day:%d/%m/%Y}) : changez la date de l'entretien d'abord."
            )

    # The state machine: which status may follow which.
    TRANSITIONS = {
        ReferralStatus.RECEIVED: {
            ReferralStatus.INTAKE_PLANNED,
            ReferralStatus.ADMITTED,
            ReferralStatus.NOT_ADMITTED,
        },
        ReferralStatus.INTAKE_PLANNED: {
            ReferralStatus.INTAKE_PLANNED,
            ReferralStatus.ADMITTED,
            ReferralStatus.NOT_ADMITTED,
            ReferralStatus.NO_SHOW,
        },
        # Someone who missed the intake may be given another date, or be closed.
        ReferralStatus.NO_SHOW: {ReferralStatus.INTAKE_PLANNED, ReferralStatus.NOT_ADMITTED},
        # Relays (direction out).
        ReferralStatus.SENT: {
            ReferralStatus.ACCEPTED,
            ReferralStatus.SEEN,
            ReferralStatus.REFUSED,
            ReferralStatus.NO_ANSWER,
        },
        ReferralStatus.ACCEPTED: {
            ReferralStatus.SEEN,
            ReferralStatus.REFUSED,
            ReferralStatus.NO_ANSWER,
        },
    }

    def can_become(self, status):
        return status in self.TRANSITIONS.get(self.status, set())


class ReferralEvent(models.Model):
    """One row per status change of a referral: who moved it, when, from what to what."""

    referral = models.ForeignKey(
        Referral, verbose_name="orientation", on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField("avant", max_length=20, choices=ReferralStatus, blank=True)
    to_status = models.CharField("après", max_length=20, choices=ReferralStatus)
    at = models.DateTimeField("le", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    note = models.TextField("commentaire", blank=True, max_length=2000)

    class Meta:
        verbose_name = "changement d'état d'une orientation"
        verbose_name_plural = "changements d'état des orientations"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
