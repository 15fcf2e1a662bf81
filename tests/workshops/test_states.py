"""The state machines of sessions and enrolments: each change is one logged row, an
illegal one is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.core.states import move_all
from parcours.privacy.services import person_archive
from parcours.workshops import services
from parcours.workshops.enums import EnrolmentStatus, Presence, SessionStatus
from parcours.workshops.models import EnrolmentTransition, Session, SessionTransition

from ..people.factories import PersonFactory
from .factories import EnrolmentFactory, SessionFactory, WorkshopFactory


def steps(record):
    return [(t.from_status, t.to_status, t.by, t.reason) for t in record.transitions.all()]


def test_it_logs_who_cancelled_a_session_and_why(client_for, centre, users):
    session = SessionFactory(workshop__centre=centre)
    client_for("coordinator").post(
        reverse("workshops:session_cancel", args=[session.pk]), {"reason": "Grève"}
    )
    assert steps(session) == [("planned", "cancelled", users["coordinator"], "Grève")]
    assert str(session.transitions.get()) == "Prévue → Annulée"


def test_it_refuses_to_cancel_a_cancelled_session_again(client_for, centre, users):
    session = SessionFactory(workshop__centre=centre)
    services.session_cancel(session=session, reason="Grève", by=users["coordinator"])
    page = client_for("coordinator").post(
        reverse("workshops:session_cancel", args=[session.pk]), {"reason": "Neige"}, follow=True
    )
    assert "« Annulée » ne peut pas devenir « Annulée »" in page.content.decode()
    session.refresh_from_db()
    assert (session.cancel_reason, SessionTransition.objects.count()) == ("Grève", 1)


def test_it_logs_the_first_attendance_mark_only_as_holding_the_session(centre, users):
    session = SessionFactory(workshop__centre=centre, date=timezone.localdate())
    for presence in (Presence.PRESENT, Presence.ABSENT):
        services.attendance_mark(
            session=session,
            person=PersonFactory(centre=centre),
            presence=presence,
            by=users["facilitator"],
        )
    assert steps(session) == [("planned", "held", users["facilitator"], "")]


def test_it_refuses_a_status_the_table_does_not_allow(centre):
    session = SessionFactory(workshop__centre=centre, status=SessionStatus.CANCELLED)
    with pytest.raises(ValidationError, match="« Annulée » ne peut pas devenir « Tenue »"):
        session.move_to(SessionStatus.HELD, by=None)
    assert session.status == SessionStatus.CANCELLED
    assert not SessionTransition.objects.exists()


def test_it_moves_many_sessions_at_once_with_one_row_each(centre):
    sessions = [SessionFactory(workshop__centre=centre) for _ in range(3)]
    move_all(sessions, SessionStatus.HELD, by=None)
    assert set(Session.objects.values_list("status", flat=True)) == {SessionStatus.HELD}
    assert SessionTransition.objects.filter(to_status=SessionStatus.HELD).count() == 3
    with pytest.raises(ValidationError):
        move_all(sessions, SessionStatus.PLANNED, by=None)
    assert SessionTransition.objects.count() == 3


def test_it_logs_an_ended_enrolment_and_the_automatic_promotion_it_makes(client_for, centre, users):
    workshop = WorkshopFactory(centre=centre, capacity=1)
    leaving = EnrolmentFactory(workshop=workshop)
    waiting = EnrolmentFactory(workshop=workshop, status=EnrolmentStatus.WAITING)
    client_for("coordinator").post(reverse("workshops:enrolment_end", args=[leaving.pk]))
    assert steps(leaving) == [("active", "ended", users["coordinator"], "")]
    assert steps(waiting) == [
        (
            "waiting",
            "active",
            users["coordinator"],
            "Place libérée : sortie de liste d'attente.",
        )
    ]


def test_it_refuses_to_promote_an_ended_enrolment(centre):
    enrolment = EnrolmentFactory(workshop__centre=centre, status=EnrolmentStatus.ENDED)
    with pytest.raises(ValidationError, match="ne peut pas devenir « Inscrite »"):
        enrolment.move_to(EnrolmentStatus.ACTIVE, by=None)
    assert not EnrolmentTransition.objects.exists()


def test_it_logs_enrolments_ended_by_archiving_as_made_by_nobody(centre):
    enrolment = EnrolmentFactory(workshop__centre=centre, status=EnrolmentStatus.WAITING)
    person_archive(person=enrolment.person, today=timezone.localdate())
    assert steps(enrolment) == [("waiting", "ended", None, "")]
