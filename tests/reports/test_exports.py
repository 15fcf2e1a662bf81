"""The report as PDF, .xlsx and JSON, from a report built by hand: the exports walk
the report's shape, whatever its sections. Then the `report` command and the download
views, with the figures computed for real."""

import datetime
import errno
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parcours.reports import exports
from parcours.reports.fse import Participant
from parcours.reports.management.commands import report as report_command
from parcours.reports.shape import Report, Row, Section, Table

from ..factories import ProgrammeFactory
from ..workshops.test_sheets import pages, pdf_text

D = datetime.date
MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin")


@pytest.fixture
def programme(centre):
    return ProgrammeFactory(centre=centre, name="Objectif : Insertion(s)", slug="insertion")


@pytest.fixture
def report():
    return Report(
        centre="Centre « Le Lierre »",
        programme="Objectif : Insertion(s)",
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
        previous_start=D(2024, 1, 1),
        previous_end=D(2024, 12, 31),
        funder="departement",
        sections=[
            Section(
                key="people",
                title="Personnes accompagnées",
                narrative="La moitié des personnes habite le Quartier-Est.",
                tables=[
                    Table(
                        key="followed",
                        title="File active",
                        rows=[
                            Row("Personnes suivies", 1234, 1100),
                            Row("Sorties", 40, None),
                        ],
                    ),
                    Table(
                        key="sex",
                        title="Par sexe",
                        rows=[Row("Femmes", 700, 650), Row("Hommes", 534, 450)],
                        chart="bar",
                        note="Au début de la période.",
                    ),
                    Table(
                        key="entries",
                        title="Entrées par mois",
                        rows=[Row(month, 3 + i) for i, month in enumerate(MONTHS)],
                        chart="line",
                    ),
                ],
            ),
            Section(
                key="workshops",
                title="Ateliers collectifs",
                narrative="Les ateliers de français ont fait le plein.",
                tables=[
                    Table(
                        key="attendance",
                        title="Présence",
                        rows=[
                            Row("Taux de présence", 74.1, 70.5, "%"),
                            Row("Heures de présence", 2345.5, 2100, "h"),
                            # A label a spreadsheet would run as a formula.
                            Row("=1+1", 3, 0),
                        ],
                    ),
                    Table(key="series", title="Séries", rows=[]),
                ],
            ),
        ],
    )


def test_it_formats_figures_the_french_way():
    assert exports.figure(1234) == "1 234"
    assert exports.figure(74.1, "%") == "74,1 %"
    assert exports.figure(2345.5, "h") == "2 345,5 h"
    assert exports.figure(None) == "—"
    assert exports.change_text(3.6, "%") == "+3,6 pts"
    assert exports.change_text(-11) == "−11"
    assert exports.change_text(0) == "0"


def test_it_prints_the_report_as_pdf(report):
    text = pdf_text(exports.report_pdf(report))

    assert "Centre « Le Lierre »" in text
    assert "Objectif : Insertion(s)" in text
    assert "du 01/01/2025 au 31/12/2025" in text
    assert "du 01/01/2024 au 31/12/2024" in text
    assert "Département — programme d'insertion RSA" in text
    for title in ("Personnes accompagnées", "Ateliers collectifs", "Par sexe", "Présence"):
        assert title in text
    assert "1 234" in text
    assert "74,1 %" in text
    assert "+3,6 pts" in text
    assert "2 345,5 h" in text
    assert "La moitié des personnes habite le Quartier-Est." in text
    assert "Les ateliers de français ont fait le plein." in text
    assert "Au début de la période." in text
    assert "Rien sur la période." in text
    assert "Page 1/" in text


def test_it_labels_the_charts_axes(report):
    text = pdf_text(exports.report_pdf(report))

    # The line chart's time axis, each month once in the chart and once in its table.
    assert text.count("févr.") == 2
    # The bar chart's labels beside the bars, then again in its table.
    assert text.count("Femmes") == 2


def test_it_numbers_every_page(report):
    report.sections *= 4
    text_pages = pages(pdf_text(exports.report_pdf(report)))

    assert len(text_pages) > 1
    for number, page in enumerate(text_pages, start=1):
        assert f"Page {number}/{len(text_pages)}" in page


