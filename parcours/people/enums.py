from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Femme"
    MALE = "male", "Homme"
    OTHER = "other", "Autre / non précisé"


class Household(models.TextChoices):
    ALONE = "alone", "Personne seule"
    COUPLE = "couple", "En couple"
    SINGLE_PARENT = "single_parent", "Parent isolé"
    HOSTED = "hosted", "Hébergé(e) par un proche"
    OTHER = "other", "Autre"


class Benefit(models.TextChoices):
    RSA = "rsa", "RSA"
    AAH = "aah", "AAH"
    ASS = "ass", "ASS"
    ARE = "are", "ARE (allocation chômage)"
    END_OF_RIGHTS = "end_of_rights", "Fin de droits"
    SALARY = "salary", "Revenus d'activité"
    OTHER = "other", "Autre ressource"
    NONE = "none", "Aucune ressource"


class RsaOrientation(models.TextChoices):
    """The Département's orientation of an RSA recipient."""

    SOCIAL = "social", "Sociale"
    SOCIO_PROFESSIONAL = "socio_professional", "Socioprofessionnelle"
    PROFESSIONAL = "professional", "Professionnelle"


class FrenchLevel(models.TextChoices):
    FLUENT = "fluent", "Courant"
    BASIC_SKILLS = "basic_skills", "Savoirs de base à remobiliser"
    A1 = "a1", "Débutant (A1)"
    A2 = "a2", "Élémentaire (A2)"
    B1 = "b1", "Intermédiaire (B1)"
    B2 = "b2", "Avancé (B2 et plus)"


class EducationLevel(models.TextChoices):
    """The highest diploma, in the French nomenclature; FSE+ groups them by ISCED
    (see `ISCED`)."""

    NONE = "none", "Sans diplôme, ou brevet des collèges"
    CAP_BEP = "cap_bep", "CAP, BEP (niveau 3)"
    BAC = "bac", "Baccalauréat (niveau 4)"
    BAC_2 = "bac_2", "Bac + 2 (niveau 5)"
    HIGHER = "higher", "Licence et au-delà (niveaux 6 à 8)"


# FSE+ counts participants by ISCED group of their education level.
ISCED = {
    "isced_0_2": ("CITE 0 à 2 (sans diplôme)", [EducationLevel.NONE]),
    "isced_3_4": ("CITE 3 et 4 (CAP, BEP, bac)", [EducationLevel.CAP_BEP, EducationLevel.BAC]),
    "isced_5_8": ("CITE 5 à 8 (supérieur)", [EducationLevel.BAC_2, EducationLevel.HIGHER]),
}


class Difficulty(models.TextChoices):
    """The seed's difficulties; a person may have several (one flag each on Person)."""

    FINANCIAL = "financial", "Financières"
    HEALTH = "health", "Santé"
    HOUSING = "housing", "Logement"
    ISOLATION = "isolation", "Isolement social ou familial"
    LANGUAGE = "language", "Langue"
    MOBILITY = "mobility", "Mobilité"
    CHILDCARE = "childcare", "Garde d'enfants"


class PersonStatus(models.TextChoices):
    REFERRED = "referred", "Orientée, en attente d'accueil"
    ACTIVE = "active", "En parcours"
    NOT_ADMITTED = "not_admitted", "Non admise"
    EXITED = "exited", "Sortie"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Reçue"
    INTAKE_PLANNED = "intake_planned", "Accueil prévu"
    ADMITTED = "admitted", "Admise"
    NOT_ADMITTED = "not_admitted", "Non admise"
    NO_SHOW = "no_show", "Ne s'est pas présentée"
    # An outgoing referral (relay to a partner) moves through these.
    SENT = "sent", "Envoyé"
    ACCEPTED = "accepted", "Accepté par le partenaire"
    SEEN = "seen", "Personne reçue par le partenaire"
    REFUSED = "refused", "Refusé"
    NO_ANSWER = "no_answer", "Sans réponse"


# A referral in these states still waits for the centre's decision.
OPEN_REFERRAL_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.INTAKE_PLANNED)
# A relay in these states still needs following up.
OPEN_RELAY_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Direction(models.TextChoices):
    IN = "in", "Orientation entrante"
    OUT = "out", "Relais vers un partenaire"
