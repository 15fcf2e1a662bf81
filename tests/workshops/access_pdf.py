"""Access matrix entries of the sign-in sheets and attendance records (see
tests/access.py): the coordinator and the workshop's facilitators only."""

from ..access import rule

RUN_SESSION = rule(
    outsider=404,
    coordinator=200,
    facilitator=200,
    partner_worker=403,
    director=403,
    admin=403,
)

MATRIX = {
    "workshops:session_sheet": (lambda o: [o["session"].pk], "get", RUN_SESSION),
    "workshops:session_record": (lambda o: [o["session"].pk], "get", RUN_SESSION),
    "workshops:monthly_sheet": (lambda o: [o["workshop"].pk, 2026, 3], "get", RUN_SESSION),
}
