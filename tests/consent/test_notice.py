"""The information notice (art. 13): made from the centre's settings, read back with
pdftotext; what a person was given stays as it was."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.consent.models import NoticeGiven
from parcours.partners.enums import PartnerKind

from ..partners.factories import PartnerFactory
from ..people.factories import PersonFactory
from ..workshops.test_sheets import pdf_text

CONTACT = "Déléguée à la protection des données : Mme Rivière, dpo@le-lierre.example"


def words(content):
    return " ".join(pdf_text(content).split())


@pytest.fixture
def settings_of(centre):
    centre.address = "19 boulevard Charlemagne"
    centre.postcode, centre.city = "57100", "Thionville"
    centre.privacy_contact = CONTACT
    centre.retention_months, centre.archive_months = 30, 48
    centre.save()
    PartnerFactory(centre=centre, kind=PartnerKind.CCAS)
    PartnerFactory(centre=centre, kind=PartnerKind.CSAPA)
    return centre


def test_the_notice_says_who_why_to_whom_how_long_and_the_rights(client_for, settings_of):
    response = client_for("coordinator").get(reverse("consent:notice"))

    assert response["Content-Type"] == "application/pdf"
    text = words(response.content)
    assert "Centre « Le Lierre », 19 boulevard Charlemagne, 57100 Thionville." in text
    assert CONTACT in text
    assert "conservé 30 mois après votre dernier contact" in text
    assert "archivé 48 mois" in text
    assert "CCAS (centre communal d'action sociale); CSAPA (addictologie)." in text
    assert "France Travail" not in text  # no such partner in the directory
    for right in ["Droit d'accès", "rectification", "effacement", "limitation", "opposition"]:
        assert right in text
    assert "CNIL" in text and "consentement explicite" in text and "art. 9" in text


def test_the_admin_prints_it_to_check_the_settings(client_for, settings_of):
    assert client_for("admin").get(reverse("consent:notice")).status_code == 200


def test_the_notice_given_keeps_what_it_said_that_day(client_for, users, settings_of):
    person = PersonFactory(centre=settings_of, last_name="Benali", first_name="Karima")
    client = client_for("coordinator")
    given_on = timezone.localdate() - datetime.timedelta(days=3)
    client.post(reverse("consent:notice_give", args=[person.pk]), {"given_on": given_on})
    given = NoticeGiven.objects.get()
    assert (given.person, given.given_on, given.by) == (person, given_on, users["coordinator"])

    settings_of.retention_months = 12
    settings_of.privacy_contact = "Autre contact"
    settings_of.save()
    response = client.get(reverse("consent:notice_given", args=[given.pk]))

    text = words(response.content)
    assert "Remise à : Karima BENALI" in text
    assert CONTACT in text and "conservé 30 mois" in text
    assert "Benali" not in response["Content-Disposition"]
    read = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS, object_pk=str(person.pk))
    assert read.get().additional_data == {"section": "notice d'information"}
    file = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert f"Notice remise le {given_on:%d/%m/%Y}" in file


def test_a_notice_without_contact_says_where_to_ask(client_for, centre):
    text = words(client_for("coordinator").get(reverse("consent:notice")).content)
    assert "l'accueil du centre" in text


def test_a_notice_cannot_be_given_in_the_future(client_for, centre):
    person = PersonFactory(centre=centre)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for("coordinator").post(
        reverse("consent:notice_give", args=[person.pk]), {"given_on": tomorrow}
    )
    assert response.status_code == 400
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not NoticeGiven.objects.exists()


@pytest.mark.parametrize(
    "actor, shown", [("admin", True), ("coordinator", True), ("director", False)]
)
def test_the_centre_page_gives_its_data_protection_settings_and_the_notice(
    client_for, centre, actor, shown
):
    centre.privacy_contact = "dpo@le-lierre.example"
    centre.save()
    page = client_for(actor).get(reverse("centres:detail")).content.decode()
    assert "dpo@le-lierre.example" in page
    assert f"Dossiers conservés {centre.retention_months} mois après le dernier contact" in page
    assert (reverse("consent:notice") in page) is shown
