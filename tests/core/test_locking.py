"""No lost update: two people editing the same file or pathway at once."""

import threading

import pytest
from django import forms
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from parcours.centres.enums import Role
from parcours.core.locking import STALE_FORM, EditConflict, version_claim
from parcours.pathways.models import ExitOutcome, PathwayExit
from parcours.people.models import ConfidentialNote, Person

from ..conftest import committing_db
from ..factories import member, verified_login
from ..pathways.factories import AppointmentFactory, GoalFactory, PathwayFactory
from ..people.factories import PersonFactory, agreed_to_sensitive_data


@pytest.fixture
def editors(centre, users):
    """Two coordinators of the centre, each in their own browser."""
    second = member(centre, Role.COORDINATOR, first_name="Bastien", last_name="Kieffer")
    first = users[Role.COORDINATOR]
    clients = []
    for user in (first, second):
        clients.append(verified_login(Client(), user))
    return first, second, clients


def loaded(response, name="form"):
    """What the browser sends back for the form on this page, untouched."""
    data = {}
    for field in response.context[name]:
        value, widget = field.value(), field.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(widget, forms.SelectMultiple):
            data[field.html_name] = [str(v) for v in value or []]
        else:
            shown = widget.format_value(value)
            data[field.html_name] = "" if shown is None else shown
    return data


def both_load(clients, url, name="form"):
    return [loaded(client.get(url), name) for client in clients]


