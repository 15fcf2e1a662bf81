import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.pathways.models import Appointment, ExitOutcome, Goal
from parcours.people.enums import PersonStatus
from parcours.workshops.enums import EnrolmentStatus

from ..workshops.factories import EnrolmentFactory
from .factories import AppointmentFactory, GoalFactory, PathwayFactory


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_plans_then_records_an_appointment_with_a_private_note(client_for, centre, users):
    pathway = PathwayFactory(centre=centre)
    client = client_for("coordinator")
    client.post(
        reverse("pathways:appointment_create", args=[pathway.pk]),
        {
            "starts_at": "2026-03-02T10:00",
            "duration": "45",
            "kind": "follow_up",
            "status": "planned",
        },
    )
    appointment = Appointment.objects.get()
    assert (appointment.person, appointment.centre, appointment.created_by) == (
        pathway.person,
        centre,
        users["coordinator"],
    )
    client.post(
        reverse("pathways:appointment", args=[appointment.pk]),
        {
            "starts_at": "2026-03-02T10:00",
            "duration": "50",
            "kind": "follow_up",
            "status": "held",
            "note": "Parle de reprendre une formation.",
            "version": pathway.version,
        },
    )
    appointment.refresh_from_db()
    assert (appointment.status, appointment.note) == ("held", "Parle de reprendre une formation.")
    event = AuditEvent.objects.filter(content_type__model="appointment", action=1).get()
    assert "formation" not in str(event.changes)


def test_a_future_appointment_cannot_be_held(client_for, centre):
    pathway = PathwayFactory(centre=centre)
    later = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("coordinator").post(
        reverse("pathways:appointment_create", args=[pathway.pk]),
        {"starts_at": later, "duration": "45", "kind": "follow_up", "status": "held"},
    )
    assert "Un entretien à venir ne peut pas être déjà tenu." in response.content.decode()
    assert not Appointment.objects.exists()


def test_it_sets_goals_on_the_three_axes(client_for, centre):
    pathway = PathwayFactory(centre=centre)
    client = client_for("coordinator")
    for axis, wording in [("isolation", "Venir deux fois par semaine"), ("work", "Faire un CV")]:
        client.post(
            reverse("pathways:goal_create", args=[pathway.pk]),
            {"axis": axis, "wording": wording, "status": "in_progress"},
        )
    page = client.get(reverse("pathways:pathway", args=[pathway.pk])).content.decode()
    assert "Venir deux fois par semaine" in page and "Faire un CV" in page
    assert "Rupture de l&#x27;isolement" in page and "Projet professionnel, emploi" in page
    assert Goal.objects.filter(pathway=pathway).count() == 2


def test_closing_a_pathway_records_the_outcome_and_ends_the_enrolments(client_for, centre):
    pathway = PathwayFactory(centre=centre)
    enrolment = EnrolmentFactory(person=pathway.person, workshop__centre=centre)
    outcome = ExitOutcome.objects.get(label="Entrée en formation")
    client = client_for("coordinator")
    bad = client.post(
        reverse("pathways:close", args=[pathway.pk]),
        {"ended_on": "2025-01-01", "outcome": outcome.pk, "version": pathway.version},
    )
    assert "ne peut pas précéder" in bad.content.decode()
    client.post(
        reverse("pathways:close", args=[pathway.pk]),
        {
            "ended_on": "2026-06-30",
            "outcome": outcome.pk,
            "comment": "Entre en formation d'aide-soignante.",
            "version": pathway.version,
        },
    )
    pathway.refresh_from_db()
    assert pathway.ended_on == datetime.date(2026, 6, 30)
    assert pathway.exit.outcome.is_positive
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ends_on) == (
        EnrolmentStatus.ENDED,
        datetime.date(2026, 6, 30),
    )
    pathway.person.refresh_from_db()
    assert pathway.person.status == PersonStatus.EXITED


def test_another_centres_outcome_cannot_close_a_pathway(client_for, centre, other_centre):
    pathway = PathwayFactory(centre=centre)
    theirs = ExitOutcome.objects.create(centre=other_centre, label="Leur issue", family="other")
    response = client_for("coordinator").post(
        reverse("pathways:close", args=[pathway.pk]),
        {"ended_on": "2026-06-30", "outcome": theirs.pk, "version": pathway.version},
    )
    assert response.status_code == 200
    pathway.refresh_from_db()
    assert pathway.ended_on is None


def test_reading_a_pathway_is_audited(client_for, centre, users):
    pathway = PathwayFactory(centre=centre)
    client_for("coordinator").get(reverse("pathways:pathway", args=[pathway.pk]))
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS)
    assert (event.person_id, event.additional_data) == (pathway.person_id, {"section": "parcours"})


def test_the_timeline_and_the_file_cost_the_same_whatever_the_history(client_for, centre):
    pathway = PathwayFactory(centre=centre)
    client = client_for("coordinator")
    url = reverse("people:detail", args=[pathway.person_id])
    small = count_queries(client, url)
    for day in range(1, 20):
        AppointmentFactory(
            pathway=pathway, starts_at=datetime.datetime(2026, 1, day, 10, tzinfo=datetime.UTC)
        )
        GoalFactory(pathway=pathway)
    second = PathwayFactory(
        centre=centre, person=pathway.person, started_on=datetime.date(2024, 1, 1)
    )
    GoalFactory(pathway=second)
    assert count_queries(client, url) == small
    titles = [entry.title for entry in pathway.person.timeline()]
    assert titles.count("Entretien de suivi") == 19
    assert titles.count("Objectif fixé") == 20


def test_the_coordinators_home_costs_the_same_whatever_the_history(client_for, centre):
    client = client_for("coordinator")
    small = count_queries(client, reverse("dashboard:home"))
    for _ in range(12):
        pathway = PathwayFactory(centre=centre, started_on=datetime.date(2024, 1, 1))
        AppointmentFactory(pathway=pathway, starts_at=timezone.now())
    assert count_queries(client, reverse("dashboard:home")) == small


def test_the_home_page_lists_pathways_without_news_for_60_days(client_for, centre):
    quiet = PathwayFactory(centre=centre, started_on=datetime.date(2024, 1, 1))
    seen = PathwayFactory(centre=centre, started_on=datetime.date(2024, 1, 1))
    AppointmentFactory(
        pathway=seen, starts_at=timezone.now() - datetime.timedelta(days=10), status="held"
    )
    page = client_for("coordinator").get(reverse("dashboard:home"))
    assert [p.pk for p in page.context["silent"]] == [quiet.pk]


def test_opening_a_goal_is_an_audited_read(client_for, centre):
    goal = GoalFactory(pathway=PathwayFactory(centre=centre))
    client_for("coordinator").get(reverse("pathways:goal_edit", args=[goal.pk]))
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS)
    assert (event.person_id, event.additional_data) == (
        goal.pathway.person_id,
        {"section": "objectif"},
    )


def test_it_refuses_a_goal_due_before_the_pathway_began(client_for, centre):
    pathway = PathwayFactory(centre=centre, started_on=datetime.date(2026, 12, 7))
    response = client_for("coordinator").post(
        reverse("pathways:goal_create", args=[pathway.pk]),
        {"axis": "work", "wording": "Faire un CV", "status": "in_progress", "due_on": "2019-01-01"},
    )
    assert response.status_code == 200
    assert "L&#x27;échéance ne peut pas précéder l&#x27;entrée en parcours (le 07/12/2026)" in (
        response.content.decode()
    )
    assert not Goal.objects.filter(pathway=pathway).exists()
