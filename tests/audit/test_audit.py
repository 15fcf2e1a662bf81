import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parcours.audit.enums import SecurityEventKind
from parcours.audit.models import AuditEvent, ImmutableRowError, SecurityEvent
from parcours.audit.services import audit_read
from parcours.centres.models import Place

from ..conftest import committing_db
from ..people.factories import agreed_to_sensitive_data


def test_creating_a_place_writes_who_what_and_which_centre(client_for, users, centre):
    client_for("coordinator").post(
        reverse("centres:place_create"),
        {"name": "Salle polyvalente", "address": "place Roland", "city": "Thionville"},
    )
    place = Place.objects.get(name="Salle polyvalente")
    event = AuditEvent.objects.get(object_pk=str(place.pk), content_type__model="place")
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == users["coordinator"]
    assert event.centre == centre
    assert event.remote_addr == "127.0.0.1"


def test_a_change_records_which_fields_changed(client_for, place):
    client_for("admin").post(
        reverse("centres:place_edit", args=[place.pk]),
        {"name": place.name, "address": "31 avenue de Guise", "postcode": "57100", "city": ""},
    )
    event = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, content_type__model="place"
    ).get()
    assert set(event.changes_dict) == {"address", "postcode"}


def test_the_label_of_an_audit_row_holds_no_content(client_for, centre):
    client_for("coordinator").post(
        reverse("centres:place_create"), {"name": "Chez Mme Dupont", "address": "2 rue Haute"}
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, content_type__model="place")
    assert event.object_repr == f"lieu n° {event.object_pk}"


def test_passwords_never_reach_the_trail(users):
    user = users["director"]
    user.set_password("Une-autre-phrase-de-passe-99")
    user.save()
    events = AuditEvent.objects.filter(content_type__model="user", object_pk=str(user.pk))
    assert events.exists()
    assert all("password" not in (e.changes or {}) for e in events)