def test_the_second_save_of_a_file_gets_the_conflict_and_the_first_stands(centre, editors):
    first_user, _, (first, second) = editors
    person = PersonFactory(centre=centre, last_name="Martin", city="Thionville")
    url = reverse("people:edit", args=[person.pk])
    mine, theirs = both_load([first, second], url)
    assert mine["version"] == theirs["version"] == "1"

    assert first.post(url, {**mine, "city": "Yutz", "notes": "Déménage."}).status_code == 302
    response = second.post(
        url, {**theirs, "city": "Hayange", "last_name": "Martin", "address": "2 rue Haute"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert f"Ce dossier a été modifié par {first_user}" in page
    assert "pendant que vous le modifiiez" in page
    differences = {
        d.label: (d.stored, d.entered, d.changed_meanwhile)
        for d in response.context["form"].conflict.differences
    }
    # What the other save changed is marked; the address is this editor's own change.
    assert differences == {
        "Commune": ("Yutz", "Hayange", True),
        "Notes": ("Déménage.", "(vide)", True),
        "Adresse": ("(vide)", "2 rue Haute", False),
    }
    assert page.count("modifié entre-temps") == 3  # the caption, and two rows
    # The form carries digests of what it was opened with, never the values.
    from django.core import signing

    from parcours.core.locking import LOADED, LOADED_SALT

    carried = signing.loads(theirs[LOADED], salt=LOADED_SALT)
    assert "Thionville" not in str(carried) and "Martin" not in str(carried)
    person.refresh_from_db()
    assert (person.city, person.notes, person.version) == ("Yutz", "Déménage.", 2)


def test_after_a_conflict_saving_again_applies_the_entry_knowingly(centre, editors):
    _, _, (first, second) = editors
    person = PersonFactory(centre=centre)
    url = reverse("people:edit", args=[person.pk])
    mine, theirs = both_load([first, second], url)
    first.post(url, {**mine, "city": "Yutz"})
    conflict = second.post(url, {**theirs, "city": "Hayange"})

    again = loaded(conflict)
    assert (again["version"], again["city"]) == ("2", "Hayange")
    assert second.post(url, again).status_code == 302
    person.refresh_from_db()
    assert (person.city, person.version) == ("Hayange", 3)


def test_the_confidential_section_is_locked_with_the_file(centre, editors):
    first_user, _, (first, second) = editors
    person = agreed_to_sensitive_data(PersonFactory(centre=centre))
    url = reverse("people:confidential_edit", args=[person.pk])
    # Neither note exists yet: both would create the file's only one.
    mine, theirs = both_load([first, second], url)
    assert first.post(url, {**mine, "health": "Suivi au CMP."}).status_code == 302
    response = second.post(url, {**theirs, "health": "Rien à signaler."})

    assert response.status_code == 409
    assert f"par {first_user}" in response.content.decode()
    [difference] = response.context["form"].conflict.differences
    assert (difference.label, difference.stored) == ("Santé", "Suivi au CMP.")
    assert ConfidentialNote.objects.get(person=person).health == "Suivi au CMP."


def test_editing_the_identity_while_the_confidential_section_is_open_is_a_conflict(centre, editors):
    _, _, (first, second) = editors
    person = agreed_to_sensitive_data(PersonFactory(centre=centre))
    confidential = reverse("people:confidential_edit", args=[person.pk])
    note = loaded(second.get(confidential))
    identity = reverse("people:edit", args=[person.pk])
    first.post(identity, {**loaded(first.get(identity)), "city": "Yutz"})

    response = second.post(confidential, {**note, "violence": "Violences conjugales passées."})
    assert response.status_code == 409
    assert not ConfidentialNote.objects.filter(person=person).exists()


def test_the_second_save_of_a_goal_gets_the_conflict(centre, editors):
    first_user, _, (first, second) = editors
    goal = GoalFactory(pathway=PathwayFactory(centre=centre), wording="Faire un CV")
    url = reverse("pathways:goal_edit", args=[goal.pk])
    mine, theirs = both_load([first, second], url)
    assert first.post(url, {**mine, "wording": "Faire un CV avec Camille"}).status_code == 302
    response = second.post(url, {**theirs, "status": "reached"})

    assert response.status_code == 409
    assert f"Ce parcours a été modifié par {first_user}" in response.content.decode()
    differences = {
        d.label: (d.stored, d.entered) for d in response.context["form"].conflict.differences
    }
    assert differences["Objectif, dans les mots convenus avec la personne"] == (
        "Faire un CV avec Camille",
        "Faire un CV",
    )
    goal.refresh_from_db()
    assert (goal.wording, goal.status) == ("Faire un CV avec Camille", "in_progress")


def test_adding_a_goal_overwrites_nothing_and_is_not_locked(client_for, centre):
    pathway = PathwayFactory(centre=centre)
    url = reverse("pathways:goal_create", args=[pathway.pk])
    response = client_for("coordinator").post(
        url, {"axis": "work", "wording": "Faire un CV", "status": "in_progress"}
    )
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.version == 1


def test_the_second_save_of_an_appointment_gets_the_conflict(centre, editors):
    _, _, (first, second) = editors
    appointment = AppointmentFactory(pathway=PathwayFactory(centre=centre))
    url = reverse("pathways:appointment", args=[appointment.pk])
    mine, theirs = both_load([first, second], url)
    assert first.post(url, {**mine, "status": "held", "note": "Venue."}).status_code == 302
    response = second.post(url, {**theirs, "status": "missed"})

    assert response.status_code == 409
    differences = {
        d.label: (d.stored, d.entered) for d in response.context["form"].conflict.differences
    }
    assert differences["État"] == ("Tenu", "Manqué")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.note) == ("held", "Venue.")


def test_an_appointment_outside_any_pathway_is_locked_by_the_file(centre, editors):
    """An intake interview of someone not admitted has no pathway: the file guards it,
    and the form goes back to the file."""
    _, _, (first, second) = editors
    person = PersonFactory(centre=centre)
    appointment = AppointmentFactory(pathway=None, centre=centre, person=person)
    url = reverse("pathways:appointment", args=[appointment.pk])
    mine, theirs = both_load([first, second], url)
    saved = first.post(url, {**mine, "status": "held", "note": "Venue."})
    assert saved.url == reverse("people:detail", args=[person.pk])
    assert second.post(url, {**theirs, "status": "missed"}).status_code == 409
    appointment.refresh_from_db()
    assert (appointment.status, appointment.note) == ("held", "Venue.")


def test_a_pathway_closed_twice_at_once_is_closed_once(centre, editors):
    _, _, (first, second) = editors
    pathway = PathwayFactory(centre=centre)
    detail = reverse("pathways:pathway", args=[pathway.pk])
    mine, theirs = both_load([first, second], detail, name="close_form")
    training = ExitOutcome.objects.get(label="Entrée en formation")
    moved = ExitOutcome.objects.get(label="Déménagement")
    url = reverse("pathways:close", args=[pathway.pk])
    closing = {"ended_on": "2026-06-30", "outcome": training.pk}
    assert first.post(url, {**mine, **closing}).status_code == 302
    response = second.post(url, {**theirs, "ended_on": "2026-07-01", "outcome": moved.pk})

    assert response.status_code == 409
    differences = {
        d.label: (d.stored, d.entered) for d in response.context["form"].conflict.differences
    }
    assert differences["Sortie le"] == ("30/06/2026", "01/07/2026")
    assert differences["Issue"] == (str(training), str(moved))
    assert PathwayExit.objects.get(pathway=pathway).outcome == training


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-3", "99999999999999999999"])
def test_a_missing_or_forged_version_is_a_clear_error_and_writes_nothing(
    client_for, centre, version
):
    person = PersonFactory(centre=centre, city="Thionville")
    client = client_for("coordinator")
    url = reverse("people:edit", args=[person.pk])
    data = {**loaded(client.get(url)), "city": "Yutz"}
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    response = client.post(url, data)
    assert response.status_code == 200
    assert STALE_FORM in response.content.decode()
    person.refresh_from_db()
    assert (person.city, person.version) == ("Thionville", 1)


def test_a_version_already_passed_matches_no_row_and_writes_nothing(centre):
    person = PersonFactory(centre=centre)
    version_claim(record=person, version=1)
    stale = Person.objects.get(pk=person.pk)
    stale.version = 1
    with pytest.raises(EditConflict):
        version_claim(record=stale, version=1)
    assert Person.objects.get(pk=person.pk).version == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write at a time anyway"
)
@committing_db
def test_of_two_simultaneous_saves_exactly_one_claims_the_version(centre):
    """The second UPDATE waits for the first transaction, then finds the version gone."""
    person = PersonFactory(centre=centre)
    first_claimed, first_may_commit = threading.Event(), threading.Event()
    outcomes = {}

    def save(name, before_commit):
        try:
            with transaction.atomic():
                version_claim(record=Person.objects.get(pk=person.pk), version=1)
                outcomes[name] = "saved"
                before_commit()
        except EditConflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    def hold():
        first_claimed.set()
        first_may_commit.wait(timeout=10)

    first = threading.Thread(target=save, args=("first", hold))
    first.start()
    assert first_claimed.wait(timeout=10)
    second = threading.Thread(target=save, args=("second", lambda: None))
    second.start()
    second.join(timeout=1)
    assert second.is_alive()  # blocked on the row the first save holds
    first_may_commit.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert outcomes == {"first": "saved", "second": "conflict"}
    assert Person.objects.get(pk=person.pk).version == 2
