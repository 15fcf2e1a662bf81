"""Access matrix entries of assessments (see tests/access.py): the coordinator's only.

The grid is the centre's: the outsider, coordinator of another centre, opens their own
centre's grid. A pathway of another centre is not found.
"""

from ..access import COORDINATOR_OBJECT, COORDINATOR_PAGE


def _pathway(o):
    return [o["pathway"].pk]


MATRIX = {
    "pathways:grid": (None, "get", COORDINATOR_PAGE),
    "pathways:grid_edit": (None, "get", COORDINATOR_PAGE),
    "pathways:assessments": (_pathway, "get", COORDINATOR_OBJECT),
    "pathways:assessment_create": (_pathway, "get", COORDINATOR_OBJECT),
}
