"""Relays: the centre refers a person to a partner and keeps the relay alive.

A relay is an outgoing `Referral` (direction `out`); its states and their log rows are
the referral state machine's (see `Referral.TRANSITIONS`, `people.services.referral_move`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone

from parcours.consent.enums import Purpose
from parcours.consent.models import consent_or_override
from parcours.consent.services import override_record
from parcours.people.enums import OPEN_RELAY_STATUSES, Direction, ReferralStatus
from parcours.people.models import Referral, ReferralEvent
from parcours.people.services import referral_move


def no_consent(partner):
    return (
        f"La personne n'a pas donné son accord au partage d'informations avec "
        f"« {partner} » (ni avec les structures de type « {partner.get_kind_display()} ») : "
        "un relais lui fait connaître au moins son nom et sa situation. Enregistrez d'abord "
        "son accord dans la section « Consentements » de son dossier. Si le relais "
        "s'impose sans son accord (obligation légale, danger), indiquez le motif de la "
        "dérogation."
    )


def relays_of_centre(centre):
    return Referral.objects.of_centre(centre).current().filter(direction=Direction.OUT)


@transaction.atomic
def relay_send(
    *, person, partner, contact, reason, shared_information, follow_up_on, by, override_reason=""
):
    """Refer `person` to `partner`. A relay tells the partner about the person (their
    name and why, at the least), so it needs the person's consent to share with that
    partner (named, or its kind), unless a coordinator overrides it with a reason
    (`override_reason`, recorded and audited with the relay)."""
    if partner.centre_id != person.centre_id:
        raise ValidationError({"partner": "Cette structure n'est pas un partenaire du centre."})
    if contact is not None and contact.partner_id != partner.pk:
        raise ValidationError(
            {"contact": "Ce professionnel ne travaille pas pour la structure choisie."}
        )
    if not consent_or_override(person, Purpose.SHARE_PARTNER, partner):
        if not override_reason.strip():
            raise ValidationError({"partner": no_consent(partner)})
        override_record(
            person=person,
            purpose=Purpose.SHARE_PARTNER,
            partner=partner,
            reason=override_reason,
            by=by,
        )
    relay = Referral.objects.create(
        centre_id=person.centre_id,
        person=person,
        direction=Direction.OUT,
        partner=partner,
        contact=contact,
        received_on=timezone.localdate(),  # for a relay, the day it was sent
        reason=reason,
        shared_information=shared_information,
        follow_up_on=follow_up_on,
        status=ReferralStatus.SENT,
    )
    ReferralEvent.objects.create(referral=relay, to_status=ReferralStatus.SENT, by=by)
    return relay


@transaction.atomic
def relay_move(*, relay, status, note, by):
    """Record the partner's answer: accepted, person seen, refused or no answer. The
    relay is decided (and no longer followed up) once it leaves the open states."""
    if relay.direction != Direction.OUT:
        raise ValidationError("Seul un relais vers un partenaire passe par ces étapes.")
    decision = {}
    if status not in OPEN_RELAY_STATUSES:
        decision = {"decided_on": timezone.localdate(), "decision_reason": note}
    return referral_move(referral=relay, to_status=status, by=by, note=note, **decision)


def is_overdue(relay, today=None):
    """Still waiting for news after its follow-up date (see `overdue_relays`)."""
    today = today or timezone.localdate()
    return (
        relay.status in OPEN_RELAY_STATUSES
        and relay.follow_up_on is not None
        and relay.follow_up_on < today
    )


def overdue_relays(centre, today=None):
    """Relays still waiting for news (sent or accepted) whose follow-up date is before
    `today`, oldest first, with their person and partner: one query."""
    today = today or timezone.localdate()
    return (
        relays_of_centre(centre)
        .filter(status__in=OPEN_RELAY_STATUSES, follow_up_on__lt=today)
        .select_related("person", "partner")
        .order_by("follow_up_on", "pk")
    )


def relays_for_list(centre, today=None):
    """All the centre's relays: open ones first, the most urgent follow-up first, then
    the decided ones, newest first. `is_overdue` flags the open ones to chase."""
    today = today or timezone.localdate()
    is_open = Q(status__in=OPEN_RELAY_STATUSES)
    return (
        relays_of_centre(centre)
        .select_related("person", "partner", "contact")
        .annotate(
            is_overdue=ExpressionWrapper(
                is_open & Q(follow_up_on__lt=today), output_field=BooleanField()
            ),
            open_rank=Case(When(is_open, then=Value(0)), default=Value(1)),
            open_follow_up=Case(When(is_open, then=F("follow_up_on"))),
        )
        .order_by("open_rank", F("open_follow_up").asc(nulls_last=True), "-received_on", "-pk")
    )
