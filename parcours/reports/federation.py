"""The federation's report: the headline figures of many centres over one period, for
the director of a federation of centres, in a fixed number of queries whatever the
number of centres (computing each centre's full report in turn would run ~60 queries
per centre).

Per centre, for [start, end] (both days included), every programme together, with the
definitions of `queries` and `workshops.stats`:

- followed: `queries.people_followed`, on every pathway;
- entries: people with a pathway started in the period, each once;
- exits: pathways ended in the period; positive_exits: those whose outcome is positive;
- held: workshop sessions held in the period;
- attendances: "present" marks at the period's sessions that were not cancelled;
- participants: distinct people with at least one such mark;
- appointments: appointments held in the period (French time).
"""

from django.db.models import Count, Q

from parcours.pathways.enums import AppointmentStatus
from parcours.pathways.models import Appointment, Pathway
from parcours.people.models import Person
from parcours.workshops.enums import SessionStatus
from parcours.workshops.models import Attendance, Session
from parcours.workshops.stats import PRESENT

from .queries import Period, people_followed

FIGURES = (
    "followed",
    "entries",
    "exits",
    "positive_exits",
    "held",
    "attendances",
    "participants",
    "appointments",
)


def _by_centre(queryset, centre_field="centre", **aggregates):
    """{centre id: {name: value}} of `aggregates` grouped by centre."""
    rows = queryset.order_by().values(centre_field).annotate(**aggregates)
    return {row.pop(centre_field): row for row in rows}


def federation_figures(*, centres, start, end):
    """One row per centre ({"centre": centre, figure: value, …}, by centre name) of the
    figures listed in the module docstring."""
    centres = sorted(centres, key=lambda centre: (centre.name, centre.pk))
    ids = [centre.pk for centre in centres]
    period = Period(start, end)
    first, after = period.moments
    pathways = Pathway.objects.filter(centre__in=ids)
    ended = Q(ended_on__range=period.days)
    marks = Attendance.objects.filter(
        session__centre__in=ids, session__date__range=period.days
    ).exclude(session__status=SessionStatus.CANCELLED)
    found = [
        _by_centre(
            people_followed(
                period, people=Person.objects.filter(centre__in=ids), pathways=Pathway.objects
            ),
            followed=Count("pk"),
        ),
        _by_centre(
            pathways.filter(Q(started_on__range=period.days) | ended),
            entries=Count("person", distinct=True, filter=Q(started_on__range=period.days)),
            exits=Count("pk", filter=ended),
            positive_exits=Count("pk", filter=ended & Q(exit__outcome__is_positive=True)),
        ),
        _by_centre(
            Session.objects.filter(
                centre__in=ids, date__range=period.days, status=SessionStatus.HELD
            ),
            held=Count("pk"),
        ),
        _by_centre(
            marks.filter(PRESENT),
            "session__centre",
            attendances=Count("pk"),
            participants=Count("person", distinct=True),
        ),
        _by_centre(
            Appointment.objects.filter(
                centre__in=ids,
                status=AppointmentStatus.HELD,
                starts_at__gte=first,
                starts_at__lt=after,
            ),
            appointments=Count("pk"),
        ),
    ]
    rows = []
    for centre in centres:
        row = dict.fromkeys(FIGURES, 0)
        for figures in found:
            row.update(figures.get(centre.pk, {}))
        rows.append({"centre": centre, **row})
    return rows
