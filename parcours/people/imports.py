"""Import people from a spreadsheet (.xlsx or .csv) with French column headers.

The whole file is checked before anything is written: one wrong row and nothing is
imported, and every problem is reported as "ligne N, colonne X : problème" with the
spreadsheet's own line numbers (the header is line 1). A valid file is imported in
one transaction through `Person.save()`, so every creation is audited. A person
already in the centre (same name, spelling aside, and birth date) is skipped, which
makes importing the same file twice harmless.

`COLUMNS` is the one table of columns; the export writes the same ones, so an export
can be imported again.
"""

import codecs
import contextlib
import csv
import datetime
import io
import re
import struct
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from parcours.audit.services import audit_bulk_creates
from parcours.centres.models import Centre
from parcours.core.bulk import create_all
from parcours.core.search import name_key
from parcours.core.spreadsheets import FORMULA_STARTS
from parcours.pathways.models import Pathway

from .enums import Benefit, Difficulty, FrenchLevel, Household, PersonStatus, RsaOrientation, Sex
from .models import Neighbourhood, Person

MAX_ROWS = 10_000
# What an import reads at most, blank lines included, whatever a file declares: the
# bound of its work and memory (a few kilobytes can declare or unfold into millions
# of rows). Room for blank lines between the people, and for untitled columns.
MAX_LINES = 2 * MAX_ROWS
MAX_COLUMNS = 50
# A line longer than this is no spreadsheet line: as one CSV row, ten million
# semicolons are ten million cells.
MAX_LINE_CHARS = 2 * csv.field_size_limit()
MB = 1024 * 1024
# Files are checked and decoded a megabyte at a time.
CHUNK_BYTES = MB
# Decompressed sizes of the parts of a .xlsx. The sheets are read a row at a time and
# the shared strings are the cells' text: room for 10,000 people with long notes.
# openpyxl loads every other part whole into objects ten times its size (styles.xml
# above all), and an honest file's are a few kilobytes.
MAX_XLSX_DATA_PART_BYTES = 32 * MB
MAX_XLSX_OTHER_PART_BYTES = 2 * MB
MAX_XLSX_BYTES = 48 * MB
MAX_XLSX_PARTS = 1000
# XML elements in a sheet or in the shared strings. openpyxl's work grows with them
# all; it keeps, until the part is read, each row and shared string (cleared, about a
# hundred bytes each) and any element it does not know; and a row's elements until
# the row ends. Ten thousand people of 19 columns are some 600,000 elements.
MAX_PART_ELEMENTS = 1_000_000
MAX_KEPT_ELEMENTS = 250_000
MAX_RECORD_ELEMENTS = 65_536
# A zip ends with a 22-byte record, followed by a comment of 65,535 bytes at most.
ZIP_END_RECORD_BYTES = 22
ZIP_END_RECORD_SEARCH = ZIP_END_RECORD_BYTES + 65_535
UNREADABLE_XLSX = (
    "fichier .xlsx illisible : ouvrez-le dans votre tableur et enregistrez-le à "
    "nouveau au format .xlsx"
)
# Rows per INSERT statement: SQLite accepts at most 32,766 parameters in one.
BATCH = 500
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


class UnreadableFile(Exception):
    pass


# Parsers: a cell's cleaned value in, the Person value out, ValueError with the
# French problem otherwise. An empty cell is "" (or a date/number from a .xlsx cell).


