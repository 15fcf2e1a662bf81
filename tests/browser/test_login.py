from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from parcours.centres.enums import Role

from ..conftest import committing_db
from ..factories import PASSWORD, device_code, member

pytestmark = [pytest.mark.browser, committing_db]


def enrol(page):
    """The forced enrolment, as a user with a phone does it: read the key shown under
    the QR code, type the code it gives, go on past the recovery codes."""
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code à 6 chiffres").fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Activer").click()
    page.get_by_role("heading", name="Codes de secours").wait_for()
    page.get_by_role("link", name="Continuer").click()


def give_code(page, email):
    """The code step, with the code the user's phone would show (computed from the
    device's key; one step ahead, so that a code used a moment ago is not replayed)."""
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.get_by_label("Code à 6 chiffres").fill(device_code(device, offset=1))
    page.get_by_role("button", name="Valider").click()


def log_in(page, email, password):
    """The whole login: password, then the code step or the enrolment if the account
    has or needs a second factor."""
    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/connexion/double-authentification/" in page.url:
        enrol(page)
    elif "/connexion/code/" in page.url:
        give_code(page, email)


def test_a_coordinator_logs_in_and_finds_their_way(page, accessible, centre):
    user = member(centre, Role.COORDINATOR, first_name="Sophie")
    page.goto(page.base_url + "/")
    assert page.url.endswith("/connexion/?next=/")
    accessible(page)

    log_in(page, user.email, PASSWORD)
    page.get_by_role("heading", name="Bonjour Sophie").wait_for()
    expect(page.get_by_text("Centre « Le Lierre »").first).to_be_visible()
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
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    accessible(page)


def test_five_wrong_passwords_lock_the_account_with_a_french_message(page, accessible, centre):
    user = member(centre, Role.COORDINATOR)
    for _ in range(5):
        log_in(page, user.email, "ce-n-est-pas-le-bon")
    log_in(page, user.email, PASSWORD)
    expect(page.get_by_role("heading", name="Compte verrouillé")).to_be_visible()
    expect(page.get_by_text("ce compte est verrouillé pendant 30 minutes")).to_be_visible()
    accessible(page)


def test_a_director_enrols_then_logs_in_with_the_code(page, accessible, centre):
    user = member(centre, Role.DIRECTOR, first_name="Bernard")
    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Activer la double authentification").wait_for()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    accessible(page)
    enrol(page)
    page.get_by_role("heading", name="Bonjour Bernard").wait_for()
    page.get_by_role("button", name="Se déconnecter").first.click()

    page.goto(page.base_url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Code de connexion").wait_for()
    accessible(page)
    give_code(page, user.email)
    page.get_by_role("heading", name="Bonjour Bernard").wait_for()


def test_the_accessibility_statement_passes_its_own_checks(page, accessible):
    page.goto(page.base_url + "/accessibilite/")
    expect(page.get_by_role("heading", name="Déclaration d'accessibilité")).to_be_visible()
    accessible(page)
