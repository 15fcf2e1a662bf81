from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from parcours import policy
from parcours.audit.services import audit_read
from parcours.core.pages import form_page

from . import services
from .enums import Axis
from .forms import AppointmentForm, CloseForm, GoalForm
from .models import Appointment, Goal, Pathway


def pathway_or_404(request, pk):
    """A pathway of the centre the user works in, else 404."""
    pathways = Pathway.objects.of_member_centres(request.user).of_centre(request.centre)
    return get_object_or_404(pathways.select_related("person", "programme", "centre"), pk=pk)


@policy.centre_rule(policy.can_follow_pathways)
def pathway_detail(request, pk):
    pathway = pathway_or_404(request, pk)
    audit_read(instance=pathway.person, by=request.user, section="parcours")
    goals = list(pathway.goals.all())
    return render(
        request,
        "pathways/pathway_detail.html",
        {
            "pathway": pathway,
            "person": pathway.person,
            "appointments": pathway.appointments.order_by("-starts_at"),
            "goals_by_axis": [(axis, [g for g in goals if g.axis == axis]) for axis in Axis],
            "exit": getattr(pathway, "exit", None),
            "close_form": CloseForm(centre=request.centre, lock=pathway)
            if pathway.ended_on is None
            else None,
            "today": timezone.localdate(),
        },
    )


@policy.centre_rule(policy.can_follow_pathways)
def appointment_create(request, pk):
    pathway = pathway_or_404(request, pk)
    if request.method == "GET":  # the form page names the person: a reading of the file
        audit_read(instance=pathway.person, by=request.user, section="entretien")
    form = AppointmentForm(request.POST or None, centre=request.centre, lock=None)
    if request.method == "POST" and form.is_valid():
        appointment = form.save(commit=False)
        appointment.centre, appointment.person, appointment.pathway = (
            request.centre,
            pathway.person,
            pathway,
        )
        appointment.created_by = request.user
        appointment.save()
        form.save_m2m()
        messages.success(request, "L'entretien est enregistré.")
        return redirect("pathways:pathway", pk=pathway.pk)
    return form_page(
        request,
        form,
        heading=f"Nouvel entretien avec {pathway.person}",
        cancel_url=reverse("pathways:pathway", args=[pathway.pk]),
    )


@policy.centre_rule(policy.can_follow_pathways)
def appointment_edit(request, pk):
    """Record how an appointment went (held, missed…) and its private note."""
    appointment = get_object_or_404(
        Appointment.objects.of_member_centres(request.user)
        .of_centre(request.centre)
        .select_related("person", "pathway"),
        pk=pk,
    )
    if request.method == "GET":
        audit_read(instance=appointment.person, by=request.user, section="entretien")
    form = AppointmentForm(
        request.POST or None,
        instance=appointment,
        centre=request.centre,
        # An appointment outside any pathway is still part of the person's file.
        lock=appointment.pathway or appointment.person,
    )
    # Back to the pathway, or to the file for an appointment outside any pathway (an
    # intake interview of someone not admitted).
    if appointment.pathway_id is None:
        back = reverse("people:detail", args=[appointment.person_id])
    else:
        back = reverse("pathways:pathway", args=[appointment.pathway_id])
    if (
        request.method == "POST"
        and form.is_valid()
        and form.save_locked(lambda: form.save_moving(by=request.user))
    ):
        messages.success(request, "L'entretien est enregistré.")
        return redirect(back)
    return form_page(
        request,
        form,
        heading=f"Entretien avec {appointment.person}",
        lead=f"{timezone.localtime(appointment.starts_at):%d/%m/%Y à %H:%M}",
        cancel_url=back,
    )


@policy.centre_rule(policy.can_follow_pathways)
def goal_edit(request, pk=None, pathway_pk=None):
    if pk is not None:
        goal = get_object_or_404(
            Goal.objects.filter(
                pathway__centre=request.centre, pathway__person__archived_on__isnull=True
            ).select_related("pathway__person"),
            pk=pk,
        )
        pathway = goal.pathway
    else:
        goal, pathway = None, pathway_or_404(request, pathway_pk)
    if request.method == "GET":  # the form page names the person: a reading of the file
        audit_read(instance=pathway.person, by=request.user, section="objectif")
    # A new goal overwrites nothing: only changing one is locked.
    form = GoalForm(
        request.POST or None, instance=goal, pathway=pathway, lock=pathway if goal else None
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and form.save_locked(lambda: form.save_moving(by=request.user))
    ):
        messages.success(request, "L'objectif est enregistré.")
        return redirect("pathways:pathway", pk=pathway.pk)
    return form_page(
        request,
        form,
        heading=f"Objectif de {pathway.person}",
        lead="Écrit avec la personne, dans ses mots.",
        cancel_url=reverse("pathways:pathway", args=[pathway.pk]),
    )


@policy.centre_rule(policy.can_follow_pathways)
def pathway_close(request, pk):
    pathway = pathway_or_404(request, pk)
    if request.method == "GET":  # the form page names the person: a reading of the file
        audit_read(instance=pathway.person, by=request.user, section="clôture du parcours")
    form = CloseForm(request.POST or None, centre=request.centre, lock=pathway)
    if request.method == "POST" and form.is_valid():
        try:
            closed = form.save_locked(
                lambda: services.pathway_close(
                    pathway=pathway, by=request.user, **form.cleaned_data
                )
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if closed:
                messages.success(request, "Le parcours est clos.")
                return redirect("pathways:pathway", pk=pathway.pk)
    return form_page(
        request,
        form,
        heading=f"Clore le parcours de {pathway.person}",
        cancel_url=reverse("pathways:pathway", args=[pathway.pk]),
    )