def _text(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _postcode(value):
    # Excel turns 01000 into the number 1000.
    if isinstance(value, int):
        return f"{value:05d}"
    return str(value)


def _date(value):
    if value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for date_format in DATE_FORMATS:
        try:
            # A calendar day, read as written: no time, so no time zone.
            return datetime.datetime.strptime(str(value), date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"date « {value} » invalide ; format attendu : JJ/MM/AAAA ou AAAA-MM-JJ")


def _birth_date(value):
    date = _date(value)
    if date is not None and not datetime.date(1900, 1, 1) <= date <= timezone.localdate():
        raise ValueError(f"date de naissance « {date:%d/%m/%Y} » impossible")
    return date


class _CheckedPhoneNumber(PhoneNumber):
    """A number `_phone` parsed and found valid. Given as a string, the model field
    would parse it again, and the insert and the audit diff validate it again: a
    tenth of the time of a 10,000-row import. Stored and audited as any number."""

    def is_valid(self):
        return True


def _phone(value):
    if value == "":
        return ""
    number = _CheckedPhoneNumber()
    try:
        phonenumbers.parse(str(value), "FR", numobj=number)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(
            f"numéro « {value} » invalide ; exemples : 03 82 12 34 56, +352 621 123 456"
        )
    return number


def _email(value):
    if value == "":
        return ""
    try:
        validate_email(str(value))
    except ValidationError:
        raise ValueError(f"adresse e-mail « {value} » invalide") from None
    return str(value)


def _children_count(value):
    if value == "":
        return 0
    text = str(value)
    if not (text.isascii() and text.isdigit() and int(text) <= 99):
        raise ValueError(f"« {value} » n'est pas un nombre entier de 0 à 99")
    return int(text)


def _choice_keys(choices):
    keys = {}
    for value, label in choices.choices:
        keys[name_key(label)] = value
        keys[name_key(value)] = value
    return keys


def _choice(choices):
    keys = _choice_keys(choices)
    accepted = ", ".join(choices.labels)

    def parse(value):
        if value == "":
            return ""
        try:
            return keys[name_key(str(value))]
        except KeyError:
            raise ValueError(
                f"valeur « {value} » inconnue ; valeurs acceptées : {accepted}"
            ) from None

    return parse


_difficulty = _choice(Difficulty)


def _difficulties(value):
    return {_difficulty(part.strip()) for part in re.split("[,;]", str(value)) if part.strip()}


def _neighbourhood(value):
    # The centre's neighbourhoods are looked up once per import, in `_Rows`.
    return name_key(str(value))


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable
    export: Callable
    required: bool = False
    accepted: str = ""


def _attribute(name):
    return lambda person: getattr(person, name)


def _display(name):
    return lambda person: getattr(person, f"get_{name}_display")()


def _phone_text(person):
    number = person.phone
    if not number:
        return ""
    return number.as_national if number.country_code == 33 else number.as_international


def _choice_column(header, name, choices):
    return Column(
        header,
        name,
        _choice(choices),
        _display(name),
        accepted=" ; ".join(choices.labels),
    )


COLUMNS = (
    Column("Nom", "last_name", _text, _attribute("last_name"), required=True),
    Column("Prénom", "first_name", _text, _attribute("first_name"), required=True),
    Column(
        "Date de naissance",
        "birth_date",
        _birth_date,
        _attribute("birth_date"),
        accepted="JJ/MM/AAAA, AAAA-MM-JJ ou cellule au format date",
    ),
    _choice_column("Sexe", "sex", Sex),
    Column(
        "Téléphone",
        "phone",
        _phone,
        _phone_text,
        accepted="numéro français (03 82 12 34 56) ou international (+352 621 123 456)",
    ),
    Column("E-mail", "email", _email, _attribute("email"), accepted="une adresse e-mail valide"),
    Column("Adresse", "address", _text, _attribute("address")),
    Column("Code postal", "postcode", _postcode, _attribute("postcode")),
    Column("Commune", "city", _text, _attribute("city")),
    Column(
        "Quartier",
        "neighbourhood",
        _neighbourhood,
        lambda person: person.neighbourhood.name if person.neighbourhood else "",
        accepted="le nom d'un quartier du centre ; vide : déduit de l'adresse",
    ),
    _choice_column("Situation familiale", "household", Household),
    Column(
        "Enfants à charge",
        "children_count",
        _children_count,
        _attribute("children_count"),
        accepted="nombre entier de 0 à 99 ; vide : 0",
    ),
    Column("Âge des enfants", "children_ages", _text, _attribute("children_ages")),
    _choice_column("Ressources", "benefit", Benefit),
    _choice_column("Orientation RSA", "rsa_orientation", RsaOrientation),
    _choice_column("Niveau de français", "french_level", FrenchLevel),
    Column(
        "Difficultés",
        "difficulties",
        _difficulties,
        lambda person: ", ".join(d.label for d in person.difficulties),
        accepted="plusieurs séparées par « , » ou « ; » parmi : " + " ; ".join(Difficulty.labels),
    ),
    Column("Notes", "notes", _text, _attribute("notes")),
    Column(
        "Date d'entrée",
        "entry_date",
        _date,
        # Annotated by the export: the start of the person's latest pathway.
        _attribute("entry_date"),
        accepted=(
            "JJ/MM/AAAA, AAAA-MM-JJ ou cellule au format date ; remplie : la personne entre "
            "dans l'action choisie à cette date"
        ),
    ),
)
HEADERS = [column.header for column in COLUMNS]
_COLUMNS_BY_KEY = {name_key(column.header): column for column in COLUMNS}
_MAX_LENGTHS = {f.name: f.max_length for f in Person._meta.fields if f.max_length}


@dataclass
class ImportResult:
    created: int = 0
    already_present: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self):
        created = "personne importée" if self.created <= 1 else "personnes importées"
        present = "déjà présente" if self.already_present <= 1 else "déjà présentes"
        return f"{self.created} {created}, {self.already_present} {present}."


