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
