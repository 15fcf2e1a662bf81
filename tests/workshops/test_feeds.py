import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.centres.enums import Role
from parcours.workshops import feed_views
from parcours.workshops.enums import SessionStatus
from parcours.workshops.models import CalendarFeed

from ..factories import PlaceFactory, member
from ..people.factories import PersonFactory
from .factories import EnrolmentFactory, SessionFactory, WorkshopFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def winter(monkeypatch):
    """Fetch the feeds on 15 February 2026, so that sessions of March 2026 are in them."""
    monkeypatch.setattr(feed_views, "localdate", lambda: datetime.date(2026, 2, 15))


@pytest.fixture
def workshop(centre, users):
    place = PlaceFactory(
        centre=centre,
        name="Salle polyvalente",
        address="place Roland",
        postcode="57100",
        city="Thionville",
    )
    workshop = WorkshopFactory(centre=centre, name="Relaxation", place=place)
    workshop.facilitators.add(users["facilitator"])
    return workshop


def workshop_feed(workshop, by):
    return CalendarFeed.objects.create(centre=workshop.centre, workshop=workshop, created_by=by)


def own_feed(user, centre):
    return CalendarFeed.objects.create(centre=centre, owner=user, created_by=user)


def fetch(client, feed):
    return client.get(reverse("workshops:feed", args=[feed.token]))


def events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_it_serves_the_sessions_as_a_calendar_a_phone_can_read(client, users, workshop, winter):
    session = SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 2))
    response = fetch(client, workshop_feed(workshop, users["coordinator"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Relaxation — Centre « Le Lierre »"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"session-{session.pk}@parcours"
    assert str(event["SUMMARY"]) == "Relaxation"
    assert str(event["LOCATION"]) == "Salle polyvalente, place Roland, 57100 Thionville"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt == datetime.datetime(2026, 3, 2, 14, tzinfo=PARIS)
    assert event["DTEND"].dt == datetime.datetime(2026, 3, 2, 16, tzinfo=PARIS)
    assert b"DTSTART;TZID=Europe/Paris:20260302T140000" in response.content
    # The time zone is described in the file, for apps that do not know its name.
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_it_puts_summer_sessions_at_the_same_wall_clock_time(client, users, workshop, winter):
    SessionFactory(workshop=workshop, date=datetime.date(2026, 7, 6))
    [event] = events(fetch(client, workshop_feed(workshop, users["coordinator"]))).values()
    start = event["DTSTART"].dt
    assert start.astimezone(datetime.UTC) == datetime.datetime(2026, 7, 6, 12, tzinfo=datetime.UTC)


def test_it_takes_the_sessions_place_over_the_workshops(client, centre, users, workshop, winter):
    moved = PlaceFactory(centre=centre, name="Médiathèque", address="1 rue Jemmapes", city="")
    SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 9), place=moved)
    [event] = events(fetch(client, workshop_feed(workshop, users["coordinator"]))).values()
    assert str(event["LOCATION"]) == "Médiathèque, 1 rue Jemmapes"


def test_it_keeps_a_sessions_uid_when_the_session_moves(client, users, workshop, winter):
    session = SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 2))
    feed = workshop_feed(workshop, users["coordinator"])
    before = events(fetch(client, feed))["Relaxation"]
    session.date = datetime.date(2026, 3, 3)
    session.save()
    after = events(fetch(client, feed))["Relaxation"]
    assert after["UID"] == before["UID"]
    assert after["DTSTART"].dt.date() == datetime.date(2026, 3, 3)


def test_it_shows_a_cancelled_session_as_cancelled(client, users, workshop, winter):
    SessionFactory(
        workshop=workshop,
        date=datetime.date(2026, 3, 2),
        status=SessionStatus.CANCELLED,
        cancel_reason="Mme Garnier est malade",
    )
    response = fetch(client, workshop_feed(workshop, users["coordinator"]))
    event = events(response)["Annulée : Relaxation"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Garnier" not in response.content.decode()


def test_it_sends_sessions_from_sixty_days_ago_to_a_year_ahead(client, users, workshop, winter):
    today = datetime.date(2026, 2, 15)
    for days in (-61, -60, 365, 366):
        SessionFactory(workshop=workshop, date=today + datetime.timedelta(days=days))
    calendar = icalendar.Calendar.from_ical(
        fetch(client, workshop_feed(workshop, users["coordinator"])).content
    )
    dates = sorted(event["DTSTART"].dt.date() for event in calendar.walk("VEVENT"))
    assert dates == [today - datetime.timedelta(days=60), today + datetime.timedelta(days=365)]


def test_it_never_names_a_person(client, centre, users, workshop, winter):
    users["facilitator"].first_name, users["facilitator"].last_name = "Ninon", "Kowalczyk"
    users["facilitator"].save()
    person = PersonFactory(centre=centre, first_name="Zélie", last_name="Bertrand-Oudin")
    EnrolmentFactory(workshop=workshop, person=person)
    SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 2))
    names = ["Ninon", "Kowalczyk", "Zélie", "Bertrand", users["coordinator"].last_name]

    for feed in (
        workshop_feed(workshop, users["coordinator"]),
        own_feed(users["facilitator"], centre),
    ):
        # Long lines are folded at 75 octets: unfold before looking for a name.
        text = fetch(client, feed).content.decode().replace("\r\n ", "")
        assert "Relaxation" in text
        for name in names:
            assert name not in text


