"""About ninety fictional people for the demo centre, with referrals over two years.

Names, dates, phone numbers (03 53 01 …, a range ARCEP keeps for fiction) and situations are
invented and drawn from a fixed seed, so every load produces the same people; a person
already present (same name and birth date) is left untouched.
"""

import datetime
import random

from django.utils import timezone

from parcours.accounts.models import User
from parcours.core.search import name_key
from parcours.partners.enums import PartnerKind
from parcours.partners.models import Partner

from . import services
from .enums import Benefit, Difficulty, FrenchLevel, Household, ReferralStatus, RsaOrientation, Sex
from .models import ConfidentialNote, Neighbourhood, Person, ReferralEvent, RsaContract

PEOPLE_COUNT = 90
SEED = 1994  # the year the programme started

NEIGHBOURHOODS = [
    (
        "Quartier-Est",
        True,
        ["avenue de Guise", "boulevard Charlemagne", "place Roland", "rue de la Paix"],
    ),
    ("Côte des Roses", True, ["rue des Roses", "allée des Tilleuls"]),
    ("Centre-ville", False, ["place du Marché", "rue de Paris", "rue de la Gare"]),
    ("Beauregard", False, ["rue de Beauregard", "rue des Vergers"]),
    ("Veymerange", False, ["rue de Veymerange"]),
]
# Most people come from the Quartier-Est, as in the seed.
NEIGHBOURHOOD_WEIGHTS = [62, 12, 12, 8, 6]
STREETS = {name: streets for name, _, streets in NEIGHBOURHOODS}

FEMALE_NAMES = [
    "Nadia",
    "Sabrina",
    "Fatima",
    "Émilie",
    "Sandrine",
    "Aïcha",
    "Laetitia",
    "Samia",
    "Céline",
    "Yasmina",
    "Ana",
    "Elif",
    "Nathalie",
    "Karima",
    "Jessica",
    "Malika",
    "Sonia",
    "Mélanie",
    "Zeynep",
    "Valérie",
    "Houria",
    "Aurélie",
    "Marina",
    "Rachida",
]
MALE_NAMES = [
    "Mohamed",
    "Christophe",
    "Karim",
    "Sébastien",
    "Mehmet",
    "Jean-Marc",
    "Rachid",
    "Pascal",
    "Ahmed",
    "Ludovic",
    "José",
    "Farid",
    "Thierry",
    "Mustafa",
    "David",
    "Nordine",
]
LAST_NAMES = [
    "Benali",
    "Martin",
    "Yilmaz",
    "Muller",
    "Haddad",
    "Lambert",
    "Ferreira",
    "Schmitt",
    "Bouzid",
    "Weber",
    "Kaya",
    "Marchal",
    "Mansouri",
    "Klein",
    "Da Silva",
    "Hoffmann",
    "Cherif",
    "Becker",
    "Demir",
    "Fontaine",
    "Amrani",
    "Wagner",
    "Lopes",
    "Gérard",
    "Saïdi",
    "Thomas",
    "Ouali",
    "Lefèvre",
    "Nowak",
    "Petit",
]
REASONS = [
    "Isolement important depuis la séparation ; besoin de reprendre confiance.",
    "Bénéficiaire du RSA sans activité depuis plusieurs années ; souhaite retrouver un rythme.",
    "Mère seule avec de jeunes enfants, épuisement ; besoin d'un espace pour soi.",
    "Apprentissage du français pour les démarches du quotidien.",
    "Projet professionnel à construire ; orientation vers la permanence emploi.",
    "Sortie d'hospitalisation, besoin de lien social et d'un cadre régulier.",
    "Difficultés de logement et de gestion du budget ; isolement.",
]
EXPECTATIONS = [
    "Rencontrer d'autres personnes, sortir de chez elle.",
    "Progresser en français à l'oral et à l'écrit.",
    "Être aidée dans la recherche d'emploi.",
    "Participer à l'atelier couture et à la cuisine.",
    "",
]
HEALTH_NOTES = [
    "Suivi régulier au CMP ; traitement en cours.",
    "Problèmes de dos limitant la station debout prolongée.",
    "Fatigue importante, rendez-vous médical à reprogrammer.",
]


def _neighbourhoods(centre):
    found = {}
    for name, is_qpv, streets in NEIGHBOURHOODS:
        found[name], _ = Neighbourhood.objects.get_or_create(
            centre=centre, name=name, defaults={"is_qpv": is_qpv, "streets": "\n".join(streets)}
        )
    return found


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _backdate(referral, received_on, decided_on):
    """Demo history happened in the past: date the referral's steps accordingly."""
    events = ReferralEvent.objects.filter(referral=referral)
    events.filter(to_status__in=[ReferralStatus.RECEIVED, ReferralStatus.INTAKE_PLANNED]).update(
        at=_moment(received_on)
    )
    events.exclude(to_status__in=[ReferralStatus.RECEIVED, ReferralStatus.INTAKE_PLANNED]).update(
        at=_moment(decided_on)
    )
    Person.objects.filter(pk=referral.person_id).update(created_at=_moment(received_on))


