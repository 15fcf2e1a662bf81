"""Access matrix entries of the report's downloads (see tests/access.py): the figures
for the coordinator, the director and the admin; the FSE+ participants' rows (coded,
but exact ages, dates and incomes) for the coordinator only; a programme of another
centre is not found."""

from ..access import COORDINATOR_OBJECT, rule

REPORT_OBJECT = rule(
    outsider=404, coordinator=200, facilitator=403, partner_worker=403, director=200, admin=200
)

MATRIX = {
    # Without ?format the report is a PDF; without ?du&au, the current year.
    "reports:export": (lambda o: [o["programme"].pk], "get", REPORT_OBJECT),
    "reports:fse_export": (lambda o: [o["programme"].pk], "get", COORDINATOR_OBJECT),
}
