"""Access matrix entries of the report pages (see tests/access.py): figures for the
coordinator, the director and the admin; the narrative is the coordinator's."""

from ..access import COORDINATOR_POST, rule

MATRIX = {
    # One programme in the centre: the index goes straight to its report.
    "reports:index": (
        None,
        "get",
        rule(
            outsider=200,
            coordinator=302,
            facilitator=403,
            partner_worker=403,
            director=302,
            admin=302,
        ),
    ),
    "reports:report": (
        lambda o: [o["programme"].pk],
        "get",
        rule(
            outsider=404,
            coordinator=200,
            facilitator=403,
            partner_worker=403,
            director=200,
            admin=200,
        ),
    ),
    "reports:narrative": (
        lambda o: {"args": [o["programme"].pk], "section": "people", "text": "Une année dense."},
        "post",
        COORDINATOR_POST,
    ),
}
