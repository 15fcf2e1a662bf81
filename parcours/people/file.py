"""What a person's file holds: the one list of its parts.

A part is a kind of record about one person (a referral, an appointment, a consent
answer…). Each app declares the parts it owns in its `file_parts.py` and registers
them from its `AppConfig.ready()`: `people` builds on no app above it, so the apps
above come to it. The file's consumers read this list and keep none of their own:
the timeline of the file page (`Person.timeline`), the subject-access export
(`privacy.subject_access`), the last contact of the retention periods
(`privacy.retention`) and the anonymisation (`privacy.services.person_anonymise`).
`tests/test_consistency.py` fails when a model about a person is not registered.

This module imports no model, so that `people.models` can use it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

EMPTY = "—"


@dataclass(frozen=True)
class TimelineEntry:
    date: datetime.date
    title: str
    detail: str = ""


@dataclass
class Section:
    """A section of the subject-access export."""

    title: str
    # Each entry is a list of (label, value) pairs: one thing held (a referral, an
    # appointment…), or the fields of the file for the identity sections. Values are
    # kept as they are (dates, numbers, booleans, None): the JSON export gives them
    # typed, the PDF and the page as text (`as_text`).
    entries: list = field(default_factory=list)
    empty: str = "Rien n'est enregistré."

    def text_entries(self):
        return [[(label, as_text(value)) for label, value in entry] for entry in self.entries]


def as_text(value):
    """A value as the export shows it, in plain French."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def as_data(value):
    """A value as the JSON export gives it: null, a boolean, a number, an ISO date or
    date-time (in the centre's time zone), or text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def entry(*pairs):
    """An entry of a section: (label, value) pairs, the values as the records hold them."""
    return list(pairs)


def steps(changes, text="reason"):
    """Each change of a record's status (a referral's events, a goal's, an
    appointment's or an enrolment's transitions), dated, with its note or reason (the
    field `text`)."""
    return [
        (
            f"Le {timezone.localtime(change.at):%d/%m/%Y}",
            f"{change.get_to_status_display()}"
            f"{' — ' + getattr(change, text) if getattr(change, text) else ''}",
        )
        for change in changes
    ]


@dataclass(frozen=True)
class Export:
    """A section that a part gives the subject-access export. `position` places it
    among the sections of every app (the file's own sections included, see
    privacy.subject_access): one number per section, the export sorts by it."""

    position: int
    title: str
    entries: Callable  # person -> list of entries
    # Health, addiction and violence notes: left out of the archive that the centre's
    # administration reads.
    confidential: bool = False


@dataclass(frozen=True)
class Timeline:
    """What a part shows in the file's timeline. `prefetch` gives the lookups on
    Person that read the part's rows, one query per kind (the file page reads them
    from there too); `entries` gives its entries from the rows prefetched. Entries of
    the same day keep the order of `position`."""

    position: int
    prefetch: Callable  # () -> list of lookups or Prefetch objects on Person
    entries: Callable  # person -> iterable of TimelineEntry


@dataclass(frozen=True)
class Contact:
    """A kind of contact with the person that a part's rows record, for the last
    contact of the retention periods: the rows `where` it holds, dated by `day`."""

    day: str  # path from a row to the day of the contact
    centre: str  # path from a row to its centre
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class FilePart:
    """One kind of record of a person's file.

    Anonymisation: the part is either `erased` (its rows deleted) or each of its
    fields is `kept` (what past reports count, the keys, dates and states) or
    `emptied` to the value given; a test checks that no field is forgotten.
    Export: its own `exports`, or the part of which it is shown as a detail
    (`shown_with`, the model: a goal with its pathway); a test checks one of them.
    """

    model: type
    person: str  # path from a row to its Person, e.g. "pathway__person"
    kept: frozenset = frozenset()
    emptied: dict = field(default_factory=dict)
    erased: bool = False
    exports: tuple = ()
    shown_with: type | None = None
    timeline: Timeline | None = None
    contacts: tuple = ()

    def rows_of(self, person):
        """The part's rows in `person`'s file."""
        return self.model.objects.filter(**{self.person: person})


def status_changes(model, *, record, person, shown_with):
    """The part of a state machine's log (`core.states.StatusChange`) about a record of
    the file: its reasons are about the person, the rest is the record's history."""
    return FilePart(
        model,
        person=person,
        kept=frozenset({"id", record, "at", "by", "from_status", "to_status"}),
        emptied={"reason": ""},
        shown_with=shown_with,
    )


_parts = {}


def register(*parts):
    """Add parts to the file; from an app's `AppConfig.ready()`."""
    for part in parts:
        # Twice the same declaration is harmless (a test may run `ready()` again); two
        # apps declaring one model would leave one of them unread.
        if _parts.get(part.model, part) is not part:
            raise ValueError(f"{part.model.__name__} is a part of the file already.")
        _parts[part.model] = part


def parts():
    """Every part of the file, whatever app owns it."""
    return list(_parts.values())


def timelines():
    """The parts' timelines, in their order for the entries of the same day."""
    found = [part.timeline for part in _parts.values() if part.timeline]
    return sorted(found, key=lambda timeline: timeline.position)