def _error(line, column, problem):
    return f"ligne {line}, colonne {column} : {problem}"


def _clean(value):
    """A cell as text (stripped, the export's anti-formula apostrophe removed), or
    the date or whole number a .xlsx cell holds."""
    if value is None:
        return ""
    if isinstance(value, datetime.date | int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


# Reading a file. Everything is read as a stream and stops at MAX_LINES lines and
# MAX_COLUMNS columns, whatever the file declares: a file of a few kilobytes can
# declare, or unfold into, millions of rows. What is kept is the filled lines only.


class _LineTooLong(Exception):
    pass


def _csv_encoding(file):
    """UTF-8 (with or without the BOM Excel writes) or else Windows' cp1252, the
    two encodings French spreadsheets save CSV in; checked a chunk at a time."""
    start = file.read(2)
    # Excel's « Texte Unicode » and some exports are UTF-16: a NUL byte beside each
    # letter of the header, or its byte order mark.
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in start:
        raise UnreadableFile(
            "fichier CSV encodé en UTF-16 (« texte Unicode ») : enregistrez-le en "
            "« CSV UTF-8 (délimité par des points-virgules) »"
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(start)
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        file.seek(0)
    return "utf-8-sig"


def _physical_lines(text):
    """The lines of `text` for the csv module, each of MAX_LINE_CHARS at most: a
    line of ten million semicolons would be a row of ten million cells."""
    while line := text.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise _LineTooLong
        yield line


def _csv_rows(file):
    encoding = _csv_encoding(file)
    # newline="": the csv module reads the line ends itself (a cell may hold one).
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    read = 0
    try:
        header_line = text.readline(MAX_LINE_CHARS)
        delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
        text.seek(0)
        for row in csv.reader(_physical_lines(text), delimiter=delimiter):
            read += 1
            yield row
    except UnicodeDecodeError:
        raise UnreadableFile(
            "fichier CSV illisible : encodage inconnu ; enregistrez-le en « CSV UTF-8 »"
        ) from None
    except _LineTooLong:
        raise UnreadableFile(
            f"ligne {read + 1} : plus de {MAX_LINE_CHARS} caractères sur une seule ligne ; "
            "vérifiez que le fichier est bien un tableau enregistré en CSV"
        ) from None
    except csv.Error as error:
        # The csv module's message is in English: the one case a spreadsheet meets
        # is a cell over its limit, often a quote (") never closed.
        if not str(error).startswith("field larger than field limit"):
            raise UnreadableFile(f"ligne {read + 1} : fichier CSV illisible") from None
        raise UnreadableFile(
            f"ligne {read + 1} : une cellule dépasse {csv.field_size_limit()} caractères, "
            "la limite d'un import ; raccourcissez-la, ou fermez le guillemet (\") "
            "resté ouvert qui l'allonge jusqu'à la fin du fichier"
        ) from None
    finally:
        # The file is the caller's: closing the wrapper would close it.
        text.detach()


def _zip_part_count(file):
    """The number of parts a zip's end record announces, read before zipfile
    loads its directory: a few hundred bytes of memory a part, and ten megabytes
    of empty parts is a hundred thousand of them."""
    file.seek(0, io.SEEK_END)
    file.seek(max(0, file.tell() - ZIP_END_RECORD_SEARCH))
    tail = file.read()
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or len(tail) - position < ZIP_END_RECORD_BYTES:
        raise UnreadableFile(UNREADABLE_XLSX)
    # Its fields: signature, disk, disk of the directory, parts on this disk, parts.
    return struct.unpack_from("<4s4H", tail, position)[4]


def _check_xlsx_parts(file):
    """Refuse, before openpyxl reads anything, a file whose parts unfold into more
    than an import can need: too many parts, parts too large, a sheet of too many
    XML elements."""
    if _zip_part_count(file) > MAX_XLSX_PARTS:
        raise UnreadableFile(
            f"fichier .xlsx de plus de {MAX_XLSX_PARTS} parties : enregistrez le tableau "
            "seul dans un nouveau classeur"
        )
    try:
        with zipfile.ZipFile(file) as archive:
            # openpyxl reads the XML parts only (not pictures, for instance).
            parts = [p for p in archive.infolist() if p.filename.endswith((".xml", ".rels"))]
            _check_sizes(parts)
            for part in parts:
                if _is_data_part(part.filename):
                    with archive.open(part) as stream:
                        _check_elements(stream, part.filename)
    # A damaged zip, or one compressed or encrypted in a way zipfile does not read.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        raise UnreadableFile(UNREADABLE_XLSX) from None
    finally:
        file.seek(0)


def _check_sizes(parts):
    """Each part of a zip declares its size, and Python's zipfile never gives more
    than the declared size (it stops there, then finds the checksum wrong): checking
    the declared sizes bounds what is unzipped."""
    for part in parts:
        limit = (
            MAX_XLSX_DATA_PART_BYTES if _is_data_part(part.filename) else MAX_XLSX_OTHER_PART_BYTES
        )
        if part.file_size > limit:
            raise UnreadableFile(
                f"fichier .xlsx trop volumineux une fois décompressé : sa partie "
                f"« {part.filename} » fait {part.file_size // MB} Mo, {limit // MB} Mo au "
                "plus ; enregistrez le tableau seul dans un nouveau classeur"
            )
    if sum(part.file_size for part in parts) > MAX_XLSX_BYTES:
        raise UnreadableFile(
            f"fichier .xlsx trop volumineux une fois décompressé : plus de "
            f"{MAX_XLSX_BYTES // MB} Mo ; enregistrez le tableau seul dans un nouveau classeur"
        )


def _is_data_part(name):
    """A sheet or the shared strings (the cells' text): what grows with the data."""
    return name.startswith("xl/worksheets/") or name.endswith("sharedStrings.xml")


def _check_elements(stream, name):
    """Refuse a sheet or shared strings whose XML elements would make openpyxl work
    or keep more than an import needs (MAX_PART_ELEMENTS and the others): a zip of
    a few kilobytes can hold millions of empty rows. Counted by expat as the part
    is unzipped, a chunk at a time, before openpyxl reads it."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    depth = elements = kept = in_record = 0
    record_depth = None  # the depth of the row or shared string being read

    def too_heavy(what):
        return UnreadableFile(
            f"fichier .xlsx trop chargé : la partie « {name} » compte plus de {what} ; "
            "enregistrez le tableau seul dans un nouveau classeur, ou découpez-le en "
            "plusieurs fichiers"
        )

    def start(tag, attributes):
        nonlocal depth, elements, kept, in_record, record_depth
        depth += 1
        elements += 1
        if elements > MAX_PART_ELEMENTS:
            raise too_heavy(f"{MAX_PART_ELEMENTS} éléments")
        if record_depth is not None:
            in_record += 1
            if in_record > MAX_RECORD_ELEMENTS:
                raise too_heavy(f"{MAX_RECORD_ELEMENTS} éléments dans une seule ligne")
            return
        kept += 1
        if kept > MAX_KEPT_ELEMENTS:
            raise too_heavy(f"{MAX_KEPT_ELEMENTS} lignes ou textes")
        if tag.rpartition(" ")[2] in ("row", "si"):
            record_depth, in_record = depth, 0

    def end(tag):
        nonlocal depth, record_depth
        if depth == record_depth:
            record_depth = None
        depth -= 1

    def doctype(*args):
        # No spreadsheet writes one; entities declared there can unfold without end.
        raise UnreadableFile(UNREADABLE_XLSX)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    try:
        for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError:
        raise UnreadableFile(UNREADABLE_XLSX) from None


def _check_dimensions(sheet):
    """Refuse a sheet that declares more lines or columns than an import reads,
    before reading its rows: openpyxl would give every declared row, empty ones
    included, as wide as the declared columns."""
    lines, columns = sheet.max_row or 0, sheet.max_column or 0
    if lines > MAX_LINES or columns > MAX_COLUMNS:
        raise UnreadableFile(
            f"la première feuille déclare {lines} lignes et {columns} colonnes "
            f"({sheet.calculate_dimension()}), un import en lit {MAX_LINES} lignes et "
            f"{MAX_COLUMNS} colonnes au plus : copiez le tableau seul dans un nouveau classeur"
        )


def _xlsx_rows(file):
    _check_xlsx_parts(file)
    # A damaged or disguised file fails in many ways inside openpyxl and zipfile.
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise UnreadableFile(UNREADABLE_XLSX) from None
    try:
        try:
            sheet = workbook.worksheets[0]
        except IndexError:
            raise UnreadableFile(UNREADABLE_XLSX) from None
        _check_dimensions(sheet)
        # One line and one column past the limits, so that a file declaring less
        # than it holds is caught by `_filled_lines` too.
        rows = sheet.iter_rows(max_row=MAX_LINES + 1, max_col=MAX_COLUMNS + 1, values_only=True)
        while True:
            try:
                row = next(rows, None)
            except Exception:
                raise UnreadableFile(UNREADABLE_XLSX) from None
            if row is None:
                return
            yield row
    finally:
        workbook.close()


def _read_rows(file, filename):
    extension = Path(filename).suffix.lower()
    if extension == ".csv":
        return _csv_rows(file)
    if extension == ".xlsx":
        return _xlsx_rows(file)
    raise UnreadableFile(
        f"format « {extension or filename} » non pris en charge : enregistrez le tableau "
        "en .xlsx ou en .csv"
    )


def _filled_lines(rows):
    """(line number, cells, cleaned cells) of each line of `rows` that holds a
    value, each cell cleaned once; refuses a file over the limits."""
    filled = []
    for number, cells in enumerate(rows, start=1):
        if number > MAX_LINES:
            raise UnreadableFile(
                f"le fichier dépasse {MAX_LINES} lignes : découpez-le en plusieurs fichiers"
            )
        if any(_clean(cell) != "" for cell in cells[MAX_COLUMNS:]):
            raise UnreadableFile(
                f"ligne {number} : une valeur au-delà de la colonne {MAX_COLUMNS}, un import "
                f"en lit {MAX_COLUMNS} au plus"
            )
        cells = cells[:MAX_COLUMNS]
        cleaned = [_clean(cell) for cell in cells]
        if any(value != "" for value in cleaned):
            filled.append((number, cells, cleaned))
            if len(filled) > MAX_ROWS + 1:
                raise UnreadableFile(
                    f"le fichier compte plus de {MAX_ROWS} personnes : découpez-le en "
                    "plusieurs fichiers"
                )
    return filled


@dataclass
class _Row:
    line: int
    values: dict

    @property
    def identity(self):
        # What Person.possible_duplicates compares.
        return (
            name_key(self.values["last_name"], self.values["first_name"]),
            self.values.get("birth_date"),
        )

    def person(self, centre):
        values = dict(self.values)
        difficulties = values.pop("difficulties", set())
        values.pop("entry_date", None)
        person = Person(centre=centre, **values)
        for difficulty in difficulties:
            setattr(person, f"difficulty_{difficulty}", True)
        if self.values.get("entry_date"):
            person.status = PersonStatus.ACTIVE
        return person


class _Check:
    """Checks every line of a file for one centre and collects every problem."""

    def __init__(self, centre, programme):
        self.programme = programme
        self.neighbourhoods = {name_key(n.name): n for n in Neighbourhood.objects.of_centre(centre)}
        self.errors = []
        self.rows = []
        self.columns = []
        self.first_line_of = {}
        self.asked_for_programme = False

    def header(self, cells):
        for cell in cells:
            text = str(cell).strip() if cell is not None else ""
            column = _COLUMNS_BY_KEY.get(name_key(text))
            if text and column is None:
                self.errors.append(
                    _error(1, text, "en-tête inconnu ; en-têtes acceptés : " + ", ".join(HEADERS))
                )
            elif column is not None and column in self.columns:
                self.errors.append(_error(1, text, "colonne en double"))
            # An untitled column is kept as None: harmless while its cells stay empty.
            self.columns.append(column)
        for column in COLUMNS:
            if column.required and column not in self.columns:
                self.errors.append(_error(1, column.header, "colonne obligatoire absente"))

    def line(self, line, cells):
        """Check one line of cleaned cells (`_clean`)."""
        values = {}
        errors = []
        for position in range(max(len(cells), len(self.columns))):
            value = cells[position] if position < len(cells) else ""
            column = self.columns[position] if position < len(self.columns) else None
            if column is None:
                if value != "":
                    errors.append(_error(line, f"n° {position + 1}", "valeur sans en-tête"))
                continue
            try:
                values[column.field] = self.parse(column, value)
            except ValueError as problem:
                errors.append(_error(line, column.header, problem))
        self.errors += errors
        if errors:
            return
        row = _Row(line, values)
        if row.identity in self.first_line_of:
            self.errors.append(
                _error(line, "Nom", f"doublon de la ligne {self.first_line_of[row.identity]}")
            )
        else:
            self.first_line_of[row.identity] = line
            self.rows.append(row)

    def parse(self, column, value):
        if column.required and value == "":
            raise ValueError("obligatoire, la cellule est vide")
        parsed = column.parse(value)
        if column.field == "neighbourhood":
            if parsed and parsed not in self.neighbourhoods:
                names = ", ".join(n.name for n in self.neighbourhoods.values()) or "aucun"
                raise ValueError(f"quartier « {value} » inconnu ; quartiers du centre : {names}")
            return self.neighbourhoods.get(parsed)
        needs_programme = column.field == "entry_date" and parsed and self.programme is None
        # Said once: the same sentence on every line would bury the other problems.
        if needs_programme and not self.asked_for_programme:
            self.asked_for_programme = True
            raise ValueError("une date d'entrée demande de choisir l'action où la personne entre")
        # PostgreSQL refuses it in text: a server error at saving, after the check.
        if isinstance(parsed, str) and "\x00" in parsed:
            raise ValueError(
                "caractère nul (code 0) interdit ; enregistrez le fichier à nouveau depuis "
                "le tableur"
            )
        max_length = _MAX_LENGTHS.get(column.field)
        if isinstance(parsed, str) and max_length and len(parsed) > max_length:
            raise ValueError(f"texte trop long ({len(parsed)} caractères, {max_length} au plus)")
        return parsed


def _create(rows, centre, programme, find_neighbourhood):
    people = [row.person(centre) for row in rows]
    for person in people:
        person.fill_derived(find_neighbourhood)
        # Just created: no confidential section, no need to ask the database.
        person._state.fields_cache["confidential"] = None
    create_all(Person, people)
    pathways = Pathway.objects.bulk_create(
        [
            Pathway(
                centre=centre,
                person=person,
                programme=programme,
                started_on=row.values["entry_date"],
            )
            for row, person in zip(rows, people, strict=True)
            if row.values.get("entry_date")
        ]
    )
    audit_bulk_creates([*people, *pathways])


def people_import(*, file, filename, centre, programme=None):
    """Import the people of a .xlsx or .csv file into `centre`, all or nothing.

    `programme`, one of the centre's, is where people with an entry date enter.
    Returns an ImportResult; when it holds errors, nothing was written.
    """
    result = ImportResult()
    try:
        with contextlib.closing(_read_rows(file, filename)) as rows:
            filled = _filled_lines(rows)
    except UnreadableFile as error:
        result.errors.append(str(error))
        return result
    if not filled or filled[0][0] != 1:
        result.errors.append("ligne 1 : la première ligne doit porter les en-têtes des colonnes")
        return result
    if len(filled) == 1:
        result.errors.append("le fichier ne contient aucune personne sous la ligne d'en-tête")
        return result

    check = _Check(centre, programme)
    check.header(filled[0][1])
    if not check.errors:
        for line, _cells, cleaned in filled[1:]:
            check.line(line, cleaned)
    if check.errors:
        result.errors = check.errors
        return result

    with transaction.atomic():
        # Two imports of one file at the same moment would both find nobody and
        # create everyone twice: locking the centre's row makes them wait in turn.
        Centre.objects.select_for_update().get(pk=centre.pk)
        present = set(
            Person.objects.of_centre(centre).current().values_list("search_key", "birth_date")
        )
        rows = [row for row in check.rows if row.identity not in present]
        result.already_present = len(check.rows) - len(rows)
        find_neighbourhood = Neighbourhood.finder(centre)
        # In bulk (10,000 rows in seconds, not minutes), with the audit rows that
        # saving them one by one would have written; a batch at a time, so that the
        # objects of only one batch are in memory at once.
        for first in range(0, len(rows), BATCH):
            _create(rows[first : first + BATCH], centre, programme, find_neighbourhood)
        result.created = len(rows)
    return result
