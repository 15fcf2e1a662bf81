from django.db import models


class SecurityEventKind(models.TextChoices):
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOCKED_OUT = "locked_out", "Compte verrouillé"
    FORBIDDEN = "forbidden", "Accès refusé"
    NOT_FOUND = "not_found", "Accès à une adresse introuvable"
    OTP_FAILED = "otp_failed", "Code de double authentification erroné"
    OTP_RESET = "otp_reset", "Double authentification réinitialisée"
    INVITATION_SENT = "invitation_sent", "Invitation envoyée"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation acceptée"
    INVITATION_REVOKED = "invitation_revoked", "Invitation révoquée"


# django-auditlog's action numbers, named in French for the trail page.
ACTION_LABELS = {0: "Création", 1: "Modification", 2: "Suppression", 3: "Consultation"}

# The key a failed second-factor check adds to the credentials of `user_login_failed`.
SECOND_FACTOR_CREDENTIAL = "second_factor"
