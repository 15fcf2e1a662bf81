"""Files built to keep a worker busy or fill its memory: each is refused in French
before the work, and what is read stays within the limits whatever the file declares.

Work is measured by counts (rows parsed, parts opened) and memory by tracemalloc's
peak, never by the clock: the same on a busy machine.
"""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from parcours.people import imports

from .test_import import csv_file, person_row, run_import, xlsx_file

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


def with_sheet(sheet_xml_chunks, source=None):
    """A valid .xlsx (`source`, or a one-person file) whose first sheet is replaced by
    the given XML, written a chunk at a time (the file stays small however large the
    sheet unfolds)."""
    source = zipfile.ZipFile(source or xlsx_file([person_row()]))
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part in source.infolist():
            if part.filename == SHEET:
                with archive.open(SHEET, "w", force_zip64=True) as sheet:
                    for chunk in sheet_xml_chunks:
                        sheet.write(chunk)
            else:
                archive.writestr(part, source.read(part.filename))
    content.seek(0)
    return content


def sheet_xml(dimension, rows):
    yield (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + dimension + b'"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
    )
    yield from rows
    yield b"</sheetData></worksheet>"


@pytest.fixture
def parsed_rows(monkeypatch):
    """How many rows openpyxl parses; the count is its work."""
    count = [0]
    parse_row = WorkSheetParser.parse_row

    def counting(self, row):
        count[0] += 1
        return parse_row(self, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return count


def test_it_refuses_a_sheet_declaring_every_row_and_column_before_reading_a_row(
    centre, monkeypatch
):
    # The report's file: 1.6 KB declaring A1:XFD1048576, a value in its last row.
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Nom"
    workbook.active["XFD1048576"] = "Lefèvre"
    content = io.BytesIO()
    workbook.save(content)
    assert len(content.getvalue()) < 10_000

    def never(*args, **kwargs):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", never)

    result = run_import(centre, io.BytesIO(content.getvalue()), filename="personnes.xlsx")

    assert result.errors == [
        "la première feuille déclare 1048576 lignes et 16384 colonnes (A1:XFD1048576), un "
        "import en lit 20000 lignes et 50 colonnes au plus : copiez le tableau seul dans un "
        "nouveau classeur"
    ]


def test_it_refuses_a_zip_of_empty_rows_before_unzipping_it(centre, monkeypatch):
    # Like the report's 2.8 MB zip that took a worker to 584 MB: rows and rows of
    # nothing, compressed a thousand-fold.
    rows = (b'<row r="2"><c r="A2"/></row>' * 40_000 for _ in range(40))
    content = with_sheet(sheet_xml(b"A1:A2", rows))
    assert len(content.getvalue()) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open the file")

    monkeypatch.setattr(imports.openpyxl, "load_workbook", never)

    result = run_import(centre, content, filename="personnes.xlsx")

    size = zipfile.ZipFile(content).getinfo(SHEET).file_size // MB
    assert result.errors == [
        "fichier .xlsx trop volumineux une fois décompressé : sa partie "
        f"« {SHEET} » fait {size} Mo, 32 Mo au plus ; enregistrez le tableau seul dans un "
        "nouveau classeur"
    ]


def test_it_refuses_a_zip_of_many_parts_before_reading_its_directory(centre, monkeypatch):
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        for number in range(imports.MAX_XLSX_PARTS + 1):
            archive.writestr(f"{number}.xml", b"")

    def never(*args, **kwargs):
        raise AssertionError("zipfile read the directory")

    monkeypatch.setattr(imports.zipfile, "ZipFile", never)

    result = run_import(centre, content, filename="personnes.xlsx")

    assert result.errors == [
        "fichier .xlsx de plus de 1000 parties : enregistrez le tableau seul dans un "
        "nouveau classeur"
    ]


@pytest.mark.parametrize(
    "rows,error",
    [
        # Within the size limits: 31 MB of one empty row, again and again.
        ([b'<row r="1"/>' * 100_000] * 27, "plus de 250000 lignes ou textes"),
        # One row of seventy thousand cells.
        (
            [b'<row r="2">', *[b'<c r="A2"/>' * 1000] * 70, b"</row>"],
            "plus de 65536 éléments dans une seule ligne",
        ),
    ],
    ids=["rows", "cells"],
)
def test_it_refuses_a_small_zip_of_many_rows_or_cells_before_openpyxl_opens_it(
    centre, monkeypatch, rows, error
):
    content = with_sheet(sheet_xml(b"A1:A2", rows))
    assert len(content.getvalue()) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open the file")

    monkeypatch.setattr(imports.openpyxl, "load_workbook", never)

    result = run_import(centre, content, filename="personnes.xlsx")

    assert len(result.errors) == 1
    assert result.errors[0].startswith(
        f"fichier .xlsx trop chargé : la partie « {SHEET} » compte {error} ; "
    )


def test_it_refuses_a_sheet_declaring_entities(centre):
    # The "billion laughs": each entity ten times the previous one.
    entities = b'<!ENTITY e0 "ha">' + b"".join(
        b'<!ENTITY e%d "%s">' % (n, b"&e%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    content = with_sheet([b"<!DOCTYPE worksheet [" + entities + b"]>", *sheet_xml(b"A1", [])])

    result = run_import(centre, content, filename="personnes.xlsx")

    assert result.errors[0].startswith("fichier .xlsx illisible")


def test_it_reads_no_further_than_the_line_limit_whatever_the_sheet_declares(centre, parsed_rows):
    # Declares two lines, holds thirty thousand: the reading stops one line past the limit.
    rows = (b'<row r="%d"/>' % n for n in range(2, 30_000))
    content = with_sheet(sheet_xml(b"A1:A2", rows))

    result = run_import(centre, content, filename="personnes.xlsx")

    assert result.errors == ["le fichier dépasse 20000 lignes : découpez-le en plusieurs fichiers"]
    assert parsed_rows[0] <= imports.MAX_LINES + 2


def test_it_refuses_a_value_past_the_column_limit_of_a_sheet_declaring_less(centre):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nom", "Prénom"])
    workbook.active.append(["Lefèvre", "Zoé", *[None] * 48, "caché"])
    content = io.BytesIO()
    workbook.save(content)
    sheet = zipfile.ZipFile(content).read(SHEET)
    lying = sheet.replace(b'<dimension ref="A1:AY2" />', b'<dimension ref="A1:B2" />')
    assert lying != sheet

    result = run_import(centre, with_sheet([lying], content), filename="personnes.xlsx")

    assert result.errors == [
        "ligne 2 : une valeur au-delà de la colonne 50, un import en lit 50 au plus"
    ]


@pytest.mark.parametrize(
    "content,error",
    [
        # Ten megabytes, the most the form accepts, of line ends: ten million rows.
        (b"Nom;Pr\xc3\xa9nom\n" + b"\n" * (10 * MB), "le fichier dépasse 20000 lignes"),
        # One line of ten million semicolons: ten million cells.
        (b"Nom;Pr\xc3\xa9nom\nA;" + b";" * (10 * MB), "ligne 2 : plus de 262144 caractères"),
    ],
)
def test_it_refuses_a_csv_of_millions_of_rows_or_cells_in_little_memory(centre, content, error):
    tracemalloc.start()
    try:
        result = run_import(centre, io.BytesIO(content))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert result.errors[0].startswith(error)
    # The file itself is not counted: it was allocated before.
    assert peak < 20 * MB


def test_it_says_a_csv_saved_in_utf16_must_be_saved_in_utf8(centre):
    for encoding in ("utf-16", "utf-16-le"):
        result = run_import(centre, csv_file([person_row()], encoding=encoding))

        assert result.errors == [
            "fichier CSV encodé en UTF-16 (« texte Unicode ») : enregistrez-le en "
            "« CSV UTF-8 (délimité par des points-virgules) »"
        ]


def test_it_says_which_line_holds_a_cell_over_the_csv_limit(centre):
    rows = [person_row(Notes=""), person_row(Prénom="Inès", Notes="x" * 200_000)]

    result = run_import(centre, csv_file(rows))

    assert result.errors == [
        "ligne 3 : une cellule dépasse 131072 caractères, la limite d'un import ; "
        "raccourcissez-la, ou fermez le guillemet (\") resté ouvert qui l'allonge jusqu'à "
        "la fin du fichier"
    ]


def test_it_says_which_line_opens_a_quote_that_never_closes(centre):
    lines = ["Nom;Prénom;Date de naissance", 'Lefèvre;"Zoé;12/03/1988']
    lines += ["Martin;Jean;01/01/1990"] * 20_000

    result = run_import(centre, io.BytesIO("\r\n".join(lines).encode()))

    assert result.errors[0].startswith("ligne 2 : une cellule dépasse 131072 caractères")
