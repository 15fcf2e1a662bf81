"""Consents of the demo people: the notice given at intake, most agree to the centre's
processing, about half to sharing with the partner that referred them, some RSA
beneficiaries to the bilan for their referent, some to photos, everyone whose
confidential section holds something to those sensitive data, and one person later
withdrew their photo consent. A person who has anything in the register already is
left untouched, so loading twice adds nothing."""

import datetime
import random

from django.db.models import Min
from django.utils import timezone

from parcours.accounts.models import User
from parcours.centres.enums import Role
from parcours.people.enums import Benefit, Direction
from parcours.people.models import ConfidentialNote, Person, Referral

from . import services
from .enums import Answer, Purpose
from .models import ConsentRecord, NoticeGiven

SEED = 1978  # the year of the French data protection act


def load(centre, today=None):
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (reproducible fiction, not security)
    coordinator = User.objects.filter(
        memberships__centre=centre, memberships__role=Role.COORDINATOR
    ).first()
    people = (
        Person.objects.of_centre(centre)
        .annotate(first_referral_on=Min("referrals__received_on"))
        .order_by("pk")
    )
    first_referrer = {}
    referrals = Referral.objects.of_centre(centre).filter(
        direction=Direction.IN, partner__isnull=False
    )
    for referral in referrals.select_related("partner").order_by("-received_on", "-pk"):
        first_referrer[referral.person_id] = referral.partner  # the earliest wins
    known = set(ConsentRecord.objects.of_centre(centre).values_list("person_id", flat=True))
    known |= set(NoticeGiven.objects.of_centre(centre).values_list("person_id", flat=True))
    noted = set(
        ConfidentialNote.objects.filter(person__centre=centre).values_list("person_id", flat=True)
    )
    withdrawals = ConsentRecord.objects.of_centre(centre).filter(answer=Answer.WITHDRAWN)
    withdrawal_left = not withdrawals.exists()
    for person in people:
        # Every person draws the same numbers on every load, recorded or not.
        draws = [rng.random() for _ in range(4)]
        if person.pk in known or person.first_referral_on is None:
            continue
        on = person.first_referral_on + datetime.timedelta(days=10)  # the intake
        if on > today:
            continue
        services.notice_give(person=person, given_on=on, by=coordinator)
        partner = first_referrer.get(person.pk)
        wanted = [
            (Purpose.PROCESSING, draws[0] < 0.9, {}),
            (
                Purpose.SHARE_PARTNER,
                partner is not None and draws[1] < 0.55,
                {"partner": partner, "scope": "Avec la structure qui l'a orientée."},
            ),
            (Purpose.RSA_BILAN, person.benefit == Benefit.RSA and draws[2] < 0.5, {}),
            (Purpose.PHOTOS, draws[3] < 0.35, {}),
            (Purpose.SENSITIVE, person.pk in noted, {}),
        ]
        for purpose, agreed, extra in wanted:
            if not agreed:
                continue
            record = services.consent_record(
                person=person, purpose=purpose, on=on, by=coordinator, **extra
            )
            withdrawn_on = on + datetime.timedelta(days=60)
            if purpose == Purpose.PHOTOS and withdrawal_left and withdrawn_on <= today:
                services.consent_withdraw(record=record, on=withdrawn_on, by=coordinator)
                withdrawal_left = False
