"""Issue 15's attack, end to end in a browser: the admin of one centre names another
centre's coordinator to take over their second factor. Nothing is attached until the
coordinator accepts with their own login, and even then the reset is refused."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from parcours.centres.enums import Role
from parcours.centres.models import Membership

from ..conftest import committing_db
from ..factories import PASSWORD, member, totp_device
from .test_login import give_code, log_in

pytestmark = [pytest.mark.browser, committing_db]


def test_an_admin_of_another_centre_cannot_take_over_a_coordinators_second_factor(
    browser, page, accessible, centre, other_centre
):
    victim = member(centre, Role.COORDINATOR, email="coordination@le-lierre.example")
    totp_device(victim)
    attacker = member(other_centre, Role.ADMIN, first_name="Intrus")

    log_in(page, attacker.email, PASSWORD)
    page.goto(page.base_url + "/equipe/")
    page.get_by_role("link", name="Inviter un membre").click()
    accessible(page)
    page.get_by_label("Adresse e-mail").fill(victim.email)
    page.get_by_label("Rôle").select_option(label="Animation d'ateliers")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(f"Une invitation est envoyée à {victim.email}")).to_be_visible()
    expect(page.get_by_text(centre.name)).to_have_count(0)
    accessible(page)
    # Nothing is attached: no role in centre 2, nothing to reset.
    assert not Membership.objects.filter(user=victim, centre=other_centre).exists()
    reset = page.get_by_role("button", name=f"Réinitialiser la double authentification de {victim}")
    expect(reset).to_have_count(0)

    # The coordinator accepts, with their own password and code.
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    theirs = browser.new_context(locale="fr-FR").new_page()
    theirs.goto(link)
    theirs.get_by_role("link", name="Se connecter").click()
    theirs.get_by_label("Adresse e-mail").fill(victim.email)
    theirs.get_by_label("Mot de passe").fill(PASSWORD)
    theirs.get_by_role("button", name="Se connecter").click()
    give_code(theirs, victim.email)
    theirs.get_by_role("button", name="Accepter l'invitation").click()
    expect(
        theirs.get_by_text(f"Vous faites maintenant partie de l'équipe de {other_centre.name}")
    ).to_be_visible()
    # They still work in their own centre.
    expect(theirs.locator(".centre-name")).to_have_text(centre.name)
    expect(theirs.get_by_label("Centre")).to_have_value(str(centre.pk))
    theirs.context.close()

    # The attacker's reset of a shared account is refused.
    page.goto(page.base_url + "/equipe/")
    reset.click()
    expect(page.get_by_text("seul un opérateur de l'installation")).to_be_visible()
    accessible(page)
    assert TOTPDevice.objects.filter(user=victim, confirmed=True).exists()
