from django.db import models


class Purpose(models.TextChoices):
    """What a person may agree to, one purpose per line of the register."""

    PROCESSING = "processing", "Traitement de ses données par le centre"
    SHARE_PARTNER = "share_partner", "Partage avec un partenaire nommé"
    SHARE_KIND = "share_kind", "Partage avec un type de partenaire"
    RSA_BILAN = "rsa_bilan", "Bilan de parcours au référent RSA"
    PHOTOS = "photos", "Photos pendant les ateliers"
    # GDPR art. 9.2.a: the explicit consent that lets the centre note health, addiction
    # and violence in the confidential section.
    SENSITIVE = "sensitive", "Données sensibles notées au volet confidentiel"


class Answer(models.TextChoices):
    """A line of the register: an agreement, or its withdrawal (never a delete)."""

    AGREED = "agreed", "Accord"
    WITHDRAWN = "withdrawn", "Retrait"
