"""The parts of a person's file that `pathways` owns (see people.file)."""

from django.db.models import Prefetch, Q
from django.utils import timezone

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

from .enums import AppointmentStatus
from .models import (
    Appointment,
    AppointmentTransition,
    Assessment,
    CaseReviewItem,
    Goal,
    GoalTransition,
    Pathway,
    PathwayExit,
    Score,
)


def _pathways(person):
    pathways = person.pathways.select_related("programme", "exit__outcome").prefetch_related(
        "goals__transitions"
    )
    entries = []
    for pathway in pathways:
        exit_ = getattr(pathway, "exit", None)
        entries.append(
            entry(
                ("Action", pathway.programme),
                ("Entrée le", pathway.started_on),
                ("Sortie le", pathway.ended_on),
                ("Issue", exit_.outcome if exit_ else None),
                ("Commentaire de sortie", exit_.comment if exit_ else None),
            )
            + [pair for goal in pathway.goals.all() for pair in _goal(goal)]
        )
    return entries


def _goal(goal):
    """A goal in the person's words, its state and steps, then its changes of state."""
    said = (goal.wording, goal.get_status_display(), goal.steps)
    return [
        (f"Objectif ({goal.get_axis_display()})", " — ".join(part for part in said if part)),
        *steps(goal.transitions.all()),
    ]


def _pathways_prefetch():
    return [
        Prefetch(
            "pathways",
            Pathway.objects.select_related("programme", "exit__outcome").prefetch_related(
                "goals", "assessments"
            ),
        )
    ]


def _pathways_timeline(person):
    for pathway in person.pathways.all():
        yield TimelineEntry(pathway.started_on, "Entrée en parcours", str(pathway.programme))
        if pathway.ended_on:
            outcome = getattr(pathway, "exit", None)
            yield TimelineEntry(
                pathway.ended_on,
                "Sortie du parcours",
                f"{pathway.programme} — {outcome.outcome}" if outcome else str(pathway.programme),
            )
        for goal in pathway.goals.all():
            yield TimelineEntry(goal.created_at.date(), "Objectif fixé", goal.wording)
        for assessment in pathway.assessments.all():
            yield TimelineEntry(assessment.assessed_on, "Évaluation", assessment.get_by_display())


def _appointments(person):
    return [
        entry(
            ("Date", a.starts_at),
            ("Type", a.get_kind_display()),
            ("État", a.get_status_display()),
            ("Note d'entretien", a.note),
        )
        + steps(a.transitions.all())
        for a in person.appointments.order_by("-starts_at").prefetch_related("transitions")
        if a.status != AppointmentStatus.CANCELLED or a.note
    ]


def _appointments_timeline(person):
    for appointment in person.appointments.all():
        if appointment.status == AppointmentStatus.CANCELLED:
            continue
        yield TimelineEntry(
            timezone.localtime(appointment.starts_at).date(),
            appointment.get_kind_display(),
            appointment.get_status_display(),
        )


def _assessments(person):
    assessments = (
        Assessment.objects.filter(pathway__person=person)
        .prefetch_related("scores__criterion")
        .order_by("assessed_on", "pk")
    )
    return [
        entry(("Le", a.assessed_on), ("Par", a.get_by_display()))
        + [(s.criterion.label, f"niveau {s.value} sur 4") for s in a.scores.all()]
        for a in assessments
    ]


def _case_reviews(person):
    return [
        entry(("Le", item.review.held_on), ("Décision", item.decision))
        for item in person.case_reviews.select_related("review").order_by("review__held_on")
    ]


def _case_reviews_prefetch():
    return [Prefetch("case_reviews", CaseReviewItem.objects.select_related("review"))]


def _case_reviews_timeline(person):
    for item in person.case_reviews.all():
        yield TimelineEntry(item.review.held_on, "Cellule d'appui", item.decision)


PARTS = [
    FilePart(
        Pathway,
        person="person",
        kept=frozenset(
            {"id", "centre", "person", "programme", "referral", "started_on", "ended_on"}
            | {"version"}
        ),
        exports=(Export(110, "Vos parcours et vos objectifs", _pathways),),
        timeline=Timeline(20, _pathways_prefetch, _pathways_timeline),
        contacts=(
            Contact(day="started_on", centre="centre"),
            Contact(day="ended_on", centre="centre"),
        ),
    ),
    FilePart(
        Goal,
        person="pathway__person",
        kept=frozenset({"id", "pathway", "axis", "due_on", "status", "rsa_contract", "created_at"}),
        emptied={"wording": "", "steps": ""},
        shown_with=Pathway,
    ),
    # Under its goal, in the pathway's section.
    status_changes(
        GoalTransition, record="goal", person="goal__pathway__person", shown_with=Pathway
    ),
    FilePart(
        PathwayExit,
        person="pathway__person",
        kept=frozenset({"id", "pathway", "outcome", "recorded_by"}),
        emptied={"comment": ""},
        shown_with=Pathway,
    ),
    FilePart(
        Appointment,
        person="person",
        kept=frozenset(
            {"id", "centre", "person", "pathway", "starts_at", "duration", "kind", "status"}
            | {"created_by"}
        ),
        emptied={"note": "", "other_attendees": ""},
        exports=(Export(130, "Vos entretiens", _appointments),),
        timeline=Timeline(30, lambda: ["appointments"], _appointments_timeline),
        # A planned, missed or cancelled appointment is not a contact.
        contacts=(
            Contact(day="starts_at__date", centre="centre", where=Q(status=AppointmentStatus.HELD)),
        ),
    ),
    status_changes(
        AppointmentTransition,
        record="appointment",
        person="appointment__person",
        shown_with=Appointment,
    ),
    FilePart(
        Assessment,
        person="pathway__person",
        kept=frozenset({"id", "pathway", "grid", "assessed_on", "by", "recorded_by"}),
        exports=(Export(140, "Vos évaluations", _assessments),),
    ),
    FilePart(
        Score,
        person="assessment__pathway__person",
        kept=frozenset({"id", "assessment", "criterion", "value"}),
        shown_with=Assessment,
    ),
    FilePart(
        CaseReviewItem,
        person="person",
        kept=frozenset({"id", "review", "person"}),
        emptied={"decision": ""},
        exports=(Export(160, "Cellules d'appui (décisions vous concernant)", _case_reviews),),
        timeline=Timeline(50, _case_reviews_prefetch, _case_reviews_timeline),
    ),
]
