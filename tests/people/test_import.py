import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from auditlog.context import set_actor
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.audit.registry import MASKED
from parcours.pathways.models import Pathway
from parcours.people.enums import Benefit, FrenchLevel, Household, PersonStatus, Sex
from parcours.people.exports import import_template
from parcours.people.imports import HEADERS, people_import
from parcours.people.models import Person

from ..factories import ProgrammeFactory
from .factories import NeighbourhoodFactory, PersonFactory

# Helpers shared with test_export.py and test_import_command.py.


def person_row(**cells):
    """One line of an import file as {header: value}: a minimal valid person by default."""
    return {"Nom": "Lefèvre", "Prénom": "Zoé", "Date de naissance": "12/03/1988", **cells}


def csv_file(rows, *, delimiter=";", encoding="utf-8-sig"):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(rows[0].keys())
    for row in rows:
        writer.writerow(row.values())
    return io.BytesIO(text.getvalue().encode(encoding))


def xlsx_file(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0].keys()))
    for row in rows:
        sheet.append(list(row.values()))
    content = io.BytesIO()
    workbook.save(content)
    content.seek(0)
    return content


def run_import(centre, file, filename="personnes.csv", programme=None):
    return people_import(file=file, filename=filename, centre=centre, programme=programme)


def audited_creations():
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, content_type__model="person"
    ).count()


# Reading the files


def test_it_imports_every_column_of_a_utf8_csv_with_semicolons(centre):
    quartier_est = NeighbourhoodFactory(centre=centre, name="Quartier-Est", is_qpv=True)
    row = {
        "Nom": "Lefèvre",
        "Prénom": "Zoé-Marie",
        "Date de naissance": "12/03/1988",
        "Sexe": "femme",
        "Téléphone": "03 82 54 12 34",
        "E-mail": "zoe@example.org",
        "Adresse": "4 rue des Tilleuls",
        "Code postal": "57100",
        "Commune": "Thionville",
        "Quartier": "quartier est",
        "Situation familiale": "Parent isolé",
        "Enfants à charge": "2",
        "Âge des enfants": "4, 9",
        "Ressources": "RSA",
        "Orientation RSA": "Socioprofessionnelle",
        "Niveau de français": "Élémentaire (A2)",
        "Difficultés": "Mobilité ; garde d'enfants, Logement",
        "Notes": "Préfère être appelée le matin.",
        "Date d'entrée": "",
    }

    result = run_import(centre, csv_file([row]))

    assert (result.errors, result.created, result.already_present) == ([], 1, 0)
    person = Person.objects.get(centre=centre)
    assert (person.last_name, person.first_name) == ("Lefèvre", "Zoé-Marie")
    assert person.birth_date == datetime.date(1988, 3, 12)
    assert person.sex == Sex.FEMALE
    assert person.phone == "+33382541234"
    assert person.neighbourhood == quartier_est
    assert person.household == Household.SINGLE_PARENT
    assert (person.children_count, person.children_ages) == (2, "4, 9")
    assert person.benefit == Benefit.RSA
    assert person.french_level == FrenchLevel.A2
    assert [d.value for d in person.difficulties] == ["housing", "mobility", "childcare"]
    assert person.notes == "Préfère être appelée le matin."
    assert person.status == PersonStatus.REFERRED
    assert not person.pathways.exists()


def test_it_reads_a_windows_1252_csv_with_commas(centre):
    rows = [person_row(Nom="Bérénice", **{"Situation familiale": "Hébergé(e) par un proche"})]

    result = run_import(centre, csv_file(rows, delimiter=",", encoding="cp1252"))

    assert result.errors == []
    person = Person.objects.get(centre=centre)
    assert (person.last_name, person.household) == ("Bérénice", Household.HOSTED)


def test_it_reads_an_xlsx_with_date_and_number_cells(centre):
    rows = [
        person_row(
            **{
                "Date de naissance": datetime.datetime(1990, 7, 14),  # noqa: DTZ001 (as openpyxl reads it)
                "Code postal": 1000,
                "Enfants à charge": 3,
                "Téléphone": "+352 621 123 456",
            }
        )
    ]

    result = run_import(centre, xlsx_file(rows), filename="Personnes.XLSX")

    assert result.errors == []
    person = Person.objects.get(centre=centre)
    assert person.birth_date == datetime.date(1990, 7, 14)
    assert (person.postcode, person.children_count) == ("01000", 3)
    assert person.phone == "+352621123456"


