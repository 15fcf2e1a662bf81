import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.workshops.enums import EnrolmentStatus, Presence, SessionStatus
from parcours.workshops.models import Attendance, Enrolment, Session

from ..people.factories import PersonFactory
from .factories import EnrolmentFactory, SessionFactory, SlotFactory, WorkshopFactory


@pytest.fixture
def couture(centre, users):
    workshop = WorkshopFactory(centre=centre, name="Couture", capacity=2)
    workshop.facilitators.add(users["facilitator"])
    return workshop


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_enrols_until_full_then_puts_people_on_the_waiting_list(client_for, centre, couture):
    client = client_for("coordinator")
    people = [PersonFactory(centre=centre) for _ in range(3)]
    for person in people:
        client.post(
            reverse("workshops:enrol", args=[couture.pk]),
            {"person": person.pk, "starts_on": "2026-01-05"},
        )
    statuses = [e.status for e in Enrolment.objects.order_by("pk")]
    assert statuses == [EnrolmentStatus.ACTIVE, EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING]
    response = client.post(
        reverse("workshops:enrol", args=[couture.pk]),
        {"person": people[0].pk, "starts_on": "2026-01-05"},
    )
    assert "déjà inscrite" in response.content.decode()
    first = Enrolment.objects.order_by("pk").first()
    client.post(reverse("workshops:enrolment_end", args=[first.pk]))
    statuses = [e.status for e in Enrolment.objects.order_by("pk")]
    assert statuses == [EnrolmentStatus.ENDED, EnrolmentStatus.ACTIVE, EnrolmentStatus.ACTIVE]


def test_the_persons_file_shows_their_workshops(client_for, centre, couture, referred):
    EnrolmentFactory(workshop=couture, person=referred.person)
    page = client_for("coordinator").get(reverse("people:detail", args=[referred.person_id]))
    assert "Couture" in page.content.decode()


def test_a_facilitator_sees_the_name_and_phone_of_the_people_of_their_workshops_only(
    client_for, centre, couture, referred
):
    EnrolmentFactory(workshop=couture, person=referred.person)
    other = EnrolmentFactory(workshop=WorkshopFactory(centre=centre)).person
    client = client_for("facilitator")
    listed = client.get(reverse("people:list")).context["page"]
    assert [p.pk for p in listed] == [referred.person_id]
    page = client.get(reverse("people:detail", args=[referred.person_id])).content.decode()
    assert "03 53 01 00 00" in page and "Couture" in page
    assert "Isolement" not in page  # the referral's reason is not theirs to read
    assert client.get(reverse("people:detail", args=[other.pk])).status_code == 404


