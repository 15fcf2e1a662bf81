import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.consent import services as consent_services
from parcours.consent.enums import Purpose
from parcours.consent.models import ConsentOverride
from parcours.partners.enums import PartnerKind
from parcours.pathways import relays
from parcours.people.enums import Direction, ReferralStatus
from parcours.people.models import Referral

from ..partners.factories import PartnerContactFactory, PartnerFactory
from ..people.factories import PersonFactory, agreed_to_share

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture
def person(centre):
    return PersonFactory(centre=centre, last_name="Garnier", first_name="Inès")


@pytest.fixture
def partner(centre):
    return PartnerFactory(centre=centre, name="CMP de Thionville")


def send(person, partner, *, follow_up_on=TODAY, shared_information="", by=None, agreed=True):
    """A relay of `person` to `partner`; unless `agreed` is False, the person first
    agrees to share with that partner (a relay needs it, see the consent tests below)."""
    if agreed:
        agreed_to_share(person, partner)
    return relays.relay_send(
        person=person,
        partner=partner,
        contact=None,
        reason="Souhaite un suivi psychologique.",
        shared_information=shared_information,
        follow_up_on=follow_up_on,
        by=by,
    )


def relay_data(partner, **extra):
    follow_up_on = timezone.localdate() + datetime.timedelta(days=10)
    return {
        "partner": partner.pk,
        "reason": "Souhaite un suivi psychologique.",
        "follow_up_on": follow_up_on.isoformat(),
        **extra,
    }


def test_it_sends_a_relay_then_records_the_partners_answers(client_for, users, person, partner):
    agree(person, Purpose.SHARE_PARTNER, partner=partner)
    client = client_for("coordinator")
    contact = PartnerContactFactory(partner=partner)
    response = client.post(
        reverse("pathways:relay_create", args=[person.pk]),
        relay_data(partner, contact=contact.pk),
    )
    relay = Referral.objects.get(direction=Direction.OUT)
    assert response.url == reverse("pathways:relay", args=[relay.pk])
    assert (relay.person, relay.partner, relay.contact) == (person, partner, contact)
    assert relay.status == ReferralStatus.SENT and relay.decided_on is None

    move = reverse("pathways:relay_move", args=[relay.pk])
    client.post(move, {"status": "accepted", "note": "Rendez-vous le 2 décembre."})
    relay.refresh_from_db()
    assert relay.status == ReferralStatus.ACCEPTED and relay.decided_on is None
    client.post(move, {"status": "seen", "note": "Suivi mis en place."})
    relay.refresh_from_db()
    assert relay.status == ReferralStatus.SEEN
    assert relay.decided_on == timezone.localdate()
    assert relay.decision_reason == "Suivi mis en place."
    steps = [(e.from_status, e.to_status, e.by, e.note) for e in relay.events.all()]
    coordinator = users["coordinator"]
    assert steps == [
        ("", ReferralStatus.SENT, coordinator, ""),
        (ReferralStatus.SENT, ReferralStatus.ACCEPTED, coordinator, "Rendez-vous le 2 décembre."),
        (ReferralStatus.ACCEPTED, ReferralStatus.SEEN, coordinator, "Suivi mis en place."),
    ]
    page = client.get(reverse("pathways:relay", args=[relay.pk])).content.decode()
    assert "Rendez-vous le 2 décembre." in page
    assert "Nouvelles du partenaire" not in page  # a decided relay has no next step


def test_it_asks_for_the_structure_without_saying_to_leave_it_empty(client_for, person):
    page = client_for("coordinator").get(reverse("pathways:relay_create", args=[person.pk]))
    html = page.content.decode()
    assert "La structure qui reçoit la personne." in html
    assert "aisser vide" not in html
    assert f'hx-get="{reverse("pathways:relay_contacts")}"' in html


def test_the_contact_list_follows_the_chosen_structure(client_for, centre, person, partner):
    from ..factories import CentreFactory

    mine = PartnerContactFactory(partner=partner, last_name="Schmitt")
    PartnerContactFactory(partner=PartnerFactory(centre=centre), last_name="Weber")
    theirs = PartnerContactFactory(partner=PartnerFactory(centre=CentreFactory()))
    client = client_for("coordinator")
    url = reverse("pathways:relay_contacts")
    html = client.get(url, {"partner": partner.pk}).content.decode()
    assert "Schmitt" in html and "Weber" not in html
    assert f'value="{mine.pk}"' in html
    # Another centre's structure, or none: only « Non précisé ».
    for value in (theirs.partner_id, "", "x"):
        html = client.get(url, {"partner": value}).content.decode()
        assert html.count("<option") == 1 and "Non précisé" in html


