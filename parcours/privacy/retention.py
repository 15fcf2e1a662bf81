"""When a file reaches the end of its retention period.

The CNIL's référentiel for social accompaniment keeps an active file two years after
the last contact with the person. A centre sets its own periods
(`Centre.retention_months`, `archive_months`, `audit_retention_months`):

- last contact (`last_contact()`, the one definition): the latest of the appointments
  held, the workshop sessions the person was present at, the referrals and relays
  received or sent and every change of their state, the pathway entries and exits, and
  the creation of the file. Planned, missed or cancelled appointments and absences are
  not contacts;
- listed: `WARNING_DAYS` days or less before the archive date (last contact +
  retention period), on the coordinator's home, so that a contact can be recorded;
  the daily command records the day it first lists a file (`retention_listed_on`);
- archived: on the archive date, and never before the file has been listed for
  `WARNING_DAYS` days: when the period is shortened, or the command first runs on old
  files, the files already past their date are listed first and archived 30 days
  later. The file leaves every list, search and count of current work; only the
  admin's archive view reads it (legal proof);
- anonymised: `archive_months` after the archive date (see services.person_anonymise).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import DateField, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate

WARNING_DAYS = 30


def add_months(day, months):
    """`day` moved by `months` (negative: back), on the same day of the month or the
    last day of a shorter month (31 March + 1 month = 30 April)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _contact_sources():
    """Every kind of contact (see the module docstring) as (rows, link to the person,
    day field, link to the centre): the one list `last_contact`, `contact_after` and
    `contact_between` read."""
    from parcours.pathways.enums import AppointmentStatus
    from parcours.pathways.models import Appointment, Pathway
    from parcours.people.models import Referral, ReferralEvent
    from parcours.workshops.enums import Presence
    from parcours.workshops.models import Attendance

    return [
        (
            Appointment.objects.filter(status=AppointmentStatus.HELD),
            "person",
            "starts_at__date",
            "centre",
        ),
        (
            Attendance.objects.filter(presence=Presence.PRESENT),
            "person",
            "session__date",
            "session__centre",
        ),
        (Referral.objects.all(), "person", "received_on", "centre"),
        (ReferralEvent.objects.all(), "referral__person", "at__date", "referral__centre"),
        (Pathway.objects.all(), "person", "started_on", "centre"),
        (Pathway.objects.all(), "person", "ended_on", "centre"),
    ]


def last_contact():
    """Expression on Person: the day of the last contact (see the module docstring).
    Never empty: the file's creation day is the floor."""
    person = OuterRef("pk")
    created = TruncDate("created_at")
    candidates = [
        Subquery(
            rows.filter(**{link: person})
            .order_by()
            .values(link)
            .annotate(latest=Max(field))
            .values("latest")[:1],
            output_field=DateField(),
        )
        for rows, link, field, _centre in _contact_sources()
    ]
    # GREATEST ignores NULLs on PostgreSQL but not on SQLite: each one falls back on
    # the creation day, which is never later than a real contact.
    return Greatest(
        created,
        *(Coalesce(candidate, created) for candidate in candidates),
        output_field=DateField(),
    )


def contact_after(day):
    """Condition on Person, equal to `last_contact() > day` but much cheaper to filter
    on: each EXISTS stops at the first contact found through the person's index,
    where the GREATEST of `last_contact` reads every contact of every person."""
    person = OuterRef("pk")
    condition = Q(created_at__date__gt=day)
    for rows, link, field, _centre in _contact_sources():
        condition |= Exists(rows.filter(**{link: person, f"{field}__gt": day}))
    return condition


def contact_between(centre, after, until):
    """Condition on the people of `centre`: a contact on a day after `after` and up to
    `until`. Read from the contacts of those days (through each table's centre and
    day) rather than person by person: for a short span, a few rows instead of the
    whole history of every person, which `contact_after` walks for those without any
    contact after its day."""
    condition = Q(created_at__date__gt=after, created_at__date__lte=until)
    for rows, link, field, centre_link in _contact_sources():
        days = {centre_link: centre, f"{field}__gt": after, f"{field}__lte": until}
        condition |= Q(pk__in=rows.filter(**days).values(link))
    return condition


def with_last_contact(people):
    return people.annotate(last_contact=last_contact())


@dataclass(frozen=True)
class Deadlines:
    """A centre's cut-off days for `today`."""

    today: datetime.date
    retention_months: int
    archive_months: int

    @property
    def archive_if_last_contact_on_or_before(self):
        return add_months(self.today, -self.retention_months)

    @property
    def warn_if_last_contact_on_or_before(self):
        return add_months(
            self.today + datetime.timedelta(days=WARNING_DAYS), -self.retention_months
        )

    @property
    def anonymise_if_archived_on_or_before(self):
        return add_months(self.today, -self.archive_months)

    def archive_date(self, last_contact, listed_on=None):
        """The end of the retention period, or later: `WARNING_DAYS` days after the
        file was first listed (today, for a file not listed yet)."""
        listed_until = (listed_on or self.today) + datetime.timedelta(days=WARNING_DAYS)
        return max(add_months(last_contact, self.retention_months), listed_until)


def deadlines(centre, today):
    return Deadlines(today, centre.retention_months, centre.archive_months)


def soon_archived(centre, today):
    """The centre's current files that will be archived within WARNING_DAYS days, or
    are listed already, the nearest first, each with `last_contact` and `archive_on`:
    one query."""
    from parcours.people.models import Person

    limits = deadlines(centre, today)
    # The last contact falls in the warning span (a contact in it and none after it),
    # or before it for a file listed already (its archive waits for the listing).
    warn = limits.warn_if_last_contact_on_or_before
    in_span = contact_between(centre, limits.archive_if_last_contact_on_or_before, warn)
    people = with_last_contact(
        Person.objects.of_centre(centre)
        .current()
        .filter(in_span | Q(retention_listed_on__isnull=False))
        .exclude(contact_after(warn))
    )
    people = list(people)
    for person in people:
        person.archive_on = limits.archive_date(person.last_contact, person.retention_listed_on)
    return sorted(people, key=lambda p: (p.archive_on, p.last_name, p.first_name, p.pk))


def coarse_birth_date(birth_date, entry_days):
    """The birth date an anonymised file keeps: the same year (so the age on any
    31 December, that of the annual reports, is unchanged) and a day of the year
    chosen among the pathway entry days, so that the age on each entry day (FSE+) is
    unchanged too. The real birthday is gone.

    The age on `day` depends on whether the birthday (month, day) falls on or before
    the (month, day) of `day`: any day between the entry day just before the real
    birthday (excluded) and the first entry day on or after it (included) gives the
    same ages on every entry day. That first entry day is kept, else 31 December."""
    if birth_date is None:
        return None
    birthday = (birth_date.month, birth_date.day)
    later = sorted(md for md in {(d.month, d.day) for d in entry_days} if md >= birthday)
    month, day = later[0] if later else (12, 31)
    if (month, day) == (2, 29) and not calendar.isleap(birth_date.year):
        # The real birthday, on or before 28 February of a common year, is before it.
        day = 28
    return datetime.date(birth_date.year, month, day)
