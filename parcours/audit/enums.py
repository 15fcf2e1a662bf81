from django.db import models


class SecurityEventKind(models.TextChoices):
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOCKED_OUT = "locked_out", "Compte verrouillé"
    FORBIDDEN = "forbidden", "Accès refusé"
    NOT_FOUND = "not_found", "Accès à une adresse introuvable"
