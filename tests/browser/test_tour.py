"""A tour of the demo centre, role by role: every page opens without a serious or
critical accessibility violation nor a Content-Security-Policy breach."""

import pytest
from django.core.management import call_command

from parcours.centres.demo import DEMO_PASSWORD
from parcours.pathways.models import Assessment
from parcours.people.models import Person
from parcours.workshops.models import Session

from ..conftest import committing_db
from .test_login import log_in

pytestmark = [pytest.mark.browser, committing_db]


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True)
    return {
        "person": Person.objects.filter(status="active").order_by("pk").first(),
        "session": Session.objects.filter(status="held").order_by("-date").first(),
        "pathway": Assessment.objects.order_by("pk").first().pathway,
    }


def tour(page, accessible, email, paths):
    log_in(page, email, DEMO_PASSWORD)
    for path in paths:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        accessible(page)


def test_the_coordinators_pages_are_accessible(page, accessible, demo):
    tour(
        page,
        accessible,
        "coordination@le-lierre.example",
        [
            "/",
            "/personnes/",
            f"/personnes/{demo['person'].pk}/",
            f"/personnes/{demo['person'].pk}/modifier/",
            "/orientations/nouvelle/",
            "/ateliers/",
            "/seances/",
            f"/seances/{demo['session'].pk}/",
            "/partenaires/",
            f"/parcours/{demo['pathway'].pk}/",
            f"/parcours/{demo['pathway'].pk}/evaluations/",
            "/relais/",
            "/journal/",
        ],
    )


def test_the_directors_pages_are_accessible(page, accessible, demo):
    tour(
        page,
        accessible,
        "direction@le-lierre.example",
        ["/", "/rapports/", "/ateliers/chiffres/", "/equipe/"],
    )


def test_the_facilitators_pages_are_accessible(page, accessible, demo):
    tour(page, accessible, "animation@le-lierre.example", ["/", "/personnes/", "/agenda/"])
