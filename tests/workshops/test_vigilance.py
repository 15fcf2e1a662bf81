import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.workshops.enums import EnrolmentStatus, Presence
from parcours.workshops.models import Attendance, VigilanceFollowUp
from parcours.workshops.vigilance import people_to_watch

from ..people.factories import PersonFactory
from .factories import EnrolmentFactory, SessionFactory, WorkshopFactory

D = datetime.date
TODAY = D(2026, 3, 31)
PRESENT, ABSENT, EXCUSED = Presence.PRESENT, Presence.ABSENT, Presence.EXCUSED
# Mondays of January and February 2026.
MONDAYS = [D(2026, 1, 5) + datetime.timedelta(weeks=n) for n in range(8)]


@pytest.fixture
def workshop(centre):
    return WorkshopFactory(centre=centre, name="Espace Vie et Quotidien")


@pytest.fixture
def ana(workshop):
    return EnrolmentFactory(workshop=workshop, person__first_name="Ana").person


def marks(person, workshop, *presences, days=MONDAYS, starts_at=datetime.time(14)):
    """One session per day, oldest first, with the person's mark."""
    for day, presence in zip(days, presences, strict=False):
        session = SessionFactory(
            workshop=workshop,
            date=day,
            starts_at=starts_at,
            ends_at=datetime.time(starts_at.hour + 2),
        )
        Attendance.objects.create(session=session, person=person, presence=presence)


def follow_up(person, users, day):
    return VigilanceFollowUp.objects.create(
        person=person,
        noted_by=users["coordinator"],
        noted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
        note="Appel passé.",
    )


def watched(centre, today=TODAY):
    return [(p.first_name, p.absences, p.last_absence_on) for p in people_to_watch(centre, today)]


def test_it_lists_a_person_absent_three_times_in_a_row(centre, workshop, ana):
    marks(ana, workshop, PRESENT, ABSENT, ABSENT, ABSENT)
    assert watched(centre) == [("Ana", 3, MONDAYS[3])]


def test_it_does_not_list_two_absences_in_a_row(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT)
    assert watched(centre) == []


def test_it_starts_over_after_a_presence(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT, PRESENT, ABSENT, ABSENT)
    assert watched(centre) == []
    marks(ana, workshop, ABSENT, days=[MONDAYS[5]])
    assert watched(centre) == [("Ana", 3, MONDAYS[5])]


def test_it_counts_the_whole_run_of_absences(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT)
    assert watched(centre) == [("Ana", 5, MONDAYS[4])]


def test_it_orders_marks_of_the_same_day_by_time(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT)
    # Recorded afterwards, but on the morning of the third absence: the run of three
    # absences since then is what counts.
    permanence = WorkshopFactory(centre=centre, name="Permanence Emploi")
    marks(ana, permanence, PRESENT, days=[MONDAYS[2]], starts_at=datetime.time(9))
    assert watched(centre) == [("Ana", 3, MONDAYS[4])]


def test_it_neither_counts_nor_ends_a_run_on_an_excused_absence(centre, workshop, ana):
    marks(ana, workshop, ABSENT, EXCUSED, ABSENT, EXCUSED)
    assert watched(centre) == []
    marks(ana, workshop, ABSENT, days=[MONDAYS[4]])
    assert watched(centre) == [("Ana", 3, MONDAYS[4])]


def test_it_forgets_a_run_once_a_follow_up_is_noted(centre, workshop, ana, users):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT)
    follow_up(ana, users, MONDAYS[2])
    assert watched(centre) == []


def test_a_follow_up_during_the_run_holds_until_a_new_run_after_it(centre, workshop, ana, users):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT)
    follow_up(ana, users, MONDAYS[0] + datetime.timedelta(days=1))
    # Two absences since the follow-up.
    assert watched(centre) == []
    marks(ana, workshop, ABSENT, days=[MONDAYS[3]])
    assert watched(centre) == [("Ana", 3, MONDAYS[3])]


def test_a_follow_up_before_the_run_does_not_count(centre, workshop, ana, users):
    follow_up(ana, users, MONDAYS[0] - datetime.timedelta(days=1))
    marks(ana, workshop, ABSENT, ABSENT, ABSENT)
    assert watched(centre) == [("Ana", 3, MONDAYS[2])]


