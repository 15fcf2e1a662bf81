"""Individual pathways of the demo centre: appointments, goals and some exits.

Fictional and deterministic (fixed seed); pathways that already have appointments are
left alone, so loading twice changes nothing.
"""

import datetime
import random

from django.utils import timezone

from parcours.accounts.models import User

from . import assessment_demo, services
from .enums import AppointmentKind, AppointmentStatus, Axis, GoalStatus
from .models import Appointment, ExitOutcome, Goal, Pathway

SEED = 2012

GOALS = {
    Axis.ISOLATION: [
        "Venir à deux ateliers par semaine",
        "Participer à une sortie culturelle avec ses enfants",
        "Reprendre contact avec sa sœur",
    ],
    Axis.SELF: [
        "Prendre rendez-vous chez le médecin traitant",
        "Oser prendre la parole au groupe de parole",
        "Gérer son budget du mois sans découvert",
    ],
    Axis.WORK: [
        "Écrire son CV avec la permanence emploi",
        "Faire un stage d'observation en cuisine",
        "S'inscrire à France Travail",
    ],
}
NOTES = [
    "Se sent moins seule depuis qu'elle vient à l'atelier couture.",
    "Difficultés de garde d'enfants le mardi ; chercher une solution avec le CCAS.",
    "A préparé des questions pour la permanence emploi.",
    "Fatiguée ; on convient d'espacer les rendez-vous ce mois-ci.",
]
# Exit outcomes drawn for the older pathways, by label of the default list.
EXITS = [
    "Emploi : CDD de 6 mois ou plus",
    "Emploi : structure d'insertion par l'activité économique",
    "Entrée en formation",
    "Orientée vers une structure plus adaptée",
    "Déménagement",
    "A cessé de venir",
]


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load(centre, today=None):
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (reproducible fiction)
    coordinator = User.objects.filter(
        memberships__centre=centre, memberships__role="coordinator"
    ).first()
    outcomes = {o.label: o for o in ExitOutcome.objects.filter(centre=None, label__in=EXITS)}
    pathways = Pathway.objects.of_centre(centre).filter(appointments=None).select_related("person")
    for pathway in pathways.order_by("pk"):
        months = (today - pathway.started_on).days // 30
        closes = months >= 14 and rng.random() < 0.4
        ended_on = pathway.started_on + datetime.timedelta(days=30 * rng.randint(10, 13))
        last = ended_on if closes else today
        appointments = [
            Appointment(
                centre=centre,
                person=pathway.person,
                pathway=pathway,
                starts_at=_at(pathway.started_on, 14),
                kind=AppointmentKind.INTAKE,
                status=AppointmentStatus.HELD,
                note="Premier entretien : attentes, freins, envies.",
                created_by=coordinator,
            )
        ]
        day = pathway.started_on + datetime.timedelta(days=28)
        while day < last:
            draw = rng.random()
            appointments.append(
                Appointment(
                    centre=centre,
                    person=pathway.person,
                    pathway=pathway,
                    starts_at=_at(day, rng.choice([9, 10, 14, 15])),
                    kind=AppointmentKind.PHONE if draw > 0.9 else AppointmentKind.FOLLOW_UP,
                    status=AppointmentStatus.HELD if draw < 0.85 else AppointmentStatus.MISSED,
                    note=rng.choice(NOTES) if draw < 0.85 else "",
                    created_by=coordinator,
                )
            )
            day += datetime.timedelta(days=rng.randint(21, 40))
        if not closes and rng.random() < 0.5:
            # The next appointment, today for a few so the home page has some.
            ahead = 0 if rng.random() < 0.15 else rng.randint(1, 20)
            appointments.append(
                Appointment(
                    centre=centre,
                    person=pathway.person,
                    pathway=pathway,
                    starts_at=_at(today + datetime.timedelta(days=ahead), rng.choice([9, 14, 16])),
                    created_by=coordinator,
                )
            )
        # Many rows of history at once: demo data, not a user's action.
        Appointment.objects.bulk_create(appointments)
        for axis in rng.sample(list(Axis), rng.randint(1, 3)):
            Goal.objects.create(
                pathway=pathway,
                axis=axis,
                wording=rng.choice(GOALS[axis]),
                due_on=pathway.started_on + datetime.timedelta(days=180),
                status=rng.choice(
                    [GoalStatus.IN_PROGRESS, GoalStatus.IN_PROGRESS, GoalStatus.REACHED]
                ),
            )
        if closes and outcomes:
            services.pathway_close(
                pathway=pathway,
                ended_on=ended_on,
                outcome=outcomes[rng.choice(EXITS)],
                comment="",
                by=coordinator,
            )
    assessment_demo.load(centre, rng, today=today)
