"""The activity report as files for funders: PDF (with charts, ready to send), .xlsx
(plain numbers they can re-use) and JSON; and the FSE+ participants' spreadsheet.

Each export walks the report's shape (see shape.py) and nothing else, so it works for
any report, whatever its sections and funder.
"""

import datetime
import io
import json
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from parcours.core.pdf import FONT, PDF
from parcours.core.spreadsheets import keep_as_text
from parcours.pathways.enums import OutcomeFamily
from parcours.people.enums import Benefit, EducationLevel, Sex

from .enums import Funder
from .fse import EMPLOYMENT_STATUSES, FSE_AGE_BANDS

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
NO_ROWS = "Rien sur la période."


def _date(day):
    return f"{day:%d/%m/%Y}"


def _period(start, end):
    return f"du {_date(start)} au {_date(end)}"


def _funder_label(value):
    try:
        return Funder(value).label
    except ValueError:
        return value


def figure(value, unit=""):
    """1234 -> "1 234", 74.1 with "%" -> "74,1 %", 12.5 with "h" -> "12,5 h", None -> "—".

    Plain spaces group the thousands: the PDF's text then reads back (and searches)
    as people type it."""
    if value is None:
        return "—"
    decimals = 0 if float(value).is_integer() else 1
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    text = f"-{text}" if value < 0 else text
    return f"{text} {unit}" if unit else text


