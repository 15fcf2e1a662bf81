"""Workshop figures for a period: what funders ask for, reused by the annual report.

A session is "in the period" when its date lies between `start` and `end`, both
included. Per workshop, and in a total row over all the centre's workshops:

- planned: every session in the period, whatever became of it (held, cancelled, or
  still "planned" because nobody recorded its attendance);
- held: sessions in the period in the "held" state (their attendance was recorded);
- cancelled: sessions in the period in the "cancelled" state;
- attendances: "present" marks at the period's sessions, walk-ins included: one person
  present at one session is one attendance;
- participants: distinct people with at least one "present" mark at the period's
  sessions, walk-ins included. In the total row a person counts once, however many
  workshops they attended;
- hours: the sum over "present" marks of their session's length (end − start, to the
  minute), in hours rounded to 2 decimals: 4 people present at a 14:30–15:45 session
  make 5.00 hours;
- attendance rate: the "present" marks of enrolled people divided by all marks of
  enrolled people (present, absent or excused), as a percentage rounded to 1 decimal.
  Walk-ins are left out of both, so the rate never exceeds 100 %. None when no
  enrolled person was expected;
- yearly target (workshops with a `yearly_target` only): sessions held in the calendar
  year of `end` (1 January to 31 December) against that target.

Marks at a cancelled session are ignored (nobody was expected there). Every figure is
an aggregate computed by the database; the number of queries does not depend on the
number of workshops, sessions or people.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractHour, ExtractMinute

from .enums import Presence, SessionStatus
from .models import Attendance, Session, Workshop

PRESENT = Q(presence=Presence.PRESENT)
ENROLLED = Q(walk_in=False)


def _minutes(field):
    return ExtractHour(field) * 60 + ExtractMinute(field)


# The same expressions give the per-workshop rows (values().annotate()) and the total
# row (aggregate()), so that the two always agree.
SESSION_FIGURES = {
    "planned": Count("pk"),
    "held": Count("pk", filter=Q(status=SessionStatus.HELD)),
    "cancelled": Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
}
MARK_FIGURES = {
    "attendances": Count("pk", filter=PRESENT),
    "participants": Count("person", distinct=True, filter=PRESENT),
    # Hours and minutes rather than time arithmetic: subtracting times is written
    # differently by each database, extracting them is not.
    "present_minutes": Sum(
        _minutes(F("session__ends_at")) - _minutes(F("session__starts_at")), filter=PRESENT
    ),
    "expected_marks": Count("pk", filter=ENROLLED),
    "present_expected_marks": Count("pk", filter=PRESENT & ENROLLED),
}


@dataclass(frozen=True)
class FigureRow:
    """The figures of one workshop, or of all of them when `workshop` is None."""

    workshop: Workshop | None = None
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    attendances: int = 0
    participants: int = 0
    present_minutes: int = 0
    expected_marks: int = 0
    present_expected_marks: int = 0
    yearly_target: int | None = None
    held_in_year: int | None = None

    @property
    def hours(self):
        return (Decimal(self.present_minutes or 0) / 60).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def rate(self):
        """Attendance rate in percent, or None when nobody enrolled was expected."""
        if not self.expected_marks:
            return None
        return (Decimal(self.present_expected_marks * 100) / self.expected_marks).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class WorkshopFigures:
    start: datetime.date
    end: datetime.date
    year: int  # the calendar year of the yearly targets
    rows: list
    total: FigureRow


def workshop_figures(centre, start, end):
    """The figures of the centre's workshops from `start` to `end` (both included): one
    row per workshop that is active or had a session in the period, by name, and the
    total. See the module docstring for what each figure counts."""
    year = end.year
    sessions = Session.objects.of_centre(centre).filter(date__range=(start, end)).order_by()
    marks = (
        Attendance.objects.filter(session__centre=centre, session__date__range=(start, end))
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by()
    )
    held_in_year = (
        Session.objects.of_centre(centre)
        .filter(
            status=SessionStatus.HELD,
            date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            workshop__yearly_target__isnull=False,
        )
        .order_by()
        .values("workshop")
        .annotate(count=Count("pk"))
    )
    session_rows = {
        row.pop("workshop"): row for row in sessions.values("workshop").annotate(**SESSION_FIGURES)
    }
    mark_rows = {
        row.pop("session__workshop"): row
        for row in marks.values("session__workshop").annotate(**MARK_FIGURES)
    }
    held_counts = {row["workshop"]: row["count"] for row in held_in_year}
    workshops = Workshop.objects.of_centre(centre).filter(
        Q(is_active=True) | Exists(sessions.filter(workshop=OuterRef("pk")))
    )
    rows = [
        FigureRow(
            workshop=workshop,
            **session_rows.get(workshop.pk, {}),
            **mark_rows.get(workshop.pk, {}),
            yearly_target=workshop.yearly_target,
            held_in_year=(
                held_counts.get(workshop.pk, 0) if workshop.yearly_target is not None else None
            ),
        )
        for workshop in workshops.order_by("name", "pk")
    ]
    total = FigureRow(**sessions.aggregate(**SESSION_FIGURES), **marks.aggregate(**MARK_FIGURES))
    return WorkshopFigures(start=start, end=end, year=year, rows=rows, total=total)