def test_it_refuses_a_move_the_state_machine_forbids(client_for, person, partner):
    relay = send(person, partner)
    relays.relay_move(relay=relay, status=ReferralStatus.REFUSED, note="Pas de place.", by=None)
    with pytest.raises(ValidationError) as refused:
        relays.relay_move(relay=relay, status=ReferralStatus.ACCEPTED, note="", by=None)
    assert "ne peut pas passer à « Accepté par le partenaire »" in refused.value.messages[0]

    response = client_for("coordinator").post(
        reverse("pathways:relay_move", args=[relay.pk]), {"status": "accepted", "note": ""}
    )
    assert response.status_code == 400
    assert "Un relais « Refusé » ne peut pas passer à cet état." in response.content.decode()
    relay.refresh_from_db()
    assert relay.status == ReferralStatus.REFUSED
    assert relay.events.count() == 2


def test_it_keeps_incoming_referrals_out_of_the_relay_pages(client_for, referred):
    client = client_for("coordinator")
    assert client.get(reverse("pathways:relay", args=[referred.pk])).status_code == 404
    with pytest.raises(ValidationError):
        relays.relay_move(relay=referred, status=ReferralStatus.ACCEPTED, note="", by=None)


def test_it_shares_nothing_without_the_persons_consent(client_for, person, partner):
    response = client_for("coordinator").post(
        reverse("pathways:relay_create", args=[person.pk]),
        relay_data(partner, shared_information="Suivi CMP en 2024."),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La personne n&#x27;a pas donné son accord au partage d&#x27;informations avec" in page
    assert "motif de la dérogation" in page
    assert response.context["form"].has_error("partner")
    assert not Referral.objects.filter(direction=Direction.OUT).exists()
    with pytest.raises(ValidationError):
        send(person, partner, shared_information="Suivi CMP en 2024.", agreed=False)


def test_even_a_relay_that_passes_nothing_on_needs_the_persons_consent(person, partner):
    # The partner learns the person's name and why they come, at the least.
    with pytest.raises(ValidationError) as error:
        send(person, partner, shared_information="  ", agreed=False)
    assert "partner" in error.value.message_dict
    assert not Referral.objects.exists()


def agree(person, purpose, **scope):
    return consent_services.consent_record(
        person=person, purpose=purpose, on=timezone.localdate(), by=None, **scope
    )


def test_it_shares_what_the_person_agreed_to(client_for, person, partner):
    agree(person, Purpose.SHARE_PARTNER, partner=partner, scope="La situation familiale.")
    client = client_for("coordinator")
    form_page = client.get(reverse("pathways:relay_create", args=[person.pk]))
    assert "La situation familiale." in form_page.content.decode()
    client.post(
        reverse("pathways:relay_create", args=[person.pk]),
        relay_data(partner, shared_information="Mère isolée de deux enfants."),
    )
    relay = Referral.objects.get(direction=Direction.OUT)
    assert relay.shared_information == "Mère isolée de deux enfants."


def test_a_consent_for_the_kind_of_partner_is_enough(person, partner):
    agree(person, Purpose.SHARE_KIND, partner_kind=partner.kind)
    assert send(person, partner, shared_information="Situation familiale.", agreed=False).pk


def test_a_consent_for_another_partner_is_not_enough(centre, person, partner):
    other = PartnerFactory(centre=centre, name="CCAS de Thionville", kind=PartnerKind.CCAS)
    agree(person, Purpose.SHARE_PARTNER, partner=other)
    assert partner.kind != PartnerKind.CCAS
    with pytest.raises(ValidationError):
        send(person, partner, shared_information="Situation familiale.", agreed=False)


def test_a_withdrawn_consent_blocks_the_relay_from_its_date(person, partner):
    record = consent_services.consent_record(
        person=person,
        purpose=Purpose.SHARE_PARTNER,
        partner=partner,
        on=timezone.localdate() - datetime.timedelta(days=10),
        by=None,
    )
    consent_services.consent_withdraw(record=record, on=timezone.localdate(), by=None)
    with pytest.raises(ValidationError):
        send(person, partner, shared_information="Situation familiale.", agreed=False)


def test_a_coordinator_overrides_with_a_reason_and_it_is_audited(
    client_for, users, person, partner
):
    response = client_for("coordinator").post(
        reverse("pathways:relay_create", args=[person.pk]),
        relay_data(
            partner,
            shared_information="Propos suicidaires.",
            override_reason="Danger grave et immédiat pour la personne.",
        ),
    )
    relay = Referral.objects.get(direction=Direction.OUT)
    assert response.url == reverse("pathways:relay", args=[relay.pk])
    override = ConsentOverride.objects.get()
    assert (override.person, override.partner, override.by) == (
        person,
        partner,
        users["coordinator"],
    )
    assert override.purpose == Purpose.SHARE_PARTNER
    event = AuditEvent.objects.get(content_type__model="consentoverride")
    assert event.action == AuditEvent.Action.CREATE
    assert event.person_id == person.pk and event.centre == person.centre
    assert "Danger grave" not in str(event.changes)
    # The history of the person's file shows it, reason included.
    page = client_for("coordinator").get(reverse("people:detail", args=[person.pk]))
    assert "Danger grave et immédiat pour la personne." in page.content.decode()


def test_it_refuses_a_past_follow_up_date(client_for, person, partner):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for("coordinator").post(
        reverse("pathways:relay_create", args=[person.pk]),
        relay_data(partner, follow_up_on=yesterday.isoformat()),
    )
    assert response.context["form"].errors["follow_up_on"] == [
        "La date de relance ne peut pas être passée."
    ]
    assert not Referral.objects.filter(direction=Direction.OUT).exists()


def test_it_refuses_a_contact_of_another_partner(client_for, person, partner):
    elsewhere = PartnerContactFactory(partner=PartnerFactory(centre=partner.centre))
    response = client_for("coordinator").post(
        reverse("pathways:relay_create", args=[person.pk]),
        relay_data(partner, contact=elsewhere.pk),
    )
    assert response.context["form"].errors["contact"] == [
        "Ce professionnel ne travaille pas pour la structure choisie."
    ]
    assert not Referral.objects.filter(direction=Direction.OUT).exists()


def test_it_lists_overdue_relays_oldest_first_in_one_query(
    django_assert_num_queries, centre, other_centre, person, partner
):
    late = send(person, partner, follow_up_on=TODAY - datetime.timedelta(days=3))
    later = send(person, partner, follow_up_on=TODAY - datetime.timedelta(days=10))
    accepted = send(person, partner, follow_up_on=TODAY - datetime.timedelta(days=1))
    relays.relay_move(relay=accepted, status=ReferralStatus.ACCEPTED, note="", by=None)
    send(person, partner, follow_up_on=TODAY)  # due today: not late yet
    seen = send(person, partner, follow_up_on=TODAY - datetime.timedelta(days=5))
    relays.relay_move(relay=seen, status=ReferralStatus.SEEN, note="", by=None)
    elsewhere = PersonFactory(centre=other_centre)
    send(elsewhere, PartnerFactory(centre=other_centre), follow_up_on=TODAY.replace(day=1))

    with django_assert_num_queries(1):
        found = [
            (r.pk, str(r.person), str(r.partner)) for r in relays.overdue_relays(centre, TODAY)
        ]
    assert found == [
        (later.pk, str(person), str(partner)),
        (late.pk, str(person), str(partner)),
        (accepted.pk, str(person), str(partner)),
    ]
    assert relays.is_overdue(late, TODAY) and not relays.is_overdue(seen, TODAY)


def test_it_lists_open_relays_first_and_flags_the_overdue_ones(client_for, person, partner):
    today = timezone.localdate()
    done = send(person, partner, follow_up_on=today - datetime.timedelta(days=20))
    relays.relay_move(relay=done, status=ReferralStatus.NO_ANSWER, note="", by=None)
    upcoming = send(person, partner, follow_up_on=today + datetime.timedelta(days=5))
    late = send(person, partner, follow_up_on=today - datetime.timedelta(days=2))

    response = client_for("coordinator").get(reverse("pathways:relays"))
    listed = list(response.context["page"])
    assert listed == [late, upcoming, done]
    assert [relay.is_overdue for relay in listed] == [True, False, False]
    assert response.content.decode().count("Relance en retard") == 1


def _count_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("pathways:relays")).status_code == 200
    return len(queries)