def change_text(value, unit=""):
    """+12, −3,5 h; a change of a rate is in points ("+2,3 pts"), not in percent."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    unit = "pts" if unit == "%" else unit
    return sign + figure(abs(value), unit)


# PDF. Widths in mm: A4 is 210 mm wide, 180 mm between the margins.

COLUMNS = (72, 36, 36, 36)
ROW_HEIGHT = 6.2  # a one-line row of the table, padding included
HEAD_HEIGHT = 12  # the table's title and header row
BAR_LABEL_WIDTH = 62
BAR_HEIGHT = 5
BAR_GAP = 1.6
LINE_CHART_HEIGHT = 42
INK = (31, 95, 139)  # the page's chart blue
GREY = 110


def report_pdf(report):
    """The report as PDF bytes: a title block, then each section with its narrative,
    its tables and their charts; pages numbered."""
    title = f"Bilan d'activité — {report.programme}"
    pdf = PDF(f"{title} — {_period(report.start, report.end)}")
    pdf.begin_part(f"{title} — {_period(report.start, report.end)}")
    _title_block(pdf, report)
    for section in report.sections:
        _draw_section(pdf, section)
    return pdf.to_bytes()


def _title_block(pdf, report):
    pdf.heading(centre=report.centre, programme=report.programme, title="Bilan d'activité")
    fields = [
        ("Centre", report.centre),
        ("Action", report.programme),
        ("Période", _period(report.start, report.end)),
        ("Comparée au", _period(report.previous_start, report.previous_end)),
        ("Financeur", _funder_label(report.funder)),
    ]
    pdf.fields(fields, label_width=32)
    pdf.ln(2)


def _draw_section(pdf, section):
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_text_color(0)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, section.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.rule(grey=160)
    pdf.ln(2)
    if section.narrative:
        pdf.set_fill_color(240)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(
            0, 5, section.narrative, align="L", fill=True, padding=2, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_fill_color(255)
        pdf.ln(2)
    for table in section.tables:
        _draw_table(pdf, table)


def _draw_table(pdf, table):
    # A table and its chart stay on one page when they fit on one; a longer one starts
    # with its title, its chart and a few rows at least.
    whole = HEAD_HEIGHT + _chart_height(table) + ROW_HEIGHT * (len(table.rows) + 1)
    usable = pdf.h - pdf.t_margin - pdf.b_margin
    start = whole if whole < usable else HEAD_HEIGHT + _chart_height(table) + 4 * ROW_HEIGHT
    if pdf.will_page_break(start):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_text_color(0)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, table.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    if table.chart == "bar":
        _bar_chart(pdf, table.rows)
    elif table.chart == "line":
        _line_chart(pdf, table.rows)
    if table.rows:
        _draw_grid(pdf, table.rows)
    else:
        pdf.set_font(FONT, "", 9)
        pdf.cell(0, 6, NO_ROWS, new_x="LMARGIN", new_y="NEXT")
    if table.note:
        pdf.set_text_color(GREY)
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, table.note, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(2)


def _draw_grid(pdf, rows):
    heading = ("", "Période", "Période précédente", "Évolution")
    lines = [
        (
            row.label,
            figure(row.value, row.unit),
            figure(row.previous, row.unit),
            change_text(row.change, row.unit),
        )
        for row in rows
    ]
    pdf.grid(COLUMNS, [heading, *lines], text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"))


def _plotted(rows):
    """The rows a chart draws; none when every figure is 0, a chart of nothing."""
    rows = [row for row in rows if isinstance(row.value, int | float)]
    return rows if any(row.value > 0 for row in rows) else []


def _chart_height(table):
    rows = _plotted(table.rows)
    if not rows or table.chart not in ("bar", "line"):
        return 0
    if table.chart == "bar":
        return len(rows) * (BAR_HEIGHT + BAR_GAP) + 10
    return LINE_CHART_HEIGHT + 15


def _fitted_text(pdf, text, width, size):
    """`text` cut with an ellipsis to fit `width` at font `size`."""
    pdf.set_font(FONT, "", size)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _axis_label(pdf, label, width):
    """A label under a point on one line, else on two ("janvier" over "2025"), each cut
    to `width` if need be."""
    pdf.set_font(FONT, "", 7)
    if pdf.get_string_width(label) <= width or " " not in label:
        return [_fitted_text(pdf, label, width, 7)]
    first, second = label.rsplit(" ", 1)
    return [_fitted_text(pdf, first, width, 7), _fitted_text(pdf, second, width, 7)]


def _bar_chart(pdf, rows):
    """Horizontal bars, the category on the left, the figure at the end of each bar, a
    value axis from 0 to the largest figure below."""
    rows = _plotted(rows)
    if not rows:
        return
    top = max(row.value for row in rows)
    left = pdf.l_margin + BAR_LABEL_WIDTH
    span = pdf.w - pdf.r_margin - left - 22  # room for the figure after the longest bar
    y = pdf.get_y() + 1
    pdf.set_text_color(0)
    for row in rows:
        label = _fitted_text(pdf, row.label, BAR_LABEL_WIDTH - 3, 8)
        pdf.text(left - 2 - pdf.get_string_width(label), y + BAR_HEIGHT - 1.3, label)
        width = span * max(row.value, 0) / top
        pdf.set_fill_color(*INK)
        if width > 0:
            pdf.rect(left, y, width, BAR_HEIGHT, style="F")
        pdf.text(left + width + 1.5, y + BAR_HEIGHT - 1.3, figure(row.value, row.unit))
        y += BAR_HEIGHT + BAR_GAP
    pdf.set_draw_color(GREY)
    pdf.set_line_width(0.2)
    pdf.line(left, pdf.get_y(), left, y)
    pdf.line(left, y, left + span, y)
    pdf.set_text_color(GREY)
    pdf.set_font(FONT, "", 7)
    for value, x in ((0, left), (top, left + span)):
        pdf.line(x, y, x, y + 1)
        text = figure(value, rows[0].unit)
        pdf.text(x - pdf.get_string_width(text) / 2, y + 4, text)
    pdf.set_text_color(0)
    pdf.set_fill_color(255)
    pdf.set_y(y + 7)


def _line_chart(pdf, rows):
    """A polyline over the rows in order (months, say), each point with its figure; the
    labels below as the time axis, 0 and the largest figure on the value axis."""
    rows = _plotted(rows)
    if not rows:
        return
    top = max(row.value for row in rows)
    pdf.set_font(FONT, "", 7)
    left = pdf.l_margin + pdf.get_string_width(figure(top, rows[0].unit)) + 3
    right = pdf.w - pdf.r_margin - 4
    y_top = pdf.get_y() + 4
    base = y_top + LINE_CHART_HEIGHT - 8
    step = (right - left - 8) / max(len(rows) - 1, 1)
    points = [
        (left + 4 + i * step, base - (base - y_top) * max(row.value, 0) / top)
        for i, row in enumerate(rows)
    ]
    pdf.set_draw_color(GREY)
    pdf.set_line_width(0.2)
    pdf.line(left, y_top - 2, left, base)
    pdf.line(left, base, right, base)
    pdf.set_text_color(GREY)
    for value, y in ((0, base), (top, y_top)):
        text = figure(value, rows[0].unit)
        pdf.line(left - 1, y, left, y)
        pdf.text(left - 1.5 - pdf.get_string_width(text), y + 1, text)
    for (x, _), row in zip(points, rows, strict=True):
        for number, line in enumerate(_axis_label(pdf, row.label, max(step - 1, 6))):
            pdf.text(x - pdf.get_string_width(line) / 2, base + 4 + 3 * number, line)
    pdf.set_draw_color(*INK)
    pdf.set_fill_color(*INK)
    pdf.set_line_width(0.6)
    if len(points) > 1:
        pdf.polyline(points)
    pdf.set_text_color(0)
    pdf.set_font(FONT, "", 7)
    for (x, y), row in zip(points, rows, strict=True):
        pdf.circle(x, y, 0.9, style="F")
        text = figure(row.value, row.unit)
        pdf.text(x - pdf.get_string_width(text) / 2, y - 2, text)
    pdf.set_fill_color(255)
    pdf.set_draw_color(160)
    pdf.set_line_width(0.2)
    pdf.set_y(base + 11)


# Spreadsheets.

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Characters Excel refuses in a sheet's name; it allows 31 characters at most.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _text(value):
    """A string for a cell: control characters dropped (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(sheet, row, column, value):
    """Write a cell; text stays text even if it starts with "=" (a narrative typed as
    "=HYPERLINK(…)"), never a formula that the funder's spreadsheet runs."""
    if isinstance(value, str):
        cell = sheet.cell(row=row, column=column, value=_text(value))
        keep_as_text(cell)
    else:
        cell = sheet.cell(row=row, column=column, value=value)
    return cell


def _number_format(value, unit, *, signed=False):
    """How a figure shows in the spreadsheet; the cell keeps the plain number (74.1 for
    74,1 %, as in the JSON). A change of a rate is in points."""
    digits = "#,##0" if float(value).is_integer() else "#,##0.0"
    suffix = {"%": ' "pts"' if signed else ' "%"', "h": ' "h"'}.get(unit, "")
    if not signed:
        return digits + suffix
    return f"+{digits}{suffix};-{digits}{suffix};0"


def _sheet_name(title, taken):
    name = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", title).split())[:31].strip() or "Partie"
    base, number = name, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _workbook_bytes(workbook):
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def report_xlsx(report):
    """The report as .xlsx bytes: a sheet "Période" (centre, programme, period,
    funder), then one sheet per section with its tables, figures as numbers."""
    workbook = Workbook()
    about = workbook.active
    about.title = "Période"
    fields = [
        ("Centre", report.centre),
        ("Action", report.programme),
        ("Du", report.start),
        ("Au", report.end),
        ("Période précédente du", report.previous_start),
        ("Période précédente au", report.previous_end),
        ("Financeur", _funder_label(report.funder)),
    ]
    for line, (label, value) in enumerate(fields, start=1):
        _put(about, line, 1, label).font = BOLD
        cell = _put(about, line, 2, value)
        if not isinstance(value, str):
            cell.number_format = "DD/MM/YYYY"
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 48

    taken = {"période"}
    heading = (
        "Indicateur",
        f"Période ({_date(report.start)} – {_date(report.end)})",
        f"Période précédente ({_date(report.previous_start)} – {_date(report.previous_end)})",
        "Évolution",
        "Unité",
    )
    for section in report.sections:
        sheet = workbook.create_sheet(_sheet_name(section.title, taken))
        _fill_section(sheet, section, heading)
    return _workbook_bytes(workbook)


def _fill_section(sheet, section, heading):
    line = 1
    _put(sheet, line, 1, section.title).font = Font(bold=True, size=14)
    line += 2
    for table in section.tables:
        _put(sheet, line, 1, table.title).font = Font(bold=True, size=12)
        line += 1
        for column, label in enumerate(heading, start=1):
            _put(sheet, line, column, label).font = BOLD
        line += 1
        for row in table.rows:
            _put(sheet, line, 1, row.label)
            for column, value in ((2, row.value), (3, row.previous), (4, row.change)):
                if value is not None:
                    cell = _put(sheet, line, column, value)
                    cell.number_format = _number_format(value, row.unit, signed=column == 4)
            if row.unit:
                _put(sheet, line, 5, row.unit)
            line += 1
        if not table.rows:
            _put(sheet, line, 1, NO_ROWS)
            line += 1
        if table.note:
            _put(sheet, line, 1, table.note).font = Font(italic=True)
            line += 1
        line += 1
    if section.narrative:
        _put(sheet, line, 1, "Commentaire").font = BOLD
        line += 1
        cell = _put(sheet, line, 1, section.narrative)
        cell.alignment = WRAP
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=len(heading))
        # Excel does not grow a merged cell to its text: roughly 110 characters a line.
        lines = sum(1 + len(part) // 110 for part in section.narrative.splitlines() or [""])
        sheet.row_dimensions[line].height = 15 * lines
    widths = (48, 26, 32, 12, 8)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def report_json(report):
    """The report's `as_dict()` as UTF-8 JSON, accents kept as they are."""
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2).encode()


