import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from parcours import policy
from parcours.core.filters import ignored_parameters
from parcours.core.forms import DATE_MAX, DATE_MIN
from parcours.core.pages import form_page
from parcours.people.models import Person

from . import services
from .enums import EnrolmentStatus, Presence, SessionStatus
from .forms import (
    CancelForm,
    ClosureForm,
    EnrolForm,
    MarkForm,
    PlanForm,
    SessionForm,
    SlotFormSet,
    WalkInForm,
    WorkshopForm,
)
from .models import ClosurePeriod, Enrolment, Session, Workshop


def _workshops(request):
    return Workshop.objects.of_member_centres(request.user).of_centre(request.centre)


def _sessions(request):
    return Session.objects.of_member_centres(request.user).of_centre(request.centre)


def _session(request, pk):
    return get_object_or_404(
        _sessions(request).select_related("workshop", "place", "workshop__place"), pk=pk
    )


@policy.centre_rule(policy.can_view_workshops)
def workshop_list(request):
    today = timezone.localdate()
    year = Q(sessions__date__year=today.year, sessions__status=SessionStatus.HELD)
    workshops = (
        _workshops(request)
        .select_related("place")
        .annotate(
            enrolled=Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACTIVE), distinct=True
            ),
            waiting=Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING), distinct=True
            ),
            held_this_year=Count("sessions", filter=year, distinct=True),
            next_session=Min(
                "sessions__date",
                filter=Q(sessions__date__gte=today) & ~Q(sessions__status=SessionStatus.CANCELLED),
            ),
        )
        .prefetch_related("slots")
    )
    return render(
        request,
        "workshops/workshop_list.html",
        {
            "workshops": workshops,
            "year": today.year,
            "can_manage": policy.can_manage_workshops(request.user, request.centre),
            "can_see_figures": policy.can_view_reports(request.user, request.centre),
            "missing": _sessions(request).missing_attendance(today).count(),
        },
    )


@policy.centre_rule(policy.can_view_workshops)
def workshop_detail(request, pk):
    workshop = get_object_or_404(
        _workshops(request).select_related("place", "partner", "programme"), pk=pk
    )
    today = timezone.localdate()
    sees_people = policy.can_run_workshop(request.user, workshop)
    sessions = workshop.sessions.all()
    context = {
        "workshop": workshop,
        "slots": workshop.slots.all(),
        "facilitators": workshop.facilitators.all(),
        "upcoming": sessions.filter(date__gte=today).exclude(status=SessionStatus.CANCELLED)[:8],
        "missing": sessions.missing_attendance(today),
        "held_this_year": sessions.filter(date__year=today.year, status=SessionStatus.HELD).count(),
        "year": today.year,
        "today": today,
        "sees_people": sees_people,
        "can_manage": policy.can_manage_workshops(request.user, request.centre),
        "can_enrol": policy.can_enrol(request.user, request.centre),
    }
    if sees_people:
        context["enrolments"] = (
            workshop.enrolments.exclude(status=EnrolmentStatus.ENDED)
            .filter(person__archived_on__isnull=True)
            .select_related("person")
        )
    return render(request, "workshops/workshop_detail.html", context)


@policy.centre_rule(policy.can_manage_workshops)
def workshop_edit(request, pk=None):
    workshop = get_object_or_404(_workshops(request), pk=pk) if pk else None
    form = WorkshopForm(request.POST or None, instance=workshop, centre=request.centre)
    slots = SlotFormSet(request.POST or None, instance=form.instance, prefix="creneaux")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        with transaction.atomic():
            workshop = form.save()
            slots.instance = workshop
            slots.save()
        messages.success(request, f"L'atelier « {workshop} » est enregistré.")
        return redirect("workshops:detail", pk=workshop.pk)
    return render(
        request,
        "workshops/workshop_form.html",
        {"form": form, "slots": slots, "workshop": workshop},
    )


