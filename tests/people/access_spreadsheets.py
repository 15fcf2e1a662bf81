"""Access matrix entries of the spreadsheet import and export (see tests/access.py)."""

from ..access import rule

# The outsider is the coordinator of another centre: these pages work on the
# centre one is working in, so they answer for their own centre.
COORDINATION_ONLY = rule(
    outsider=200, coordinator=200, facilitator=403, partner_worker=403, director=403, admin=403
)

MATRIX = {
    "people:import": (None, "get", COORDINATION_ONLY),
    "people:import_template": (None, "get", COORDINATION_ONLY),
    # Without ?format the export is a .xlsx file.
    "people:export": (None, "get", COORDINATION_ONLY),
}
