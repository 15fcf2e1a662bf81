import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parcours.centres.enums import Role

from ..conftest import committing_db
from ..factories import PASSWORD, member
from ..people.factories import PersonFactory
from ..workshops.factories import EnrolmentFactory, SessionFactory, WorkshopFactory
from .test_login import log_in

pytestmark = [pytest.mark.browser, committing_db]


def pressed(page, last_name, presence):
    """The button of `presence`, shown as chosen, in the row of `last_name`."""
    return page.locator(
        f'form[aria-label^="Présence de {last_name}"] '
        f'button[value="{presence}"][aria-pressed="true"]'
    )


def test_a_facilitator_marks_attendance_on_a_tablet_and_the_coordinator_sees_it(
    browser, live_server, accessible, centre
):
    facilitator = member(centre, Role.FACILITATOR, first_name="Karim")
    coordinator = member(centre, Role.COORDINATOR)
    couture = WorkshopFactory(centre=centre, name="Couture")
    couture.facilitators.add(facilitator)
    for last_name in ["Amrani", "Becker"]:
        EnrolmentFactory(workshop=couture, person=PersonFactory(centre=centre, last_name=last_name))
    SessionFactory(workshop=couture, date=timezone.localdate())

    # A 10-inch tablet held upright, with touch.
    tablet = browser.new_context(
        viewport={"width": 800, "height": 1280}, has_touch=True, is_mobile=True, locale="fr-FR"
    )
    page = tablet.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda m: (
            page.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    page.base_url = live_server.url
    log_in(page, facilitator.email, PASSWORD)
    page.get_by_role("link", name="Couture").first.tap()
    page.get_by_role("heading", name="Couture").wait_for()
    accessible(page)
    amrani = page.get_by_role("form", name="Présence de AMRANI")
    amrani.get_by_role("button", name="Présente").tap()
    pressed(page, "AMRANI", "present").wait_for()
    page.get_by_role("form", name="Présence de BECKER").get_by_role("button", name="Absente").tap()
    pressed(page, "BECKER", "absent").wait_for()
    accessible(page)
    tablet.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = desk.new_page()
    page.base_url = live_server.url
    log_in(page, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/seances/")
    expect(page.get_by_text("Tenue · 1 présent")).to_be_visible()
    page.get_by_role("link", name=timezone.localdate().strftime("%d/%m"), exact=False).first.click()
    page.get_by_role("heading", name="Couture").wait_for()
    expect(pressed(page, "AMRANI", "present")).to_be_visible()
    expect(pressed(page, "BECKER", "absent")).to_be_visible()
    desk.close()