def test_it_prints_a_report_with_nothing_to_chart(report):
    report.funder = ""
    report.sections[0].tables[1].rows = [Row("Femmes", None, None)]
    report.sections[0].tables[2].rows = []

    text = pdf_text(exports.report_pdf(report))

    assert "Tous financeurs" in text
    assert "Par sexe" in text


def _workbook(content):
    return load_workbook(io.BytesIO(content))


def test_it_writes_one_sheet_per_section_after_the_period(report):
    workbook = _workbook(exports.report_xlsx(report))

    assert workbook.sheetnames == ["Période", "Personnes accompagnées", "Ateliers collectifs"]
    period = {row[0]: row[1] for row in workbook["Période"].iter_rows(values_only=True)}
    assert period["Centre"] == "Centre « Le Lierre »"
    assert period["Action"] == "Objectif : Insertion(s)"
    assert period["Du"].date() == D(2025, 1, 1)
    assert period["Au"].date() == D(2025, 12, 31)
    assert period["Financeur"] == "Département — programme d'insertion RSA"


def test_it_writes_figures_as_numbers(report):
    sheet = _workbook(exports.report_xlsx(report))["Personnes accompagnées"]
    rows = list(sheet.iter_rows(values_only=True))

    heading = next(row for row in rows if row[0] == "Indicateur")
    assert heading[1:4] == (
        "Période (01/01/2025 – 31/12/2025)",
        "Période précédente (01/01/2024 – 31/12/2024)",
        "Évolution",
    )
    followed = next(row for row in rows if row[0] == "Personnes suivies")
    assert followed[1:4] == (1234, 1100, 134)
    exits = next(row for row in rows if row[0] == "Sorties")
    assert exits[1:4] == (40, None, None)


def test_it_keeps_rates_and_hours_as_plain_numbers_with_their_unit(report):
    sheet = _workbook(exports.report_xlsx(report))["Ateliers collectifs"]
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}

    assert [cell.value for cell in rows["Taux de présence"][1:]] == [74.1, 70.5, 3.6, "%"]
    assert [cell.value for cell in rows["Heures de présence"][1:]] == [2345.5, 2100, 245.5, "h"]
    assert [cell.data_type for cell in rows["Taux de présence"][1:4]] == ["n", "n", "n"]
    assert rows["Taux de présence"][1].number_format == '#,##0.0 "%"'


def test_it_keeps_text_that_looks_like_a_formula_as_text(report):
    sheet = _workbook(exports.report_xlsx(report))["Ateliers collectifs"]
    cell = next(row[0] for row in sheet.iter_rows() if row[0].value == "=1+1")

    assert cell.data_type == "s"


@pytest.mark.parametrize("narrative", ['=HYPERLINK("https://exemple.org", "Lien")', "+SUM(1)"])
def test_it_flags_a_narrative_typed_as_a_formula_as_text(report, narrative):
    report.sections[1].narrative = narrative
    sheet = _workbook(exports.report_xlsx(report))["Ateliers collectifs"]
    cell = next(row[0] for row in sheet.iter_rows() if row[0].value == narrative)

    # Kept as typed, and flagged as text so that the spreadsheet never runs it.
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_it_writes_the_narrative_under_the_tables(report):
    sheet = _workbook(exports.report_xlsx(report))["Ateliers collectifs"]
    column = [row[0] for row in sheet.iter_rows(values_only=True)]

    assert column.index("Les ateliers de français ont fait le plein.") > column.index("Séries")
    assert "Rien sur la période." in column


def test_it_names_sheets_within_excels_rules(report):
    title = "Suivi individuel : entretiens / relais [partenaires]"
    report.sections = [Section(key=str(n), title=title) for n in range(2)]

    names = _workbook(exports.report_xlsx(report)).sheetnames

    assert names[1] == "Suivi individuel entretiens rel"
    assert names[2] == "Suivi individuel entretiens (2)"


def test_it_writes_the_report_as_json(report):
    content = exports.report_json(report)

    assert "Personnes accompagnées".encode() in content  # UTF-8, not \\u escapes
    data = json.loads(content)
    assert data == report.as_dict()
    assert data["start"] == "2025-01-01"
    assert data["sections"][1]["tables"][0]["rows"][0] == {
        "label": "Taux de présence",
        "value": 74.1,
        "previous": 70.5,
        "unit": "%",
    }