def test_headers_match_whatever_their_case_accents_and_spaces(centre):
    rows = [{" NOM ": "Martin", "prenom": "Luc", "date  de NAISSANCE": "1979-11-02"}]

    result = run_import(centre, csv_file(rows))

    assert result.errors == []
    assert Person.objects.get(centre=centre).birth_date == datetime.date(1979, 11, 2)


def test_choices_accept_the_code_value_too(centre):
    rows = [person_row(Ressources="end_of_rights", Sexe="MALE")]

    run_import(centre, csv_file(rows))

    person = Person.objects.get(centre=centre)
    assert (person.benefit, person.sex) == (Benefit.END_OF_RIGHTS, Sex.MALE)


def test_empty_lines_are_skipped_but_keep_the_line_numbers(centre):
    rows = [person_row(), {"Nom": "", "Prénom": "", "Date de naissance": ""}, person_row(Nom="")]

    result = run_import(centre, csv_file(rows))

    assert result.errors == ["ligne 4, colonne Nom : obligatoire, la cellule est vide"]


def test_the_export_apostrophe_before_a_formula_sign_is_taken_off(centre):
    run_import(centre, csv_file([person_row(Téléphone="'+352 621 123 456", Notes="'-")]))

    person = Person.objects.get(centre=centre)
    assert (person.phone, person.notes) == ("+352621123456", "-")


# What the "Done when" asks: line-precise French errors, nothing stored


def test_a_bad_date_is_reported_with_its_line_and_nothing_is_stored(centre):
    rows = [person_row(), person_row(Nom="Martin", **{"Date de naissance": "31/02/1990"})]

    result = run_import(centre, csv_file(rows))

    assert result.errors == [
        "ligne 3, colonne Date de naissance : date « 31/02/1990 » invalide ; "
        "format attendu : JJ/MM/AAAA ou AAAA-MM-JJ"
    ]
    assert result.created == 0
    assert Person.objects.count() == 0


def test_an_unknown_benefit_is_reported_with_the_accepted_labels(centre):
    result = run_import(centre, csv_file([person_row(Ressources="RSA socle")]))

    assert result.errors == [
        "ligne 2, colonne Ressources : valeur « RSA socle » inconnue ; valeurs acceptées : "
        "RSA, AAH, ASS, ARE (allocation chômage), Fin de droits, Revenus d'activité, "
        "Autre ressource, Aucune ressource"
    ]
    assert Person.objects.count() == 0


def test_an_empty_name_is_reported(centre):
    result = run_import(centre, csv_file([person_row(), person_row(Prénom="  ")]))

    assert result.errors == ["ligne 3, colonne Prénom : obligatoire, la cellule est vide"]
    assert Person.objects.count() == 0


def test_one_wrong_line_among_good_ones_stores_nothing_and_every_error_is_listed(centre):
    PersonFactory(centre=centre)
    before = Person.objects.count()
    rows = [
        person_row(Nom=f"Personne {n}", Ressources="", **{"Enfants à charge": ""}) for n in range(5)
    ]
    rows[1]["Date de naissance"] = "12/13/1990"
    rows[3]["Nom"] = ""
    rows[4]["Ressources"] = "Chômage"
    rows[4]["Enfants à charge"] = "deux"

    result = run_import(centre, xlsx_file(rows), filename="personnes.xlsx")

    assert [error.split(" :")[0] for error in result.errors] == [
        "ligne 3, colonne Date de naissance",
        "ligne 5, colonne Nom",
        "ligne 6, colonne Ressources",
        "ligne 6, colonne Enfants à charge",
    ]
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    "cells,error",
    [
        (
            {"Téléphone": "06 12"},
            "colonne Téléphone : numéro « 06 12 » invalide ; "
            "exemples : 03 82 12 34 56, +352 621 123 456",
        ),
        ({"E-mail": "zoe@"}, "colonne E-mail : adresse e-mail « zoe@ » invalide"),
        (
            {"Enfants à charge": "-1"},
            "colonne Enfants à charge : « -1 » n'est pas un nombre entier de 0 à 99",
        ),
        (
            {"Date de naissance": "01/01/2999"},
            "colonne Date de naissance : date de naissance « 01/01/2999 » impossible",
        ),
        (
            {"Difficultés": "Santé, Argent"},
            "colonne Difficultés : valeur « Argent » inconnue ; valeurs acceptées : Financières, "
            "Santé, Logement, Isolement social ou familial, Langue, Mobilité, Garde d'enfants",
        ),
        (
            {"Code postal": "5" * 11},
            "colonne Code postal : texte trop long (11 caractères, 10 au plus)",
        ),
    ],
)
def test_each_wrong_value_is_explained(centre, cells, error):
    result = run_import(centre, csv_file([person_row(**cells)]))

    assert result.errors == [f"ligne 2, {error}"]


