"""An archived file leaves every list, search, count and lookup of every role; the
admin alone reads it, in the archive, and that reading is audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.pathways.enums import AppointmentStatus
from parcours.people import services as people_services
from parcours.people.models import ConfidentialNote
from parcours.privacy import services
from parcours.workshops.enums import Presence
from parcours.workshops.models import Attendance

from ..pathways.factories import AppointmentFactory
from ..workshops.factories import EnrolmentFactory, SessionFactory, WorkshopFactory

NAME = "Zéphirine"


@pytest.fixture
def archived(centre, users, programme, referred):
    """The partner worker's referral, admitted, in the facilitator's workshop, with an
    appointment today and a presence at a session: everything that shows a person."""
    person = referred.person
    person.first_name = NAME
    person.save()
    pathway = people_services.referral_admit(
        referral=referred,
        programme=programme,
        started_on=datetime.date(2026, 9, 7),
        by=users["coordinator"],
    )
    appointment = AppointmentFactory(
        pathway=pathway, starts_at=timezone.now(), status=AppointmentStatus.PLANNED
    )
    workshop = WorkshopFactory(centre=centre)
    workshop.facilitators.add(users["facilitator"])
    EnrolmentFactory(workshop=workshop, person=person)
    session = SessionFactory(workshop=workshop, date=datetime.date(2026, 11, 2))
    Attendance.objects.create(session=session, person=person, presence=Presence.PRESENT)
    return {
        "person": person,
        "pathway": pathway,
        "appointment": appointment,
        "workshop": workshop,
        "session": session,
        "referral": referred,
    }


def _pages(o):
    """(actor, url) of every page that shows the person before archiving."""
    person = o["person"]
    return [
        ("coordinator", reverse("people:list")),
        ("coordinator", reverse("people:list") + f"?q={NAME}"),
        ("coordinator", reverse("dashboard:home")),
        ("coordinator", reverse("workshops:detail", args=[o["workshop"].pk])),
        ("coordinator", reverse("workshops:session", args=[o["session"].pk])),
        ("coordinator", reverse("workshops:session_record", args=[o["session"].pk])),
        ("facilitator", reverse("people:list")),
        ("facilitator", reverse("workshops:session", args=[o["session"].pk])),
        ("partner_worker", reverse("people:list")),
        ("partner_worker", reverse("dashboard:home")),
    ], [
        ("coordinator", reverse("people:detail", args=[person.pk])),
        ("coordinator", reverse("pathways:pathway", args=[o["pathway"].pk])),
        ("coordinator", reverse("pathways:appointment", args=[o["appointment"].pk])),
        ("coordinator", reverse("people:referral_detail", args=[o["referral"].pk])),
        ("coordinator", reverse("privacy:person", args=[person.pk])),
        ("coordinator", reverse("privacy:export_json", args=[person.pk])),
        ("facilitator", reverse("people:detail", args=[person.pk])),
        ("partner_worker", reverse("people:detail", args=[person.pk])),
    ]


def _text(response):
    """The response as text, without the search box echoing what was typed."""
    if response["Content-Type"] == "application/pdf":
        from ..workshops.test_sheets import pdf_text

        return pdf_text(response.content)
    return response.content.decode().replace(f'value="{NAME}"', "")


def test_an_archived_file_leaves_every_page_of_every_role(client_for, archived):
    lists, lookups = _pages(archived)
    for actor, url in lists + lookups:
        response = client_for(actor).get(url)
        assert response.status_code == 200, (actor, url)
        assert NAME in _text(response), (actor, url)

    services.person_archive(person=archived["person"], today=datetime.date(2026, 11, 30))

    for actor, url in lists:
        response = client_for(actor).get(url)
        assert response.status_code == 200, (actor, url)
        assert NAME not in _text(response), (actor, url)
    for actor, url in lookups:
        assert client_for(actor).get(url).status_code == 404, (actor, url)


def test_the_admin_reads_an_archived_file_and_the_reading_is_audited(client_for, archived, users):
    person = archived["person"]
    ConfidentialNote.objects.create(person=person, health="Suivi en CSAPA.")
    services.person_archive(person=person, today=datetime.date(2026, 11, 30))
    client = client_for("admin")
    listing = client.get(reverse("privacy:archive")).content.decode()
    assert f"n° {person.pk}" in listing
    assert NAME not in listing  # numbers only in the list
    page = client.get(reverse("privacy:archived_person", args=[person.pk])).content.decode()
    assert NAME in page
    assert "Lecture seule" in page
    # The administration never reads the confidential section, archived or not.
    assert "Suivi en CSAPA" not in page and "Volet confidentiel (santé" not in page
    # Read-only: nothing on it edits the file (its rights are answered there, see
    # test_archive_rights.py).
    assert reverse("people:edit", args=[person.pk]) not in page
    assert AuditEvent.objects.filter(
        person_id=person.pk, actor=users["admin"], action=AuditEvent.Action.ACCESS
    ).exists()


def test_the_admin_finds_no_current_file_in_the_archive(client_for, archived):
    url = reverse("privacy:archived_person", args=[archived["person"].pk])
    assert client_for("admin").get(url).status_code == 404


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_archive_and_an_export_cost_the_same_queries_whatever_their_size(client_for, centre):
    from ..people.factories import PersonFactory

    day = datetime.date(2026, 6, 1)
    PersonFactory(centre=centre, archived_on=day)
    current = PersonFactory(centre=centre)
    archive, export = reverse("privacy:archive"), reverse("privacy:export_json", args=[current.pk])
    few = _queries(client_for("admin"), archive), _queries(client_for("coordinator"), export)
    PersonFactory.create_batch(5, centre=centre, archived_on=day)
    coordinator = client_for("coordinator")
    for _ in range(5):
        coordinator.get(reverse("people:detail", args=[current.pk]))  # more readers
    many = _queries(client_for("admin"), archive), _queries(client_for("coordinator"), export)
    assert few == many
