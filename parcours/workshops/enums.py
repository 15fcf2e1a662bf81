from django.db import models


class WorkshopKind(models.TextChoices):
    WEEKLY = "weekly", "Atelier hebdomadaire"
    SERIES = "series", "Cycle de séances dans l'année"
    OUTING = "outing", "Sortie culturelle"
    DROP_IN = "drop_in", "Permanence"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    HELD = "held", "Tenue"
    CANCELLED = "cancelled", "Annulée"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Inscrite"
    WAITING = "waiting", "Sur liste d'attente"
    ENDED = "ended", "Inscription terminée"


class Presence(models.TextChoices):
    PRESENT = "present", "Présente"
    ABSENT = "absent", "Absente"
    EXCUSED = "excused", "Excusée"