def test_unknown_and_missing_headers_are_named(centre):
    rows = [{"Nom": "Martin", "Mail": "luc@example.org", "Sexe": "Homme", "sexe ": "Homme"}]

    result = run_import(centre, csv_file(rows))

    assert result.errors[0].startswith(
        "ligne 1, colonne Mail : en-tête inconnu ; en-têtes acceptés : Nom, Prénom, Date de"
    )
    assert result.errors[1:] == [
        "ligne 1, colonne sexe : colonne en double",
        "ligne 1, colonne Prénom : colonne obligatoire absente",
    ]


def test_a_value_under_an_empty_header_is_an_error(centre):
    rows = [{**person_row(), "": "quelque chose"}]

    result = run_import(centre, csv_file(rows))

    assert result.errors == ["ligne 2, colonne n° 4 : valeur sans en-tête"]


@pytest.mark.parametrize(
    "filename,content,error",
    [
        ("personnes.xls", b"\xd0\xcf\x11\xe0", "format « .xls » non pris en charge"),
        ("personnes.xlsx", b"ceci n'est pas un tableur", "fichier .xlsx illisible"),
        ("personnes.csv", b"", "ligne 1 : la première ligne doit porter les en-têtes"),
        ("personnes.csv", "Nom;Prénom\r\n".encode(), "le fichier ne contient aucune personne"),
    ],
)
def test_a_file_that_cannot_be_read_gets_one_clear_error(centre, filename, content, error):
    result = run_import(centre, io.BytesIO(content), filename=filename)

    assert len(result.errors) == 1
    assert result.errors[0].startswith(error)


def test_a_file_too_long_for_one_import_is_refused(centre, monkeypatch):
    monkeypatch.setattr("parcours.people.imports.MAX_ROWS", 2)
    rows = [person_row(Nom=f"Personne {n}") for n in range(3)]

    result = run_import(centre, csv_file(rows))

    assert result.errors == [
        "le fichier compte plus de 2 personnes : découpez-le en plusieurs fichiers"
    ]


# Neighbourhoods and entry into a programme


def test_an_unknown_neighbourhood_is_an_error_naming_the_centres(centre, other_centre):
    NeighbourhoodFactory(centre=centre, name="Côte des Roses")
    NeighbourhoodFactory(centre=other_centre, name="Centre-ville")

    result = run_import(centre, csv_file([person_row(Quartier="Centre-ville")]))

    assert result.errors == [
        "ligne 2, colonne Quartier : quartier « Centre-ville » inconnu ; "
        "quartiers du centre : Côte des Roses"
    ]


def test_an_empty_neighbourhood_is_found_from_the_address(centre):
    est = NeighbourhoodFactory(centre=centre, name="Quartier-Est", streets="Rue des Tilleuls")

    run_import(centre, csv_file([person_row(Adresse="4, rue des Tilleuls", Quartier="")]))

    assert Person.objects.get(centre=centre).neighbourhood == est


def test_an_entry_date_opens_a_pathway_in_the_chosen_programme(centre, programme):
    rows = [person_row(**{"Date d'entrée": "01/09/2025"}), person_row(Nom="Martin")]

    run_import(centre, csv_file(rows), programme=programme)

    entered, waiting = Person.objects.order_by("last_name")
    pathway = Pathway.objects.get()
    assert (pathway.person, pathway.programme, pathway.centre) == (entered, programme, centre)
    assert pathway.started_on == datetime.date(2025, 9, 1)
    assert entered.status == PersonStatus.ACTIVE
    assert waiting.status == PersonStatus.REFERRED


def test_an_entry_date_without_a_programme_is_said_once(centre):
    rows = [person_row(Nom=f"P{n}", **{"Date d'entrée": "01/09/2025"}) for n in range(3)]

    result = run_import(centre, csv_file(rows))

    assert result.errors == [
        "ligne 2, colonne Date d'entrée : une date d'entrée demande de choisir l'action où "
        "la personne entre"
    ]


