import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.pathways.models import Pathway
from parcours.people.enums import Benefit, Direction, Household
from parcours.people.imports import HEADERS
from parcours.people.models import Person, Referral

from ..factories import ProgrammeFactory
from .factories import NeighbourhoodFactory, PersonFactory
from .test_import import run_import


def export(client, **params):
    return client.get(reverse("people:export"), params)


def read_csv(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def accesses():
    return AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS, content_type__model="person")


@pytest.fixture
def zoe(centre):
    return PersonFactory(
        centre=centre,
        last_name="Lefèvre",
        first_name="Zoé",
        birth_date=datetime.date(1988, 3, 12),
        phone="+352 621 123 456",
        household=Household.SINGLE_PARENT,
        benefit=Benefit.RSA,
        difficulty_mobility=True,
        difficulty_childcare=True,
        neighbourhood=NeighbourhoodFactory(centre=centre, name="Quartier-Est"),
    )


def test_the_csv_has_a_bom_semicolons_and_the_import_headers(client_for, zoe):
    response = export(client_for("coordinator"), format="csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="personnes-le-lierre-{today:%Y-%m-%d}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbfNom;Pr\xc3\xa9nom;")
    header, row = read_csv(response.content)
    assert header == HEADERS
    line = dict(zip(header, row, strict=True))
    assert line["Nom"] == "Lefèvre"
    assert line["Date de naissance"] == "12/03/1988"
    assert line["Téléphone"] == "'+352 621 123 456"
    assert line["Situation familiale"] == "Parent isolé"
    assert line["Ressources"] == "RSA"
    assert line["Quartier"] == "Quartier-Est"
    assert line["Difficultés"] == "Mobilité, Garde d'enfants"


def test_the_xlsx_is_the_default_with_a_bold_header_and_real_dates(client_for, zoe, programme):
    Pathway.objects.create(
        centre=zoe.centre, person=zoe, programme=programme, started_on=datetime.date(2025, 9, 1)
    )

    response = export(client_for("coordinator"))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    row = {header: cell for header, cell in zip(HEADERS, sheet[2], strict=True)}
    assert row["Date de naissance"].value == datetime.datetime(1988, 3, 12)  # noqa: DTZ001 (a spreadsheet date-time is naive)
    assert row["Date de naissance"].number_format == "DD/MM/YYYY"
    assert row["Date d'entrée"].value == datetime.datetime(2025, 9, 1)  # noqa: DTZ001
    assert row["Téléphone"].value == "+352 621 123 456"
    assert row["Téléphone"].quotePrefix


def test_a_french_phone_is_written_the_french_way(client_for, centre):
    PersonFactory(centre=centre, phone="+33382541234")

    header, row = read_csv(export(client_for("coordinator"), format="csv").content)

    assert dict(zip(header, row, strict=True))["Téléphone"] == "03 82 54 12 34"


FORMULA_LIKE = {
    "Nom": "=SUM(A1)",
    "Prénom": "+33 6",
    "Adresse": "-2+3",
    "Commune": "@cmd",
    "Âge des enfants": "\tcaché",
}


@pytest.fixture
def formula_like(centre):
    return PersonFactory(
        centre=centre,
        last_name="=SUM(A1)",
        first_name="+33 6",
        address="-2+3",
        city="@cmd",
        children_ages="\tcaché",
        notes="\r=1+1",
    )


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(client_for, formula_like):
    row = read_csv(export(client_for("coordinator"), format="csv").content)[1]
    cells = dict(zip(HEADERS, row, strict=True))
    for header, value in FORMULA_LIKE.items():
        assert cells[header] == "'" + value
    assert cells["Notes"] == "'\r=1+1"


def test_xlsx_cells_that_a_spreadsheet_would_run_are_stored_as_flagged_text(
    client_for, formula_like
):
    response = export(client_for("coordinator"), format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = dict(zip(HEADERS, sheet[2], strict=True))
    assert all(cell.data_type != "f" for cell in sheet[2])
    for header, value in FORMULA_LIKE.items():
        # The text is kept as typed, and marked as text so that it never runs.
        assert (cells[header].value, cells[header].quotePrefix) == (value, True), header


def test_only_the_people_the_user_sees_are_exported(client_for, users, centre, other_centre):
    PersonFactory(centre=centre, last_name="Ici")
    PersonFactory(centre=other_centre, last_name="Ailleurs")

    rows = read_csv(export(client_for("coordinator"), format="csv").content)

    assert [row[0] for row in rows[1:]] == ["Ici"]


def test_the_list_filters_narrow_the_export(client_for, centre):
    PersonFactory(centre=centre, last_name="Lefèvre", first_name="Zoé")
    PersonFactory(centre=centre, last_name="Martin", first_name="Luc")

    rows = read_csv(export(client_for("coordinator"), format="csv", q="lefevre").content)

    assert [row[0] for row in rows[1:]] == ["Lefèvre"]


def test_each_exported_person_is_one_audited_read_without_their_name(client_for, users, centre):
    people = PersonFactory.create_batch(3, centre=centre)
    PersonFactory(centre=centre, last_name="Martin", first_name="Filtré")

    export(client_for("coordinator"), format="csv", q="filtre")
    export(client_for("coordinator"), format="xlsx")

    by_csv = accesses().filter(additional_data={"via": "export csv"})
    by_xlsx = accesses().filter(additional_data={"via": "export xlsx"})
    assert by_csv.count() == 1
    assert sorted(by_xlsx.values_list("object_id", flat=True)) == sorted(
        p.pk for p in [*people, Person.objects.get(first_name="Filtré")]
    )
    for event in by_xlsx:
        assert event.actor == users["coordinator"]
        assert event.centre == centre
        assert event.object_pk == str(event.object_id)
        assert event.object_repr == f"personne accompagnée n° {event.object_id}"
        assert event.remote_addr == "127.0.0.1"


def test_an_unknown_format_is_refused_in_french(client_for, centre):
    PersonFactory(centre=centre)

    response = export(client_for("coordinator"), format="pdf")

    assert response.status_code == 400
    assert response.content.decode() == "Format d'export inconnu : choisissez xlsx ou csv."
    assert not accesses().exists()


@pytest.mark.parametrize("actor", ["facilitator", "director", "partner_worker"])
def test_other_roles_may_not_export(client_for, users, centre, actor):
    person = PersonFactory(centre=centre)
    # Even the partner worker who referred the person: the export is for coordination.
    Referral.objects.create(
        centre=centre,
        person=person,
        direction=Direction.IN,
        referrer_user=users["partner_worker"],
        received_on=datetime.date(2025, 1, 6),
        reason="Isolement",
    )

    for file_format in ["csv", "xlsx"]:
        assert export(client_for(actor), format=file_format).status_code == 403
    assert not accesses().exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_again(client_for, centre, other_centre, zoe, programme, file_format):
    Pathway.objects.create(
        centre=centre, person=zoe, programme=programme, started_on=datetime.date(2025, 9, 1)
    )
    PersonFactory(centre=centre, last_name="-", first_name="@ourobore", notes="=1+1")
    NeighbourhoodFactory(centre=other_centre, name="Quartier-Est")
    other_programme = ProgrammeFactory(centre=other_centre)
    response = export(client_for("coordinator"), format=file_format)
    filename = f"export.{file_format}"

    again = run_import(centre, io.BytesIO(response.content), filename, programme)
    elsewhere = run_import(other_centre, io.BytesIO(response.content), filename, other_programme)

    assert (again.errors, again.created, again.already_present) == ([], 0, 2)
    assert (elsewhere.errors, elsewhere.created) == ([], 2)
    copy = Person.objects.get(centre=other_centre, last_name="Lefèvre")
    fields = ["first_name", "birth_date", "phone", "household", "benefit", "difficulties"]
    assert [getattr(copy, f) for f in fields] == [getattr(zoe, f) for f in fields]
    assert copy.neighbourhood.name == "Quartier-Est"
    assert copy.pathways.get().started_on == datetime.date(2025, 9, 1)
    odd = Person.objects.get(centre=other_centre, last_name="-")
    assert (odd.first_name, odd.notes) == ("@ourobore", "=1+1")
