import pytest

from parcours.centres.enums import Role

from .factories import CentreFactory, PlaceFactory, ProgrammeFactory, member

ROLES = [role.value for role in Role]


@pytest.fixture
def centre(db):
    return CentreFactory(name="Centre « Le Lierre »", slug="le-lierre")


@pytest.fixture
def other_centre(db):
    return CentreFactory(name="Centre Les Tilleuls", slug="les-tilleuls")


@pytest.fixture
def users(centre, other_centre):
    """One user per role in `centre`, a disabled one, and an outsider: the coordinator
    of another centre, who must never reach anything of `centre`."""
    found = {role: member(centre, Role(role)) for role in ROLES}
    disabled = member(centre, Role.COORDINATOR)
    disabled.is_active = False
    disabled.save()
    found["disabled"] = disabled
    found["outsider"] = member(other_centre, Role.COORDINATOR)
    return found


@pytest.fixture
def client_for(client, users):
    """`client_for("coordinator")` is a test client logged in as that actor."""

    def make(actor):
        client.logout()
        if actor != "anonymous":
            client.force_login(users[actor])
        return client

    return make


@pytest.fixture
def place(centre):
    return PlaceFactory(centre=centre, name="Espace adultes")


@pytest.fixture
def programme(centre):
    return ProgrammeFactory(centre=centre, name="Objectif : Insertion(s)")
