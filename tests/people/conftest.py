import datetime

import pytest

from parcours.centres.enums import Role
from parcours.people import services

from .factories import PersonFactory


@pytest.fixture
def referred(centre, users):
    """A person referred by the partner worker, not yet received at the centre."""
    person = PersonFactory(centre=centre, last_name="Lefèvre", first_name="Zoé-Marie")
    referral = services.referral_receive(
        centre=centre,
        person=person,
        by=users[Role.COORDINATOR],
        referrer_user=users[Role.PARTNER_WORKER],
        received_on=datetime.date(2026, 9, 1),
        reason="Isolement depuis la séparation.",
    )
    return referral