def test_it_writes_one_row_per_fse_participant():
    rows = [
        Participant(
            id=17,
            person_id=1,
            sex="female",
            age_at_entry=24,
            age_band="under_25",
            single_parent=True,
            benefit="rsa",
            employment="other",
            qpv=None,
            education=None,
            disability=None,
            entered_on=D(2025, 3, 1),
            exited_on=None,
            exit_outcome="",
            exit_family="",
        ),
        Participant(
            id=18,
            person_id=2,
            sex="male",
            age_at_entry=57,
            age_band="55_plus",
            single_parent=False,
            benefit="are",
            employment="unemployed",
            qpv=True,
            education=None,
            disability=None,
            entered_on=D(2024, 9, 2),
            exited_on=D(2025, 6, 30),
            exit_outcome="CDD de plus de six mois",
            exit_family="employment",
        ),
    ]
    sheet = _workbook(exports.fse_xlsx(rows)).active
    values = list(sheet.iter_rows(values_only=True))

    assert len(values) == 3
    assert values[0][:4] == ("Code participant", "Sexe", "Âge à l'entrée", "Tranche d'âge FSE+")
    first, second = values[1], values[2]
    assert first[:8] == (17, "Femme", 24, "Moins de 25 ans", "oui", "RSA", first[6], None)
    assert first[6].startswith("Sans emploi")
    assert first[8:10] == (None, None)  # education and disability not given
    assert first[10].date() == D(2025, 3, 1)
    assert second[4] == "non"
    assert second[7] == "oui"
    assert second[11].date() == D(2025, 6, 30)
    assert second[12:] == ("CDD de plus de six mois", "Emploi")


# The `report` command.


def _run(tmp_path, **overrides):
    options = {
        "centre": "le-lierre",
        "programme": "insertion",
        "from": "2025-01-01",
        "to": "2025-12-31",
        "format": "json",
        "output": str(tmp_path / "bilan"),
        **overrides,
    }
    args = [item for key, value in options.items() for item in (f"--{key}", value)]
    call_command("report", *args, stdout=io.StringIO())
    return tmp_path / "bilan"


def test_it_writes_the_report_as_json_from_the_command(tmp_path, centre, programme):
    output = _run(tmp_path, format="json", funder="caf")

    data = json.loads(output.read_bytes())
    assert data["programme"] == "Objectif : Insertion(s)"
    assert data["start"] == "2025-01-01"
    assert data["end"] == "2025-12-31"
    assert data["funder"] == "caf"


def test_it_writes_the_report_as_xlsx_from_the_command(tmp_path, centre, programme):
    output = _run(tmp_path, format="xlsx")

    assert _workbook(output.read_bytes()).sheetnames[0] == "Période"


def test_it_writes_the_report_as_pdf_from_the_command(tmp_path, centre, programme):
    output = _run(tmp_path, format="pdf")

    text = pdf_text(output.read_bytes())
    assert "Bilan d'activité" in text
    assert "Page 1/" in text


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"centre": "inconnu"}, "Centre « inconnu » inconnu ; centres : le-lierre, les-tilleuls."),
        ({"programme": "inconnue"}, "Action « inconnue » inconnue dans ce centre"),
        ({"from": "2025-13-01"}, "Date « 2025-13-01 » invalide pour --from : attendu AAAA-MM-JJ"),
        ({"to": "31/12/2025"}, "Date « 31/12/2025 » invalide pour --to"),
        ({"from": "2026-01-01"}, "Le début de la période (01/01/2026) suit sa fin (31/12/2025)."),
        ({"format": "docx"}, "Format « docx » inconnu : choisissez json, xlsx ou pdf."),
        ({"funder": "europe"}, "Financeur « europe » inconnu : choisissez departement, caf"),
        ({"output": "/nowhere/bilan.pdf"}, "Le dossier « /nowhere » n'existe pas."),
    ],
)
def test_it_refuses_bad_input_in_french_and_writes_nothing(
    tmp_path, centre, other_centre, programme, overrides, message
):
    with pytest.raises(CommandError, match=re.escape(message)):
        _run(tmp_path, **overrides)

    assert list(tmp_path.iterdir()) == []


