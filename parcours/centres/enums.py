from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordination"
    FACILITATOR = "facilitator", "Animation d'ateliers"
    PARTNER_WORKER = "partner_worker", "Travailleur social partenaire"
    DIRECTOR = "director", "Direction"
    ADMIN = "admin", "Administration"


class SchoolZone(models.TextChoices):
    A = "A", "Zone A"
    B = "B", "Zone B"
    C = "C", "Zone C"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Acceptée"
    REVOKED = "revoked", "Révoquée"
