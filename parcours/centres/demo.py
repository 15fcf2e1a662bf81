"""The fictional demo centre, Centre « Le Lierre » in Thionville, built from the seed.

Every person and account here is invented. Loading is idempotent: rows are looked up
by their natural key and created only when missing; nothing existing is changed.
"""

import datetime
import hashlib

from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours import policy
from parcours.accounts.models import User
from parcours.accounts.services import TOTP_DEVICE_NAME

from . import services
from .enums import Role, SchoolZone
from .models import Centre, Membership, Place, Programme

DEMO_PASSWORD = "Lierre-demo-2026!"  # noqa: S105  (fictional demo accounts, printed by make run)

CENTRE = {
    "slug": "le-lierre",
    "name": "Centre « Le Lierre »",
    "address": "31 avenue de Guise",
    "postcode": "57100",
    "city": "Thionville",
    "department": "57",
    "school_zone": SchoolZone.B,
    # Fictional, as every demo datum: the information notice prints it.
    "privacy_contact": (
        "Référente protection des données du centre, donnees@le-lierre.example, "
        "31 avenue de Guise, 57100 Thionville"
    ),
}

PROGRAMME = {
    "slug": "objectif-insertion",
    "name": "Objectif : Insertion(s)",
    "started_on": datetime.date(1994, 1, 1),
    "description": (
        "Tremplin vers l'insertion sociale et étape vers l'insertion professionnelle "
        "pour des adultes en grande précarité, orientés par les assistantes sociales de "
        "secteur et les travailleurs sociaux.\n\n"
        "Trois objectifs : la rupture de l'isolement, la construction globale de soi, "
        "l'accompagnement vers un projet professionnel et vers l'emploi. Deux outils : "
        "les ateliers collectifs d'insertion et l'accompagnement personnalisé."
    ),
}

PLACES = [
    ("Espace adultes", "31 avenue de Guise"),
    ("Espace multimédia", "19 boulevard Charlemagne"),
    ("Salle polyvalente", "place Roland"),
    ("Cuisine pédagogique AFAD", "56 route de la Briquerie"),
]

# One fictional account per role.
USERS = [
    ("coordination@le-lierre.example", "Sophie", "Lambert", Role.COORDINATOR),
    ("animation@le-lierre.example", "Karim", "Benali", Role.FACILITATOR),
    ("partenaire@le-lierre.example", "Julie", "Marchal", Role.PARTNER_WORKER),
    ("direction@le-lierre.example", "Bernard", "Weber", Role.DIRECTOR),
    ("admin@le-lierre.example", "Alex", "Morel", Role.ADMIN),
]


def demo_totp_key(email):
    """The fixed, fictional TOTP secret of a demo account (hex, as django-otp stores it).

    Derived from the e-mail so that every demo install shows the same codes; it is
    public, hence `manage.py demo_code`, and never used outside the demo centre."""
    return hashlib.sha256(f"parcours-demo-totp:{email}".encode()).hexdigest()[:40]


def load():
    """Create what is missing of the demo centre; return it."""
    slug = CENTRE["slug"]
    centre, _ = Centre.objects.get_or_create(slug=slug, defaults=CENTRE)
    Programme.objects.get_or_create(centre=centre, slug=PROGRAMME["slug"], defaults=PROGRAMME)
    for name, address in PLACES:
        Place.objects.get_or_create(
            centre=centre,
            name=name,
            defaults={"address": address, "postcode": "57100", "city": "Thionville"},
        )
    for email, first_name, last_name, role in USERS:
        if not User.objects.filter(email=email).exists():
            # The demo administrator also operates the installation (Django admin).
            create = (
                User.objects.create_superuser if role == Role.ADMIN else User.objects.create_user
            )
            create(email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name)
        if not Membership.objects.filter(user__email=email, centre=centre).exists():
            services.membership_grant(user=User.objects.get(email=email), centre=centre, role=role)
        # Accounts that must log in with a code get a ready-made app: a newcomer trying
        # the demo has no phone set up; `manage.py demo_code <email>` prints the code.
        if role in policy.SECOND_FACTOR_ROLES:
            user = User.objects.get(email=email)
            if not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(
                    user=user, name=TOTP_DEVICE_NAME, key=demo_totp_key(email), confirmed=True
                )
    return centre