# Duplicates


def test_a_person_already_in_the_centre_is_skipped(centre):
    PersonFactory(
        centre=centre, last_name="LEFEVRE", first_name="zoe", birth_date=datetime.date(1988, 3, 12)
    )

    result = run_import(centre, csv_file([person_row(), person_row(Nom="Martin")]))

    assert (result.created, result.already_present) == (1, 1)
    assert Person.objects.filter(centre=centre).count() == 2


def test_the_same_person_in_another_centre_is_not_a_duplicate(centre, other_centre):
    PersonFactory(
        centre=other_centre,
        last_name="Lefèvre",
        first_name="Zoé",
        birth_date=datetime.date(1988, 3, 12),
    )

    assert run_import(centre, csv_file([person_row()])).created == 1


def test_two_lines_for_the_same_person_are_an_error(centre):
    rows = [person_row(), person_row(Nom="Martin"), person_row(Nom="LEFEVRE", Prénom="zoé")]

    result = run_import(centre, csv_file(rows))

    assert result.errors == ["ligne 4, colonne Nom : doublon de la ligne 2"]
    assert Person.objects.count() == 0


def test_a_thousand_lines_import_and_importing_them_again_changes_nothing(centre, programme):
    NeighbourhoodFactory(centre=centre, name="Quartier-Est")
    first_day = datetime.date(1950, 1, 1)
    rows = [
        person_row(
            Nom=f"Nom{n}",
            Prénom=f"Prénom{n}",
            **{
                "Date de naissance": f"{first_day + datetime.timedelta(days=11 * n):%d/%m/%Y}",
                "Téléphone": f"03 82 {n // 100:02d} {n % 100:02d} 00",
                "Quartier": "Quartier-Est" if n % 2 else "",
                "Ressources": "RSA",
                "Difficultés": "Santé; Logement",
                "Date d'entrée": "15/09/2025" if n % 3 == 0 else "",
            },
        )
        for n in range(1000)
    ]
    content = xlsx_file(rows).getvalue()

    first = run_import(centre, io.BytesIO(content), "personnes.xlsx", programme)

    assert (first.errors, first.created, first.already_present) == ([], 1000, 0)
    assert Person.objects.filter(centre=centre).count() == 1000
    assert Pathway.objects.filter(centre=centre).count() == 334
    assert audited_creations() == 1000
    people, pathways = Person.objects.count(), Pathway.objects.count()

    again = run_import(centre, io.BytesIO(content), "personnes.xlsx", programme)

    assert (again.errors, again.created, again.already_present) == ([], 0, 1000)
    assert (Person.objects.count(), Pathway.objects.count()) == (people, pathways)
    assert audited_creations() == 1000


def test_each_imported_person_is_audited_without_their_name(centre):
    run_import(centre, csv_file([person_row()]))

    person = Person.objects.get()
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, content_type__model="person")
    assert (event.object_pk, event.centre) == (str(person.pk), centre)
    assert "Lefèvre" not in event.object_repr


def test_imported_people_and_pathways_leave_the_rows_a_save_would_have(centre, programme, users):
    with set_actor(users["coordinator"], remote_addr="192.0.2.7"):
        run_import(
            centre, csv_file([person_row(**{"Date d'entrée": "15/09/2025"})]), "p.csv", programme
        )
        saved = PersonFactory(centre=centre)

    person = Person.objects.exclude(pk=saved.pk).get()
    imported = AuditEvent.objects.get(content_type__model="person", object_id=person.pk)
    by_save = AuditEvent.objects.get(content_type__model="person", object_id=saved.pk)
    assert (imported.action, imported.actor, imported.remote_addr) == (
        AuditEvent.Action.CREATE,
        users["coordinator"],
        "192.0.2.7",
    )
    assert (imported.person_id, imported.centre) == (person.pk, centre)
    assert set(imported.changes) <= set(by_save.changes) | {"neighbourhood", "rsa_referent_partner"}
    assert imported.changes["last_name"] == by_save.changes["last_name"] == [MASKED, MASKED]
    pathway = AuditEvent.objects.get(content_type__model="pathway")
    assert (pathway.person_id, pathway.actor) == (person.pk, users["coordinator"])


# The page


def upload(content, name="personnes.csv"):
    return SimpleUploadedFile(name, content.getvalue() if hasattr(content, "getvalue") else content)


