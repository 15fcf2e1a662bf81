import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours import policy
from parcours.accounts.models import User

from .calendar import CentreCalendar, days_between
from .enums import EnrolmentStatus, Presence, SessionStatus
from .models import Attendance, CalendarFeed, Enrolment, Session, Workshop

# Why the first person waiting got a place: the reason of their enrolment's log row
# (the data generator writes the same).
PROMOTION_REASON = "Place libérée : sortie de liste d'attente."


@dataclass
class PlanningResult:
    created: int = 0
    already_planned: int = 0
    skipped: list = field(default_factory=list)  # (date, workshop, reason)
    school_calendar_known_until: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def school_calendar_incomplete(self):
        known = self.school_calendar_known_until
        return known is None or known < self.end


@transaction.atomic
def sessions_plan(*, centre, start, end):
    """Create the sessions of the weekly timetable between `start` and `end`.

    Idempotent: a slot's session for a given day is created once, ever; sessions that
    exist (moved, cancelled, recorded) are never touched. Public holidays (Moselle's
    included), the centre's closures and, for workshops that stop then, the school
    holidays of the centre's zone are skipped.
    """
    if end < start:
        raise ValidationError("La fin de la période doit suivre son début.")
    if (end - start).days > 800:
        raise ValidationError("Planifiez au plus deux ans à la fois.")
    calendar = CentreCalendar.for_centre(centre, start, end)
    result = PlanningResult(
        school_calendar_known_until=calendar.school_calendar_known_until, end=end
    )
    workshops = Workshop.objects.of_centre(centre).filter(is_active=True)
    for workshop in workshops.prefetch_related("slots"):
        slots = list(workshop.slots.all())
        if not slots:
            continue
        existing = set(
            Session.objects.filter(slot__in=slots, planned_date__range=(start, end)).values_list(
                "slot_id", "planned_date"
            )
        )
        for day in days_between(start, end):
            for slot in slots:
                if slot.weekday != day.weekday():
                    continue
                if (slot.pk, day) in existing:
                    result.already_planned += 1
                    continue
                reason = calendar.why_closed(
                    day, runs_in_school_holidays=workshop.runs_in_school_holidays
                )
                if reason:
                    result.skipped.append((day, workshop, reason))
                    continue
                Session.objects.create(
                    centre=centre,
                    workshop=workshop,
                    date=day,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    slot=slot,
                    planned_date=day,
                )
                result.created += 1
    return result


def session_move(*, session, date, starts_at, ends_at, place):
    session.date, session.starts_at, session.ends_at, session.place = (
        date,
        starts_at,
        ends_at,
        place,
    )
    session.edited = True
    session.save()
    return session


@transaction.atomic
def session_cancel(*, session, reason, by):
    if not reason.strip():
        raise ValidationError("Indiquez pourquoi la séance est annulée.")
    if session.attendances.filter(presence=Presence.PRESENT).exists():
        raise ValidationError("Des présences sont notées pour cette séance : elle a eu lieu.")
    session.move_to(SessionStatus.CANCELLED, by=by, reason=reason)
    session.cancel_reason = reason
    session.edited = True
    session.save()
    return session


@transaction.atomic
def enrolment_create(*, workshop, person, starts_on):
    """Enrol `person`, or put them on the waiting list when the workshop is full."""
    if (
        Enrolment.objects.filter(workshop=workshop, person=person)
        .exclude(status=EnrolmentStatus.ENDED)
        .exists()
    ):
        raise ValidationError("Cette personne est déjà inscrite, ou en attente, à cet atelier.")
    # Lock the workshop so that two enrolments at once cannot both take the last place.
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    status = EnrolmentStatus.ACTIVE if workshop.has_room() else EnrolmentStatus.WAITING
    return Enrolment.objects.create(
        workshop=workshop, person=person, starts_on=starts_on, status=status
    )


@transaction.atomic
def enrolment_end(*, enrolment, ends_on, by):
    """End an enrolment; the first person waiting, if any, takes the freed place (a
    promotion logged as made by `by` too). `by` is None when no one asked (archiving)."""
    if enrolment.status == EnrolmentStatus.ENDED:
        return None  # already ended: its end date stays
    was_active = enrolment.status == EnrolmentStatus.ACTIVE
    enrolment.move_to(EnrolmentStatus.ENDED, by=by)
    enrolment.ends_on = ends_on
    enrolment.save()
    if was_active:
        waiting = (
            Enrolment.objects.filter(workshop=enrolment.workshop, status=EnrolmentStatus.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if waiting and enrolment.workshop.has_room():
            waiting.move_to(EnrolmentStatus.ACTIVE, by=by, reason=PROMOTION_REASON)
            waiting.starts_on = max(ends_on, waiting.starts_on)
            waiting.save()
            return waiting
    return None


@transaction.atomic
def attendance_mark(*, session, person, presence, by, walk_in=False):
    """Record one person's presence at a session; the session is then held."""
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("La séance est annulée : on n'y note pas de présence.")
    if session.date > timezone.localdate():
        raise ValidationError("La séance n'a pas encore eu lieu.")
    attendance, created = Attendance.objects.get_or_create(
        session=session,
        person=person,
        defaults={"presence": presence, "walk_in": walk_in, "recorded_by": by},
    )
    if not created and attendance.presence != presence:
        attendance.presence = presence
        attendance.recorded_by = by
        attendance.save()
    if session.status != SessionStatus.HELD or session.attendance_recorded_at is None:
        if session.status != SessionStatus.HELD:
            session.move_to(SessionStatus.HELD, by=by)
        session.attendance_recorded_at = timezone.now()
        session.save(update_fields=["status", "attendance_recorded_at"])
    return attendance


@transaction.atomic
def calendar_feeds_revoke_unseen(*, owner):
    """Revoke `owner`'s own calendar feeds in each centre whose workshops they may no
    longer view (`policy.can_view_workshops`): the account is disabled, their new role
    shows no workshops, or they left the team. A feed is read without a session, so no
    logout ends it. A workshop's feed belongs to the centre, not to whoever created it:
    its coordinator revokes it from the feeds page."""
    # The roles as saved now, not those the caller's instance may have cached.
    owner = User.objects.get(pk=owner.pk)
    now = timezone.now()
    for feed in CalendarFeed.objects.live().filter(owner=owner):
        if not policy.can_view_workshops(owner, feed.centre_id):
            feed.revoke(now)
