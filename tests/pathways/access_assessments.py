"""Access matrix entries of assessments (see tests/access.py): the coordinator's only.

The grid is the centre's: the outsider, coordinator of another centre, opens their own
centre's grid. A pathway of another centre is not found.
"""

from ..access import rule

COORDINATOR_ONLY = rule(
    outsider=200, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=403
)
COORDINATOR_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=403
)


def _pathway(o):
    return [o["pathway"].pk]


MATRIX = {
    "pathways:grid": (None, "get", COORDINATOR_ONLY),
    "pathways:grid_edit": (None, "get", COORDINATOR_ONLY),
    "pathways:assessments": (_pathway, "get", COORDINATOR_OBJECT),
    "pathways:assessment_create": (_pathway, "get", COORDINATOR_OBJECT),
}