def load(centre, today=None):
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (reproducible fiction, not security)
    neighbourhoods = _neighbourhoods(centre)
    programme = centre.programmes.order_by("pk").first()
    coordinator = User.objects.filter(
        memberships__centre=centre, memberships__role="coordinator"
    ).first()
    partner_worker = User.objects.filter(
        memberships__centre=centre, memberships__role="partner_worker"
    ).first()
    referrers = list(
        Partner.objects.of_centre(centre).filter(
            kind__in=[
                PartnerKind.MEDICO_SOCIAL,
                PartnerKind.UDAF,
                PartnerKind.CCAS,
                PartnerKind.CMP,
                PartnerKind.ASSOCIATION,
                PartnerKind.EMPLOYMENT,
            ]
        )
    )
    benefits = [Benefit.RSA] * 13 + [
        Benefit.AAH,
        Benefit.AAH,
        Benefit.ASS,
        Benefit.ARE,
        Benefit.END_OF_RIGHTS,
        Benefit.NONE,
    ]
    for index in range(PEOPLE_COUNT):
        sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE
        first_name = rng.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)
        last_name = rng.choice(LAST_NAMES)
        birth_date = datetime.date(rng.randint(1962, 2004), rng.randint(1, 12), rng.randint(1, 28))
        received_on = today - datetime.timedelta(days=rng.randint(5, 730))
        neighbourhood = rng.choices(list(neighbourhoods), NEIGHBOURHOOD_WEIGHTS)[0]
        household = (
            Household.SINGLE_PARENT
            if sex == Sex.FEMALE and rng.random() < 0.5
            else rng.choice([Household.ALONE, Household.ALONE, Household.COUPLE, Household.HOSTED])
        )
        children = (
            rng.randint(1, 4) if household in {Household.SINGLE_PARENT, Household.COUPLE} else 0
        )
        benefit = rng.choice(benefits)
        difficulties = set(rng.sample(list(Difficulty), rng.randint(1, 4)))
        french = (
            rng.choice(list(FrenchLevel))
            if Difficulty.LANGUAGE in difficulties
            else FrenchLevel.FLUENT
        )
        # Draw everything before the existence check so that every load draws the same.
        outcome = rng.random()
        referrer = rng.choice(referrers) if referrers and rng.random() < 0.92 else None
        health_note = rng.choice(HEALTH_NOTES) if rng.random() < 0.2 else ""
        contract = benefit == Benefit.RSA and rng.random() < 0.5
        reason, expectations = rng.choice(REASONS), rng.choice(EXPECTATIONS)
        address = f"{rng.randint(1, 80)} {rng.choice(STREETS[neighbourhood])}"
        children_ages = ", ".join(str(rng.randint(1, 17)) for _ in range(children))
        if (
            Person.objects.of_centre(centre)
            .filter(search_key=name_key(last_name, first_name), birth_date=birth_date)
            .exists()
        ):
            continue
        person = Person(
            centre=centre,
            last_name=last_name,
            first_name=first_name,
            birth_date=birth_date,
            sex=sex,
            phone=f"03 53 01 {index // 100:02d} {index % 100:02d}",
            address=address,
            postcode="57100",
            city="Thionville",
            neighbourhood=neighbourhoods[neighbourhood],
            household=household,
            children_count=children,
            children_ages=children_ages,
            benefit=benefit,
            rsa_orientation=RsaOrientation.SOCIAL if benefit == Benefit.RSA else "",
            french_level=french,
            **{f"difficulty_{d.value}": True for d in difficulties},
        )
        referral = services.referral_receive(
            centre=centre,
            person=person,
            by=coordinator,
            partner=referrer,
            referrer_user=partner_worker
            if referrer and referrer.kind == PartnerKind.UDAF
            else None,
            received_on=received_on,
            reason=reason,
            expectations=expectations,
        )
        intake = received_on + datetime.timedelta(days=10)
        while intake.weekday() >= 5:  # the centre receives people on weekdays
            intake += datetime.timedelta(days=1)
        if intake < today and outcome > 0.05:
            services.referral_plan_intake(
                referral=referral,
                intake_on=timezone.make_aware(datetime.datetime.combine(intake, datetime.time(14))),
                by=coordinator,
            )
            if outcome > 0.2 and programme:
                services.referral_admit(
                    referral=referral, programme=programme, started_on=intake, by=coordinator
                )
            elif outcome > 0.12:
                services.referral_close(
                    referral=referral,
                    status=ReferralStatus.NOT_ADMITTED,
                    reason="Réorientée vers une structure plus adaptée à ses besoins.",
                    by=coordinator,
                    decided_on=intake,
                )
            else:
                services.referral_close(
                    referral=referral,
                    status=ReferralStatus.NO_SHOW,
                    reason="",
                    by=coordinator,
                    decided_on=intake,
                )
        _backdate(referral, received_on, intake)
        if health_note:
            ConfidentialNote.objects.create(person=person, health=health_note)
        if contract:
            RsaContract.objects.create(
                person=person,
                starts_on=received_on,
                ends_on=received_on + datetime.timedelta(days=365),
                goals=(
                    "Rompre l'isolement ; participer à deux ateliers par semaine ; "
                    "préparer un projet professionnel."
                ),
            )
