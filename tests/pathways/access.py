"""Access matrix entries of the pathways domain (see tests/access.py).

Notes, goals, assessments, relays, case reviews and exits are the coordinator's only:
the facilitator, the partner worker, the director and the admin are refused.
"""

from ..access import COORDINATOR_OBJECT
from .factories import AppointmentFactory, GoalFactory, PathwayFactory


def _pathway(o):
    return [o["pathway"].pk]


MATRIX = {
    "pathways:pathway": (_pathway, "get", COORDINATOR_OBJECT),
    "pathways:appointment_create": (_pathway, "get", COORDINATOR_OBJECT),
    "pathways:appointment": (lambda o: [o["appointment"].pk], "get", COORDINATOR_OBJECT),
    "pathways:goal_create": (_pathway, "get", COORDINATOR_OBJECT),
    "pathways:goal_edit": (lambda o: [o["goal"].pk], "get", COORDINATOR_OBJECT),
    "pathways:close": (_pathway, "get", COORDINATOR_OBJECT),
}


def objects(centre, users):
    pathway = PathwayFactory(centre=centre)
    return {
        "pathway": pathway,
        "appointment": AppointmentFactory(pathway=pathway),
        "goal": GoalFactory(pathway=pathway),
    }
