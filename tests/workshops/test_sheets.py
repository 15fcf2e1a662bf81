"""Sign-in sheets and attendance records as PDF: their text is read back with
pdftotext (poppler-utils), their access is the session's."""

import datetime
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.centres.enums import Role
from parcours.workshops import sheets
from parcours.workshops.enums import EnrolmentStatus, Presence, SessionStatus
from parcours.workshops.models import Attendance

from ..factories import PlaceFactory, member
from ..people.factories import PersonFactory
from .factories import EnrolmentFactory, SessionFactory, WorkshopFactory

D = datetime.date


def pdf_text(content):
    """The PDF's text, pages separated by form feeds (\\f)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail(
            "pdftotext est introuvable : installez poppler-utils "
            "(apt-get install poppler-utils) pour que ces tests lisent les PDF."
        )
    done = subprocess.run(  # noqa: S603  (a fixed program on bytes we just built)
        [pdftotext, "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def pages(text):
    # pdftotext ends every page with a form feed.
    return text.split("\f")[:-1]


def line_with(text, name):
    return next(line for line in text.splitlines() if name in line)


@pytest.fixture
def workshop(centre, users, programme):
    place = PlaceFactory(
        centre=centre, name="Salle polyvalente", address="place Roland", postcode="57100"
    )
    workshop = WorkshopFactory(
        centre=centre, name="Atelier français", place=place, programme=programme
    )
    workshop.facilitators.add(users[Role.FACILITATOR])
    return workshop


@pytest.fixture
def session(workshop):
    return SessionFactory(workshop=workshop, date=D(2026, 3, 2))


def enrol(workshop, last_name, first_name, **fields):
    return EnrolmentFactory(
        workshop=workshop, person__last_name=last_name, person__first_name=first_name, **fields
    )


def test_it_prints_the_sign_in_sheet_of_a_session(session, workshop, users):
    enrol(workshop, "Lefèvre", "Zoé-Marie")
    enrol(workshop, "Benali", "Karim")
    text = pdf_text(sheets.sign_in_sheet(session))

    assert "Centre « Le Lierre »" in text
    assert "Objectif : Insertion(s)" in text
    assert "Feuille d'émargement" in text
    assert "Atelier français" in text
    assert "lundi 2 mars 2026" in text
    assert "14h00 – 16h00" in text
    assert "Salle polyvalente — place Roland, 57100" in text
    assert str(users[Role.FACILITATOR]) in text
    assert "Signature" in text
    assert "Page 1/1" in text
    assert "LEFÈVRE" in line_with(text, "Zoé-Marie")
    # Sorted by last name.
    assert text.index("BENALI") < text.index("LEFÈVRE")


def test_it_lists_only_people_enrolled_in_that_workshop_on_that_day(session, workshop, centre):
    enrol(workshop, "Présente", "Active")
    enrol(workshop, "Partie", "Avant", ends_on=D(2026, 2, 27), status=EnrolmentStatus.ENDED)
    enrol(workshop, "Finie", "Hier", ends_on=D(2026, 3, 1))
    enrol(workshop, "Future", "Recrue", starts_on=D(2026, 3, 9))
    enrol(workshop, "Attente", "Liste", status=EnrolmentStatus.WAITING)
    enrol(WorkshopFactory(centre=centre), "Ailleurs", "Couture")

    text = pdf_text(sheets.sign_in_sheet(session))

    assert "PRÉSENTE" in text
    for absent in ("PARTIE", "FINIE", "FUTURE", "ATTENTE", "AILLEURS"):
        assert absent not in text


def test_it_repeats_the_table_head_and_numbers_pages_of_a_long_sheet(session, workshop):
    for n in range(30):
        enrol(workshop, f"Nom{n:02}", "Prénom")
    found = pages(pdf_text(sheets.sign_in_sheet(session)))

    assert len(found) > 1
    for number, page in enumerate(found, start=1):
        assert f"Page {number}/{len(found)}" in page
        assert "Signature" in page
    assert "(suite)" in found[1]
    assert "NOM29" in "".join(found)
    assert "Signature de l'animation" in found[-1]


def test_it_prints_one_page_per_session_of_the_month(workshop):
    for day in (2, 9, 23, 30):
        SessionFactory(workshop=workshop, date=D(2026, 3, day))
    SessionFactory(workshop=workshop, date=D(2026, 3, 16), status=SessionStatus.CANCELLED)
    SessionFactory(workshop=workshop, date=D(2026, 4, 6))
    SessionFactory(workshop=workshop, date=D(2026, 2, 23))
    enrol(workshop, "Dès", "Septembre")
    enrol(workshop, "Tardive", "Arrivée", starts_on=D(2026, 3, 20))

    found = pages(pdf_text(sheets.monthly_sign_in_sheet(workshop, 2026, 3)))

    assert len(found) == 4
    for page, date in zip(found, ("2 mars", "9 mars", "23 mars", "30 mars"), strict=True):
        assert f"lundi {date} 2026" in page
        assert "Page 1/1" in page
        assert "DÈS" in page
    assert ["TARDIVE" in page for page in found] == [False, False, True, True]


def test_it_says_when_a_month_has_no_session(workshop):
    text = pdf_text(sheets.monthly_sign_in_sheet(workshop, 2026, 8))
    assert "Aucune séance prévue en août 2026." in text


def test_it_dates_sessions_in_french_the_first_of_the_month_as_1er():
    assert sheets.french_date(D(2026, 3, 1)) == "dimanche 1er mars 2026"
    assert sheets.french_date(D(2026, 8, 15)) == "samedi 15 août 2026"
    assert sheets.french_date(D(2026, 2, 4)) == "mercredi 4 février 2026"


def test_it_prints_who_came_after_the_session(session, workshop, centre, users):
    def mark(person, presence, walk_in=False):
        Attendance.objects.create(
            session=session,
            person=person,
            presence=presence,
            walk_in=walk_in,
            recorded_by=users[Role.FACILITATOR],
        )

    mark(enrol(workshop, "Venue", "Alice").person, Presence.PRESENT)
    mark(enrol(workshop, "Absente", "Berthe").person, Presence.ABSENT)
    mark(enrol(workshop, "Excusée", "Chloé").person, Presence.EXCUSED)
    enrol(workshop, "Oubliée", "Denise")
    mark(
        PersonFactory(centre=centre, last_name="Passante", first_name="Eva"), Presence.PRESENT, True
    )

    text = pdf_text(sheets.attendance_record(session, sheets.attendance_listing(session)))

    assert "Relevé de présence" in text
    assert "Présente" in line_with(text, "VENUE")
    assert "Absente" in line_with(text, "ABSENTE")
    assert "Excusée" in line_with(text, "EXCUSÉE")
    assert "Non noté" in line_with(text, "OUBLIÉE")
    walk_in = line_with(text, "PASSANTE")
    assert "Présente" in walk_in
    assert "sans inscription" in walk_in
    assert "Personnes inscrites : 4" in text
    assert "Présences : 2 (dont 1 sans inscription)" in text
    assert "Absences : 1" in text
    assert "Absences excusées : 1" in text
    # Present first, then absent, excused, not recorded.
    order = [text.index(n) for n in ("PASSANTE", "VENUE", "ABSENTE", "EXCUSÉE", "OUBLIÉE")]
    assert order == sorted(order)


def sheet_url(session):
    return reverse("workshops:session_sheet", args=[session.pk])


def test_it_serves_the_sheet_to_the_workshops_facilitator(client_for, session):
    response = client_for(Role.FACILITATOR).get(sheet_url(session))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="emargement-atelier-francais-2026-03-02.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "lundi 2 mars 2026" in pdf_text(response.content)


def test_it_audits_each_download(client_for, session, workshop):
    enrol(workshop, "Benali", "Karim")
    walk_in = enrol(workshop, "Lefèvre", "Zoé").person
    Attendance.objects.create(session=session, person=walk_in, presence=Presence.PRESENT)
    client = client_for(Role.COORDINATOR)
    client.get(sheet_url(session))
    client.get(reverse("workshops:session_record", args=[session.pk]))
    client.get(reverse("workshops:monthly_sheet", args=[workshop.pk, 2026, 3]))

    events = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS)
    documents = events.filter(person_id__isnull=True)
    assert sorted(documents.values_list("additional_data", flat=True), key=str) == [
        {"section": "feuille d'émargement"},
        {"section": "feuilles d'émargement 03/2026"},
        {"section": "relevé de présence"},
    ]
    # The attendance record is also a read of each person it lists (their "who read
    # my file"); a blank sign-in sheet is not.
    listed = {person.pk for person, *_ in sheets.attendance_listing(session).rows}
    assert len(listed) == 2
    reads = events.filter(person_id__isnull=False)
    assert set(reads.values_list("person_id", flat=True)) == listed
    assert {tuple(d.items()) for d in reads.values_list("additional_data", flat=True)} == {
        (("via", "relevé de présence"),)
    }


@pytest.mark.parametrize("url_name", ["session_sheet", "session_record", "monthly_sheet"])
def test_it_lets_only_the_coordinator_and_the_workshops_facilitators_in(
    client, client_for, centre, session, workshop, url_name
):
    args = [workshop.pk, 2026, 3] if url_name == "monthly_sheet" else [session.pk]
    url = reverse(f"workshops:{url_name}", args=args)

    assert client_for(Role.FACILITATOR).get(url).status_code == 200
    assert client_for(Role.COORDINATOR).get(url).status_code == 200
    assert client_for(Role.DIRECTOR).get(url).status_code == 403
    assert client_for(Role.ADMIN).get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    client.force_login(member(centre, Role.FACILITATOR))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("month", [0, 13])
def test_it_answers_404_for_a_month_that_does_not_exist(client_for, workshop, month):
    url = reverse("workshops:monthly_sheet", args=[workshop.pk, 2026, month])
    assert client_for(Role.COORDINATOR).get(url).status_code == 404


@pytest.mark.parametrize("url_name", ["session_sheet", "session_record", "monthly_sheet"])
def test_it_does_as_many_queries_for_30_people_as_for_3(
    client_for, centre, session, workshop, url_name
):
    SessionFactory(workshop=workshop, date=D(2026, 3, 9))
    args = [workshop.pk, 2026, 3] if url_name == "monthly_sheet" else [session.pk]
    url = reverse(f"workshops:{url_name}", args=args)
    client = client_for(Role.FACILITATOR)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    def add_people(number):
        for _ in range(number):
            person = EnrolmentFactory(workshop=workshop).person
            Attendance.objects.create(session=session, person=person, presence=Presence.PRESENT)

    add_people(3)
    with_3 = queries()
    add_people(27)
    assert queries() == with_3