# The FSE+ participants' spreadsheet: the fields of `fse.Participant` it shows, their
# French headers, and the labels of the codes they hold.
FSE_COLUMNS = (
    ("id", "Code participant", None),
    ("sex", "Sexe", dict(Sex.choices)),
    ("age_at_entry", "Âge à l'entrée", None),
    ("age_band", "Tranche d'âge FSE+", {band.key: band.label for band in FSE_AGE_BANDS}),
    ("single_parent", "Parent isolé", None),
    ("benefit", "Ressource principale", dict(Benefit.choices)),
    (
        "employment",
        "Situation d'emploi à l'entrée",
        {status.key: status.label for status in EMPLOYMENT_STATUSES},
    ),
    ("qpv", "Habite un QPV", None),
    ("education", "Niveau de diplôme", dict(EducationLevel.choices)),
    ("disability", "Handicap reconnu", None),
    ("entered_on", "Date d'entrée", None),
    ("exited_on", "Date de sortie", None),
    ("exit_outcome", "Situation à la sortie", None),
    ("exit_family", "Type de sortie", dict(OutcomeFamily.choices)),
)


def _fse_value(value, labels):
    if isinstance(value, bool):
        return "oui" if value else "non"
    return labels.get(value, value) if labels and value else value


def fse_xlsx(rows):
    """One row per participant (a pseudonymous number, no name) under French headers,
    codes written as their labels, dates and ages as dates and numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Participants FSE+"
    for column, (_, header, _) in enumerate(FSE_COLUMNS, start=1):
        _put(sheet, 1, column, header).font = BOLD
        sheet.column_dimensions[get_column_letter(column)].width = 24
    for line, row in enumerate(rows, start=2):
        for column, (key, _, labels) in enumerate(FSE_COLUMNS, start=1):
            value = getattr(row, key)
            cell = _put(sheet, line, column, _fse_value(value, labels))
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    return _workbook_bytes(workbook)
