"""A centre's security page shows the events of its own members that concern it
(issue 15)."""

from django.test import Client
from django.urls import reverse

from parcours.centres.enums import Role
from parcours.centres.models import Membership


def _failed_login(email):
    Client().post(reverse("accounts:login"), {"username": email, "password": "faux"})


def test_it_hides_the_failed_logins_of_an_account_from_before_it_joined(client_for, users, centre):
    newcomer = users["outsider"]
    _failed_login(newcomer.email)
    Membership.objects.create(user=newcomer, centre=centre, role=Role.FACILITATOR)
    page = client_for("coordinator").get(reverse("audit:security")).content.decode()
    assert newcomer.email not in page
    _failed_login(newcomer.email)
    page = client_for("coordinator").get(reverse("audit:security")).content.decode()
    assert newcomer.email in page


def test_it_hides_the_events_of_another_centre(client_for, users, other_centre):
    outsider = client_for("outsider")
    outsider.get(reverse("people:detail", args=[999999]))
    page = client_for("coordinator").get(reverse("audit:security"))
    assert list(page.context["page"]) == []
    assert users["outsider"].email not in page.content.decode()
