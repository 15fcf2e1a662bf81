from django.db import models


class PartnerKind(models.TextChoices):
    """A typology of the field's organisations, as social workers name them."""

    CCAS = "ccas", "CCAS (centre communal d'action sociale)"
    UDAF = "udaf", "UDAF / SASI"
    MEDICO_SOCIAL = "medico_social", "Centre médico-social"
    CMP = "cmp", "CMP (centre médico-psychologique)"
    CSAPA = "csapa", "CSAPA (addictologie)"
    EMPLOYMENT = "employment", "France Travail (ex-Pôle emploi)"
    CAF = "caf", "CAF"
    CPAM = "cpam", "CPAM"
    ASSOCIATION = "association", "Association"
    INSERTION_COMPANY = "insertion_company", "Entreprise d'insertion"
    INTERMEDIARY_ASSOCIATION = "intermediary_association", "Association intermédiaire"
    GEM = "gem", "GEM (groupe d'entraide mutuelle)"
    CIDFF = "cidff", "CIDFF (droits des femmes et des familles)"
    VICTIM_SUPPORT = "victim_support", "Aide aux victimes"
    HOUSING = "housing", "Logement, hébergement"
    CHARITY = "charity", "Association caritative"
    HEALTH_PREVENTION = "health_prevention", "Santé, prévention"
    LEISURE_CULTURE = "leisure_culture", "Loisirs, culture"
    JUSTICE = "justice", "Justice, réinsertion"
    OTHER = "other", "Autre"


class Theme(models.TextChoices):
    HEALTH = "health", "Santé"
    EMPLOYMENT = "employment", "Emploi, formation"
    HOUSING = "housing", "Logement"
    DAILY_LIFE = "daily_life", "Vie quotidienne"
    YOUTH = "youth", "Jeunesse"
    PARENTING = "parenting", "Parentalité"
    JUSTICE = "justice", "Justice"
    ADDICTIONS = "addictions", "Addictions"
