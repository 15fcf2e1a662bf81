"""Shared vocabulary of the access matrix (see tests/test_access_matrix.py).

Each domain keeps its own entries next to its tests (tests/<app>/access.py): a dict
`MATRIX` of url name -> (args builder, method, expected statuses in ACTORS order), and
a function `objects(centre, users)` returning the objects its builders need.
"""

ACTORS = (
    "anonymous",
    "disabled",
    "outsider",
    "coordinator",
    "facilitator",
    "partner_worker",
    "director",
    "admin",
)

LOGIN = 302  # redirected to the login page
# Shorthands, in ACTORS order.
PUBLIC = (200,) * 8
MEMBERS = (LOGIN, LOGIN) + (200,) * 6


def rule(*, outsider, coordinator, facilitator, partner_worker, director, admin, anon=LOGIN):
    return (anon, anon, outsider, coordinator, facilitator, partner_worker, director, admin)


# The rules most URLs follow. The outsider is the coordinator of another centre: a
# page of "the centre one works in" opens for them on their own centre, while an object
# of this centre is not found.
COORDINATOR_PAGE = rule(
    outsider=200, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=403
)
COORDINATOR_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=403
)
COORDINATOR_POST = rule(
    outsider=404, coordinator=302, facilitator=403, partner_worker=403, director=403, admin=403
)
# Coordinator and admin: the centre's settings, workshops, partners.
MANAGEMENT_PAGE = rule(
    outsider=200, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=200
)
MANAGEMENT_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=200
)
MANAGEMENT_POST = rule(
    outsider=404, coordinator=302, facilitator=403, partner_worker=403, director=403, admin=302
)