def test_it_lists_only_the_sessions_of_the_workshops_a_facilitator_runs(
    client, centre, other_centre, users, workshop, winter
):
    facilitator = users["facilitator"]
    SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 2))
    SessionFactory(
        workshop__centre=centre, workshop__name="Couture", date=datetime.date(2026, 3, 3)
    )
    elsewhere = WorkshopFactory(centre=other_centre, name="Atelier des Tilleuls")
    elsewhere.facilitators.add(facilitator)
    SessionFactory(workshop=elsewhere, date=datetime.date(2026, 3, 4))

    response = fetch(client, own_feed(facilitator, centre))

    assert set(events(response)) == {"Relaxation"}
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Mes ateliers — Centre « Le Lierre »"


def test_it_answers_404_for_a_revoked_feed(client, users, workshop):
    feed = workshop_feed(workshop, users["coordinator"])
    feed.revoke()
    assert fetch(client, feed).status_code == 404


def test_it_answers_404_for_an_unknown_token(client, db):
    response = client.get(reverse("workshops:feed", args=["pas-une-vraie-cle"]))
    assert response.status_code == 404


def test_it_answers_404_for_the_feed_of_a_disabled_account(client, centre, users):
    facilitator = users["facilitator"]
    feed = own_feed(facilitator, centre)
    facilitator.is_active = False
    facilitator.save()
    assert fetch(client, feed).status_code == 404


def test_it_makes_unique_long_tokens(centre, users):
    feeds = [workshop_feed(WorkshopFactory(centre=centre), users["coordinator"]) for _ in range(20)]
    tokens = {feed.token for feed in feeds}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes


def test_it_does_the_same_queries_for_3_and_40_sessions(client, centre, users, workshop):
    today = timezone.localdate()
    feed = own_feed(users["facilitator"], centre)
    queries_for = {}
    created = 0
    for total in (3, 40):
        for day in range(created, total):
            SessionFactory(workshop=workshop, date=today + datetime.timedelta(days=day))
        created = total
        with CaptureQueriesContext(connection) as queries:
            response = fetch(client, feed)
        assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == total
        queries_for[total] = [q["sql"] for q in queries]
    assert len(queries_for[3]) == len(queries_for[40])
    # The feed, then its sessions with their workshop and places.
    assert len([sql for sql in queries_for[40] if sql.startswith("SELECT")]) == 2


def test_it_only_allows_one_owner_or_one_workshop(centre, users, workshop):
    with pytest.raises(IntegrityError):
        CalendarFeed.objects.create(
            centre=centre, owner=users["facilitator"], workshop=workshop, created_by=users["admin"]
        )


def test_it_requires_an_owner_or_a_workshop(centre, users):
    with pytest.raises(IntegrityError):
        CalendarFeed.objects.create(centre=centre, created_by=users["admin"])


def test_it_keeps_the_token_out_of_the_audit_trail(centre, users):
    feed = own_feed(users["facilitator"], centre)
    feed.revoke()
    trail = AuditEvent.objects.filter(content_type__model="calendarfeed", object_pk=str(feed.pk))
    assert trail.count() == 2
    for event in trail:
        assert feed.token not in str(event.changes) + str(event.serialized_data)


def test_it_creates_a_users_own_feed(client_for, centre, users):
    response = client_for("facilitator").post(reverse("workshops:feed_create"))
    assert response.status_code == 302
    feed = CalendarFeed.objects.get()
    assert (feed.centre, feed.owner, feed.workshop, feed.created_by) == (
        centre,
        users["facilitator"],
        None,
        users["facilitator"],
    )


def test_it_keeps_the_live_address_when_asked_for_a_second_one(client_for, centre, users):
    feed = own_feed(users["facilitator"], centre)
    client_for("facilitator").post(reverse("workshops:feed_create"))
    assert list(CalendarFeed.objects.all()) == [feed]


