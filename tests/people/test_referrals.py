import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.pathways.models import Pathway
from parcours.people import services
from parcours.people.enums import PersonStatus, ReferralStatus
from parcours.people.models import Person, Referral

from ..factories import ProgrammeFactory
from .factories import PersonFactory


@pytest.fixture
def programme(centre):
    return ProgrammeFactory(centre=centre, name="Objectif : Insertion(s)")


def new_referral_data(**extra):
    return {
        "person-last_name": "Garnier",
        "person-first_name": "Inès",
        "person-birth_date": "1990-03-14",
        "person-phone": "03 53 01 00 01",
        "referral-received_on": "2026-11-02",
        "referral-reason": "Isolement ; souhaite apprendre le français.",
        **extra,
    }


def test_a_coordinator_records_a_referral_for_someone_new(client_for, centre):
    response = client_for("coordinator").post(reverse("people:referral_new"), new_referral_data())
    referral = Referral.objects.get()
    assert response.url == reverse("people:referral_detail", args=[referral.pk])
    assert referral.person.last_name == "Garnier"
    assert referral.person.centre == centre
    assert referral.status == ReferralStatus.RECEIVED
    assert referral.person.status == PersonStatus.REFERRED
    assert [e.to_status for e in referral.events.all()] == [ReferralStatus.RECEIVED]


def test_someone_already_known_is_shown_before_anything_is_saved(client_for, centre):
    PersonFactory(centre=centre, last_name="GARNIER", first_name="Ines", birth_date="1990-03-14")
    client = client_for("coordinator")
    response = client.post(reverse("people:referral_new"), new_referral_data())
    assert response.status_code == 200
    assert "ouvrir ce dossier" in response.content.decode()
    assert Person.objects.count() == 1 and Referral.objects.count() == 0
    confirmed = client.post(reverse("people:referral_new"), new_referral_data(not_a_duplicate="1"))
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_the_duplicate_check_ignores_accents_case_and_hyphens(client_for, centre):
    known = PersonFactory(centre=centre, last_name="Lefèvre", first_name="Zoé-Marie")
    response = client_for("coordinator").get(
        reverse("people:duplicates"),
        {
            "person-last_name": "LEFEVRE",
            "person-first_name": "zoe marie",
            "person-birth_date": known.birth_date.isoformat(),
        },
    )
    assert list(response.context["duplicates"]) == [known]


def test_the_duplicate_check_stays_within_the_centre(client_for, other_centre):
    PersonFactory(
        centre=other_centre, last_name="Garnier", first_name="Inès", birth_date="1990-03-14"
    )
    response = client_for("coordinator").post(reverse("people:referral_new"), new_referral_data())
    assert response.status_code == 302


