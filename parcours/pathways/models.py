from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from parcours.audit.registry import ALL
from parcours.centres.models import Centre, CentreScopedQuerySet, Programme
from parcours.core.forms import NOTES_MAX_LENGTH
from parcours.core.states import StateMachine, StatusChange
from parcours.partners.models import PartnerContact
from parcours.people.models import Person, PersonRecordQuerySet, Referral, RsaContract

from .enums import AppointmentKind, AppointmentStatus, AssessmentBy, Axis, GoalStatus, OutcomeFamily


class Pathway(models.Model):
    """A person's route through a programme, from admission to exit."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="pathways"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="pathways"
    )
    programme = models.ForeignKey(
        Programme, verbose_name="action", on_delete=models.PROTECT, related_name="pathways"
    )
    referral = models.OneToOneField(
        Referral,
        verbose_name="orientation d'origine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathway",
    )
    started_on = models.DateField("entrée le")
    ended_on = models.DateField("sortie le", null=True, blank=True)
    # Optimistic locking, as on Person.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["centre", "started_on", "ended_on"], name="pathway_period")]

    def __str__(self):
        return f"Parcours du {self.started_on:%d/%m/%Y}"


class PartOfPathway:
    """A record that belongs to a pathway: the audit trail and the policy ask it for
    the pathway's centre and person."""

    @property
    def centre_id(self):
        return self.pathway.centre_id

    @property
    def person_id(self):
        return self.pathway.person_id


class Appointment(StateMachine, models.Model):
    """An individual meeting of a person with the coordinator (entretien)."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="appointments"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="appointments"
    )
    pathway = models.ForeignKey(
        Pathway,
        verbose_name="parcours",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    starts_at = models.DateTimeField("date et heure")
    duration = models.PositiveSmallIntegerField(
        "durée (minutes)", default=45, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    kind = models.CharField(
        "type", max_length=12, choices=AppointmentKind, default=AppointmentKind.FOLLOW_UP
    )
    status = models.CharField(
        "état", max_length=10, choices=AppointmentStatus, default=AppointmentStatus.PLANNED
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="professionnels du centre",
        blank=True,
        related_name="+",
    )
    other_attendees = models.CharField(
        "autres participants",
        max_length=255,
        blank=True,
        help_text="Par exemple l'assistante sociale de secteur.",
    )
    # Private to the coordinator: never shown to partners or facilitators, never copied
    # into the audit trail.
    note = models.TextField("note d'entretien", blank=True, max_length=NOTES_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = PersonRecordQuerySet.as_manager()

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "entretien"
        verbose_name_plural = "entretiens"
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["centre", "starts_at"], name="appointment_centre_time"),
            models.Index(fields=["person", "starts_at"], name="appointment_person_time"),
        ]

    def __str__(self):
        return f"Entretien n° {self.pk}"

    TRANSITIONS = {
        AppointmentStatus.PLANNED: {
            AppointmentStatus.HELD,
            AppointmentStatus.MISSED,
            AppointmentStatus.CANCELLED,
        },
        # How it went may be corrected; a cancelled appointment may be planned again.
        AppointmentStatus.HELD: {AppointmentStatus.MISSED, AppointmentStatus.CANCELLED},
        AppointmentStatus.MISSED: {AppointmentStatus.HELD, AppointmentStatus.CANCELLED},
        AppointmentStatus.CANCELLED: {
            AppointmentStatus.PLANNED,
            AppointmentStatus.HELD,
            AppointmentStatus.MISSED,
        },
    }


class AppointmentTransition(StatusChange):
    """One row per status change of an appointment; part of the person's file."""

    appointment = models.ForeignKey(
        Appointment, verbose_name="entretien", on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField("avant", max_length=10, choices=AppointmentStatus)
    to_status = models.CharField("après", max_length=10, choices=AppointmentStatus)

    class Meta(StatusChange.Meta):
        verbose_name = "changement d'état d'un entretien"
        verbose_name_plural = "changements d'état des entretiens"


class Goal(StateMachine, PartOfPathway, models.Model):
    """A goal agreed with the person, on one of the seed's three axes."""

    pathway = models.ForeignKey(
        Pathway, verbose_name="parcours", on_delete=models.PROTECT, related_name="goals"
    )
    axis = models.CharField("axe", max_length=10, choices=Axis)
    wording = models.CharField("objectif, dans les mots convenus avec la personne", max_length=255)
    steps = models.TextField("étapes", blank=True, max_length=5000)
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "état", max_length=12, choices=GoalStatus, default=GoalStatus.IN_PROGRESS
    )
    rsa_contract = models.ForeignKey(
        RsaContract,
        verbose_name="inscrit au CER",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_goals",
    )
    created_at = models.DateTimeField("fixé le", auto_now_add=True)

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "objectif"
        verbose_name_plural = "objectifs"
        ordering = ["axis", "created_at"]

    def __str__(self):
        return f"Objectif n° {self.pk}"

    def clean(self):
        # A deadline before the pathway began cannot be met: a typo (2019 for 2026).
        started_on = self.pathway.started_on if self.pathway_id else None
        if self.due_on and started_on and self.due_on < started_on:
            raise ValidationError(
                {
                    "due_on": "L'échéance ne peut pas précéder l'entrée en parcours "
                    f"(le {started_on:%d/%m/%Y})."
                }
            )

    def is_overdue(self, today):
        return self.status == GoalStatus.IN_PROGRESS and bool(self.due_on) and self.due_on < today

    TRANSITIONS = {
        GoalStatus.IN_PROGRESS: {GoalStatus.REACHED, GoalStatus.GIVEN_UP},
        # Taken up again, a goal is in progress before it is reached or given up anew.
        GoalStatus.REACHED: {GoalStatus.IN_PROGRESS},
        GoalStatus.GIVEN_UP: {GoalStatus.IN_PROGRESS},
    }


