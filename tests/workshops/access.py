"""Access matrix entries of the workshops domain (see tests/access.py)."""

import datetime

from ..access import (
    COORDINATOR_OBJECT,
    COORDINATOR_POST,
    MANAGEMENT_OBJECT,
    MANAGEMENT_PAGE,
    MANAGEMENT_POST,
    rule,
)
from .factories import EnrolmentFactory, SessionFactory, WorkshopFactory

VIEW = rule(
    outsider=200, coordinator=200, facilitator=200, partner_worker=403, director=200, admin=200
)
VIEW_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=200, partner_worker=403, director=200, admin=200
)
# Attendance: the coordinator and the facilitators of the workshop, nobody else.
POST_RUN_SESSION = rule(
    outsider=404, coordinator=302, facilitator=302, partner_worker=403, director=403, admin=403
)


def _workshop(o):
    return [o["workshop"].pk]


def _session(o):
    return [o["session"].pk]


MATRIX = {
    "workshops:list": (None, "get", VIEW),
    "workshops:create": (None, "get", MANAGEMENT_PAGE),
    "workshops:detail": (_workshop, "get", VIEW_OBJECT),
    "workshops:edit": (_workshop, "get", MANAGEMENT_OBJECT),
    "workshops:enrol": (_workshop, "get", COORDINATOR_OBJECT),
    "workshops:enrolment_end": (lambda o: [o["enrolment"].pk], "post", COORDINATOR_POST),
    "workshops:sessions": (None, "get", VIEW),
    "workshops:plan": (None, "get", MANAGEMENT_PAGE),
    "workshops:session_create": (None, "get", MANAGEMENT_PAGE),
    "workshops:session": (_session, "get", VIEW_OBJECT),
    "workshops:session_edit": (_session, "get", MANAGEMENT_OBJECT),
    "workshops:session_cancel": (
        lambda o: {"args": _session(o), "reason": "Animatrice malade."},
        "post",
        MANAGEMENT_POST,
    ),
    "workshops:mark": (
        lambda o: {"args": _session(o), "person": o["enrolment"].person_id, "presence": "present"},
        "post",
        POST_RUN_SESSION,
    ),
    "workshops:walk_in": (lambda o: {"args": _session(o)}, "post", POST_RUN_SESSION),
    "workshops:closures": (None, "get", MANAGEMENT_PAGE),
}


def objects(centre, users):
    workshop = WorkshopFactory(centre=centre, name="Couture")
    workshop.facilitators.add(users["facilitator"])
    enrolment = EnrolmentFactory(workshop=workshop)
    session = SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 2))
    return {"workshop": workshop, "session": session, "enrolment": enrolment}
