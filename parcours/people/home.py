"""What the coordinator's home page shows of the people domain."""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from parcours.consent.models import shared_with_referrer

from .enums import OPEN_REFERRAL_STATUSES, Direction, ReferralStatus
from .models import Referral


def open_referrals(centre):
    """Referrals still waiting for a decision, oldest first (they have waited longest)."""
    return (
        Referral.objects.of_centre(centre)
        .current()
        .filter(direction=Direction.IN, status__in=OPEN_REFERRAL_STATUSES)
        .select_related("person", "partner")
        .order_by("received_on", "pk")[:10]
    )


def with_partner_view(people, user):
    """Annotate the people a partner worker referred with the state of that worker's
    latest referral, the one thing about them that is theirs to follow, and whether
    they agreed to share more with that worker's structure."""
    theirs = Referral.objects.filter(
        person=OuterRef("pk"), direction=Direction.IN, referrer_user=user
    ).order_by("-received_on", "-pk")
    return people.annotate(
        my_referral_status=Subquery(theirs.values("status")[:1]),
        # Whether the person agreed to share with that worker's structure.
        shared_with_me=shared_with_referrer(user),
    )


def label_partner_view(people):
    """Name each annotated referral state in French, for display."""
    people = list(people)
    for person in people:
        status = person.my_referral_status
        person.my_referral_label = ReferralStatus(status).label if status else ""
    return people


def upcoming_intakes(centre, days=7):
    now = timezone.now()
    return (
        Referral.objects.of_centre(centre)
        .current()
        .filter(
            status=ReferralStatus.INTAKE_PLANNED,
            intake_on__gte=now - datetime.timedelta(hours=2),
            intake_on__lte=now + datetime.timedelta(days=days),
        )
        .select_related("person")
        .order_by("intake_on")
    )
