"""Overrides: a coordinator passes information on without consent, with a reason,
audited, shown in the person's history, valid on the day only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.audit.registry import MASKED
from parcours.consent import services
from parcours.consent.enums import Purpose
from parcours.consent.models import ConsentOverride, consent_or_override

from ..partners.factories import PartnerFactory
from ..people.factories import PersonFactory


@pytest.fixture
def person(centre):
    return PersonFactory(centre=centre, last_name="Garnier", first_name="Inès")


def test_an_override_needs_a_reason(client_for, person, users):
    with pytest.raises(ValidationError, match="Indiquez le motif"):
        services.override_record(
            person=person, purpose=Purpose.RSA_BILAN, reason="   ", by=users["coordinator"]
        )
    response = client_for("coordinator").post(
        reverse("consent:override", args=[person.pk]), {"purpose": "rsa_bilan", "reason": " "}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ConsentOverride.objects.exists()


def test_an_override_is_audited_with_its_reason_masked_and_shown_in_the_history(
    client_for, person, users
):
    client = client_for("coordinator")
    bilan = "/parcours/1/bilan.pdf?du=2026-01-01"
    response = client.post(
        reverse("consent:override", args=[person.pk]),
        {"purpose": "rsa_bilan", "reason": "Exigé pour le renouvellement du RSA.", "suite": bilan},
    )
    assert response.url == bilan
    override = ConsentOverride.objects.get()
    assert (override.person, override.by) == (person, users["coordinator"])

    event = AuditEvent.objects.get(content_type__model="consentoverride")
    assert (event.action, event.person_id, event.centre) == (
        AuditEvent.Action.CREATE,
        person.pk,
        person.centre,
    )
    assert "renouvellement" not in str(event.changes) + event.object_repr
    assert MASKED in str(event.changes)

    history = client.get(reverse("consent:person", args=[person.pk])).content.decode()
    assert "Exigé pour le renouvellement du RSA." in history
    assert "Bilan de parcours au référent RSA, sans accord de la personne" in history


def test_it_goes_back_only_to_a_page_of_the_app(client_for, person):
    response = client_for("coordinator").post(
        reverse("consent:override", args=[person.pk]),
        {"purpose": "rsa_bilan", "reason": "Danger.", "suite": "https://ailleurs.example/"},
    )
    assert response.url == reverse("consent:person", args=[person.pk])


def test_sharing_overrides_name_the_partner(client_for, person, centre):
    response = client_for("coordinator").post(
        reverse("consent:override", args=[person.pk]), {"purpose": "share_partner", "reason": "X"}
    )
    assert "Choisissez le partenaire à qui transmettre." in response.content.decode()
    partner = PartnerFactory(centre=centre)
    form = client_for("coordinator").get(
        reverse("consent:override", args=[person.pk]),
        {"objet": "share_partner", "partenaire": partner.pk},
    )
    assert form.context["form"].initial == {"purpose": "share_partner", "partner": str(partner.pk)}


def test_an_override_holds_on_its_day_only(person, users):
    override = services.override_record(
        person=person, purpose=Purpose.RSA_BILAN, reason="Danger.", by=users["coordinator"]
    )
    today = timezone.localdate()
    assert consent_or_override(person, Purpose.RSA_BILAN) == override
    assert consent_or_override(person, Purpose.RSA_BILAN, on=today + datetime.timedelta(1)) is None
    assert consent_or_override(person, Purpose.PHOTOS) is None


@pytest.mark.parametrize("actor", ["facilitator", "partner_worker", "director", "admin"])
def test_only_the_coordinator_overrides(client_for, person, actor):
    response = client_for(actor).post(
        reverse("consent:override", args=[person.pk]), {"purpose": "rsa_bilan", "reason": "X"}
    )
    assert response.status_code == 403
    assert not ConsentOverride.objects.exists()
