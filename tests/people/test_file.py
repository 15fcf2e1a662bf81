import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.audit.registry import MASKED
from parcours.consent import services as consent_services
from parcours.consent.enums import Purpose
from parcours.people.enums import Direction
from parcours.people.models import ConfidentialNote, Person, Referral, ReferralEvent, RsaContract

from ..partners.factories import PartnerFactory
from ..pathways.factories import AppointmentFactory, GoalFactory, PathwayFactory
from ..workshops.factories import EnrolmentFactory, WorkshopFactory
from .factories import NeighbourhoodFactory, PersonFactory, agreed_to_sensitive_data

TODAY = timezone.localdate()


def reads(person, section=""):
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS, content_type__model="person", object_pk=str(person.pk)
    )
    return [e for e in events if (e.additional_data or {}).get("section", "") == section]


def test_reading_a_file_is_audited(client_for, users, referred):
    person = referred.person
    response = client_for("coordinator").get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    [event] = reads(person)
    assert event.actor == users["coordinator"]
    assert event.centre == person.centre


def test_the_file_shows_the_history(client_for, referred):
    page = client_for("coordinator").get(reverse("people:detail", args=[referred.person_id]))
    assert "Orientation reçue" in page.content.decode()
    assert [e.title for e in page.context["timeline"]] == ["Orientation reçue"]


def with_history(centre, years):
    """A person with `years` of everything the file lists: a referral and its events, a
    relay, a pathway with goals and appointments, an enrolment and an RSA contract."""
    person = PersonFactory(centre=centre)
    partner = PartnerFactory(centre=centre)
    for year in range(2020, 2020 + years):
        day = datetime.date(year, 3, 2)
        received = Referral.objects.create(
            centre=centre, person=person, partner=partner, received_on=day
        )
        ReferralEvent.objects.create(
            referral=received, from_status="received", to_status="accepted", note="Admise"
        )
        Referral.objects.create(
            centre=centre, person=person, partner=partner, direction=Direction.OUT, received_on=day
        )
        pathway = PathwayFactory(centre=centre, person=person, started_on=day)
        GoalFactory(pathway=pathway)
        AppointmentFactory(pathway=pathway)
        EnrolmentFactory(workshop=WorkshopFactory(centre=centre), person=person, starts_on=day)
        RsaContract.objects.create(
            person=person, starts_on=day, ends_on=day.replace(month=9), goals="Objectifs"
        )
    return person


