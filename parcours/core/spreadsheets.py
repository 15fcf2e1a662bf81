"""Cells of the spreadsheets Parcours writes (.xlsx and .csv), safe to open.

A text typed by a user that starts like a formula (« =HYPERLINK(…) », « +SUM(1) »,
« - à revoir ») runs in the spreadsheet of whoever opens the file, unless the file
says it is text: in a CSV with a leading apostrophe, in a .xlsx with the cell's
text flag (Excel's quote prefix). The people import takes the apostrophe off again.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value):
    """In a CSV, a cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def keep_as_text(cell):
    """Store an .xlsx cell's text as the text it is: openpyxl would store "=1+1" as a
    formula, and a spreadsheet runs text that looks like one once it is edited
    unless the cell is flagged as text. Shown as typed ("+352…"), never run."""
    cell.data_type = "s"
    if is_formula_like(cell.value):
        cell.quotePrefix = True
