"""The person's rights: the export of everything held (PDF and JSON), rectification
through the usual forms, erasure when no legal reason keeps the file."""

import datetime
import html
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.consent.enums import Purpose
from parcours.consent.services import consent_record
from parcours.people import file
from parcours.people.models import ConfidentialNote, Person, RsaContract
from parcours.privacy import subject_access
from parcours.privacy.enums import ErasureOutcome
from parcours.privacy.models import ErasureRequest, LegalHold

from ..people.factories import PersonFactory
from ..workshops.test_sheets import pdf_text


@pytest.fixture
def person(centre, users, client_for):
    person = PersonFactory(
        centre=centre, last_name="Vasseur", first_name="Odile", notes="Aime la couture."
    )
    ConfidentialNote.objects.create(person=person, health="Asthme sévère.")
    consent_record(
        person=person,
        purpose=Purpose.PROCESSING,
        on=datetime.date(2025, 1, 6),
        by=users["coordinator"],
        scope="Suivi par la coordination.",
    )
    # Someone else of the centre, whose data must never appear in the export.
    PersonFactory(centre=centre, last_name="Autrui", first_name="Bertrand", notes="Secret B.")
    # The facilitator never reads the file, the coordinator does (a reading, audited).
    client_for("coordinator").get(reverse("people:detail", args=[person.pk]))
    return person