def test_one_tap_marks_a_presence_and_the_session_is_held(client_for, couture, users):
    enrolment = EnrolmentFactory(workshop=couture)
    session = SessionFactory(workshop=couture, date=timezone.localdate())
    response = client_for("facilitator").post(
        reverse("workshops:mark", args=[session.pk]),
        {"person": enrolment.person_id, "presence": "absent"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'value="absent" class="tap absent" aria-pressed="true"' in response.content.decode()
    mark = Attendance.objects.get()
    assert (mark.presence, mark.recorded_by) == (Presence.ABSENT, users["facilitator"])
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.attendance_recorded_at


def test_a_tap_can_be_corrected(client_for, couture):
    enrolment = EnrolmentFactory(workshop=couture)
    session = SessionFactory(workshop=couture, date=timezone.localdate())
    client = client_for("facilitator")
    for presence in ["absent", "present"]:
        client.post(
            reverse("workshops:mark", args=[session.pk]),
            {"person": enrolment.person_id, "presence": presence},
        )
    assert list(Attendance.objects.values_list("presence", flat=True)) == [Presence.PRESENT]


def test_only_the_people_of_the_session_can_be_marked(client_for, centre, couture):
    stranger = PersonFactory(centre=centre)
    session = SessionFactory(workshop=couture, date=timezone.localdate())
    response = client_for("facilitator").post(
        reverse("workshops:mark", args=[session.pk]), {"person": stranger.pk, "presence": "present"}
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_a_future_session_cannot_be_marked(client_for, couture):
    enrolment = EnrolmentFactory(workshop=couture)
    session = SessionFactory(
        workshop=couture, date=timezone.localdate() + datetime.timedelta(days=3)
    )
    response = client_for("coordinator").post(
        reverse("workshops:mark", args=[session.pk]),
        {"person": enrolment.person_id, "presence": "present"},
    )
    assert response.status_code == 400
    assert "pas encore eu lieu" in response.content.decode()


def test_a_walk_in_is_present_without_being_enrolled(client_for, centre, couture, referred):
    session = SessionFactory(workshop=couture, date=timezone.localdate())
    client_for("coordinator").post(
        reverse("workshops:walk_in", args=[session.pk]), {"person": referred.person_id}
    )
    mark = Attendance.objects.get()
    assert (mark.person_id, mark.presence, mark.walk_in) == (referred.person_id, "present", True)


def test_a_facilitator_of_another_workshop_cannot_mark(client_for, centre):
    enrolment = EnrolmentFactory(workshop=WorkshopFactory(centre=centre))
    session = SessionFactory(workshop=enrolment.workshop, date=timezone.localdate())
    response = client_for("facilitator").post(
        reverse("workshops:mark", args=[session.pk]),
        {"person": enrolment.person_id, "presence": "present"},
    )
    assert response.status_code == 403
    page = client_for("facilitator").get(reverse("workshops:session", args=[session.pk]))
    assert enrolment.person.last_name not in page.content.decode()


def test_cancelling_needs_a_reason_and_a_cancelled_session_is_not_marked(client_for, couture):
    enrolment = EnrolmentFactory(workshop=couture)
    session = SessionFactory(workshop=couture, date=timezone.localdate())
    client = client_for("coordinator")
    page = client.post(
        reverse("workshops:session_cancel", args=[session.pk]), {"reason": ""}, follow=True
    )
    assert "Indiquez pourquoi la séance est annulée." in page.content.decode()
    client.post(reverse("workshops:session_cancel", args=[session.pk]), {"reason": "Grève"})
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "Grève")
    response = client.post(
        reverse("workshops:mark", args=[session.pk]),
        {"person": enrolment.person_id, "presence": "present"},
    )
    assert response.status_code == 400


def test_a_moved_session_is_kept_by_later_planning(client_for, centre, couture):
    from parcours.workshops.services import sessions_plan

    SlotFactory(workshop=couture, weekday=1)
    sessions_plan(centre=centre, start=datetime.date(2026, 3, 2), end=datetime.date(2026, 3, 8))
    session = Session.objects.get()
    client_for("coordinator").post(
        reverse("workshops:session_edit", args=[session.pk]),
        {"date": "2026-03-04", "starts_at": "10:00", "ends_at": "12:00"},
    )
    sessions_plan(centre=centre, start=datetime.date(2026, 3, 2), end=datetime.date(2026, 3, 8))
    session = Session.objects.get()
    assert (session.date, session.edited) == (datetime.date(2026, 3, 4), True)


def test_past_sessions_without_attendance_are_flagged(client_for, couture):
    SessionFactory(workshop=couture, date=timezone.localdate() - datetime.timedelta(days=7))
    client = client_for("coordinator")
    assert (
        "1 séance passée sans émargement" in client.get(reverse("workshops:list")).content.decode()
    )
    month = (timezone.localdate() - datetime.timedelta(days=7)).strftime("%Y-%m")
    page = client.get(reverse("workshops:sessions"), {"mois": month, "mes": "0"})
    assert "Émargement manquant" in page.content.decode()


def test_the_calendar_and_attendance_pages_cost_the_same_whatever_their_size(
    client_for, centre, couture
):
    client = client_for("coordinator")
    today = timezone.localdate()
    session = SessionFactory(workshop=couture, date=today)
    couture.capacity = None
    couture.save()
    EnrolmentFactory(workshop=couture)
    month = reverse("workshops:sessions") + f"?mois={today:%Y-%m}&mes=0"
    page = reverse("workshops:session", args=[session.pk])
    small = (
        queries(client, month),
        queries(client, page),
        queries(client, reverse("workshops:list")),
    )
    for offset in range(1, 25):
        SessionFactory(
            workshop=WorkshopFactory(centre=centre), date=today.replace(day=1 + offset % 27)
        )
    for _ in range(30):
        enrolment = EnrolmentFactory(workshop=couture)
        Attendance.objects.create(session=session, person=enrolment.person, presence="present")
    assert (
        queries(client, month),
        queries(client, page),
        queries(client, reverse("workshops:list")),
    ) == small


def test_a_bad_month_falls_back_to_the_current_one(client_for):
    response = client_for("coordinator").get(reverse("workshops:sessions"), {"mois": "abc"})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_it_opens_the_calendar_on_mes_ateliers_for_a_facilitator_only(client_for, couture):
    today = timezone.localdate()
    theirs = SessionFactory(workshop=couture, date=today)
    SessionFactory(workshop=WorkshopFactory(centre=couture.centre), date=today)
    url = reverse("workshops:sessions")

    facilitator = client_for("facilitator")
    opened = facilitator.get(url)
    assert opened.context["mine"] is True
    assert [s.pk for s in opened.context["sessions"]] == [theirs.pk]
    assert facilitator.get(url, {"mes": "0"}).context["mine"] is False
    coordinator = client_for("coordinator").get(url)
    assert coordinator.context["mine"] is False
    assert len(coordinator.context["sessions"]) == 2
    assert client_for("coordinator").get(url, {"mes": "1"}).context["mine"] is True
