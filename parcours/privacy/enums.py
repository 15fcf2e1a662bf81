from django.db import models


class ErasureChannel(models.TextChoices):
    """How the person asked for their file to be erased."""

    IN_PERSON = "in_person", "En personne, au centre"
    LETTER = "letter", "Par courrier"
    EMAIL = "email", "Par e-mail"
    PHONE = "phone", "Par téléphone"
    THIRD_PARTY = "third_party", "Par un tiers mandaté (avocat, tuteur…)"


class ErasureOutcome(models.TextChoices):
    DONE = "done", "Effacement effectué"
    REFUSED = "refused", "Refusé : le dossier doit être conservé"
