"""The shape of an activity report, shared by its computation, its page and its exports.

A report is sections of tables of rows; each row holds a label, the figure for the
period and the figure for the previous period of the same length. Every export (PDF,
.xlsx, JSON) and the page walk this one structure, so a figure added to the
computation appears everywhere at once.
"""

import datetime
from dataclasses import asdict, dataclass, field


@dataclass
class Row:
    label: str
    value: float | int | None
    previous: float | int | None = None
    # "%" for rates, "h" for hours, "" for counts: how to print the number.
    unit: str = ""

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 2)


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    # "bar" for a distribution, "line" for a series over time, "" for none.
    chart: str = ""
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    narrative: str = ""


@dataclass
class Report:
    centre: str
    programme: str
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    previous_end: datetime.date
    funder: str = ""
    sections: list[Section] = field(default_factory=list)

    def as_dict(self):
        data = asdict(self)
        for key in ("start", "end", "previous_start", "previous_end"):
            data[key] = data[key].isoformat()
        return data

    def section(self, key):
        return next(s for s in self.sections if s.key == key)


def _a_year_before(day):
    # 29 February has no twin the year before: the 28th stands in.
    if (day.month, day.day) == (2, 29):
        day = day.replace(day=28)
    return day.replace(year=day.year - 1)


def previous_period(start, end):
    """The period just before [start, end]: for a calendar year or a year to date
    (from 1 January), the same dates a year before; else the same number of days
    just before."""
    if (start.month, start.day) == (1, 1) and start.year == end.year:
        return _a_year_before(start), _a_year_before(end)
    length = end - start
    previous_end = start - datetime.timedelta(days=1)
    return previous_end - length, previous_end
