"""Export people to .xlsx or .csv, with the import's columns so an export re-imports.

An export hands whole identities over, so each exported person gets an audited
read ("accès") in the same transaction as the file: no trail, no file.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from parcours.audit.services import audit_bulk_reads
from parcours.core.spreadsheets import keep_as_text, neutralise
from parcours.pathways.models import Pathway

from .imports import COLUMNS, HEADERS

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
DATE_FORMAT = "DD/MM/YYYY"

# The template's example row: a fictional person (01 99 00… is a number range kept
# for fiction), in the columns' order.
TEMPLATE_EXAMPLE = [
    "EXEMPLE",
    "Zoé",
    datetime.date(1988, 3, 12),
    "Femme",
    "01 99 00 12 34",
    "zoe.exemple@example.org",
    "12 rue de l'Exemple",
    "57100",
    "Thionville",
    "",
    "Parent isolé",
    2,
    "4, 9",
    "RSA",
    "Sociale",
    "Courant",
    "Mobilité, Garde d'enfants",
    "Orientée par le CCAS",
    datetime.date(2025, 9, 1),
]


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def _rows(people):
    for person in people:
        yield [column.export(person) for column in COLUMNS]


def _csv(rows):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(
            [
                f"{value:%d/%m/%Y}" if isinstance(value, datetime.date) else neutralise(value)
                for value in row
            ]
        )
    # The byte order mark is how French Excel knows the file is UTF-8.
    return text.getvalue().encode("utf-8-sig")


def _bold_header(sheet, headers):
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(cell.value) + 4)
    sheet.freeze_panes = "A2"


def _xlsx(rows, *, help_rows=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Personnes"
    _bold_header(sheet, HEADERS)
    for row in rows:
        # Control characters pasted into notes would make openpyxl refuse the cell.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                keep_as_text(cell)
    if help_rows:
        help_sheet = workbook.create_sheet("Aide")
        _bold_header(help_sheet, ["Colonne", "Obligatoire", "Valeurs acceptées"])
        help_sheet.column_dimensions["C"].width = 90
        for row in help_rows:
            help_sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def people_export(*, people, file_format, centre, by, remote_addr=None):
    """The file of `people` (already narrowed to what `by` may see) in `file_format`,
    "xlsx" or "csv", with one audited read per person written in the current
    transaction."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"format d'export inconnu : {file_format}")
    latest_entry = Pathway.objects.filter(person=OuterRef("pk")).order_by("-started_on")
    people = list(
        people.select_related("neighbourhood").annotate(
            entry_date=Subquery(latest_entry.values("started_on")[:1])
        )
    )
    write = _csv if file_format == "csv" else _xlsx
    content = write(_rows(people))
    audit_bulk_reads(
        person_ids=[person.pk for person in people],
        by=by,
        centre=centre,
        via=f"export {file_format}",
        remote_addr=remote_addr,
    )
    today = timezone.localdate()
    return Export(
        content=content,
        content_type=CONTENT_TYPES[file_format],
        filename=f"personnes-{centre.slug}-{today:%Y-%m-%d}.{file_format}",
    )


def import_template():
    """The import template: the headers, one fictional row, and a help sheet."""
    help_rows = [
        [column.header, "oui" if column.required else "", column.accepted] for column in COLUMNS
    ]
    return _xlsx([TEMPLATE_EXAMPLE], help_rows=help_rows)