def test_admission_opens_the_pathway(client_for, referred, programme, users):
    client = client_for("coordinator")
    client.post(
        reverse("people:referral_plan", args=[referred.pk]), {"intake_on": "2026-09-10T14:00"}
    )
    response = client.post(
        reverse("people:referral_admit", args=[referred.pk]),
        {"programme": programme.pk, "started_on": "2026-09-10"},
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    pathway = Pathway.objects.get()
    assert (pathway.person, pathway.programme, pathway.referral) == (
        referred.person,
        programme,
        referred,
    )
    assert pathway.started_on == datetime.date(2026, 9, 10)
    assert referred.status == ReferralStatus.ADMITTED
    assert Person.objects.get(pk=referred.person_id).status == PersonStatus.ACTIVE
    assert [(e.from_status, e.to_status, e.by) for e in referred.events.all()][1:] == [
        (ReferralStatus.RECEIVED, ReferralStatus.INTAKE_PLANNED, users["coordinator"]),
        (ReferralStatus.INTAKE_PLANNED, ReferralStatus.ADMITTED, users["coordinator"]),
    ]


def test_not_admitting_needs_a_reason_in_french(client_for, referred):
    url = reverse("people:referral_close", args=[referred.pk])
    client = client_for("coordinator")
    response = client.post(url, {"status": "not_admitted", "reason": ""})
    assert response.status_code == 400
    assert "Indiquez le motif de la non-admission." in response.content.decode()
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.RECEIVED
    client.post(url, {"status": "not_admitted", "reason": "Réorientée vers le CMP."})
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.NOT_ADMITTED
    assert Person.objects.get(pk=referred.person_id).status == PersonStatus.NOT_ADMITTED


def test_a_closed_referral_cannot_move_again(client_for, referred, programme, users):
    services.referral_close(referral=referred, status="not_admitted", reason="Non.", by=None)
    response = client_for("coordinator").post(
        reverse("people:referral_admit", args=[referred.pk]),
        {"programme": programme.pk, "started_on": "2026-09-10"},
    )
    assert response.status_code == 400
    assert "ne peut pas passer à" in response.content.decode()
    assert not Pathway.objects.exists()


def test_a_person_who_comes_back_gets_a_new_referral_and_pathway_with_history_kept(
    client_for, referred, programme, users
):
    # The story begins in 2025: the referral arrived before its admission.
    Referral.objects.filter(pk=referred.pk).update(received_on=datetime.date(2025, 1, 2))
    referred.refresh_from_db()
    first = services.referral_admit(
        referral=referred, programme=programme, started_on=datetime.date(2025, 1, 6), by=None
    )
    with pytest.raises(ValidationError):
        services.referral_admit(
            referral=services.referral_receive(
                centre=referred.centre,
                person=referred.person,
                by=None,
                received_on=datetime.date(2025, 6, 1),
                reason="Autre",
            ),
            programme=programme,
            started_on=datetime.date(2025, 6, 2),
            by=None,
        )
    Pathway.objects.filter(pk=first.pk).update(ended_on=datetime.date(2025, 12, 19))
    client = client_for("coordinator")
    client.post(
        reverse("people:referral_create", args=[referred.person_id]),
        {"referral-received_on": "2026-10-01", "referral-reason": "Revient après un déménagement."},
    )
    again = Referral.objects.filter(person=referred.person).order_by("-pk").first()
    client.post(
        reverse("people:referral_admit", args=[again.pk]),
        {"programme": programme.pk, "started_on": "2026-10-15"},
    )
    person = Person.objects.get(pk=referred.person_id)
    assert person.status == PersonStatus.ACTIVE
    assert person.pathways.count() == 2
    assert person.referrals.count() == 3
    titles = [e.title for e in person.timeline()]
    assert titles.count("Entrée en parcours") == 2
    assert "Sortie du parcours" in titles


def test_a_referral_date_in_the_future_is_refused(client_for):
    response = client_for("coordinator").post(
        reverse("people:referral_new"), new_referral_data(**{"referral-received_on": "2099-01-01"})
    )
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not Person.objects.exists()


def test_someone_who_did_not_come_can_be_closed_and_leaves_the_inbox(client_for, referred):
    services.referral_plan_intake(referral=referred, intake_on="2026-09-10T14:00+02:00", by=None)
    client = client_for("coordinator")
    url = reverse("people:referral_close", args=[referred.pk])
    client.post(url, {"status": "no_show", "reason": ""})
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.NO_SHOW
    assert list(client.get(reverse("people:referrals")).context["referrals"]) == []
    assert Person.objects.get(pk=referred.person_id).status == PersonStatus.NOT_ADMITTED
    client.post(url, {"status": "not_admitted", "reason": "Ne répond plus."})
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.NOT_ADMITTED


@pytest.mark.parametrize("birth_date", ["abc", "1990-13-45", ""])
def test_the_live_duplicate_check_survives_a_half_typed_date(client_for, centre, birth_date):
    known = PersonFactory(centre=centre, last_name="Garnier", first_name="Inès")
    response = client_for("coordinator").get(
        reverse("people:duplicates"),
        {
            "person-last_name": "garnier",
            "person-first_name": "ines",
            "person-birth_date": birth_date,
        },
    )
    assert response.status_code == 200
    assert list(response.context["duplicates"]) == [known]


def test_it_moves_a_referral_with_its_log_row_and_fields(referred, users):
    coordinator = users["coordinator"]
    intake_on = datetime.datetime(2026, 9, 10, 14, tzinfo=datetime.UTC)
    services.referral_move(
        referral=referred,
        to_status=ReferralStatus.INTAKE_PLANNED,
        by=coordinator,
        note="Rendez-vous pris par téléphone.",
        intake_on=intake_on,
    )
    stored = Referral.objects.get(pk=referred.pk)
    assert (stored.status, stored.intake_on) == (ReferralStatus.INTAKE_PLANNED, intake_on)
    event = stored.events.last()
    assert (event.from_status, event.to_status, event.by, event.note) == (
        ReferralStatus.RECEIVED,
        ReferralStatus.INTAKE_PLANNED,
        coordinator,
        "Rendez-vous pris par téléphone.",
    )


def test_it_refuses_a_move_the_state_machine_forbids_and_writes_nothing(referred, users):
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        services.referral_move(
            referral=referred,
            to_status=ReferralStatus.ACCEPTED,  # a relay's step, not an incoming referral's
            by=users["coordinator"],
            decided_on=datetime.date(2026, 9, 2),
        )
    stored = Referral.objects.get(pk=referred.pk)
    assert (stored.status, stored.decided_on) == (ReferralStatus.RECEIVED, None)
    assert stored.events.count() == 1


def test_it_refuses_an_admission_before_the_referral_or_its_planned_intake(
    client_for, referred, programme
):
    client = client_for("coordinator")
    client.post(
        reverse("people:referral_plan", args=[referred.pk]), {"intake_on": "2026-09-10T14:00"}
    )
    admit = reverse("people:referral_admit", args=[referred.pk])
    before_intake = client.post(admit, {"programme": programme.pk, "started_on": "2026-09-09"})
    assert "précéder l&#x27;entretien d&#x27;accueil prévu (le 10/09/2026)" in (
        before_intake.content.decode()
    )
    before_referral = client.post(admit, {"programme": programme.pk, "started_on": "2026-08-01"})
    assert "précéder la réception de l&#x27;orientation (le 01/09/2026)" in (
        before_referral.content.decode()
    )
    assert not Pathway.objects.exists()
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.INTAKE_PLANNED