def test_the_page_lists_the_accepted_columns_and_links_the_template(client_for, centre):
    response = client_for("coordinator").get(reverse("people:import"))

    assert response.status_code == 200
    page = response.content.decode()
    assert all(header.replace("'", "&#x27;") in page for header in HEADERS)
    assert reverse("people:import_template") == "/personnes/import/modele.xlsx"
    assert 'href="/personnes/import/modele.xlsx"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_good_file_imports_and_says_how_many(client_for, centre):
    PersonFactory(
        centre=centre, last_name="Lefèvre", first_name="Zoé", birth_date=datetime.date(1988, 3, 12)
    )
    rows = [person_row(), person_row(Nom="Martin"), person_row(Nom="Durand")]

    response = client_for("coordinator").post(
        reverse("people:import"), {"file": upload(csv_file(rows)), "programme": ""}
    )

    assert response.status_code == 302
    assert response.url == reverse("people:list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 personnes importées, 1 déjà présente."
    ]
    assert Person.objects.filter(centre=centre).count() == 3


def test_a_wrong_file_shows_the_report_and_stores_nothing(client_for, centre):
    rows = [person_row(Ressources="RSA"), person_row(Nom="Martin", Ressources="RSA socle")]

    response = client_for("coordinator").post(
        reverse("people:import"), {"file": upload(xlsx_file(rows), "personnes.xlsx")}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "ligne 3, colonne Ressources : valeur « RSA socle » inconnue" in page
    assert Person.objects.count() == 0


def test_the_form_asks_for_a_file(client_for, centre):
    response = client_for("coordinator").post(reverse("people:import"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_file_too_heavy_is_not_imported(client_for, centre, monkeypatch):
    monkeypatch.setattr("parcours.people.spreadsheet_views.MAX_UPLOAD_MB", 0)

    response = client_for("coordinator").post(
        reverse("people:import"), {"file": upload(csv_file([person_row()]))}
    )

    assert response.context["form"].errors["file"] == [
        "Le fichier dépasse 0 Mo : découpez-le en plusieurs fichiers."
    ]
    assert Person.objects.count() == 0


def test_the_programme_is_chosen_among_the_centres(client_for, centre, other_centre):
    foreign = ProgrammeFactory(centre=other_centre)
    rows = [person_row(**{"Date d'entrée": "01/09/2025"})]

    response = client_for("coordinator").post(
        reverse("people:import"), {"file": upload(csv_file(rows)), "programme": foreign.pk}
    )

    assert response.context["form"].errors["programme"]
    assert Person.objects.count() == 0


def test_the_template_downloads_and_imports_as_it_is(client_for, centre, programme):
    client = client_for("coordinator")
    response = client.get(reverse("people:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # Compared cell by cell: the file's bytes also hold the time it was written.
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    expected = openpyxl.load_workbook(io.BytesIO(import_template())).worksheets[0]
    assert list(sheet.values) == list(expected.values)
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["A1"].font.bold

    response = client.post(
        reverse("people:import"),
        {"file": upload(response.content, "modele.xlsx"), "programme": programme.pk},
    )

    assert response.status_code == 302
    person = Person.objects.get(centre=centre)
    assert (person.last_name, person.pathways.get().programme) == ("EXEMPLE", programme)


@pytest.mark.parametrize("actor", ["facilitator", "director", "partner_worker"])
def test_other_roles_may_not_import(client_for, centre, actor):
    client = client_for(actor)

    assert client.get(reverse("people:import")).status_code == 403
    assert client.get(reverse("people:import_template")).status_code == 403
    response = client.post(reverse("people:import"), {"file": upload(csv_file([person_row()]))})
    assert response.status_code == 403
    assert Person.objects.count() == 0


def test_the_readme_documents_every_column():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Importer des personnes depuis un tableur", 1)[1]

    assert [header for header in HEADERS if f"\n| {header} |" not in section] == []
    assert "/personnes/import/modele.xlsx" in section


def test_a_nul_character_is_reported_and_nothing_is_stored(centre):
    """PostgreSQL stores no NUL character in text: it must be a line's error, not a
    server error halfway through the import."""
    result = run_import(centre, csv_file([person_row(), person_row(Nom="Mar\x00tin")]))

    assert result.errors == [
        "ligne 3, colonne Nom : caractère nul (code 0) interdit ; enregistrez le fichier "
        "à nouveau depuis le tableur"
    ]
    assert Person.objects.count() == 0