def test_the_json_export_holds_the_file_and_who_read_it(client_for, person, users):
    response = client_for("coordinator").get(reverse("privacy:export_json", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="donnees-{person.pk}.json"'
    document = json.loads(response.content)
    sections = {s["titre"]: s["elements"] for s in document["sections"]}
    assert sections["Votre identité"][0]["Nom"] == "Vasseur"
    assert sections["Notes de la coordination"] == [{"Notes": "Aime la couture."}]
    assert sections["Vos accords et leurs retraits"] == [
        {
            "À compter du": "2025-01-06",
            "Objet": "Traitement de ses données par le centre",
            "Réponse": "Accord",
            "Ce qui a été convenu": "Suivi par la coordination.",
        }
    ]
    assert sections["Volet confidentiel (santé, addictions, violences)"][0]["Santé"] == (
        "Asthme sévère."
    )
    coordinator = users["coordinator"]
    readers = sections["Qui a consulté ou modifié votre dossier"]
    assert {
        "Par": coordinator.get_full_name(),
        "Rôle": "Coordination",
        "Action": "Consultation",
    }.items() <= readers[0].items()
    text = response.content.decode()
    assert "Autrui" not in text and "Secret B." not in text


def test_the_json_export_holds_typed_values_and_the_pdf_plain_french(client_for, person):
    from parcours.people.models import Person

    Person.objects.filter(pk=person.pk).update(
        birth_date=datetime.date(1984, 3, 9), children_count=2, disability_recognised=True, email=""
    )
    client = client_for("coordinator")
    response = client.get(reverse("privacy:export_json", args=[person.pk]))
    sections = {s["titre"]: s["elements"] for s in json.loads(response.content)["sections"]}
    [identity], [situation] = sections["Votre identité"], sections["Votre situation"]
    assert identity["Date de naissance"] == "1984-03-09"
    assert identity["E-mail"] is None
    assert situation["Enfants à charge"] == 2
    assert next(v for k, v in situation.items() if "handicap" in k.lower()) is True
    [readers, *_] = sections["Qui a consulté ou modifié votre dossier"]
    assert datetime.datetime.fromisoformat(readers["Date"]).tzinfo is not None
    text = pdf_text(client.get(reverse("privacy:export_pdf", args=[person.pk])).content)
    assert "Date de naissance : 09/03/1984" in text and "Enfants à charge : 2" in text


def test_it_keeps_the_capitals_of_acronyms_in_the_labels(client_for, person):
    response = client_for("coordinator").get(reverse("privacy:export_json", args=[person.pk]))
    sections = {s["titre"]: s["elements"] for s in json.loads(response.content)["sections"]}
    situation = sections["Votre situation"][0]
    assert "Orientation RSA du Département" in situation
    assert not any("rsa" in label for label in situation)


def test_the_pdf_export_is_plain_french_and_audited(client_for, person, users):
    before = AuditEvent.objects.filter(person_id=person.pk).count()
    response = client_for("coordinator").get(reverse("privacy:export_pdf", args=[person.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Les données que le centre détient sur vous" in text
    assert "Vasseur" in text and "Asthme sévère." in text
    assert "Qui a consulté ou modifié votre dossier" in text
    assert users["coordinator"].get_full_name() in text
    assert "Consultation" in text
    assert "Autrui" not in text
    export = AuditEvent.objects.filter(person_id=person.pk).order_by("-pk").first()
    assert AuditEvent.objects.filter(person_id=person.pk).count() == before + 1
    assert export.additional_data == {"section": "droit d'accès (PDF)"}
    assert export.actor == users["coordinator"]


def test_the_readers_name_their_role(person, users):
    from parcours.privacy.subject_access import readers

    rows = [dict(row) for row in readers(person)]
    assert {(row["Par"], row["Rôle"]) for row in rows if row["Action"] == "Consultation"} == {
        (users["coordinator"].get_full_name(), "Coordination")
    }


def test_the_page_says_how_to_rectify_and_erase(client_for, person):
    page = client_for("coordinator").get(reverse("privacy:person", args=[person.pk]))
    text = page.content.decode()
    assert "Rectification" in text
    assert reverse("people:edit", args=[person.pk]) in text
    assert "Aucun motif légal ne garde ce dossier" in text


def _erase(client, person, **data):
    return client.post(
        reverse("privacy:erasure", args=[person.pk]),
        {"requested_on": "2026-11-20", "channel": "letter", **data},
    )


def test_an_erasure_request_anonymises_at_once_without_a_legal_reason(client_for, person, users):
    response = _erase(client_for("coordinator"), person)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_on == timezone.localdate()
    assert person.last_name == "Anonyme" and person.notes == ""
    assert not ConfidentialNote.objects.filter(person=person).exists()
    request = ErasureRequest.objects.get(person=person)
    assert (request.outcome, request.channel, request.requested_on) == (
        ErasureOutcome.DONE,
        "letter",
        datetime.date(2026, 11, 20),
    )
    # The file is gone from the coordinator's reach; the anonymisation is in the trail.
    client = client_for("coordinator")
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert AuditEvent.objects.get(person_id=person.pk).additional_data == {"privacy": "anonymised"}


@pytest.mark.parametrize("reason", ["pathway", "contract", "hold"])
def test_an_erasure_request_is_refused_when_a_legal_reason_keeps_the_file(
    client_for, centre, person, users, reason
):
    today = timezone.localdate()
    if reason == "pathway":
        from ..pathways.factories import PathwayFactory

        PathwayFactory(centre=centre, person=person, started_on=datetime.date(2026, 9, 7))
        expected = "parcours en cours depuis le 07/09/2026"
    elif reason == "contract":
        RsaContract.objects.create(
            person=person, starts_on=today, ends_on=today + datetime.timedelta(days=90), goals="x"
        )
        expected = "contrat d'engagement RSA en cours"
    else:
        LegalHold.objects.create(person=person, reason="Plainte déposée.", recorded_on=today)
        expected = f"conservation pour motif légal décidée le {today:%d/%m/%Y}"
    client = client_for("coordinator")
    response = _erase(client, person)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.anonymised_on, person.last_name) == (None, "Vasseur")
    request = ErasureRequest.objects.get(person=person)
    assert request.outcome == ErasureOutcome.REFUSED
    assert expected in request.refusal_reason
    # What the coordinator typed about the hold stays on the hold (masked in the trail).
    assert "Plainte" not in request.refusal_reason
    assert "Plainte" not in str(AuditEvent.objects.filter(object_pk=request.pk).values())
    page = html.unescape(client.get(reverse("privacy:person", args=[person.pk])).content.decode())
    assert expected in page
    assert "Refusé" in page


def test_a_bad_erasure_request_is_explained_and_writes_nothing(client_for, person):
    response = _erase(client_for("coordinator"), person, requested_on="2099-01-01", channel="x")
    assert response.status_code == 400
    text = response.content.decode()
    assert "ne peut pas dater de demain" in text
    assert not ErasureRequest.objects.exists()
    assert Person.objects.get(pk=person.pk).anonymised_on is None


def test_a_legal_hold_is_recorded_then_lifted(client_for, person):
    client = client_for("coordinator")
    client.post(reverse("privacy:hold_create", args=[person.pk]), {"reason": "Contrôle CAF."})
    hold = LegalHold.objects.get(person=person)
    assert hold.lifted_on is None
    client.post(reverse("privacy:hold_lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_on == timezone.localdate()
    assert client.post(reverse("privacy:hold_create", args=[person.pk]), {}).status_code == 400


def test_the_export_holds_each_relay_with_the_partners_answer_and_its_steps(
    client_for, person, centre
):
    from parcours.pathways import relays
    from parcours.people.enums import ReferralStatus

    from ..partners.factories import PartnerFactory

    partner = PartnerFactory(centre=centre, name="Mission locale")
    consent_record(
        person=person,
        purpose=Purpose.SHARE_PARTNER,
        partner=partner,
        on=datetime.date(2025, 1, 6),
        by=None,
    )
    relay = relays.relay_send(
        person=person,
        partner=partner,
        contact=None,
        reason="Recherche de formation.",
        shared_information="",
        follow_up_on=timezone.localdate(),
        by=None,
    )
    relays.relay_move(relay=relay, status=ReferralStatus.REFUSED, note="Pas de place.", by=None)
    response = client_for("coordinator").get(reverse("privacy:export_json", args=[person.pk]))
    sections = {s["titre"]: s["elements"] for s in json.loads(response.content)["sections"]}
    [sent] = sections["Vos relais vers des partenaires"]
    assert sent["Réponse du partenaire"] == "Pas de place."
    # Two steps on one day: both kept, in order.
    assert sent[f"Le {timezone.localdate():%d/%m/%Y}"] == ["Envoyé", "Refusé — Pas de place."]
    assert sections["Votre situation"][0]["Situation"] == person.get_status_display()


def test_it_gives_each_section_of_the_export_its_own_place():
    """Sections of every app are sorted by their position: two on one number would
    come out in whatever order the apps registered."""
    positions = [export.position for export in subject_access.OWN_SECTIONS] + [
        export.position for part in file.parts() for export in part.exports
    ]
    assert len(positions) == len(set(positions))


def test_it_exports_each_change_of_a_goal_an_appointment_and_an_enrolment(
    client_for, person, centre
):
    from parcours.pathways.enums import AppointmentStatus, GoalStatus
    from parcours.workshops.enums import EnrolmentStatus

    from ..pathways.factories import AppointmentFactory, GoalFactory, PathwayFactory
    from ..workshops.factories import EnrolmentFactory

    pathway = PathwayFactory(centre=centre, person=person)
    goal = GoalFactory(pathway=pathway, wording="Faire un CV")
    goal.move_to(GoalStatus.REACHED, by=None, reason="CV envoyé.")
    goal.save()
    appointment = AppointmentFactory(pathway=pathway)
    appointment.move_to(AppointmentStatus.MISSED, by=None)
    appointment.save()
    enrolment = EnrolmentFactory(workshop__centre=centre, person=person)
    enrolment.move_to(EnrolmentStatus.ENDED, by=None, reason="Déménage.")
    enrolment.save()
    response = client_for("coordinator").get(reverse("privacy:export_json", args=[person.pk]))
    sections = {s["titre"]: s["elements"] for s in json.loads(response.content)["sections"]}
    today = f"Le {timezone.localdate():%d/%m/%Y}"
    [followed] = sections["Vos parcours et vos objectifs"]
    assert (followed["Objectif (Rupture de l'isolement)"], followed[today]) == (
        "Faire un CV — Atteint",
        "Atteint — CV envoyé.",
    )
    [met] = sections["Vos entretiens"]
    assert met[today] == "Manqué"
    [enrolled, *_marks] = sections["Vos ateliers"]
    assert enrolled[today] == "Inscription terminée — Déménage."
