"""The seed's workshops for the demo centre, their calendar and a history of attendance.

The timetable is the seed's, exactly. Enrolments and attendance marks are fictional,
drawn from a fixed seed; loading twice changes nothing.
"""

import datetime
import random

from django.utils import timezone

from parcours.accounts.models import User
from parcours.centres.models import Place
from parcours.core.states import move_all
from parcours.partners.models import Partner
from parcours.people.enums import PersonStatus
from parcours.people.models import Person

from .enums import EnrolmentStatus, Presence, SessionStatus, Weekday, WorkshopKind
from .models import Attendance, Enrolment, Session, TimetableSlot, Workshop
from .services import sessions_plan

T = datetime.time
GUISE, MULTIMEDIA, POLYVALENTE, CUISINE = (
    "Espace adultes",
    "Espace multimédia",
    "Salle polyvalente",
    "Cuisine pédagogique AFAD",
)

# name, place, weekday, start, end, capacity, runs in school holidays
WEEKLY = [
    ("Espace Vie et Quotidien, paroles et projets", GUISE, Weekday.MONDAY, T(14), T(16), 20, True),
    ("Couture", GUISE, Weekday.TUESDAY, T(9), T(11), 12, False),
    ("Multimédia", MULTIMEDIA, Weekday.THURSDAY, T(9), T(11), 8, False),
    ("Relaxation", POLYVALENTE, Weekday.MONDAY, T(14, 30), T(15, 45), 12, False),
    ("Cuisine", CUISINE, Weekday.FRIDAY, T(8, 30), T(13), 10, False),
    (
        "Atelier français, remobilisation des savoirs de base",
        GUISE,
        Weekday.TUESDAY,
        T(15),
        T(18),
        12,
        False,
    ),
    ("Français Langue Étrangère", GUISE, Weekday.FRIDAY, T(14), T(16), 12, False),
    ("Permanence Emploi", GUISE, Weekday.MONDAY, T(16), T(18), None, False),
]
DESCRIPTIONS = {
    "Multimédia": "Informatique, vidéo, Internet.",
    "Cuisine": "Avec l'AFAD de Moselle, dans sa cuisine pédagogique.",
    "Permanence Emploi": "Aide à la recherche d'emploi, CV, démarches en ligne.",
}
KINDS = {"Permanence Emploi": WorkshopKind.DROP_IN}

# name, kind, yearly target
YEARLY = [
    ("Sophrologie", WorkshopKind.SERIES, 24),
    ("Groupes de parole", WorkshopKind.SERIES, 20),
    ("Arts plastiques", WorkshopKind.SERIES, 15),
    ("Création vidéo", WorkshopKind.SERIES, 4),
    ("Initiation musicale", WorkshopKind.SERIES, 5),
    ("Sorties culturelles (avec « Loisirs en famille »)", WorkshopKind.OUTING, 10),
]

SEED = 2013


def load_timetable(centre):
    """The seed's workshops and weekly slots (created when missing)."""
    places = {p.name: p for p in Place.objects.of_centre(centre)}
    programme = centre.programmes.order_by("pk").first()
    afad = Partner.objects.of_centre(centre).filter(name__icontains="AFAD").first()
    for name, place, weekday, start, end, capacity, holidays in WEEKLY:
        workshop, created = Workshop.objects.get_or_create(
            centre=centre,
            name=name,
            defaults={
                "programme": programme,
                "kind": KINDS.get(name, WorkshopKind.WEEKLY),
                "place": places.get(place),
                "capacity": capacity,
                "runs_in_school_holidays": holidays,
                "description": DESCRIPTIONS.get(name, ""),
                "partner": afad if name == "Cuisine" else None,
            },
        )
        if created:
            TimetableSlot.objects.create(
                workshop=workshop, weekday=weekday, starts_at=start, ends_at=end
            )
    for name, kind, target in YEARLY:
        Workshop.objects.get_or_create(
            centre=centre,
            name=name,
            defaults={
                "programme": programme,
                "kind": kind,
                "place": places.get(POLYVALENTE if kind == WorkshopKind.SERIES else GUISE),
                "yearly_target": target,
                "capacity": 12 if kind == WorkshopKind.SERIES else 25,
            },
        )


def _series_sessions(centre, today):
    """Series and outings are planned by date: spread each over the calendar year."""
    year_start = datetime.date(today.year, 1, 7)
    for workshop in Workshop.objects.of_centre(centre).exclude(yearly_target=None):
        if workshop.sessions.exists():
            continue
        step = 340 // workshop.yearly_target
        for number in range(workshop.yearly_target):
            day = year_start + datetime.timedelta(days=number * step)
            day += datetime.timedelta(days=(Weekday.WEDNESDAY - day.weekday()) % 7)
            Session.objects.create(
                centre=centre, workshop=workshop, date=day, starts_at=T(10), ends_at=T(11, 30)
            )


def _enrol_and_attend(centre, today, rng):
    if Enrolment.objects.filter(workshop__centre=centre).exists():
        return
    workshops = list(Workshop.objects.of_centre(centre).order_by("pk"))
    people = Person.objects.of_centre(centre).filter(status=PersonStatus.ACTIVE).order_by("pk")
    for person in people.prefetch_related("pathways"):
        started = min(p.started_on for p in person.pathways.all())
        for workshop in rng.sample(workshops, rng.randint(1, 3)):
            active = workshop.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()
            full = workshop.capacity is not None and active >= workshop.capacity
            Enrolment.objects.create(
                workshop=workshop,
                person=person,
                starts_on=started,
                status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ACTIVE,
            )
    marks = []
    held = []
    sessions = Session.objects.filter(centre=centre, date__lt=today).order_by("date")
    enrolments = list(Enrolment.objects.filter(workshop__centre=centre, status="active"))
    for session in sessions:
        # A few past sessions were never recorded, as happens: they show as flagged.
        if rng.random() < 0.03:
            continue
        for enrolment in enrolments:
            if enrolment.workshop_id != session.workshop_id or enrolment.starts_on > session.date:
                continue
            draw = rng.random()
            presence = (
                Presence.PRESENT
                if draw < 0.75
                else Presence.ABSENT
                if draw < 0.9
                else Presence.EXCUSED
            )
            marks.append(
                Attendance(session=session, person_id=enrolment.person_id, presence=presence)
            )
        held.append(session)
    # Someone the coordinator should worry about: absent at their last four sessions.
    if marks:
        worried = marks[-1].person_id
        for mark in [m for m in marks if m.person_id == worried][-4:]:
            mark.presence = Presence.ABSENT
    # Thousands of marks: inserted in bulk (demo history, not a user's action).
    Attendance.objects.bulk_create(marks, batch_size=1000)
    recorded_at = timezone.now()
    for session in held:
        session.attendance_recorded_at = recorded_at
    move_all(held, SessionStatus.HELD, by=None, fields=["attendance_recorded_at"])


def load(centre, today=None):
    today = today or timezone.localdate()
    load_timetable(centre)
    facilitator = User.objects.filter(
        memberships__centre=centre, memberships__role="facilitator"
    ).first()
    if facilitator:
        for workshop in Workshop.objects.of_centre(centre).filter(facilitators=None):
            workshop.facilitators.add(facilitator)
    # From the start of last school year to two months ahead.
    start = datetime.date(today.year - 1 if today.month >= 9 else today.year - 2, 9, 1)
    sessions_plan(centre=centre, start=start, end=today + datetime.timedelta(days=60))
    _series_sessions(centre, today)
    _enrol_and_attend(centre, today, random.Random(SEED))  # noqa: S311  (fiction)
