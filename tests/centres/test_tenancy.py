"""A user of centre A can neither list, open, edit nor guess the URL of anything of
centre B: every lookup answers 404, as for an object that does not exist."""

import pytest
from django.urls import reverse

from parcours.centres.enums import Role
from parcours.centres.models import Membership

from ..factories import PlaceFactory, ProgrammeFactory, member, verified_login


@pytest.fixture
def theirs(other_centre):
    return {
        "place": PlaceFactory(centre=other_centre, name="Salle secrète des Tilleuls"),
        "programme": ProgrammeFactory(centre=other_centre, name="Action des Tilleuls"),
        "membership": Membership.objects.get(
            user=member(other_centre, Role.FACILITATOR, last_name="Tilleul"), centre=other_centre
        ),
    }


@pytest.mark.parametrize("actor", ["coordinator", "admin"])
def test_lists_show_nothing_of_another_centre(client_for, theirs, actor):
    client = client_for(actor)
    page = client.get(reverse("centres:detail")).content.decode()
    assert "Salle secrète des Tilleuls" not in page
    assert "Action des Tilleuls" not in page
    assert "Tilleul" not in client.get(reverse("centres:team")).content.decode()


@pytest.mark.parametrize(
    "name,key,method",
    [
        ("centres:programme_detail", "programme", "get"),
        ("centres:programme_edit", "programme", "get"),
        ("centres:programme_edit", "programme", "post"),
        ("centres:place_edit", "place", "get"),
        ("centres:place_edit", "place", "post"),
        ("centres:member_edit", "membership", "get"),
        ("centres:member_edit", "membership", "post"),
        ("centres:member_disable", "membership", "post"),
    ],
)
def test_objects_of_another_centre_are_not_found(client_for, theirs, name, key, method):
    client = client_for("admin")
    url = reverse(name, args=[theirs[key].pk])
    data = {"name": "Piraté", "address": "x", "slug": "pirate", "role": Role.ADMIN}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    theirs["place"].refresh_from_db()
    theirs["programme"].refresh_from_db()
    theirs["membership"].refresh_from_db()
    assert theirs["place"].name == "Salle secrète des Tilleuls"
    assert theirs["programme"].name == "Action des Tilleuls"
    assert theirs["membership"].role == Role.FACILITATOR
    assert theirs["membership"].user.is_active


def test_guessing_ids_finds_nothing_of_another_centre(client_for, theirs, place):
    client = client_for("coordinator")
    own = {place.pk}
    for pk in range(1, theirs["place"].pk + 5):
        status = client.get(reverse("centres:place_edit", args=[pk])).status_code
        assert status == (200 if pk in own else 404), pk


def test_one_cannot_switch_to_a_centre_one_does_not_belong_to(client_for, other_centre):
    client = client_for("coordinator")
    response = client.post(reverse("centres:switch"), {"centre": other_centre.pk})
    assert response.status_code == 404


def test_a_member_of_two_centres_works_in_the_one_they_choose(client, centre, other_centre):
    user = member(centre, Role.COORDINATOR)
    Membership.objects.create(user=user, centre=other_centre, role=Role.FACILITATOR)
    PlaceFactory(centre=other_centre, name="Salle des Tilleuls")
    verified_login(client, user)
    client.post(reverse("centres:switch"), {"centre": centre.pk})
    assert "Salle des Tilleuls" not in client.get(reverse("centres:detail")).content.decode()
    client.post(reverse("centres:switch"), {"centre": other_centre.pk})
    page = client.get(reverse("centres:detail")).content.decode()
    assert "Salle des Tilleuls" in page
    # The role follows the centre: a facilitator there may not edit places.
    assert client.get(reverse("centres:place_create")).status_code == 403


def test_a_malformed_centre_choice_is_not_found(client_for):
    response = client_for("coordinator").post(reverse("centres:switch"), {"centre": "abc"})
    assert response.status_code == 404
