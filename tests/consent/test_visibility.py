"""What each role learns from the register, and what the register costs the file."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.consent import services
from parcours.consent.enums import Purpose
from parcours.partners.enums import PartnerKind
from parcours.people import services as people_services

from ..partners.factories import PartnerFactory
from ..people.factories import PersonFactory
from ..workshops.factories import EnrolmentFactory, WorkshopFactory

TODAY = timezone.localdate()


def agree(person, purpose, on=TODAY, **scope):
    return services.consent_record(person=person, purpose=purpose, on=on, by=None, **scope)


@pytest.fixture
def udaf(centre):
    return PartnerFactory(centre=centre, name="UDAF de la Moselle", kind=PartnerKind.UDAF)


@pytest.fixture
def referred_by_udaf(centre, users, udaf):
    person = PersonFactory(centre=centre, last_name="Lefèvre", first_name="Zoé")
    people_services.referral_receive(
        centre=centre,
        person=person,
        by=users["coordinator"],
        partner=udaf,
        referrer_user=users["partner_worker"],
        received_on=TODAY - datetime.timedelta(days=30),
        reason="Isolement.",
    )
    return person


def test_a_facilitator_learns_whether_photos_are_agreed_and_nothing_else(client_for, users, centre):
    workshop = WorkshopFactory(centre=centre)
    workshop.facilitators.add(users["facilitator"])
    person = EnrolmentFactory(workshop=workshop).person
    agree(person, Purpose.PROCESSING, scope="Note privée sur l'accord")
    url = reverse("people:detail", args=[person.pk])

    page = client_for("facilitator").get(url).content.decode()
    assert "pas d'accord : ne pas photographier" in page
    record = agree(person, Purpose.PHOTOS, on=TODAY - datetime.timedelta(days=3))
    page = client_for("facilitator").get(url).content.decode()
    assert f"accord depuis le {record.on:%d/%m/%Y}" in page
    assert "Note privée" not in page and "Consentements" not in page
    services.consent_withdraw(record=record, on=TODAY, by=None)
    page = client_for("facilitator").get(url).content.decode()
    assert "ne pas photographier" in page


def test_a_partner_worker_list_shows_the_birth_date_only_when_shared_with_them(
    client_for, referred_by_udaf, centre
):
    client = client_for("partner_worker")
    birth = f"{referred_by_udaf.birth_date:%d/%m/%Y}"
    assert birth not in client.get(reverse("people:list")).content.decode()
    agree(referred_by_udaf, Purpose.SHARE_KIND, partner_kind=PartnerKind.CCAS)
    assert birth not in client.get(reverse("people:list")).content.decode()
    agree(referred_by_udaf, Purpose.SHARE_KIND, partner_kind=PartnerKind.UDAF)
    assert birth in client.get(reverse("people:list")).content.decode()


def test_a_withdrawal_hides_the_file_from_the_partner_worker_again(
    client_for, referred_by_udaf, udaf
):
    record = agree(
        referred_by_udaf, Purpose.SHARE_PARTNER, partner=udaf, on=TODAY - datetime.timedelta(3)
    )
    url = reverse("people:detail", args=[referred_by_udaf.pk])
    assert "03 53 01 00 00" in client_for("partner_worker").get(url).content.decode()
    services.consent_withdraw(record=record, on=TODAY, by=None)
    page = client_for("partner_worker").get(url).content.decode()
    assert "03 53 01 00 00" not in page
    assert "n'a pas donné son accord au partage d'informations avec votre structure" in page


@pytest.mark.parametrize("actor", ["facilitator", "partner_worker", "director", "admin"])
def test_nobody_but_the_coordinator_opens_the_register(client_for, referred_by_udaf, actor):
    url = reverse("consent:person", args=[referred_by_udaf.pk])
    assert client_for(actor).get(url).status_code == 403


def _file_queries(client, person):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("people:detail", args=[person.pk])).status_code == 200
    return len(captured)


def test_the_file_costs_the_same_queries_for_a_short_or_long_register(
    client_for, users, referred_by_udaf, udaf, centre
):
    client = client_for("coordinator")
    person = referred_by_udaf
    agree(person, Purpose.PROCESSING)
    services.notice_give(person=person, given_on=TODAY, by=None)
    services.override_record(
        person=person, purpose=Purpose.RSA_BILAN, reason="Danger.", by=users["coordinator"]
    )
    short = _file_queries(client, person)
    for n in range(10):
        partner = PartnerFactory(centre=centre, name=f"Partenaire {n}")
        record = agree(
            person, Purpose.SHARE_PARTNER, partner=partner, on=TODAY - datetime.timedelta(n)
        )
        services.consent_withdraw(record=record, on=TODAY, by=None)
        services.notice_give(person=person, given_on=TODAY, by=users["coordinator"])
        services.override_record(
            person=person,
            purpose=Purpose.SHARE_PARTNER,
            partner=partner,
            reason="Danger.",
            by=users["coordinator"],
        )
    assert _file_queries(client, person) == short