def test_audit_rows_cannot_be_changed_or_deleted(place):
    event = AuditEvent.objects.filter(content_type__model="place").first()
    event.object_repr = "réécrit"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
    with pytest.raises(ImmutableRowError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="réécrit")
    with pytest.raises(ImmutableRowError):
        SecurityEvent.objects.update(path="/")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the refusing trigger is PostgreSQL's; on SQLite the model guard above applies",
)
def test_postgresql_itself_refuses_to_update_audit_rows(place):
    from django.db import DatabaseError

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET object_repr = 'réécrit'")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the refusing trigger is PostgreSQL's; on SQLite the model guard above applies",
)
def test_postgresql_itself_refuses_to_delete_audit_rows_but_for_the_purge(place):
    from django.db import DatabaseError

    SecurityEvent.objects.create(kind="forbidden", path="/")
    assert AuditEvent.objects.exists()
    for table in ("audit_auditevent", "audit_securityevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a constant table name)
    AuditEvent.objects.all().purge()
    SecurityEvent.objects.all().purge()
    assert not AuditEvent.objects.exists() and not SecurityEvent.objects.exists()
    # The flag was for the purge only: a later DELETE in the same transaction fails.
    SecurityEvent.objects.create(kind="forbidden", path="/")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_securityevent")


def test_if_the_audit_write_fails_the_user_gets_an_error_and_nothing_is_saved(
    client_for, place, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    client = client_for("coordinator")
    client.raise_request_exception = False
    monkeypatch.setattr(AuditEvent.objects, "log_create", broken)
    response = client.post(
        reverse("centres:place_edit", args=[place.pk]),
        {"name": "Nouveau nom", "address": "ailleurs"},
    )
    assert response.status_code == 500
    place.refresh_from_db()
    assert place.name == "Espace adultes"


@committing_db
def test_a_read_is_recorded_inside_the_transaction(place, users):
    with pytest.raises(RuntimeError, match="transaction"):
        audit_read(instance=place, by=users["coordinator"])
    with transaction.atomic():
        event = audit_read(instance=place, by=users["coordinator"])
    assert event.action == AuditEvent.Action.ACCESS
    assert event.actor == users["coordinator"]
    assert event.centre == place.centre


def test_nobody_can_edit_audit_rows_in_the_admin(client, place):
    from ..factories import UserFactory, verified_login

    event = AuditEvent.objects.first()
    verified_login(client, UserFactory(is_staff=True, is_superuser=True))
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = client.get(change_url).content.decode()
    assert 'type="submit"' not in page.split('id="content-main"')[1]
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def login_records():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = timezone.now()
    seen = {"ip_address": "203.0.113.7", "user_agent": "Firefox", "username": "a@example.org"}
    return [
        AccessAttempt.objects.create(attempt_time=now, failures_since_start=1, **seen),
        AccessLog.objects.create(attempt_time=now, **seen),
        AccessFailureLog.objects.create(attempt_time=now, locked_out=False, **seen),
    ]


def test_it_lets_nobody_change_or_delete_login_records_in_the_admin(client, db):
    from ..factories import UserFactory, verified_login

    verified_login(client, UserFactory(is_staff=True, is_superuser=True))
    for record in login_records():
        name = f"admin:axes_{record._meta.model_name}"
        page = client.get(reverse(f"{name}_change", args=[record.pk])).content.decode()
        assert 'type="submit"' not in page.split('id="content-main"')[1], name
        listing = client.get(reverse(f"{name}_changelist")).content.decode()
        assert 'name="action"' not in listing, name
        delete = client.post(reverse(f"{name}_delete", args=[record.pk]), {"post": "yes"})
        assert delete.status_code == 403, name
        assert type(record).objects.filter(pk=record.pk).exists(), name


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the refusing trigger is PostgreSQL's",
)
def test_postgresql_itself_keeps_login_records_but_for_the_logout_time_and_the_purge(db):
    from django.db import DatabaseError

    from parcours.privacy.services import audit_purge_without_centre

    login_records()
    for statement in (
        "UPDATE axes_accesslog SET username = 'x'",
        "UPDATE axes_accessfailurelog SET username = 'x'",
        "DELETE FROM axes_accesslog",
        "DELETE FROM axes_accessfailurelog",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        # What axes does at logout, once.
        cursor.execute("UPDATE axes_accesslog SET logout_time = now()")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("UPDATE axes_accesslog SET logout_time = now()")
    far = timezone.localdate() + datetime.timedelta(days=400 * 30)

    purged = audit_purge_without_centre(today=far, wet_run=True)[3]

    assert purged == 3


def test_a_refused_access_is_logged_even_though_the_request_rolled_back(client_for, users):
    client_for("facilitator").get(reverse("audit:trail"))
    client_for("facilitator").get(reverse("centres:programme_detail", args=[999999]))
    events = SecurityEvent.objects.filter(user=users["facilitator"])
    assert set(events.values_list("kind", flat=True)) == {
        SecurityEventKind.FORBIDDEN,
        SecurityEventKind.NOT_FOUND,
    }


def test_the_trail_page_shows_a_centres_events_and_narrows_to_one_object(
    client_for, place, other_centre
):
    from ..factories import PlaceFactory

    PlaceFactory(centre=other_centre)
    client = client_for("coordinator")
    page = client.get(reverse("audit:trail"))
    events = list(page.context["page"])
    assert events and all(e.centre_id == place.centre_id for e in events)
    one = client.get(
        reverse("audit:trail"),
        {"type": events[0].content_type_id, "objet": events[0].object_pk},
    )
    assert {e.object_pk for e in one.context["page"]} == {events[0].object_pk}


def test_the_security_page_lists_failed_logins_on_the_team(client_for, users):
    Client().post(
        reverse("accounts:login"), {"username": users["director"].email, "password": "faux"}
    )
    page = client_for("coordinator").get(reverse("audit:security")).content.decode()
    assert "Échec de connexion" in page
    assert users["director"].email in page


def test_a_persons_file_leaves_no_content_in_the_trail(client_for, referred):
    person = referred.person
    client_for("coordinator").post(
        reverse("people:edit", args=[person.pk]),
        {
            "last_name": "Secrète",
            "first_name": "Identité",
            "children_count": "0",
            "notes": "Suivie au CMP pour une dépression.",
            "difficulty_health": "on",
            "version": person.version,
        },
    )
    event = AuditEvent.objects.exclude(additional_data__has_key="version").get(
        action=AuditEvent.Action.UPDATE, content_type__model="person", object_pk=str(person.pk)
    )
    assert {"last_name", "notes", "difficulty_health"} <= set(event.changes_dict)
    flat = str(event.changes) + event.object_repr + str(event.serialized_data)
    for secret in ["Secrète", "CMP", "Lefèvre", "True"]:
        assert secret not in flat
    created = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, content_type__model="referral"
    )
    assert "Isolement" not in str(created.changes)


def test_a_files_trail_gathers_its_referrals_and_confidential_section(client_for, referred):
    person = agreed_to_sensitive_data(referred.person)
    client = client_for("coordinator")
    client.post(
        reverse("people:confidential_edit", args=[person.pk]),
        {"health": "x", "addictions": "", "violence": "", "version": person.version},
    )
    page = client.get(reverse("audit:trail"), {"personne": person.pk})
    models = {e.content_type.model for e in page.context["page"]}
    assert {"person", "referral", "confidentialnote"} <= models
    assert all(e.person_id == person.pk for e in page.context["page"])


@pytest.mark.parametrize("query", [{"type": "abc"}, {"personne": "x"}, {"type": "1", "objet": ""}])
def test_malformed_trail_filters_are_ignored(client_for, query):
    assert client_for("coordinator").get(reverse("audit:trail"), query).status_code == 200


def test_the_bulk_creation_diff_is_auditlogs_own(centre, programme):
    from auditlog.diff import model_instance_diff

    from parcours.audit.services import CreationDiff
    from parcours.pathways.models import Pathway

    from ..people.factories import NeighbourhoodFactory, PersonFactory

    people = [
        PersonFactory(centre=centre, neighbourhood=NeighbourhoodFactory(centre=centre)),
        PersonFactory(centre=centre, birth_date=None, email="", notes="None"),
    ]
    pathway = Pathway.objects.create(
        centre=centre, person=people[0], programme=programme, started_on=datetime.date(2025, 9, 1)
    )
    for instance in [*people, pathway]:
        expected = {
            name: list(values) for name, values in model_instance_diff(None, instance).items()
        }

        assert CreationDiff(type(instance), instance).changes(instance) == expected


def test_it_masks_who_else_sat_at_a_case_review_in_its_audit_row(centre):
    from parcours.audit.registry import MASKED
    from parcours.pathways.models import CaseReview

    review = CaseReview.objects.create(
        centre=centre, held_on=datetime.date(2026, 3, 2), other_participants="Mme Dupont, élue"
    )

    event = AuditEvent.objects.get(content_type__model="casereview", object_id=review.pk)
    assert event.changes_dict["other_participants"][1] == MASKED
    assert "Dupont" not in str(event.changes)
