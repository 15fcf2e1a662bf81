"""The register: agreements and withdrawals, from the services and the person's file."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.consent import services
from parcours.consent.enums import Answer, Purpose
from parcours.consent.models import ConsentRecord, consent_for
from parcours.consent.views import _mark_standing
from parcours.partners.enums import PartnerKind

from ..partners.factories import PartnerFactory
from ..people.factories import PersonFactory

TODAY = timezone.localdate()
DAYS = datetime.timedelta(days=1)


@pytest.fixture
def person(centre):
    return PersonFactory(centre=centre, last_name="Garnier", first_name="Inès")


@pytest.fixture
def partner(centre):
    return PartnerFactory(centre=centre, name="UDAF de la Moselle", kind=PartnerKind.UDAF)


def agree(person, purpose, on=TODAY, **scope):
    return services.consent_record(person=person, purpose=purpose, on=on, by=None, **scope)


def test_it_asks_one_question_per_purpose(person, partner, centre):
    assert consent_for(person, Purpose.PROCESSING) is None
    record = agree(person, Purpose.PROCESSING, on=TODAY - 5 * DAYS)
    assert consent_for(person, Purpose.PROCESSING) == record
    assert consent_for(person, Purpose.PROCESSING, on=TODAY - 6 * DAYS) is None
    assert consent_for(person, Purpose.PHOTOS) is None
    assert consent_for(person, Purpose.SHARE_PARTNER, partner=partner) is None
    by_kind = agree(person, Purpose.SHARE_KIND, partner_kind=PartnerKind.UDAF)
    assert consent_for(person, Purpose.SHARE_PARTNER, partner=partner) == by_kind
    other = PartnerFactory(centre=centre, name="CCAS", kind=PartnerKind.CCAS)
    assert consent_for(person, Purpose.SHARE_PARTNER, partner=other) is None
    with pytest.raises(ValueError):
        consent_for(person, Purpose.SHARE_PARTNER)


def test_a_withdrawal_takes_effect_from_its_date_and_deletes_nothing(person, partner):
    record = agree(person, Purpose.SHARE_PARTNER, on=TODAY - 20 * DAYS, partner=partner)
    withdrawal = services.consent_withdraw(record=record, on=TODAY - 5 * DAYS, by=None)

    assert withdrawal.answer == Answer.WITHDRAWN
    assert (withdrawal.purpose, withdrawal.partner) == (Purpose.SHARE_PARTNER, partner)
    assert consent_for(person, Purpose.SHARE_PARTNER, partner=partner, on=TODAY - 6 * DAYS)
    assert not consent_for(person, Purpose.SHARE_PARTNER, partner=partner, on=TODAY - 5 * DAYS)
    assert not consent_for(person, Purpose.SHARE_PARTNER, partner=partner)
    assert ConsentRecord.objects.filter(person=person).count() == 2
    # Agreeing again later starts a new agreement; the history keeps all three rows.
    again = agree(person, Purpose.SHARE_PARTNER, partner=partner)
    assert consent_for(person, Purpose.SHARE_PARTNER, partner=partner) == again
    assert ConsentRecord.objects.filter(person=person).count() == 3


def test_the_page_marks_the_same_agreements_in_force_as_the_database(person, partner):
    photos = agree(person, Purpose.PHOTOS, on=TODAY - 30 * DAYS)
    services.consent_withdraw(record=photos, on=TODAY - 10 * DAYS, by=None)
    photos_again = agree(person, Purpose.PHOTOS, on=TODAY - 2 * DAYS)
    shared = agree(person, Purpose.SHARE_PARTNER, on=TODAY - 3 * DAYS, partner=partner)
    processing = agree(person, Purpose.PROCESSING, on=TODAY - 30 * DAYS)

    in_force = set(ConsentRecord.objects.filter(person=person).in_force())
    records = _mark_standing(list(person.consent_records.all()), TODAY)
    assert in_force == {photos_again, shared, processing}
    assert {r for r in records if r.in_force} == in_force


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"on": TODAY + DAYS}, "futur"),
        ({"purpose": Purpose.SHARE_PARTNER}, "Choisissez le partenaire concerné."),
        ({"purpose": Purpose.SHARE_KIND}, "Choisissez le type de partenaire concerné."),
    ],
)
def test_it_refuses_what_does_not_make_sense_in_french(person, kwargs, message):
    arguments = {"person": person, "purpose": Purpose.PHOTOS, "on": TODAY, "by": None, **kwargs}
    with pytest.raises(ValidationError) as refused:
        services.consent_record(**arguments)
    assert message in str(refused.value)
    assert not ConsentRecord.objects.exists()


def test_it_refuses_a_second_agreement_in_force_and_a_second_withdrawal(person):
    record = agree(person, Purpose.PHOTOS)
    with pytest.raises(ValidationError, match="déjà enregistré"):
        agree(person, Purpose.PHOTOS)
    services.consent_withdraw(record=record, on=TODAY, by=None)
    with pytest.raises(ValidationError, match="déjà retiré"):
        services.consent_withdraw(record=record, on=TODAY, by=None)
    with pytest.raises(ValidationError, match="précéder"):
        services.consent_withdraw(
            record=agree(person, Purpose.PROCESSING), on=TODAY - DAYS, by=None
        )


def test_it_refuses_a_partner_of_another_centre(person, other_centre):
    elsewhere = PartnerFactory(centre=other_centre)
    with pytest.raises(ValidationError, match="pas un partenaire du centre"):
        agree(person, Purpose.SHARE_PARTNER, partner=elsewhere)


def test_the_database_refuses_a_scope_that_does_not_fit_the_purpose(person, partner):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.create(
            centre=person.centre, person=person, purpose=Purpose.PHOTOS, partner=partner, on=TODAY
        )


def test_a_coordinator_records_and_withdraws_from_the_file_with_htmx(
    client_for, users, person, partner
):
    client = client_for("coordinator")
    response = client.post(
        reverse("consent:record", args=[person.pk]),
        {"purpose": "share_partner", "partner": partner.pk, "on": TODAY, "scope": "Son dossier"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="consentements"' in page and "<html" not in page
    assert "Accord enregistré : partage avec UDAF de la Moselle." in page
    record = ConsentRecord.objects.get()
    assert (record.by, record.on, record.scope) == (users["coordinator"], TODAY, "Son dossier")

    response = client.post(
        reverse("consent:withdraw", args=[record.pk]),
        {"on": TODAY},
        headers={"HX-Request": "true"},
    )
    assert "Retrait enregistré à compter du" in response.content.decode()
    assert not consent_for(person, Purpose.SHARE_PARTNER, partner=partner)

    history = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Retrait" in history and "Accord" in history
    assert history.count("UDAF de la Moselle") >= 2
    audited = AuditEvent.objects.filter(content_type__model="consentrecord")
    assert audited.count() == 2
    assert all(event.person_id == person.pk for event in audited)
    assert "Son dossier" not in str([event.changes for event in audited])


def test_a_bad_form_shows_french_errors_and_writes_nothing(client_for, person):
    client = client_for("coordinator")
    url = reverse("consent:record", args=[person.pk])
    response = client.post(url, {"purpose": "share_partner", "on": TODAY})
    assert response.status_code == 400
    assert "Choisissez le partenaire avec qui partager." in response.content.decode()
    htmx = client.post(url, {"purpose": "nope", "on": "hier"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200  # htmx swaps only 2xx answers
    assert "Sélectionnez un choix valide" in htmx.content.decode()
    assert not ConsentRecord.objects.exists()


def test_a_withdrawal_form_error_is_shown(client_for, person):
    record = agree(person, Purpose.PHOTOS, on=TODAY - 2 * DAYS)
    response = client_for("coordinator").post(
        reverse("consent:withdraw", args=[record.pk]), {"on": TODAY - 3 * DAYS}
    )
    assert response.status_code == 400
    assert "Le retrait ne peut pas précéder l&#x27;accord" in response.content.decode()
    assert ConsentRecord.objects.count() == 1


def test_a_record_of_another_centre_is_not_found(client_for, other_centre):
    elsewhere = agree(PersonFactory(centre=other_centre), Purpose.PHOTOS)
    response = client_for("coordinator").post(
        reverse("consent:withdraw", args=[elsewhere.pk]), {"on": TODAY}
    )
    assert response.status_code == 404
    assert ConsentRecord.objects.count() == 1
