from django.urls import reverse

from parcours.people.models import Neighbourhood

from .factories import NeighbourhoodFactory, PersonFactory


def test_a_coordinator_defines_a_qpv_neighbourhood_with_its_streets(client_for, centre):
    response = client_for("coordinator").post(
        reverse("people:neighbourhoods"),
        {"name": "Quartier-Est", "is_qpv": "on", "streets": "avenue de Guise\nplace Roland"},
    )
    assert response.status_code == 302
    east = Neighbourhood.objects.get(centre=centre)
    assert east.is_qpv
    assert PersonFactory(centre=centre, address="3, Place Roland").neighbourhood == east


def test_two_neighbourhoods_cannot_share_a_name(client_for, centre):
    NeighbourhoodFactory(centre=centre, name="Quartier-Est")
    response = client_for("coordinator").post(
        reverse("people:neighbourhoods"), {"name": "quartier-est"}
    )
    assert "Le centre a déjà un quartier de ce nom." in response.content.decode()


def test_an_unlisted_street_leaves_the_neighbourhood_empty(centre):
    NeighbourhoodFactory(centre=centre, streets="avenue de Guise")
    assert PersonFactory(centre=centre, address="5 rue Inconnue").neighbourhood is None


def test_a_street_matches_whole_words_only(centre):
    metz = NeighbourhoodFactory(centre=centre, name="Metz", streets="rue de Metz")
    assert PersonFactory(centre=centre, address="4 rue de Metzervisse").neighbourhood is None
    assert PersonFactory(centre=centre, address="4 rue de Metz").neighbourhood == metz
