"""Access matrix entries of the spreadsheet import and export (see tests/access.py)."""

from ..access import COORDINATOR_PAGE

# The outsider is the coordinator of another centre: these pages work on the
# centre one is working in, so they answer for their own centre.

MATRIX = {
    "people:import": (None, "get", COORDINATOR_PAGE),
    "people:import_template": (None, "get", COORDINATOR_PAGE),
    # Without ?format the export is a .xlsx file.
    "people:export": (None, "get", COORDINATOR_PAGE),
}
