"""Which days sessions can be planned on: public holidays, school holidays, closures."""

import datetime
from dataclasses import dataclass, field

import holidays

from .models import ClosurePeriod, SchoolHoliday


def days_between(start, end):
    for offset in range((end - start).days + 1):
        yield start + datetime.timedelta(days=offset)


@dataclass
class CentreCalendar:
    """The days a centre does not hold sessions, over a period, with the reason."""

    public_holidays: dict = field(default_factory=dict)
    school_holidays: dict = field(default_factory=dict)
    closures: dict = field(default_factory=dict)
    school_calendar_known_until: datetime.date | None = None

    @classmethod
    def for_centre(cls, centre, start, end):
        years = range(start.year, end.year + 1)
        # Moselle (57), Bas-Rhin and Haut-Rhin add Good Friday and 26 December.
        subdiv = centre.department if centre.department in holidays.France.subdivisions else None
        public = holidays.France(subdiv=subdiv, years=years, language="fr")
        calendar = cls(public_holidays={day: name for day, name in public.items()})
        school = SchoolHoliday.objects.filter(zone=centre.school_zone)
        for period in school.filter(ends_on__gte=start, starts_on__lte=end):
            for day in days_between(max(period.starts_on, start), min(period.ends_on, end)):
                calendar.school_holidays[day] = period.name
        calendar.school_calendar_known_until = (
            school.order_by("-ends_on").values_list("ends_on", flat=True).first()
        )
        closures = ClosurePeriod.objects.of_centre(centre).filter(
            ends_on__gte=start, starts_on__lte=end
        )
        for closure in closures:
            for day in days_between(max(closure.starts_on, start), min(closure.ends_on, end)):
                calendar.closures[day] = closure.reason
        return calendar

    def why_closed(self, day, *, runs_in_school_holidays):
        """The reason no session of such a workshop can be held on `day`, or None."""
        if day in self.public_holidays:
            return f"jour férié ({self.public_holidays[day]})"
        if day in self.closures:
            return f"fermeture du centre ({self.closures[day]})"
        if not runs_in_school_holidays and day in self.school_holidays:
            return f"vacances scolaires ({self.school_holidays[day]})"
        return None
