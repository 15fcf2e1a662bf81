"""The people import, fed 1,000 generated spreadsheets of each kind (.csv and .xlsx).

Headers in any order and spelling, known and unknown, cells plausible or hostile
(unicode, control characters, huge text, impossible dates, unknown choices, formulas),
files damaged or disguised: the import never raises, and it is all or nothing — with an
error nothing at all is written, without one every new person is written.
A sample goes through the page and the command too: never a server error, never a
traceback.
"""

import contextlib
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from parcours.core.search import name_key
from parcours.people import enums
from parcours.people.imports import COLUMNS, people_import
from parcours.people.models import Neighbourhood, Person

from ..factories import verified_login
from .strategies import (
    DATES,
    EMAILS,
    EXAMPLES,
    HOSTILE,
    PHONES,
    SETTINGS,
    TEXT,
    huge,
    integers,
)
from .test_forms import _writes


def _choices(enum):
    return st.one_of(
        st.sampled_from(list(enum.labels) + list(enum.values)),
        st.sampled_from(list(enum.labels)).map(str.upper),
        TEXT,
    )


NAMES = st.one_of(st.sampled_from(["Lefèvre", "Zoé-Marie", "N'Diaye", "Œuvray"]), TEXT, huge(200))
# What each column is sent; a column another branch adds gets text until it is listed.
CELLS = {
    "last_name": NAMES,
    "first_name": NAMES,
    "birth_date": st.one_of(DATES, st.dates()),
    "sex": _choices(enums.Sex),
    "phone": PHONES,
    "email": EMAILS,
    "household": _choices(enums.Household),
    "children_count": st.one_of(integers(), st.integers(-3, 200)),
    "benefit": _choices(enums.Benefit),
    "rsa_orientation": _choices(enums.RsaOrientation),
    "french_level": _choices(enums.FrenchLevel),
    "difficulties": st.lists(_choices(enums.Difficulty), max_size=3).map(", ".join),
    "neighbourhood": st.one_of(
        st.sampled_from(["Quartier-Est", "quartier est", "Nulle part"]), TEXT
    ),
    "postcode": st.one_of(st.integers(0, 99999), TEXT),
    "entry_date": st.one_of(DATES, st.dates(), st.just("")),
}


# Cells an honest spreadsheet holds: some generated files must import.
VALID = {
    "last_name": st.sampled_from(["Lefèvre", "N'Diaye", "Œuvray", "Da Silva"]),
    "first_name": st.sampled_from(["Zoé-Marie", "Inès", "Jean"]),
    "birth_date": st.dates(datetime.date(1930, 1, 1), datetime.date(2008, 1, 1)),
    "sex": st.sampled_from(list(enums.Sex.labels)),
    "phone": st.just("03 53 01 00 00"),
    "email": st.just("anne@example.org"),
    "children_count": st.integers(0, 9),
    "neighbourhood": st.just("Quartier-Est"),
    "entry_date": st.just(""),
}


def cell(column, valid):
    if valid:
        return VALID.get(column.field, st.just(""))
    return st.one_of(CELLS.get(column.field, TEXT), HOSTILE, st.just(""))


@st.composite
def tables(draw, valid=False):
    """Header cells and rows of cells, like a spreadsheet someone filled in."""
    columns = draw(st.permutations(COLUMNS))[: draw(st.integers(0, len(COLUMNS)))]
    if valid:
        columns = [c for c in COLUMNS if c.required] + [c for c in columns if not c.required]
    header = [
        draw(st.sampled_from([c.header, c.header.upper(), name_key(c.header)])) for c in columns
    ]
    if not valid and draw(st.booleans()):
        header.insert(draw(st.integers(0, len(header))), draw(st.one_of(TEXT, st.just(""))))
    row = st.tuples(*[cell(c, valid) for c in columns]).map(list) if columns else st.just([])
    rows = draw(st.lists(row, min_size=1 if valid else 0, max_size=6))
    if valid:
        # One person per row: the same name and birth date twice is an error.
        for n, cells in enumerate(rows):
            cells[0] = f"{cells[0]}{n}"
    elif draw(st.booleans()) and rows:
        rows.append(list(rows[0]))  # the same person twice
    return [header, *rows]


