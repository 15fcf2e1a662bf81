"""Access matrix entries of the people domain (see tests/access.py)."""

import datetime

from parcours.centres.enums import Role
from parcours.people import services

from ..access import COORDINATOR_OBJECT, COORDINATOR_PAGE, COORDINATOR_POST, rule
from .factories import NeighbourhoodFactory, PersonFactory, agreed_to_sensitive_data

# Object URLs: the outsider finds nothing; other roles are refused before any lookup.
# The director and the admin never open a file.
FILE_READERS = rule(
    outsider=200, coordinator=200, facilitator=200, partner_worker=200, director=403, admin=403
)


def _person(o):
    return [o["person"].pk]


def _referral(o):
    return [o["referral"].pk]


MATRIX = {
    "people:list": (None, "get", FILE_READERS),
    # The person was referred by the partner worker, and is in no workshop of the
    # facilitator (there are none yet): the facilitator finds no such file.
    "people:detail": (
        _person,
        "get",
        rule(
            outsider=404,
            coordinator=200,
            facilitator=404,
            partner_worker=200,
            director=403,
            admin=403,
        ),
    ),
    "people:edit": (_person, "get", COORDINATOR_OBJECT),
    "people:confidential": (_person, "get", COORDINATOR_OBJECT),
    "people:confidential_edit": (_person, "get", COORDINATOR_OBJECT),
    "people:rsa_contract_create": (_person, "get", COORDINATOR_OBJECT),
    "people:referral_create": (_person, "get", COORDINATOR_OBJECT),
    "people:duplicates": (None, "get", COORDINATOR_PAGE),
    "people:referrals": (None, "get", COORDINATOR_PAGE),
    "people:referral_new": (None, "get", COORDINATOR_PAGE),
    "people:referral_detail": (_referral, "get", COORDINATOR_OBJECT),
    "people:referral_plan": (
        lambda o: {"args": _referral(o), "intake_on": "2026-12-01T14:00"},
        "post",
        COORDINATOR_POST,
    ),
    "people:referral_admit": (
        lambda o: {
            "args": _referral(o),
            "programme": o["programme"].pk,
            "started_on": "2026-11-02",
        },
        "post",
        COORDINATOR_POST,
    ),
    "people:referral_close": (
        lambda o: {"args": _referral(o), "status": "not_admitted", "reason": "Réorientée."},
        "post",
        COORDINATOR_POST,
    ),
    "people:neighbourhoods": (None, "get", COORDINATOR_PAGE),
    "people:neighbourhood_edit": (
        lambda o: [o["neighbourhood"].pk],
        "get",
        COORDINATOR_OBJECT,
    ),
}


def objects(centre, users):
    # Agreed to sensitive data: the confidential section's form opens (else 409).
    person = agreed_to_sensitive_data(
        PersonFactory(centre=centre, last_name="Orientée", first_name="Anna")
    )
    referral = services.referral_receive(
        centre=centre,
        person=person,
        by=users[Role.COORDINATOR],
        referrer_user=users[Role.PARTNER_WORKER],
        received_on=datetime.date(2026, 10, 1),
        reason="Isolement.",
    )
    return {
        "person": person,
        "referral": referral,
        "neighbourhood": NeighbourhoodFactory(centre=centre, name="Quartier-Est", is_qpv=True),
    }