def test_it_keeps_the_previous_file_whole_when_writing_fails(
    tmp_path, centre, programme, monkeypatch
):
    (tmp_path / "bilan").write_text("le bilan de l'an dernier")

    def fail(source, target):
        raise OSError(errno.ENOSPC, "Plus de place sur le disque")

    monkeypatch.setattr(report_command.os, "replace", fail)
    with pytest.raises(CommandError, match="Impossible d'écrire .* Plus de place sur le disque"):
        _run(tmp_path)

    # The temporary file is gone, the old report untouched.
    assert [path.name for path in tmp_path.iterdir()] == ["bilan"]
    assert (tmp_path / "bilan").read_text() == "le bilan de l'an dernier"


# The download views.


def _export_url(programme, name="reports:export", **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse(name, args=[programme.pk])}?{query}"


@pytest.mark.parametrize("file_format", ["pdf", "xlsx", "json"])
def test_it_downloads_the_report(client_for, programme, file_format):
    url = _export_url(programme, du="2025-01-01", au="2025-12-31", format=file_format)
    response = client_for("coordinator").get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES[file_format]
    assert response["Content-Disposition"] == (
        f'attachment; filename="bilan-{programme.slug}-2025-01-01-2025-12-31.{file_format}"'
    )


def test_it_downloads_the_report_for_a_funder(client_for, programme):
    url = _export_url(programme, du="2025-01-01", au="2025-12-31", format="json", financeur="fse")
    response = client_for("director").get(url)

    data = json.loads(response.content)
    assert data["funder"] == "fse"
    assert data["start"] == "2025-01-01"


def test_it_downloads_the_current_year_as_pdf_by_default(client_for, programme):
    response = client_for("admin").get(reverse("reports:export", args=[programme.pk]))

    year = timezone.localdate().year
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"-{year}-01-01-{year}-12-31.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "params",
    [
        {"du": "2025-12-31", "au": "2025-01-01"},
        {"du": "2025-02-30", "au": "2025-12-31"},
        {"du": "demain", "au": "2025-12-31"},
    ],
)
@pytest.mark.parametrize("name", ["reports:export", "reports:fse_export"])
def test_it_refuses_a_bad_period(client_for, programme, name, params):
    response = client_for("coordinator").get(_export_url(programme, name, **params))

    assert response.status_code == 400
    assert "Période invalide" in response.content.decode()


def test_it_refuses_an_unknown_format(client_for, programme):
    response = client_for("coordinator").get(_export_url(programme, format="docx"))

    assert response.status_code == 400
    assert response.content.decode() == "Format d'export inconnu : choisissez pdf, xlsx ou json."


def test_it_downloads_the_fse_participants(client_for, programme):
    url = _export_url(programme, "reports:fse_export", du="2025-01-01", au="2025-12-31")
    response = client_for("coordinator").get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bilan-{programme.slug}-2025-01-01-2025-12-31-fse.xlsx"'
    )
    assert _workbook(response.content).sheetnames == ["Participants FSE+"]


@pytest.mark.parametrize(
    "actor,status",
    [
        ("coordinator", 200),
        ("director", 200),
        ("admin", 200),
        ("facilitator", 403),
        ("partner_worker", 403),
    ],
)
def test_it_lets_those_who_see_the_figures_download(client_for, programme, actor, status):
    response = client_for(actor).get(reverse("reports:export", args=[programme.pk]))

    assert response.status_code == status


@pytest.mark.parametrize("name", ["reports:export", "reports:fse_export"])
def test_it_does_not_find_a_programme_of_another_centre(client_for, other_centre, name):
    programme = ProgrammeFactory(centre=other_centre)

    response = client_for("coordinator").get(reverse(name, args=[programme.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("actor", ["director", "admin", "facilitator"])
def test_only_the_coordinator_downloads_the_fse_participants(client_for, programme, actor):
    assert (
        client_for(actor).get(reverse("reports:fse_export", args=[programme.pk])).status_code == 403
    )


def test_each_fse_participant_is_an_audited_read_under_a_code(client_for, centre, programme):
    from parcours.audit.models import AuditEvent

    from ..pathways.factories import PathwayFactory

    pathway = PathwayFactory(centre=centre, programme=programme, started_on=D(2025, 3, 1))
    url = _export_url(programme, "reports:fse_export", du="2025-01-01", au="2025-12-31")
    content = client_for("coordinator").get(url).content
    sheet = _workbook(content).worksheets[0]
    code = sheet.cell(row=2, column=1).value
    assert code.startswith("P-") and str(pathway.person_id) != code
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS)
    assert (event.person_id, event.additional_data) == (pathway.person_id, {"via": "export FSE+"})