def as_csv(table, delimiter, encoding):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(table)
    return out.getvalue().encode(encoding, errors="replace")


def as_xlsx(table):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CSV_FILES = st.one_of(
    st.builds(
        as_csv,
        st.one_of(tables(), tables(valid=True)),
        st.sampled_from([";", ","]),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    ),
    st.binary(max_size=300),
)
XLSX_FILES = st.one_of(
    st.builds(as_xlsx, st.one_of(tables(), tables(valid=True))), st.binary(max_size=300)
)


@pytest.fixture
def importing(shared_worlds, db):
    world, _other = shared_worlds
    centre = world["centre"]
    Neighbourhood.objects.get_or_create(centre=centre, name="Quartier-Est")
    return world


def check_all_or_nothing(world, content, filename, programme):
    """Import one file (rolled back): nothing written with an error, every new person
    written without one. Returns whether it imported."""
    centre = world["centre"]
    with transaction.atomic():
        before = Person.objects.count()
        with CaptureQueriesContext(connection) as queries:
            result = people_import(
                file=io.BytesIO(content),
                filename=filename,
                centre=centre,
                programme=world["programme"] if programme else None,
            )
        if result.errors:
            assert _writes(queries) == set(), result.errors
        else:
            assert Person.objects.count() - before == result.created
        transaction.set_rollback(True)
    return not result.errors


def test_a_generated_csv_is_imported_whole_or_not_at_all(importing):
    @settings(SETTINGS, max_examples=EXAMPLES)
    @given(content=CSV_FILES, name=st.sampled_from(["p.csv", "P.CSV"]), programme=st.booleans())
    def check(content, name, programme):
        imported.append(check_all_or_nothing(importing, content, name, programme))

    imported = []
    check()
    assert any(imported), "aucun fichier généré n'a pu être importé"


def test_a_generated_xlsx_is_imported_whole_or_not_at_all(importing):
    @settings(SETTINGS, max_examples=EXAMPLES)
    @given(
        content=XLSX_FILES,
        name=st.sampled_from(["p.xlsx", "P.XLSX", "p.xls", "p"]),
        programme=st.booleans(),
    )
    def check(content, name, programme):
        imported.append(check_all_or_nothing(importing, content, name, programme))

    imported = []
    check()
    assert any(imported), "aucun fichier généré n'a pu être importé"


def test_the_import_page_never_fails_on_a_generated_file(importing, client):
    verified_login(client, importing["users"]["coordinator"])

    @settings(SETTINGS, max_examples=50)
    @given(content=st.one_of(CSV_FILES, XLSX_FILES), name=st.sampled_from(["p.csv", "p.xlsx"]))
    def check(content, name):
        with transaction.atomic():
            response = client.post(
                reverse("people:import"), {"file": SimpleUploadedFile(name, content)}
            )
            # The page answers (a report of the import or its errors), never a 500
            # nor the second-factor step.
            assert response.status_code in (200, 302)
            assert response.status_code == 200 or response.url == reverse("people:list")
            transaction.set_rollback(True)

    check()


def test_the_import_command_never_shows_a_traceback(importing, tmp_path):
    path = tmp_path / "personnes.csv"

    @settings(SETTINGS, max_examples=50)
    @given(content=CSV_FILES)
    def check(content):
        path.write_bytes(content)
        with transaction.atomic():
            # A refused file is a French message on the command line, nothing written.
            with contextlib.suppress(CommandError):
                call_command(
                    "import_people",
                    str(path),
                    centre=importing["centre"].slug,
                    programme=importing["programme"].slug,
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
            transaction.set_rollback(True)

    check()
