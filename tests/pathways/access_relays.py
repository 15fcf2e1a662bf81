"""Access matrix entries of relays and case reviews (see tests/access.py): the
coordinator only; the outsider finds no object of this centre."""

import datetime

from parcours.pathways import case_reviews, relays

from ..access import COORDINATOR_OBJECT, COORDINATOR_PAGE, COORDINATOR_POST
from ..people.factories import agreed_to_share


def make_relay(o):
    agreed_to_share(o["person"], o["partner"])
    return relays.relay_send(
        person=o["person"],
        partner=o["partner"],
        contact=None,
        reason="Souhaite un suivi psychologique.",
        shared_information="",
        follow_up_on=datetime.date(2026, 12, 1),
        by=None,
    )


def make_case_review(o):
    return case_reviews.case_review_create(
        centre=o["centre"],
        held_on=datetime.date(2026, 11, 5),
        participants=[],
        other_participants="",
        items=[(o["person"], "Relais vers le CMP.")],
    )


MATRIX = {
    "pathways:relay_create": (lambda o: [o["person"].pk], "get", COORDINATOR_OBJECT),
    "pathways:relays": (None, "get", COORDINATOR_PAGE),
    "pathways:relay_contacts": (None, "get", COORDINATOR_PAGE),
    "pathways:relay": (lambda o: [make_relay(o).pk], "get", COORDINATOR_OBJECT),
    "pathways:relay_move": (
        lambda o: {"args": [make_relay(o).pk], "status": "accepted", "note": ""},
        "post",
        COORDINATOR_POST,
    ),
    "pathways:case_reviews": (None, "get", COORDINATOR_PAGE),
    "pathways:case_review_create": (None, "get", COORDINATOR_PAGE),
    "pathways:case_review": (lambda o: [make_case_review(o).pk], "get", COORDINATOR_OBJECT),
}