@policy.centre_rule(policy.can_enrol)
def enrol(request, pk):
    workshop = get_object_or_404(_workshops(request), pk=pk)
    people = policy.people_visible_to(request.user, request.centre).order_by(
        "last_name", "first_name"
    )
    form = EnrolForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(workshop=workshop, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("person", error)
        else:
            if enrolment.status == EnrolmentStatus.WAITING:
                messages.warning(
                    request, f"L'atelier est complet : {enrolment.person} est sur liste d'attente."
                )
            else:
                messages.success(request, f"{enrolment.person} est inscrite à l'atelier.")
            return redirect("workshops:detail", pk=workshop.pk)
    return form_page(
        request,
        form,
        heading=f"Inscrire à l'atelier « {workshop} »",
        lead=_capacity_text(workshop),
        cancel_url=reverse("workshops:detail", args=[workshop.pk]),
    )


def _capacity_text(workshop):
    if workshop.capacity is None:
        return "Pas de limite de places."
    active = workshop.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()
    return f"{active} inscrite(s) pour {workshop.capacity} places ; au-delà, liste d'attente."


@require_POST
@policy.centre_rule(policy.can_enrol)
def enrolment_end(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.filter(
            workshop__centre=request.centre, person__archived_on__isnull=True
        ).select_related("workshop", "person"),
        pk=pk,
    )
    promoted = services.enrolment_end(
        enrolment=enrolment, ends_on=timezone.localdate(), by=request.user
    )
    messages.success(request, f"L'inscription de {enrolment.person} est terminée.")
    if promoted:
        messages.info(request, f"{promoted.person} quitte la liste d'attente et est inscrite.")
    return redirect("workshops:detail", pk=enrolment.workshop_id)


@policy.centre_rule(policy.can_view_workshops)
def session_list(request):
    """The calendar, a month at a time; a facilitator sees their own workshops first."""
    today = timezone.localdate()
    try:
        month = datetime.date.fromisoformat(request.GET.get("mois", "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    if not DATE_MIN <= month <= DATE_MAX:  # the dates every form accepts
        month = today.replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    sessions = _sessions(request).filter(date__gte=month, date__lt=following)
    mine = request.GET.get("mes") == "1" or (
        "mes" not in request.GET
        and policy.calendar_opens_on_own_workshops(request.user, request.centre)
    )
    if mine:
        sessions = sessions.run_by(request.user)
    sessions = sessions.select_related("workshop", "place", "workshop__place").annotate(
        present=Count("attendances", filter=Q(attendances__presence=Presence.PRESENT))
    )
    return render(
        request,
        "workshops/session_list.html",
        {
            "sessions": sessions,
            "month": month,
            "previous": (month - datetime.timedelta(days=1)).replace(day=1),
            "following": following,
            "mine": mine,
            "today": today,
            "can_manage": policy.can_manage_workshops(request.user, request.centre),
            "ignored": ignored_parameters(
                request.GET, policy.calendar_filters_for(request.user, request.centre)
            ),
        },
    )


@policy.centre_rule(policy.can_manage_workshops)
def session_plan(request):
    form = PlanForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.sessions_plan(centre=request.centre, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "workshops/plan.html", {"form": form, "result": result})


@policy.centre_rule(policy.can_manage_workshops)
def session_create(request):
    form = SessionForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, "La séance est ajoutée au calendrier.")
        return redirect("workshops:session", pk=session.pk)
    return form_page(
        request, form, heading="Nouvelle séance", cancel_url=reverse("workshops:sessions")
    )


@policy.centre_rule(policy.can_manage_workshops)
def session_edit(request, pk):
    session = _session(request, pk)
    form = SessionForm(request.POST or None, instance=session, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        services.session_move(session=session, **form.cleaned_data)
        messages.success(request, "La séance est déplacée.")
        return redirect("workshops:session", pk=session.pk)
    return form_page(
        request,
        form,
        heading=f"Déplacer la séance : {session}",
        cancel_url=reverse("workshops:session", args=[session.pk]),
    )


@require_POST
@policy.centre_rule(policy.can_manage_workshops)
def session_cancel(request, pk):
    session = _session(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.session_cancel(
                session=session, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "La séance est annulée.")
    else:
        messages.error(request, "Indiquez pourquoi la séance est annulée.")
    return redirect("workshops:session", pk=session.pk)


def _attendance_rows(session):
    """One row per person expected (enrolled on the day) or come (walk-ins): two
    queries whatever their number."""
    # Archived files leave the lists of past sessions too.
    current = Q(person__archived_on__isnull=True)
    marks = {a.person_id: a for a in session.attendances.filter(current).select_related("person")}
    enrolled = (
        Enrolment.objects.active_on(session.date)
        .filter(current, workshop_id=session.workshop_id)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    rows = [(e.person, marks.pop(e.person_id, None)) for e in enrolled]
    rows += [(mark.person, mark) for mark in marks.values()]
    return rows


def _walk_in_candidates(request, session):
    enrolled = Enrolment.objects.active_on(session.date).filter(workshop_id=session.workshop_id)
    return (
        policy.people_visible_to(request.user, request.centre)
        .exclude(pk__in=enrolled.values("person_id"))
        .exclude(pk__in=session.attendances.values("person_id"))
        .order_by("last_name", "first_name")
    )


@policy.centre_rule(policy.can_view_workshops)
def session_detail(request, pk):
    session = _session(request, pk)
    runs = policy.can_run_session(request.user, session)
    context = {
        "session": session,
        "runs": runs,
        "can_manage": policy.can_manage_workshops(request.user, request.centre),
        "cancel_form": CancelForm(),
        "today": timezone.localdate(),
    }
    if runs:
        context["rows"] = _attendance_rows(session)
        # The list only shows names: whole rows (phone numbers parsed one by one)
        # made most of the page's time in a centre of hundreds of people.
        people = _walk_in_candidates(request, session).only("pk", "last_name", "first_name")
        context["walk_in_form"] = WalkInForm(people=people)
    return render(request, "workshops/session_detail.html", context)


def _running(request, pk):
    session = _session(request, pk)
    if not policy.can_run_session(request.user, session):
        raise PermissionDenied
    return session


@require_POST
@policy.centre_rule(policy.can_view_workshops)
def mark(request, pk):
    """One tap: a person's presence at the session (htmx swaps their row)."""
    session = _running(request, pk)
    expected = {person.pk for person, _ in _attendance_rows(session)}
    form = MarkForm(request.POST, people=Person.objects.filter(pk__in=expected))
    if not form.is_valid():
        return render(request, "workshops/_mark_error.html", {"form": form}, status=400)
    try:
        attendance = services.attendance_mark(session=session, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return render(request, "workshops/_mark_error.html", {"errors": error.messages}, status=400)
    if request.htmx:
        return render(
            request,
            "workshops/_attendance_row.html",
            {"person": attendance.person, "mark": attendance, "session": session},
        )
    return redirect("workshops:session", pk=session.pk)


@require_POST
@policy.centre_rule(policy.can_view_workshops)
def walk_in(request, pk):
    session = _running(request, pk)
    form = WalkInForm(request.POST, people=_walk_in_candidates(request, session))
    if form.is_valid():
        try:
            services.attendance_mark(
                session=session,
                person=form.cleaned_data["person"],
                presence=Presence.PRESENT,
                walk_in=True,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{form.cleaned_data['person']} est notée présente.")
    else:
        messages.error(request, "Choisissez la personne venue.")
    return redirect("workshops:session", pk=session.pk)


@policy.centre_rule(policy.can_manage_workshops)
def closures(request):
    form = ClosureForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, "La fermeture est enregistrée : replanifiez si des séances y tombent."
        )
        return redirect("workshops:closures")
    return render(
        request,
        "workshops/closures.html",
        {
            "form": form,
            "closures": ClosurePeriod.objects.of_member_centres(request.user).of_centre(
                request.centre
            ),
        },
    )
