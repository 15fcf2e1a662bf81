import datetime
import re

from django.urls import reverse
from django.utils import timezone

from parcours.reports.models import Narrative

from ..pathways.factories import PathwayFactory


def report_url(programme, **query):
    url = reverse("reports:report", args=[programme.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_shows_the_current_year_by_default_with_charts(client_for, centre, programme):
    PathwayFactory(centre=centre, programme=programme, started_on=timezone.localdate())
    page = client_for("director").get(report_url(programme))
    assert page.status_code == 200
    report = page.context["report"]
    assert report.start == datetime.date(timezone.localdate().year, 1, 1)
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html
    # SVG lengths keep a decimal point in a French page (a comma would hide the bars).
    assert not re.search(r'(width|x|y)="\d+,\d', html)
    assert "Personnes accompagnées" in html


def test_a_bad_period_gets_a_french_error(client_for, programme):
    page = client_for("coordinator").get(report_url(programme, du="2025-12-31", au="2025-01-01"))
    assert page.status_code == 400
    assert "La fin de la période doit suivre son début." in page.content.decode()
    page = client_for("coordinator").get(report_url(programme, du="abc", au="2025-01-01"))
    assert page.status_code == 400
    assert "Saisissez une date valide." in page.content.decode()


def test_the_coordinator_writes_a_narrative_kept_with_that_period(client_for, centre, programme):
    client = client_for("coordinator")
    query = {"du": "2025-01-01", "au": "2025-12-31"}
    client.post(
        report_url(programme, **query).replace(
            reverse("reports:report", args=[programme.pk]),
            reverse("reports:narrative", args=[programme.pk]),
        ),
        {"section": "people", "text": "Une année marquée par l'arrivée de familles."},
    )
    narrative = Narrative.objects.get()
    assert (narrative.start, narrative.end, narrative.section) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
        "people",
    )
    page = client.get(report_url(programme, **query)).content.decode()
    assert "Une année marquée" in page
    other_year = client.get(
        report_url(programme, du="2024-01-01", au="2024-12-31")
    ).content.decode()
    assert "Une année marquée" not in other_year


def test_the_director_reads_but_does_not_write(client_for, programme):
    response = client_for("director").post(
        reverse("reports:narrative", args=[programme.pk]) + "?du=2025-01-01&au=2025-12-31",
        {"section": "people", "text": "x"},
    )
    assert response.status_code == 403
    assert not Narrative.objects.exists()


def test_a_year_to_date_is_compared_with_the_same_dates_a_year_before():
    from parcours.reports.shape import previous_period

    D = datetime.date
    assert previous_period(D(2026, 1, 1), D(2026, 11, 26)) == (D(2025, 1, 1), D(2025, 11, 26))
    assert previous_period(D(2024, 1, 1), D(2024, 2, 29)) == (D(2023, 1, 1), D(2023, 2, 28))
    assert previous_period(D(2025, 3, 1), D(2025, 3, 31)) == (D(2025, 1, 29), D(2025, 2, 28))


def test_the_director_sees_this_years_figures_on_the_home_page(client_for, centre, programme):
    PathwayFactory(centre=centre, programme=programme, started_on=timezone.localdate())
    page = client_for("director").get(reverse("dashboard:home"))
    html = page.content.decode()
    assert "Personnes accompagnées" in html and "Tous les ateliers" in html
    [dashboard] = page.context["year_to_date"]
    headline = dashboard["tables"][0]
    assert headline.rows[0].value == 1


def test_a_federation_director_sees_every_centre_they_direct(
    client_for, users, centre, other_centre, programme
):
    from parcours.centres.enums import Role
    from parcours.centres.models import Membership

    from ..factories import ProgrammeFactory

    theirs = ProgrammeFactory(centre=other_centre, name="Action des Tilleuls")
    Membership.objects.create(user=users["director"], centre=other_centre, role=Role.DIRECTOR)
    page = client_for("director").get(reverse("dashboard:home"))
    programmes = [d["programme"] for d in page.context["year_to_date"]]
    assert set(programmes) == {programme, theirs}
