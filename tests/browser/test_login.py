import pytest

from parcours.centres.enums import Role

from ..conftest import committing_db
from ..factories import PASSWORD, member

pytestmark = [pytest.mark.browser, committing_db]


def log_in(page, email, password):
    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_a_coordinator_logs_in_and_finds_their_way(page, accessible, centre):
    user = member(centre, Role.COORDINATOR, first_name="Sophie")
    page.goto(page.base_url + "/")
    assert page.url.endswith("/connexion/?next=/")
    accessible(page)

    log_in(page, user.email, PASSWORD)
    page.get_by_role("heading", name="Bonjour Sophie").wait_for()
    assert page.get_by_text("Centre « Le Lierre »").first.is_visible()
    accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"

    nav = page.get_by_role("navigation", name="Navigation principale")
    for area in ["Personnes", "Ateliers", "Partenaires", "Rapports", "Le centre", "Journal"]:
        nav.get_by_role("link", name=area).click()
        page.wait_for_load_state()
        accessible(page)
    nav.get_by_role("link", name="Le centre").click()
    page.get_by_role("link", name="Nouveau lieu").click()
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Ce champ est obligatoire.").first.is_visible()
    accessible(page)


def test_five_wrong_passwords_lock_the_account_with_a_french_message(page, accessible, centre):
    user = member(centre, Role.COORDINATOR)
    for _ in range(5):
        log_in(page, user.email, "ce-n-est-pas-le-bon")
    log_in(page, user.email, PASSWORD)
    assert page.get_by_role("heading", name="Compte verrouillé").is_visible()
    assert page.get_by_text("ce compte est verrouillé pendant 30 minutes").is_visible()
    accessible(page)
