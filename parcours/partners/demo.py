"""The demo centre's partner network, as the seed lists it ("Nos partenaires sont : …").

The organisations are the seed's; every contact person, phone number and e-mail here is
invented. Loading is idempotent: a partner is looked up by its name in the centre and
created only when missing; nothing existing is changed.
"""

from .enums import PartnerKind as Kind
from .enums import Theme
from .models import Partner, PartnerContact

THIONVILLE = {"postcode": "57100", "city": "Thionville"}
METZ = {"city": "Metz"}
FLORANGE = {"postcode": "57190", "city": "Florange"}
CHARITY_NOTE = "Association caritative de l'agglomération thionvilloise."

# (name, kind, themes, other fields)
PARTNERS = [
    (
        "Centres médico-sociaux de secteur",
        Kind.MEDICO_SOCIAL,
        [Theme.DAILY_LIFE, Theme.PARENTING],
        {"notes": "Les assistantes sociales de secteur orientent la plupart des personnes."},
    ),
    (
        "UDAF / SASI – Service de l'Accompagnement Social et d'Insertion",
        Kind.UDAF,
        [Theme.DAILY_LIFE, Theme.EMPLOYMENT],
        {"notes": "Travailleurs sociaux en charge des contrats d'engagement RSA."},
    ),
    (
        "CCAS de la ville de Thionville – service de la solidarité",
        Kind.CCAS,
        [Theme.DAILY_LIFE, Theme.HOUSING],
        THIONVILLE,
    ),
    (
        "Réseau UTOPIA (Union Pour une Optimisation des Pratiques Inter-Associatives)",
        Kind.ASSOCIATION,
        [Theme.HEALTH, Theme.DAILY_LIFE, Theme.EMPLOYMENT, Theme.HOUSING, Theme.YOUTH],
        {},
    ),
    (
        "Ateliers Santé Ville – CCAS de la ville de Thionville",
        Kind.HEALTH_PREVENTION,
        [Theme.HEALTH],
        THIONVILLE,
    ),
    (
        "AFAD de Moselle (Association Familiale d'Aide à Domicile)",
        Kind.ASSOCIATION,
        [Theme.DAILY_LIFE, Theme.PARENTING],
        {
            "address": "56 route de la Briquerie",
            **THIONVILLE,
            "notes": "Atelier cuisine du vendredi dans sa cuisine pédagogique.",
        },
    ),
    (
        "GEM Théo – Groupe d'Entraide Mutuelle",
        Kind.GEM,
        [Theme.HEALTH, Theme.DAILY_LIFE],
        THIONVILLE,
    ),
    (
        "TREMPLIN – association intermédiaire",
        Kind.INTERMEDIARY_ASSOCIATION,
        [Theme.EMPLOYMENT],
        THIONVILLE,
    ),
    ("C.M.P. 1er et 2ème secteur adultes", Kind.CMP, [Theme.HEALTH], THIONVILLE),
    ("France Travail (ex-Pôle emploi) Thionville", Kind.EMPLOYMENT, [Theme.EMPLOYMENT], THIONVILLE),
    (
        "C.S.A.P.A. – Centre de Soins d'Accompagnement et de Prévention en Addictologie",
        Kind.CSAPA,
        [Theme.ADDICTIONS, Theme.HEALTH],
        {},
    ),
    (
        "Apsis-Émergence – service de médiation, PAEJ (Point d'Accueil et d'Écoute Jeunes)",
        Kind.ASSOCIATION,
        [Theme.YOUTH, Theme.DAILY_LIFE],
        THIONVILLE,
    ),
    ("Association Athènes", Kind.ASSOCIATION, [], THIONVILLE),
    (
        "CLCV – Consommation, Logement et Cadre de Vie",
        Kind.ASSOCIATION,
        [Theme.HOUSING, Theme.DAILY_LIFE],
        THIONVILLE,
    ),
    ("Entreprise d'insertion Valo'", Kind.INSERTION_COMPANY, [Theme.EMPLOYMENT], FLORANGE),
    (
        "CPAM de Thionville – service Éducation pour la santé",
        Kind.CPAM,
        [Theme.HEALTH],
        THIONVILLE,
    ),
    ("Association « Vie libre »", Kind.ASSOCIATION, [Theme.ADDICTIONS, Theme.HEALTH], THIONVILLE),
    (
        "Association Habitat Jeunes des Trois Frontières",
        Kind.HOUSING,
        [Theme.HOUSING, Theme.YOUTH],
        THIONVILLE,
    ),
    (
        "F.O.M.A.L. – Foyers Mosellans d'Accueil aux Libérés",
        Kind.JUSTICE,
        [Theme.JUSTICE, Theme.HOUSING],
        THIONVILLE,
    ),
    (
        "C.I.D.F.F. – Centre d'Information sur les Droits des Femmes et des Familles",
        Kind.CIDFF,
        [Theme.JUSTICE, Theme.PARENTING],
        METZ,
    ),
    (
        "A.T.A.V. – Association Thionvilloise d'Aide aux Victimes",
        Kind.VICTIM_SUPPORT,
        [Theme.JUSTICE],
        THIONVILLE,
    ),
    ("Les Petits Loups", Kind.CHARITY, [Theme.DAILY_LIFE], {"notes": CHARITY_NOTE}),
    ("Croix-Rouge", Kind.CHARITY, [Theme.DAILY_LIFE], {"notes": CHARITY_NOTE}),
    ("Collectif thionvillois", Kind.CHARITY, [Theme.DAILY_LIFE], {"notes": CHARITY_NOTE}),
    ("Banque alimentaire", Kind.CHARITY, [Theme.DAILY_LIFE], {"notes": CHARITY_NOTE}),
    ("Restos du Cœur", Kind.CHARITY, [Theme.DAILY_LIFE], {"notes": CHARITY_NOTE}),
    (
        "Intercom Santé 57",
        Kind.HEALTH_PREVENTION,
        [Theme.HEALTH],
        {**THIONVILLE, "notes": "Prévention des maladies cardio-vasculaires."},
    ),
    (
        "Centre d'Examens de Santé et de Médecine Préventive de la CPAM de Metz",
        Kind.CPAM,
        [Theme.HEALTH],
        METZ,
    ),
    (
        "Mutualité française de Lorraine – promotion et éducation pour la santé",
        Kind.HEALTH_PREVENTION,
        [Theme.HEALTH],
        {},
    ),
    (
        "Fédération Française de Randonnée Pédestre – « Bien vieillir en Lorraine »",
        Kind.LEISURE_CULTURE,
        [Theme.HEALTH],
        {"notes": "Action spécifique « Bien vieillir en Lorraine »."},
    ),
    ("Association Cœur et Santé", Kind.HEALTH_PREVENTION, [Theme.HEALTH], THIONVILLE),
    ("La ludothèque", Kind.LEISURE_CULTURE, [Theme.PARENTING], {}),
    (
        "Lieu d'accueil enfant-parent « La récré des bébés »",
        Kind.OTHER,
        [Theme.PARENTING],
        {},
    ),
    ("Lieu d'accueil enfant-parent « Le square »", Kind.OTHER, [Theme.PARENTING], {}),
]

