"""People to watch: those who keep missing their workshops.

The programme asks the team to stay vigilant about fragile people: someone who stops
coming is often someone whose situation got worse. A person is to watch when:

- they have an active enrolment today in one of the centre's workshops;
- their latest N attendance marks (N = `Centre.absences_before_alert`), most recent
  first by session date and start time, at any of the centre's sessions up to today
  (cancelled sessions aside), are all "absent". An "excused" mark is skipped: the
  person warned, so it is no absence, but they did not come either, so it does not end
  a run of absences. A "present" mark, walk-ins included, ends the run;
- nobody noted a follow-up (`VigilanceFollowUp`) on or after the day of the first of
  those N absences. A follow-up covers every absence up to the day it is noted: the
  person is listed again after N new absences on later days.
"""

from collections import defaultdict

from django.db.models import Case, Exists, F, Max, OuterRef, Sum, Value, When, Window
from django.db.models.expressions import RowRange
from django.utils import timezone

from parcours.people.models import Person

from .enums import Presence, SessionStatus
from .models import Attendance, Enrolment, VigilanceFollowUp


def current_absences(centre, today):
    """{person id: [session dates]} of every enrolled person's absences since their
    latest presence (excused marks skipped), in one query: a running count of
    presences, newest mark first, is 0 exactly on the current run of absences."""
    enrolled = Enrolment.objects.active_on(today).filter(
        workshop__centre=centre, person=OuterRef("person")
    )
    presences_since = Window(
        Sum(Case(When(presence=Presence.PRESENT, then=Value(1)), default=Value(0))),
        partition_by=F("person_id"),
        order_by=[F("session__date").desc(), F("session__starts_at").desc(), F("pk").desc()],
        frame=RowRange(start=None, end=0),
    )
    marks = (
        Attendance.objects.filter(
            Exists(enrolled),
            session__centre=centre,
            person__centre=centre,
            person__archived_on__isnull=True,
            session__date__lte=today,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .exclude(presence=Presence.EXCUSED)
        .annotate(presences_since=presences_since)
        .filter(presences_since=0)
        .values_list("person_id", "session__date")
    )
    absences = defaultdict(list)
    for person_id, day in marks:
        absences[person_id].append(day)
    return absences


def people_to_watch(centre, today=None):
    """The centre's people to watch (see the module docstring), most absences first,
    each with `absences` (the run since the latest presence or follow-up) and
    `last_absence_on`. At most three queries, whatever the number of people."""
    today = today or timezone.localdate()
    threshold = centre.absences_before_alert
    absences = {
        person_id: days
        for person_id, days in current_absences(centre, today).items()
        if len(days) >= threshold
    }
    if not absences:
        return []
    followed_up = (
        VigilanceFollowUp.objects.filter(person_id__in=absences)
        .values("person_id")
        .annotate(last=Max("noted_at"))
        .order_by()
    )
    for row in followed_up:
        covered_until = timezone.localdate(row["last"])
        days = absences[row["person_id"]]
        absences[row["person_id"]] = [day for day in days if day > covered_until]
    watched = {person_id: days for person_id, days in absences.items() if len(days) >= threshold}
    if not watched:
        return []
    people = list(Person.objects.current().filter(pk__in=watched))
    for person in people:
        person.absences = len(watched[person.pk])
        person.last_absence_on = max(watched[person.pk])
    return sorted(people, key=lambda p: (-p.absences, p.last_name, p.first_name, p.pk))