class GoalTransition(StatusChange):
    """One row per status change of a goal; part of the person's file."""

    goal = models.ForeignKey(
        Goal, verbose_name="objectif", on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField("avant", max_length=12, choices=GoalStatus)
    to_status = models.CharField("après", max_length=12, choices=GoalStatus)

    class Meta(StatusChange.Meta):
        verbose_name = "changement d'état d'un objectif"
        verbose_name_plural = "changements d'état des objectifs"


class ExitOutcome(models.Model):
    """How a pathway ends. The defaults serve every centre (centre empty); a centre adds
    its own. `is_positive` is what the report counts as a positive exit."""

    centre = models.ForeignKey(
        Centre,
        verbose_name="centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exit_outcomes",
    )
    label = models.CharField("issue", max_length=120)
    family = models.CharField("catégorie", max_length=12, choices=OutcomeFamily)
    is_positive = models.BooleanField("sortie positive", default=False)
    order = models.PositiveSmallIntegerField("ordre", default=100)

    class Meta:
        verbose_name = "issue de parcours"
        verbose_name_plural = "issues de parcours"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class PathwayExit(PartOfPathway, models.Model):
    """How a pathway ended (its date is the pathway's `ended_on`)."""

    pathway = models.OneToOneField(
        Pathway, verbose_name="parcours", on_delete=models.PROTECT, related_name="exit"
    )
    outcome = models.ForeignKey(
        ExitOutcome, verbose_name="issue", on_delete=models.PROTECT, related_name="exits"
    )
    comment = models.TextField("commentaire", blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    AUDIT_MASKED_FIELDS = ("comment",)

    class Meta:
        verbose_name = "sortie"
        verbose_name_plural = "sorties"

    def __str__(self):
        return f"Sortie n° {self.pk}"


class AssessmentGrid(models.Model):
    """A version of the centre's assessment criteria. Assessments keep the grid they were
    scored on, so changing the criteria never changes what an old score meant."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="assessment_grids"
    )
    version = models.PositiveSmallIntegerField("version")
    is_current = models.BooleanField("en usage", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "grille d'évaluation"
        verbose_name_plural = "grilles d'évaluation"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "version"], name="one_grid_version_per_centre"
            ),
            models.UniqueConstraint(
                fields=["centre"], condition=Q(is_current=True), name="one_current_grid_per_centre"
            ),
        ]

    def __str__(self):
        return f"Grille d'évaluation v{self.version}"


class Criterion(models.Model):
    grid = models.ForeignKey(
        AssessmentGrid, verbose_name="grille", on_delete=models.PROTECT, related_name="criteria"
    )
    group = models.CharField("volet", max_length=60)
    label = models.CharField("critère", max_length=150)
    level_1 = models.CharField("niveau 1", max_length=120)
    level_2 = models.CharField("niveau 2", max_length=120)
    level_3 = models.CharField("niveau 3", max_length=120)
    level_4 = models.CharField("niveau 4", max_length=120)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "critère"
        verbose_name_plural = "critères"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label

    @property
    def centre_id(self):
        return self.grid.centre_id

    def levels(self):
        return [self.level_1, self.level_2, self.level_3, self.level_4]


class Assessment(PartOfPathway, models.Model):
    """A scoring of the grid for a person at a date: by the coordinator, or by the person
    (self-assessment), recorded side by side."""

    pathway = models.ForeignKey(
        Pathway, verbose_name="parcours", on_delete=models.PROTECT, related_name="assessments"
    )
    grid = models.ForeignKey(
        AssessmentGrid, verbose_name="grille", on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField("évalué le")
    by = models.CharField(
        "évaluation", max_length=12, choices=AssessmentBy, default=AssessmentBy.COORDINATOR
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["assessed_on", "pk"]

    def __str__(self):
        return f"Évaluation n° {self.pk}"


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name="évaluation", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="critère", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(
        "niveau", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=4), name="score_between_1_and_4"
            ),
        ]

    def __str__(self):
        return f"Note n° {self.pk}"

    @property
    def centre_id(self):
        return self.assessment.pathway.centre_id

    @property
    def person_id(self):
        return self.assessment.pathway.person_id


class CaseReview(models.Model):
    """A multi-partner meeting reviewing difficult pathways (cellule d'appui)."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="case_reviews"
    )
    held_on = models.DateField("date")
    participants = models.ManyToManyField(
        PartnerContact, verbose_name="professionnels présents", blank=True, related_name="+"
    )
    other_participants = models.CharField("autres participants", max_length=255, blank=True)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "cellule d'appui"
        verbose_name_plural = "cellules d'appui"
        ordering = ["-held_on"]

    def __str__(self):
        return f"Cellule d'appui du {self.held_on:%d/%m/%Y}"


class CaseReviewItem(models.Model):
    review = models.ForeignKey(
        CaseReview, verbose_name="cellule d'appui", on_delete=models.PROTECT, related_name="items"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="case_reviews"
    )
    decision = models.TextField("décision", max_length=5000)

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "situation examinée"
        verbose_name_plural = "situations examinées"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "person"], name="one_item_per_person_and_review"
            )
        ]

    def __str__(self):
        return f"Situation n° {self.pk}"

    @property
    def centre_id(self):
        return self.review.centre_id
