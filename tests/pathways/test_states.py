"""The state machines of appointments and goals: each change made in their forms is
one logged row, an illegal one is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.pathways.enums import AppointmentStatus, GoalStatus
from parcours.pathways.models import AppointmentTransition, GoalTransition

from .factories import AppointmentFactory, GoalFactory, PathwayFactory


def appointment_post(appointment, status):
    return {
        "starts_at": "2026-03-02T10:00",
        "duration": "45",
        "kind": "follow_up",
        "status": status,
        "version": appointment.pathway.version,
    }


def test_it_logs_who_recorded_how_an_appointment_went(client_for, centre, users):
    appointment = AppointmentFactory(pathway=PathwayFactory(centre=centre))
    url = reverse("pathways:appointment", args=[appointment.pk])
    client_for("coordinator").post(url, appointment_post(appointment, "missed"))
    assert [(t.from_status, t.to_status, t.by) for t in appointment.transitions.all()] == [
        ("planned", "missed", users["coordinator"])
    ]


def test_it_logs_nothing_when_an_appointment_keeps_its_status(client_for, centre):
    appointment = AppointmentFactory(pathway=PathwayFactory(centre=centre))
    url = reverse("pathways:appointment", args=[appointment.pk])
    client_for("coordinator").post(url, appointment_post(appointment, "planned"))
    assert not AppointmentTransition.objects.exists()


def test_it_refuses_to_plan_again_an_appointment_that_was_held(client_for, centre):
    appointment = AppointmentFactory(
        pathway=PathwayFactory(centre=centre), status=AppointmentStatus.HELD
    )
    url = reverse("pathways:appointment", args=[appointment.pk])
    client = client_for("coordinator")
    offered = client.get(url).context["form"].fields["status"].choices
    assert [value for value, _label in offered] == ["held", "missed", "cancelled"]
    response = client.post(url, appointment_post(appointment, "planned"))
    assert "Cet état ne peut pas suivre « Tenu »." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD
    assert not AppointmentTransition.objects.exists()
    with pytest.raises(ValidationError, match="« Tenu » ne peut pas devenir « Prévu »"):
        appointment.move_to(AppointmentStatus.PLANNED, by=None)


def test_it_logs_a_goal_reached(client_for, centre, users):
    goal = GoalFactory(pathway=PathwayFactory(centre=centre))
    client_for("coordinator").post(
        reverse("pathways:goal_edit", args=[goal.pk]),
        {
            "axis": goal.axis,
            "wording": goal.wording,
            "status": "reached",
            "version": goal.pathway.version,
        },
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REACHED
    assert [(t.from_status, t.to_status, t.by) for t in goal.transitions.all()] == [
        ("in_progress", "reached", users["coordinator"])
    ]


def test_it_refuses_to_turn_a_reached_goal_into_a_given_up_one(client_for, centre):
    goal = GoalFactory(pathway=PathwayFactory(centre=centre), status=GoalStatus.REACHED)
    response = client_for("coordinator").post(
        reverse("pathways:goal_edit", args=[goal.pk]),
        {
            "axis": goal.axis,
            "wording": goal.wording,
            "status": "given_up",
            "version": goal.pathway.version,
        },
    )
    assert "Cet état ne peut pas suivre « Atteint »." in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REACHED
    assert not GoalTransition.objects.exists()
