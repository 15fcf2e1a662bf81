from django.db import models


class Funder(models.TextChoices):
    """Who the report is for: each counts differently (see funders.FUNDER_RULES)."""

    ALL = "", "Tous financeurs (toutes les personnes)"
    DEPARTEMENT = "departement", "Département — programme d'insertion RSA"
    CAF = "caf", "CAF"
    CITY = "city", "Ville — contrat de ville"
    FSE = "fse", "FSE+"
