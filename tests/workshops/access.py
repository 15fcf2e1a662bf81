"""Access matrix entries of the workshops domain (see tests/access.py)."""

import datetime

from ..access import rule
from .factories import EnrolmentFactory, SessionFactory, WorkshopFactory

VIEW = rule(
    outsider=200, coordinator=200, facilitator=200, partner_worker=403, director=200, admin=200
)
VIEW_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=200, partner_worker=403, director=200, admin=200
)
MANAGE = rule(
    outsider=200, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=200
)
MANAGE_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=200
)
POST_MANAGE_OBJECT = rule(
    outsider=404, coordinator=302, facilitator=403, partner_worker=403, director=403, admin=302
)
# Enrolling decides about a person: the coordinator only.
ENROL_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=403
)
POST_ENROL_OBJECT = rule(
    outsider=404, coordinator=302, facilitator=403, partner_worker=403, director=403, admin=403
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
    "workshops:create": (None, "get", MANAGE),
    "workshops:detail": (_workshop, "get", VIEW_OBJECT),
    "workshops:edit": (_workshop, "get", MANAGE_OBJECT),
    "workshops:enrol": (_workshop, "get", ENROL_OBJECT),
    "workshops:enrolment_end": (lambda o: [o["enrolment"].pk], "post", POST_ENROL_OBJECT),
    "workshops:sessions": (None, "get", VIEW),
    "workshops:plan": (None, "get", MANAGE),
    "workshops:session_create": (None, "get", MANAGE),
    "workshops:session": (_session, "get", VIEW_OBJECT),
    "workshops:session_edit": (_session, "get", MANAGE_OBJECT),
    "workshops:session_cancel": (
        lambda o: {"args": _session(o), "reason": "Animatrice malade."},
        "post",
        POST_MANAGE_OBJECT,
    ),
    "workshops:mark": (
        lambda o: {"args": _session(o), "person": o["enrolment"].person_id, "presence": "present"},
        "post",
        POST_RUN_SESSION,
    ),
    "workshops:walk_in": (lambda o: {"args": _session(o)}, "post", POST_RUN_SESSION),
    "workshops:closures": (None, "get", MANAGE),
}


def objects(centre, users):
    workshop = WorkshopFactory(centre=centre, name="Couture")
    workshop.facilitators.add(users["facilitator"])
    enrolment = EnrolmentFactory(workshop=workshop)
    session = SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 2))
    return {"workshop": workshop, "session": session, "enrolment": enrolment}
