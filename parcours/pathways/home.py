"""What the coordinator's home page shows of the pathways domain."""

import datetime

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from parcours.workshops.enums import Presence

from .enums import AppointmentStatus
from .models import Appointment, Pathway

SILENCE_DAYS = 60


def appointments_today(centre):
    today = timezone.localdate()
    return (
        Appointment.objects.of_centre(centre)
        .current()
        .filter(starts_at__date=today)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("person")
        .order_by("starts_at")
    )


def silent_pathways(centre, today=None):
    """Open pathways with neither a held appointment nor a presence at a workshop for
    SILENCE_DAYS days: someone the centre may be losing."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=SILENCE_DAYS)
    last_appointment = (
        Appointment.objects.filter(person=OuterRef("person"), status=AppointmentStatus.HELD)
        .values("person")
        .annotate(last=Max("starts_at__date"))
        .values("last")
    )
    from parcours.workshops.models import Attendance  # workshops build on people

    last_presence = (
        Attendance.objects.filter(person=OuterRef("person"), presence=Presence.PRESENT)
        .values("person")
        .annotate(last=Max("session__date"))
        .values("last")
    )
    return (
        Pathway.objects.of_centre(centre)
        .current()
        .filter(ended_on__isnull=True, started_on__lte=since)
        .annotate(
            last_appointment=Subquery(last_appointment), last_presence=Subquery(last_presence)
        )
        .filter(Q(last_appointment__isnull=True) | Q(last_appointment__lt=since))
        .filter(Q(last_presence__isnull=True) | Q(last_presence__lt=since))
        .select_related("person")
        .order_by("started_on")
    )
