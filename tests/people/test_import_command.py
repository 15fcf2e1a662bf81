import io

import pytest
from django.core.management import CommandError, call_command

from parcours.people.enums import PersonStatus
from parcours.people.models import Person

from ..factories import ProgrammeFactory
from .test_import import csv_file, person_row, xlsx_file


@pytest.fixture
def write(tmp_path):
    def make(content, name="personnes.csv"):
        path = tmp_path / name
        path.write_bytes(content.getvalue())
        return str(path)

    return make


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_people", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_and_prints_the_count(write, centre):
    path = write(xlsx_file([person_row(), person_row(Nom="Martin")]), "personnes.xlsx")

    out, _ = run(path, "--centre", "le-lierre")

    assert out.strip() == "2 personnes importées, 0 déjà présente."
    assert Person.objects.filter(centre=centre).count() == 2
    out, _ = run(path, "--centre", "le-lierre")
    assert out.strip() == "0 personne importée, 2 déjà présentes."


def test_a_wrong_file_prints_each_error_stores_nothing_and_fails(write, centre):
    rows = [
        person_row(Ressources="RSA"),
        person_row(Nom="", Ressources="RSA"),
        person_row(Nom="Martin", Ressources="Chômage", **{"Date de naissance": "1990-13-01"}),
    ]
    path = write(csv_file(rows, delimiter=",", encoding="cp1252"))
    err = io.StringIO()

    with pytest.raises(CommandError, match="Rien n'a été importé : 3 erreurs à corriger."):
        call_command("import_people", path, "--centre", "le-lierre", stderr=err)

    assert err.getvalue().splitlines() == [
        "ligne 3, colonne Nom : obligatoire, la cellule est vide",
        "ligne 4, colonne Date de naissance : date « 1990-13-01 » invalide ; "
        "format attendu : JJ/MM/AAAA ou AAAA-MM-JJ",
        "ligne 4, colonne Ressources : valeur « Chômage » inconnue ; valeurs acceptées : "
        "RSA, AAH, ASS, ARE (allocation chômage), Fin de droits, Revenus d'activité, "
        "Autre ressource, Aucune ressource",
    ]
    assert Person.objects.count() == 0


def test_an_unknown_centre_is_named(write, centre):
    path = write(csv_file([person_row()]))

    with pytest.raises(CommandError, match="Centre « lierre » inconnu ; centres : le-lierre."):
        run(path, "--centre", "lierre")


def test_a_missing_file_is_said_in_french(centre):
    with pytest.raises(CommandError, match="Impossible de lire « absent.csv »"):
        run("absent.csv", "--centre", "le-lierre")


def test_the_centres_only_programme_is_the_default(write, centre, programme):
    path = write(csv_file([person_row(**{"Date d'entrée": "01/09/2025"})]))

    run(path, "--centre", "le-lierre")

    person = Person.objects.get(centre=centre)
    assert (person.status, person.pathways.get().programme) == (PersonStatus.ACTIVE, programme)


def test_with_several_programmes_one_must_be_named(write, centre, programme):
    second = ProgrammeFactory(centre=centre, slug="atelier-langue")
    path = write(csv_file([person_row(**{"Date d'entrée": "01/09/2025"})]))

    with pytest.raises(CommandError, match="plusieurs actions : précisez --programme"):
        run(path, "--centre", "le-lierre")
    with pytest.raises(CommandError, match="Action « inconnue » inconnue dans ce centre"):
        run(path, "--centre", "le-lierre", "--programme", "inconnue")

    run(path, "--centre", "le-lierre", "--programme", "atelier-langue")

    assert Person.objects.get(centre=centre).pathways.get().programme == second
