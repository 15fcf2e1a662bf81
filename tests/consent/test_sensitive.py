"""Health, addiction and violence are noted in the confidential section with the
person's explicit consent (GDPR art. 9.2.a), or a coordinator's override of the day;
without it, what was written may only be emptied."""

import datetime

import pytest
from django.urls import reverse

from parcours.consent import services
from parcours.consent.enums import Purpose
from parcours.people.models import ConfidentialNote

from ..people.factories import PersonFactory, agreed_to_sensitive_data


@pytest.fixture
def person(centre):
    return PersonFactory(centre=centre, last_name="Marchal", first_name="Sonia")


def post(client, person, **fields):
    data = {"health": "", "addictions": "", "violence": "", "version": person.version}
    return client.post(reverse("people:confidential_edit", args=[person.pk]), data | fields)


def test_without_consent_the_section_cannot_be_written(client_for, person):
    client = client_for("coordinator")
    form = client.get(reverse("people:confidential_edit", args=[person.pk]))
    assert form.status_code == 409
    page = form.content.decode()
    assert "Le volet confidentiel (santé, addictions, violences) ne peut pas être rempli" in page
    assert "Données sensibles notées au volet confidentiel" in page
    assert reverse("consent:override", args=[person.pk]) in page
    assert post(client, person, health="Diabète.").status_code == 409
    assert not ConfidentialNote.objects.filter(person=person).exists()
    shown = client.get(reverse("people:confidential", args=[person.pk])).content.decode()
    assert "Aucun accord de la personne n'est en vigueur pour ces données" in shown


def test_with_consent_or_an_override_it_is_written(client_for, users, person, centre):
    client = client_for("coordinator")
    agreed_to_sensitive_data(person)
    assert post(client, person, health="Diabète.").status_code == 302
    assert ConfidentialNote.objects.get(person=person).health == "Diabète."

    other = PersonFactory(centre=centre)
    services.override_record(
        person=other,
        purpose=Purpose.SENSITIVE,
        reason="Violences conjugales : mise à l'abri en cours.",
        by=users["coordinator"],
    )
    assert post(client, other, violence="Mise à l'abri.").status_code == 302
    assert ConfidentialNote.objects.get(person=other).violence == "Mise à l'abri."


def test_after_a_withdrawal_the_section_can_only_be_emptied(client_for, person):
    record = services.consent_record(
        person=person,
        purpose=Purpose.SENSITIVE,
        on=datetime.date(2025, 1, 6),
        by=None,
    )
    ConfidentialNote.objects.create(person=person, health="Diabète.", addictions="Tabac.")
    services.consent_withdraw(record=record, on=datetime.date(2026, 1, 5), by=None)
    client = client_for("coordinator")
    form = client.get(reverse("people:confidential_edit", args=[person.pk]))
    assert "vous pouvez seulement vider ce volet" in form.content.decode()
    refused = post(client, person, health="Diabète de type 2.")
    assert refused.status_code == 200  # the form again, with its error (core.locking)
    assert "le volet ne peut qu&#x27;être vidé" in refused.content.decode()
    assert ConfidentialNote.objects.get(person=person).addictions == "Tabac."
    person.refresh_from_db()
    assert post(client, person).status_code == 302
    note = ConfidentialNote.objects.get(person=person)
    assert (note.health, note.addictions, note.violence) == ("", "", "")