def test_it_takes_the_threshold_from_the_centre(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT)
    centre.absences_before_alert = 2
    centre.save()
    assert watched(centre) == [("Ana", 2, MONDAYS[1])]


def test_it_only_watches_people_still_enrolled(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT)
    ana.enrolments.update(status=EnrolmentStatus.ENDED, ends_on=MONDAYS[3])
    assert watched(centre) == []


def test_it_ignores_sessions_after_today(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT)
    assert watched(centre, today=MONDAYS[1]) == []


def test_it_never_lists_another_centres_people(centre, other_centre, ana, workshop):
    elsewhere = WorkshopFactory(centre=other_centre)
    zoe = EnrolmentFactory(workshop=elsewhere, person__first_name="Zoé").person
    marks(zoe, elsewhere, ABSENT, ABSENT, ABSENT)
    assert watched(centre) == []
    assert watched(other_centre) == [("Zoé", 3, MONDAYS[2])]


@pytest.mark.parametrize("count", [2, 10])
def test_it_does_a_constant_number_of_queries(
    centre, workshop, count, users, django_assert_num_queries
):
    for n in range(count):
        person = EnrolmentFactory(workshop=workshop).person
        marks(person, workshop, PRESENT, ABSENT, ABSENT, ABSENT)
        if n % 2:
            follow_up(person, users, MONDAYS[0])  # before the run: still listed
    with django_assert_num_queries(3):
        assert len(people_to_watch(centre, TODAY)) == count


def test_the_home_page_card_lists_them_with_a_follow_up_form(centre, workshop, ana):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT)
    html = render_to_string(
        "workshops/_vigilance.html", {"watch": people_to_watch(centre, TODAY), "centre": centre}
    )
    assert "Personnes à surveiller" in html
    assert reverse("people:detail", args=[ana.pk]) in html
    assert "3 absences de suite" in html
    assert reverse("workshops:vigilance_follow_up", args=[ana.pk]) in html


def test_the_card_says_when_nobody_is_to_watch(centre):
    html = render_to_string("workshops/_vigilance.html", {"watch": [], "centre": centre})
    assert "Personne n'a manqué 3 séances de suite." in html


# Noting a follow-up


def test_it_notes_a_follow_up(client_for, centre, workshop, ana, users):
    marks(ana, workshop, ABSENT, ABSENT, ABSENT)
    response = client_for("coordinator").post(
        reverse("workshops:vigilance_follow_up", args=[ana.pk]), {"note": "Appel passé."}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard:home")
    follow_up = VigilanceFollowUp.objects.get()
    assert (follow_up.person, follow_up.noted_by, follow_up.note) == (
        ana,
        users["coordinator"],
        "Appel passé.",
    )
    assert people_to_watch(centre, TODAY) == []


def test_it_asks_for_the_note(client_for, ana):
    response = client_for("coordinator").post(
        reverse("workshops:vigilance_follow_up", args=[ana.pk]), {"note": "  "}
    )
    assert response.status_code == 200
    assert "Notez le suivi fait" in response.content.decode()
    assert not VigilanceFollowUp.objects.exists()


def test_it_is_refused_to_a_facilitator(client_for, ana):
    response = client_for("facilitator").post(
        reverse("workshops:vigilance_follow_up", args=[ana.pk]), {"note": "Appel passé."}
    )
    assert response.status_code == 403
    assert not VigilanceFollowUp.objects.exists()


def test_it_finds_no_person_of_another_centre(client_for, other_centre):
    stranger = PersonFactory(centre=other_centre)
    response = client_for("coordinator").post(
        reverse("workshops:vigilance_follow_up", args=[stranger.pk]), {"note": "Appel passé."}
    )
    assert response.status_code == 404
    assert not VigilanceFollowUp.objects.exists()


def test_the_trail_records_the_follow_up_but_never_its_note(client_for, centre, ana):
    client_for("coordinator").post(
        reverse("workshops:vigilance_follow_up", args=[ana.pk]), {"note": "Appel passé."}
    )
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(VigilanceFollowUp)
    )
    assert (event.centre, event.person_id) == (centre, ana.pk)
    assert "note" in event.changes_dict
    assert "Appel passé" not in str(event.changes) + event.object_repr + str(event.serialized_data)
