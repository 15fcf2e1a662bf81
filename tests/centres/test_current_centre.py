"""The centre a user works in after login (issue 15)."""

from django.test import Client
from django.urls import reverse

from parcours.centres.enums import Role
from parcours.centres.models import Membership

from ..factories import CentreFactory, verified_login


def _centre_after_login(user):
    client = verified_login(Client(), user)
    return client, client.get(reverse("centres:detail")).context["request"].centre


def test_it_starts_in_the_centre_last_used_never_a_newly_attached_one(users, other_centre):
    user = users["outsider"]
    assert _centre_after_login(user)[1] == other_centre
    # First by name, attached last.
    newest = CentreFactory(name="Abbaye")
    Membership.objects.create(user=user, centre=newest, role=Role.FACILITATOR)
    client, current = _centre_after_login(user)
    assert current == other_centre
    client.post(reverse("centres:switch"), {"centre": newest.pk})
    assert _centre_after_login(user)[1] == newest
    client.post(reverse("centres:switch"), {"centre": other_centre.pk})
    assert _centre_after_login(user)[1] == other_centre