def test_the_file_costs_the_same_queries_for_one_year_of_history_or_five(client_for, centre):
    client = client_for("coordinator")

    def count(person):
        url = reverse("people:detail", args=[person.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert len(page.context["timeline"]) == len(page.context["pathways"]) * 8
        return len(queries)

    assert count(with_history(centre, 1)) == count(with_history(centre, 5))


def test_a_coordinator_fills_the_file_and_the_neighbourhood_comes_from_the_street(
    client_for, centre, referred
):
    east = NeighbourhoodFactory(
        centre=centre, name="Quartier-Est", is_qpv=True, streets="Avenue de Guise\nplace Roland"
    )
    person = referred.person
    response = client_for("coordinator").post(
        reverse("people:edit", args=[person.pk]),
        {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "birth_date": "1985-04-12",
            "phone": "03 53 01 12 34",
            "address": "12 avenue de Guise",
            "household": "single_parent",
            "children_count": "2",
            "benefit": "rsa",
            "difficulty_isolation": "on",
            "difficulty_childcare": "on",
            "centre": "999",
            "status": "exited",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.neighbourhood == east
    assert str(person.phone.as_e164) == "+33353011234"
    assert [d.value for d in person.difficulties] == ["isolation", "childcare"]
    assert person.centre == centre
    assert person.status == "referred"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("phone", "12", "Saisissez un numéro de téléphone valide"),
        ("birth_date", "2090-01-01", "La date de naissance doit être passée"),
        ("last_name", "", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_gets_a_french_error_and_changes_nothing(
    client_for, referred, field, value, message
):
    person = referred.person
    data = {"last_name": "Nouveau", "first_name": "Nom", "children_count": "0", "version": "1"}
    data[field] = value
    response = client_for("coordinator").post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.get(pk=person.pk).last_name == "Lefèvre"


def test_the_confidential_section_is_coordination_only_and_every_read_is_audited(
    client_for, referred
):
    person = agreed_to_sensitive_data(referred.person)
    url = reverse("people:confidential", args=[person.pk])
    client = client_for("coordinator")
    client.post(
        reverse("people:confidential_edit", args=[person.pk]),
        {
            "health": "Suivi au CMP.",
            "addictions": "",
            "violence": "Violences conjugales passées.",
            "version": person.version,
        },
    )
    assert "Suivi au CMP." in client.get(url).content.decode()
    assert len(reads(person, "volet confidentiel")) == 2
    assert client_for("facilitator").get(url).status_code == 403
    assert client_for("partner_worker").get(url).status_code == 403
    assert client_for("director").get(url).status_code == 403


def test_the_trail_never_holds_confidential_text(client_for, referred):
    person = agreed_to_sensitive_data(referred.person)
    client_for("coordinator").post(
        reverse("people:confidential_edit", args=[person.pk]),
        {"health": "Diabète.", "addictions": "Alcool.", "violence": "", "version": 1},
    )
    note = ConfidentialNote.objects.get(person=person)
    event = AuditEvent.objects.get(content_type__model="confidentialnote", object_pk=str(note.pk))
    assert event.centre == person.centre
    flat = str(event.changes) + event.object_repr + str(event.additional_data)
    assert "Diabète" not in flat and "Alcool" not in flat
    assert MASKED in flat


def test_a_partner_worker_sees_what_was_consented_only(client_for, referred):
    person = referred.person
    url = reverse("people:detail", args=[person.pk])
    page = client_for("partner_worker").get(url).content.decode()
    assert "n'a pas donné son accord" in page
    assert "03 53 01 00 00" not in page
    partner = PartnerFactory(centre=person.centre, name="UDAF de la Moselle")
    referred.partner = partner
    referred.save()
    other = PartnerFactory(centre=person.centre, name="CCAS de Thionville", kind="ccas")
    consent_services.consent_record(
        person=person, purpose=Purpose.SHARE_PARTNER, partner=other, on=TODAY, by=None
    )
    assert "03 53 01 00 00" not in client_for("partner_worker").get(url).content.decode()
    consent_services.consent_record(
        person=person, purpose=Purpose.SHARE_PARTNER, partner=partner, on=TODAY, by=None
    )
    page = client_for("partner_worker").get(url).content.decode()
    assert "03 53 01 00 00" in page
    assert "Volet confidentiel" not in page
    assert "Consentements" not in page  # the register itself is the coordinator's


def test_a_rsa_contract_must_end_after_it_starts(client_for, referred):
    url = reverse("people:rsa_contract_create", args=[referred.person_id])
    client = client_for("coordinator")
    bad = client.post(url, {"starts_on": "2026-05-01", "ends_on": "2026-01-01", "goals": "x"})
    assert "La fin du contrat doit suivre son début." in bad.content.decode()
    good = client.post(url, {"starts_on": "2026-01-01", "ends_on": "2026-12-31", "goals": "Emploi"})
    assert good.status_code == 302
    assert referred.person.rsa_contracts.get().goals == "Emploi"


def test_an_implausible_number_of_children_is_refused(client_for, referred):
    response = client_for("coordinator").post(
        reverse("people:edit", args=[referred.person_id]),
        {"last_name": "X", "first_name": "Y", "children_count": "99999999", "version": 1},
    )
    assert response.status_code == 200
    assert "inférieure ou égale à 30" in response.content.decode()
