from django.db import models


class SecurityEventKind(models.TextChoices):
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOCKED_OUT = "locked_out", "Compte verrouillé"
    FORBIDDEN = "forbidden", "Accès refusé"
    NOT_FOUND = "not_found", "Accès à une adresse introuvable"


# django-auditlog's action numbers, named in French for the trail page.
ACTION_LABELS = {0: "Création", 1: "Modification", 2: "Suppression", 3: "Consultation"}