def test_it_lets_the_coordinator_create_a_workshops_feed(client_for, users, workshop):
    response = client_for("coordinator").post(
        reverse("workshops:feed_create"), {"workshop": workshop.pk}
    )
    assert response.status_code == 302
    feed = CalendarFeed.objects.get()
    assert (feed.workshop, feed.owner, feed.created_by) == (workshop, None, users["coordinator"])


def test_it_forbids_a_facilitator_to_create_a_workshops_feed(client_for, workshop):
    response = client_for("facilitator").post(
        reverse("workshops:feed_create"), {"workshop": workshop.pk}
    )
    assert response.status_code == 403
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("value", ["other_centre", "not-a-number"])
def test_it_does_not_find_a_workshop_of_another_centre(client_for, other_centre, value):
    if value == "other_centre":
        value = WorkshopFactory(centre=other_centre).pk
    response = client_for("coordinator").post(reverse("workshops:feed_create"), {"workshop": value})
    assert response.status_code == 404


def test_it_lets_a_facilitator_revoke_their_own_feed(client, client_for, centre, users):
    feed = own_feed(users["facilitator"], centre)
    response = client_for("facilitator").post(reverse("workshops:feed_revoke", args=[feed.pk]))
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    client.logout()
    assert fetch(client, feed).status_code == 404


def test_it_lets_the_coordinator_revoke_a_facilitators_feed(client_for, centre, users):
    feed = own_feed(users["facilitator"], centre)
    client_for("coordinator").post(reverse("workshops:feed_revoke", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_it_forbids_a_facilitator_to_revoke_another_facilitators_feed(client_for, centre, users):
    # 403, not 404: the feed is of the user's own centre, so it is found, and the rule
    # (policy.can_manage_feed) says no, as for every write refused inside a centre.
    colleague = member(centre, Role.FACILITATOR)
    feed = own_feed(colleague, centre)
    response = client_for("facilitator").post(reverse("workshops:feed_revoke", args=[feed.pk]))
    assert response.status_code == 403
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_it_does_not_find_a_feed_of_another_centre(client_for, other_centre, users):
    colleague = member(other_centre, Role.FACILITATOR)
    feed = own_feed(colleague, other_centre)
    response = client_for("coordinator").post(reverse("workshops:feed_revoke", args=[feed.pk]))
    assert response.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


@pytest.mark.parametrize("name", ["workshops:feed_create", "workshops:feed_revoke"])
def test_it_answers_405_to_a_get_on_create_and_revoke(client_for, centre, users, name):
    feed = own_feed(users["facilitator"], centre)
    args = [feed.pk] if name == "workshops:feed_revoke" else None
    assert client_for("facilitator").get(reverse(name, args=args)).status_code == 405


def test_it_lets_anonymous_fetch_the_feed_but_not_the_page(client, users, workshop):
    assert fetch(client, workshop_feed(workshop, users["coordinator"])).status_code == 200
    response = client.get(reverse("workshops:feeds"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_shows_the_full_address_to_copy(client_for, centre, users):
    feed = own_feed(users["facilitator"], centre)
    page = client_for("facilitator").get(reverse("workshops:feeds")).content.decode()
    assert f'value="http://testserver/agenda/{feed.token}.ics"' in page
    assert f'href="webcal://testserver/agenda/{feed.token}.ics"' in page
    assert "Ajoutez cette adresse à l'agenda de votre téléphone" in page
    assert "Agendas des ateliers" not in page


def test_it_shows_the_coordinator_the_workshops_feeds_but_not_a_colleagues_address(
    client_for, centre, users, workshop
):
    theirs = own_feed(users["facilitator"], centre)
    feed = workshop_feed(workshop, users["coordinator"])
    page = client_for("coordinator").get(reverse("workshops:feeds")).content.decode()
    assert f"/agenda/{feed.token}.ics" in page
    assert reverse("workshops:feed_revoke", args=[theirs.pk]) in page
    assert theirs.token not in page


def test_it_shows_the_page_in_a_constant_number_of_queries(client_for, centre, users):
    client = client_for("coordinator")
    workshop_feed(WorkshopFactory(centre=centre), users["coordinator"])
    own_feed(users["facilitator"], centre)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workshops:feeds"))
    for _ in range(5):
        workshop_feed(WorkshopFactory(centre=centre), users["coordinator"])
        own_feed(member(centre, Role.FACILITATOR), centre)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("workshops:feeds"))
    assert len(few) == len(many)
