"""A person keeps their rights while their file is archived: the admin, who alone reads
the archive, exports it, records an erasure request and a legal hold, and lifts it."""

import datetime
import json

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.people.models import ConfidentialNote, Person
from parcours.privacy.enums import ErasureOutcome
from parcours.privacy.models import ErasureRequest, LegalHold

from ..people.factories import PersonFactory


@pytest.fixture
def archived(centre):
    person = PersonFactory(
        centre=centre,
        last_name="Archambault",
        first_name="Léonie",
        archived_on=datetime.date(2026, 6, 1),
    )
    ConfidentialNote.objects.create(person=person, health="Suivi au CMP.")
    return person


def test_the_admin_exports_an_archived_file_with_its_confidential_section(
    client_for, archived, users
):
    client = client_for("admin")
    page = client.get(reverse("privacy:archived_person", args=[archived.pk])).content.decode()
    assert reverse("privacy:export_pdf", args=[archived.pk]) in page
    assert "Suivi au CMP" not in page  # read on the page: never
    response = client.get(reverse("privacy:export_json", args=[archived.pk]))
    assert response.status_code == 200
    sections = {s["titre"]: s["elements"] for s in json.loads(response.content)["sections"]}
    # The person has a right to all of it: the export holds the confidential section.
    assert sections["Volet confidentiel (santé, addictions, violences)"][0]["Santé"] == (
        "Suivi au CMP."
    )
    assert AuditEvent.objects.filter(
        person_id=archived.pk, actor=users["admin"], additional_data__section="droit d'accès (JSON)"
    ).exists()


def test_the_admin_erases_an_archived_file_at_once(client_for, archived):
    response = client_for("admin").post(
        reverse("privacy:erasure", args=[archived.pk]),
        {"requested_on": "2026-11-02", "channel": "letter"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:archive")
    archived.refresh_from_db()
    assert archived.anonymised_on is not None
    assert archived.last_name == "Anonyme"
    assert ErasureRequest.objects.get(person=archived).outcome == ErasureOutcome.DONE
    assert not ConfidentialNote.objects.filter(person=archived).exists()


def test_a_pathway_left_open_does_not_keep_an_archived_file_from_erasure(
    client_for, archived, centre
):
    from ..pathways.factories import PathwayFactory

    PathwayFactory(centre=centre, person=archived, started_on=datetime.date(2023, 9, 4))
    client_for("admin").post(
        reverse("privacy:erasure", args=[archived.pk]),
        {"requested_on": "2026-11-02", "channel": "letter"},
    )
    assert Person.objects.get(pk=archived.pk).anonymised_on is not None


def test_the_admin_records_and_lifts_a_legal_hold_on_an_archived_file(client_for, archived):
    client = client_for("admin")
    page = reverse("privacy:archived_person", args=[archived.pk])
    response = client.post(
        reverse("privacy:hold_create", args=[archived.pk]), {"reason": "Procédure en cours."}
    )
    assert response["Location"] == page
    hold = LegalHold.objects.get(person=archived)
    refused = client.post(
        reverse("privacy:erasure", args=[archived.pk]),
        {"requested_on": "2026-11-02", "channel": "letter"},
    )
    assert refused["Location"] == page
    assert Person.objects.get(pk=archived.pk).anonymised_on is None
    assert client.post(reverse("privacy:hold_lift", args=[hold.pk]))["Location"] == page
    hold.refresh_from_db()
    assert hold.lifted_on is not None


def test_the_coordinator_cannot_act_on_an_archived_file_nor_the_admin_on_a_current_one(
    client_for, archived, centre
):
    current = PersonFactory(centre=centre)
    for actor, person in (("coordinator", archived), ("admin", current)):
        client = client_for(actor)
        assert client.get(reverse("privacy:export_pdf", args=[person.pk])).status_code == 404
        erased = client.post(
            reverse("privacy:erasure", args=[person.pk]),
            {"requested_on": "2026-11-02", "channel": "letter"},
        )
        assert erased.status_code == 404
    assert not ErasureRequest.objects.exists()


def test_the_rights_page_of_an_archived_file_is_its_audited_archive_page(client_for, archived):
    response = client_for("admin").get(reverse("privacy:person", args=[archived.pk]))
    assert response["Location"] == reverse("privacy:archived_person", args=[archived.pk])


def test_an_anonymised_file_offers_no_rights_to_answer(client_for, archived):
    Person.objects.filter(pk=archived.pk).update(anonymised_on=datetime.date(2026, 11, 1))
    client = client_for("admin")
    page = client.get(reverse("privacy:archived_person", args=[archived.pk])).content.decode()
    assert reverse("privacy:erasure", args=[archived.pk]) not in page
    assert client.get(reverse("privacy:export_json", args=[archived.pk])).status_code == 404


def test_every_showing_of_an_archived_file_is_audited_and_asks_for_a_recent_code(
    client_for, archived, users
):
    from ..accounts.test_reauth import REAUTH, go_stale

    client = client_for("admin")
    reads = AuditEvent.objects.filter(person_id=archived.pk, action=AuditEvent.Action.ACCESS)
    # A hold without its reason: the page comes back with the file, a reading.
    response = client.post(reverse("privacy:hold_create", args=[archived.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Archambault" in response.content.decode()
    assert reads.count() == 1
    go_stale(client)
    stale = client.post(reverse("privacy:hold_create", args=[archived.pk]), {"reason": ""})
    assert stale.url.startswith(REAUTH)
    assert reads.count() == 1
