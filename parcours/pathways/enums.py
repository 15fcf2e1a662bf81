from django.db import models


class AppointmentKind(models.TextChoices):
    INTAKE = "intake", "Entretien d'accueil"
    FOLLOW_UP = "follow_up", "Entretien de suivi"
    JOB_DESK = "job_desk", "Permanence emploi"
    HOME_VISIT = "home_visit", "Visite à domicile"
    PHONE = "phone", "Entretien téléphonique"


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    HELD = "held", "Tenu"
    MISSED = "missed", "Manqué"
    CANCELLED = "cancelled", "Annulé"


class Axis(models.TextChoices):
    """The seed's three axes of the pathway."""

    ISOLATION = "isolation", "Rupture de l'isolement"
    SELF = "self", "Construction globale de soi"
    WORK = "work", "Projet professionnel, emploi"


class GoalStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "En cours"
    REACHED = "reached", "Atteint"
    GIVEN_UP = "given_up", "Abandonné"


class AssessmentBy(models.TextChoices):
    COORDINATOR = "coordinator", "Par la coordination"
    SELF = "self", "Par la personne elle-même"


class OutcomeFamily(models.TextChoices):
    """How reports group exit outcomes (FSE+, Département)."""

    EMPLOYMENT = "employment", "Emploi"
    TRAINING = "training", "Formation"
    REFERRAL = "referral", "Réorientation"
    OTHER = "other", "Autre sortie"