NAMES = [name for name, *_ in PARTNERS]

# Invented people; phone numbers in a range ARCEP keeps for fiction (03 53 01 …).
# partner name -> (first name, last name, job, phone, e-mail)
CONTACTS = {
    "Centres médico-sociaux de secteur": [
        (
            "Élodie",
            "Vasseur",
            "assistante sociale de secteur",
            "03 53 01 10 01",
            "e.vasseur@example.org",
        ),
        (
            "Julien",
            "Noiret",
            "assistant social de secteur",
            "03 53 01 10 02",
            "j.noiret@example.org",
        ),
    ],
    "UDAF / SASI – Service de l'Accompagnement Social et d'Insertion": [
        (
            "Nadège",
            "Frontin",
            "travailleuse sociale, contrats RSA",
            "03 53 01 10 03",
            "n.frontin@example.org",
        ),
    ],
    "CCAS de la ville de Thionville – service de la solidarité": [
        (
            "Mehdi",
            "Talbi",
            "conseiller en économie sociale et familiale",
            "03 53 01 10 04",
            "m.talbi@example.org",
        ),
    ],
    "France Travail (ex-Pôle emploi) Thionville": [
        ("Céline", "Arnoux", "conseillère à l'emploi", "03 53 01 10 05", "c.arnoux@example.org"),
    ],
    "C.S.A.P.A. – Centre de Soins d'Accompagnement et de Prévention en Addictologie": [
        ("Franck", "Delaunoy", "infirmier", "03 53 01 10 06", "f.delaunoy@example.org"),
    ],
}


def load(centre):
    """Create the seed's partners that `centre` lacks, with the demo contacts."""
    for name, kind, themes, fields in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            centre=centre,
            name__iexact=name,
            defaults={
                "name": name,
                "kind": kind,
                **{f"theme_{theme.value}": True for theme in themes},
                **fields,
            },
        )
        # Contacts come with a new partner only: reloading must not bring back a contact
        # someone deleted, nor duplicate one whose name was corrected.
        if created:
            for first_name, last_name, job_title, phone, email in CONTACTS.get(name, []):
                PartnerContact.objects.create(
                    partner=partner,
                    first_name=first_name,
                    last_name=last_name,
                    job_title=job_title,
                    phone=phone,
                    email=email,
                )
