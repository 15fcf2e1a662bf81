"""The parts of a person's file that `workshops` owns (see people.file)."""

from django.db.models import Prefetch, Q

from parcours.people.file import (
    Contact,
    Export,
    FilePart,
    Timeline,
    TimelineEntry,
    entry,
    status_changes,
    steps,
)

from .enums import Presence
from .models import Attendance, Enrolment, EnrolmentTransition, VigilanceFollowUp


def _workshops(person):
    """The enrolments, then each session the person was marked at."""
    return [
        entry(
            ("Atelier", e.workshop),
            ("Depuis le", e.starts_on),
            ("Jusqu'au", e.ends_on),
            ("État", e.get_status_display()),
        )
        + steps(e.transitions.all())
        for e in person.enrolments.select_related("workshop")
        .prefetch_related("transitions")
        .order_by("starts_on")
    ] + [
        entry(
            ("Séance", a.session.workshop),
            ("Le", a.session.date),
            ("Présence", a.get_presence_display()),
        )
        for a in person.attendances.select_related("session__workshop").order_by("session__date")
    ]


def _enrolments_prefetch():
    return [
        Prefetch(
            "enrolments",
            Enrolment.objects.select_related("workshop").order_by("-starts_on", "pk"),
        )
    ]


def _enrolments_timeline(person):
    for enrolment in person.enrolments.all():
        yield TimelineEntry(
            enrolment.starts_on, "Inscription à un atelier", str(enrolment.workshop)
        )


def _follow_ups(person):
    return [entry(("Le", f.noted_at), ("Suivi", f.note)) for f in person.vigilance_follow_ups.all()]


PARTS = [
    FilePart(
        Enrolment,
        person="person",
        kept=frozenset(
            {"id", "workshop", "person", "status", "starts_on", "ends_on", "created_at"}
        ),
        exports=(Export(150, "Vos ateliers", _workshops),),
        timeline=Timeline(40, _enrolments_prefetch, _enrolments_timeline),
    ),
    status_changes(
        EnrolmentTransition, record="enrolment", person="enrolment__person", shown_with=Enrolment
    ),
    FilePart(
        Attendance,
        person="person",
        kept=frozenset(
            {"id", "session", "person", "presence", "walk_in", "recorded_by", "recorded_at"}
        ),
        shown_with=Enrolment,
        # An absence is not a contact.
        contacts=(
            Contact(
                day="session__date", centre="session__centre", where=Q(presence=Presence.PRESENT)
            ),
        ),
    ),
    FilePart(
        VigilanceFollowUp,
        person="person",
        erased=True,
        exports=(Export(170, "Suivis après des absences", _follow_ups),),
    ),
]
