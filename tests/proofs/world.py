"""A centre full of data, for the proofs: every kind of object the access matrix knows,
plus people with rich files (referrals from the partner worker, pathways, appointments,
goals, assessments, relays, case reviews, workshops, attendance, RSA contracts), each
with marker strings in the confidential section.

The objects come from the matrix's own builders (tests/test_access_matrix.py), so what a
branch adds to its `objects()` is in this world too.
"""

import datetime
import re

from parcours.centres.enums import Role
from parcours.pathways import case_reviews, relays
from parcours.pathways.assessments import assessment_record, default_grid
from parcours.pathways.enums import AssessmentBy
from parcours.people import services as people_services
from parcours.people.enums import Direction
from parcours.people.models import ConfidentialNote, Person, Referral, RsaContract
from parcours.workshops import services as workshop_services
from parcours.workshops.enums import Presence

from ..factories import PlaceFactory, ProgrammeFactory, member
from ..partners.factories import PartnerFactory
from ..pathways.factories import AppointmentFactory, GoalFactory
from ..people.factories import PersonFactory, agreed_to_share
from ..test_access_matrix import build_objects
from ..workshops.factories import SessionFactory

# Lower case, no space or hyphen: a PDF or a spreadsheet cannot split it, and a
# case-insensitive search finds it whatever a template does to the case.
MARKER = "mqxleak"
CONFIDENTIAL_FIELDS = ("health", "addictions", "violence")
MARKED = re.compile(MARKER, re.IGNORECASE)


def marker(field, person):
    return f"{MARKER}{field}{person.pk}zq"


def team(centre):
    """One user per role of `centre`."""
    return {role.value: member(centre, role) for role in Role}


def _rich_person(centre, users, programme, partner, workshop, grid, name):
    person = PersonFactory(centre=centre, last_name=name, first_name="Inès", phone="")
    referral = people_services.referral_receive(
        centre=centre,
        person=person,
        by=users["coordinator"],
        referrer_user=users["partner_worker"],
        received_on=datetime.date(2025, 9, 1),
        reason="Isolement.",
    )
    pathway = people_services.referral_admit(
        referral=referral,
        programme=programme,
        started_on=datetime.date(2025, 9, 15),
        by=users["coordinator"],
    )
    AppointmentFactory(pathway=pathway, note="Entretien d'accueil.")
    GoalFactory(pathway=pathway)
    RsaContract.objects.create(
        person=person,
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 8, 31),
        goals="Reprendre confiance.",
    )
    assessment_record(
        pathway=pathway,
        grid=grid,
        assessed_on=datetime.date(2025, 10, 1),
        assessed_by=AssessmentBy.COORDINATOR,
        values={criterion: 2 for criterion in grid.criteria.all()},
        by=users["coordinator"],
    )
    agreed_to_share(person, partner)
    relays.relay_send(
        person=person,
        partner=partner,
        contact=None,
        reason="Suivi psychologique.",
        shared_information="",
        follow_up_on=datetime.date(2026, 12, 15),
        by=users["coordinator"],
    )
    workshop_services.enrolment_create(
        workshop=workshop, person=person, starts_on=datetime.date(2025, 9, 15)
    )
    return person


def build_world(centre, users, *, people=3, name="Témoin"):
    """Every matrix object of `centre`, `people` rich files (named `name`0, `name`1…),
    a held session with attendance, a case review, and the markers in every person's
    confidential section."""
    place = PlaceFactory(centre=centre)
    programme = ProgrammeFactory(centre=centre)
    objects = build_objects(centre, users, place, programme)
    grid = default_grid(centre)
    partner = PartnerFactory(centre=centre, name="CMP de Thionville")
    workshop = objects["workshop"]
    rich = [
        _rich_person(centre, users, programme, partner, workshop, grid, f"{name}{n}")
        for n in range(people)
    ]
    session = SessionFactory(workshop=workshop, date=datetime.date(2025, 10, 6))
    for person in rich:
        workshop_services.attendance_mark(
            session=session, person=person, presence=Presence.PRESENT, by=users["facilitator"]
        )
    case_reviews.case_review_create(
        centre=centre,
        held_on=datetime.date(2025, 11, 5),
        participants=[],
        other_participants="",
        items=[(person, "Relais vers le CMP.") for person in rich],
    )
    # An intake interview of someone not admitted: an appointment outside any pathway.
    AppointmentFactory(
        pathway=None,
        centre=centre,
        person=PersonFactory(centre=centre, last_name=f"{name}Accueil", first_name="Léa"),
        note="Entretien d'accueil, sans suite.",
    )
    mark_everyone(centre)
    relay = Referral.objects.filter(person=rich[0], direction=Direction.OUT).get()
    return {
        **objects,
        "place": place,
        "programme": programme,
        "rich": rich,
        "grid": grid,
        "relay": relay,
    }


def mark_everyone(centre):
    """Markers in the confidential section of every person of `centre`, whoever made them."""
    for person in Person.objects.filter(centre=centre):
        ConfidentialNote.objects.update_or_create(
            person=person,
            defaults={field: marker(field, person) for field in CONFIDENTIAL_FIELDS},
        )