def test_it_lists_relays_in_a_constant_number_of_queries(client_for, centre, partner):
    client = client_for("coordinator")
    for _ in range(2):
        send(PersonFactory(centre=centre), PartnerFactory(centre=centre))
    with_two = _count_list_queries(client)
    for _ in range(18):
        relay = send(PersonFactory(centre=centre), partner)
        relay.contact = PartnerContactFactory(partner=partner)
        relay.save()
    assert _count_list_queries(client) == with_two


def test_it_audits_every_read_of_a_relay(client_for, person, partner):
    relay = send(person, partner)
    client_for("coordinator").get(reverse("pathways:relay", args=[relay.pk]))
    reads = AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS, content_type__model="person", object_pk=str(person.pk)
    )
    assert [event.additional_data for event in reads] == [{"section": "relais"}]


@pytest.mark.parametrize("actor", ["facilitator", "director", "partner_worker", "admin"])
def test_it_is_for_the_coordinator_only(client_for, person, partner, actor):
    relay = send(person, partner)
    client = client_for(actor)
    assert client.get(reverse("pathways:relays")).status_code == 403
    assert client.get(reverse("pathways:relay", args=[relay.pk])).status_code == 403
    assert client.get(reverse("pathways:relay_create", args=[person.pk])).status_code == 403
    move = client.post(reverse("pathways:relay_move", args=[relay.pk]), {"status": "accepted"})
    assert move.status_code == 403


def test_it_finds_no_relay_of_another_centre(client_for, person, partner):
    relay = send(person, partner)
    client = client_for("outsider")
    assert client.get(reverse("pathways:relay", args=[relay.pk])).status_code == 404
    assert client.get(reverse("pathways:relay_create", args=[person.pk])).status_code == 404
    move = client.post(reverse("pathways:relay_move", args=[relay.pk]), {"status": "accepted"})
    assert move.status_code == 404
    assert list(client.get(reverse("pathways:relays")).context["page"]) == []
