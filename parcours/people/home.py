"""What the coordinator's home page shows of the people domain."""

import datetime

from django.utils import timezone

from .enums import Direction, ReferralStatus
from .models import Referral

OPEN = [ReferralStatus.RECEIVED, ReferralStatus.INTAKE_PLANNED, ReferralStatus.NO_SHOW]


def open_referrals(centre):
    """Referrals still waiting for a decision, oldest first (they have waited longest)."""
    return (
        Referral.objects.of_centre(centre)
        .filter(direction=Direction.IN, status__in=OPEN)
        .select_related("person", "partner")
        .order_by("received_on", "pk")[:10]
    )


def upcoming_intakes(centre, days=7):
    now = timezone.now()
    return (
        Referral.objects.of_centre(centre)
        .filter(
            status=ReferralStatus.INTAKE_PLANNED,
            intake_on__gte=now - datetime.timedelta(hours=2),
            intake_on__lte=now + datetime.timedelta(days=days),
        )
        .select_related("person")
        .order_by("intake_on")
    )
