"""What the home pages show of the workshops domain."""

from django.utils import timezone

from .enums import SessionStatus
from .models import Session


def sessions_today(centre, user=None):
    """Today's sessions of the centre, or only those of the workshops `user` runs."""
    sessions = Session.objects.of_centre(centre).filter(date=timezone.localdate())
    if user is not None:
        sessions = sessions.run_by(user)
    return (
        sessions.exclude(status=SessionStatus.CANCELLED)
        .select_related("workshop", "place", "workshop__place")
        .order_by("starts_at")
    )


def missing_attendance_count(centre, user=None):
    sessions = Session.objects.of_centre(centre).missing_attendance(timezone.localdate())
    if user is not None:
        sessions = sessions.run_by(user)
    return sessions.count()
