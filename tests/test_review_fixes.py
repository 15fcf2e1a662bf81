"""Regressions found in review: each test failed before its fix."""

import datetime

from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.centres.enums import Role
from parcours.centres.models import Membership
from parcours.pathways.models import ExitOutcome
from parcours.pathways.outcomes import load_defaults
from parcours.pathways.services import pathway_close
from parcours.reports.models import Narrative
from parcours.workshops.enums import EnrolmentStatus

from .factories import ProgrammeFactory
from .pathways.factories import PathwayFactory
from .workshops.factories import EnrolmentFactory, SessionFactory, WorkshopFactory


def test_a_facilitator_who_becomes_director_no_longer_sees_the_participants(
    client_for, users, centre
):
    workshop = WorkshopFactory(centre=centre)
    workshop.facilitators.add(users["facilitator"])
    enrolment = EnrolmentFactory(workshop=workshop, person__last_name="Participante")
    Membership.objects.filter(user=users["facilitator"]).update(role=Role.DIRECTOR)
    page = client_for("facilitator").get(reverse("workshops:detail", args=[workshop.pk]))
    assert page.status_code == 200
    assert enrolment.person.last_name not in page.content.decode()


def test_a_cancellation_reason_does_not_reach_the_trail(client_for, centre):
    session = SessionFactory(workshop=WorkshopFactory(centre=centre))
    client_for("coordinator").post(
        reverse("workshops:session_cancel", args=[session.pk]), {"reason": "Mme Dupont malade"}
    )
    event = AuditEvent.objects.get(content_type__model="session", action=AuditEvent.Action.UPDATE)
    assert "Dupont" not in str(event.changes)


def test_far_away_months_and_years_get_no_server_error(client_for, programme):
    client = client_for("coordinator")
    for month in ["9999-12", "0001-01"]:
        assert client.get(reverse("workshops:sessions"), {"mois": month}).status_code == 200
    url = reverse("reports:report", args=[programme.pk])
    for du, au in [("0001-01-01", "0001-12-31"), ("2025-01-01", "9999-12-31")]:
        response = client.get(url, {"du": du, "au": au})
        assert response.status_code == 400
        assert "entre 1900 et 2100" in response.content.decode()


def test_a_narrative_for_an_unknown_section_is_refused(client_for, programme):
    client_for("coordinator").post(
        reverse("reports:narrative", args=[programme.pk]) + "?du=2025-01-01&au=2025-12-31",
        {"section": "n-importe-quoi", "text": "x"},
    )
    assert not Narrative.objects.exists()


def test_an_exotic_digit_is_not_a_workshop_id(client_for):
    response = client_for("coordinator").post(reverse("workshops:feed_create"), {"workshop": "²"})
    assert response.status_code == 404


def test_closing_a_pathway_frees_places_for_the_waiting_list_and_spares_other_programmes(
    centre, users
):
    load_defaults(ExitOutcome)
    programme = ProgrammeFactory(centre=centre)
    other = ProgrammeFactory(centre=centre)
    pathway = PathwayFactory(centre=centre, programme=programme)
    PathwayFactory(centre=centre, programme=other, person=pathway.person)
    full = WorkshopFactory(centre=centre, programme=programme, capacity=1)
    leaving = EnrolmentFactory(workshop=full, person=pathway.person)
    waiting = EnrolmentFactory(workshop=full, status=EnrolmentStatus.WAITING)
    elsewhere = EnrolmentFactory(
        workshop=WorkshopFactory(centre=centre, programme=other), person=pathway.person
    )
    pathway_close(
        pathway=pathway,
        ended_on=datetime.date(2026, 6, 30),
        outcome=ExitOutcome.objects.first(),
        comment="",
        by=users["coordinator"],
    )
    for enrolment in (leaving, waiting, elsewhere):
        enrolment.refresh_from_db()
    assert leaving.status == EnrolmentStatus.ENDED
    assert waiting.status == EnrolmentStatus.ACTIVE
    assert elsewhere.status == EnrolmentStatus.ACTIVE
