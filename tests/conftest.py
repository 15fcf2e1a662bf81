import datetime

import pytest
from django.apps import apps

from parcours.centres.enums import Role
from parcours.people import services as people_services

from .factories import CentreFactory, PlaceFactory, ProgrammeFactory, member, verified_login
from .people.factories import PersonFactory

ROLES = [role.value for role in Role]

# Tests that commit for real (browser tests, transaction checks) are flushed after
# running. Naming the apps makes the flush cascade, which PostgreSQL needs: django-auditlog
# keeps its own (unused, swapped-out) log table, whose foreign keys block a plain TRUNCATE.
committing_db = pytest.mark.django_db(
    transaction=True, available_apps=[app.name for app in apps.get_app_configs()]
)


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
    """`client_for("coordinator")` is a test client logged in as that actor, with the
    whole login done (second factor included, for the roles that need it)."""

    def make(actor):
        client.logout()
        if actor != "anonymous":
            verified_login(client, users[actor])
        return client

    return make


@pytest.fixture
def place(centre):
    return PlaceFactory(centre=centre, name="Espace adultes")


@pytest.fixture
def programme(centre):
    return ProgrammeFactory(centre=centre, name="Objectif : Insertion(s)")


@pytest.fixture
def referred(centre, users):
    """A person referred by the partner worker, not yet received at the centre."""
    person = PersonFactory(centre=centre, last_name="Lefèvre", first_name="Zoé-Marie")
    referral = people_services.referral_receive(
        centre=centre,
        person=person,
        by=users[Role.COORDINATOR],
        referrer_user=users[Role.PARTNER_WORKER],
        received_on=datetime.date(2026, 9, 1),
        reason="Isolement depuis la séparation.",
    )
    return referral
