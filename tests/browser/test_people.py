import datetime

import pytest
from playwright.sync_api import expect

from parcours.centres.enums import Role
from parcours.people import services

from ..conftest import committing_db
from ..factories import PASSWORD, ProgrammeFactory, member
from ..people.factories import PersonFactory
from .test_login import log_in

pytestmark = [pytest.mark.browser, committing_db]


def test_a_coordinator_records_a_referral_admits_the_person_and_fills_the_file(
    page, accessible, centre
):
    ProgrammeFactory(centre=centre, name="Objectif : Insertion(s)")
    coordinator = member(centre, Role.COORDINATOR)
    log_in(page, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Nouvelle orientation").click()
    accessible(page)
    page.get_by_role("textbox", name="Nom", exact=True).fill("Garnier")
    page.get_by_role("textbox", name="Prénom", exact=True).fill("Inès")
    page.get_by_label("Date de naissance").fill("1990-03-14")
    page.get_by_role("textbox", name="Motif de l'orientation").fill("Isolement.")
    page.get_by_role("button", name="Enregistrer l'orientation").click()
    page.get_by_text("L'orientation est enregistrée.").wait_for()
    accessible(page)

    page.get_by_role("button", name="Admettre et ouvrir le parcours").click()
    page.get_by_text("La personne est admise").wait_for()
    page.get_by_role("link", name="GARNIER Inès").click()
    expect(page.get_by_text("En parcours").first).to_be_visible()
    accessible(page)

    page.get_by_role("link", name="Compléter le dossier").click()
    accessible(page)
    page.get_by_label("Situation familiale").select_option(label="Parent isolé")
    page.get_by_label("Enfants à charge").fill("2")
    page.get_by_label("Ressources principales").select_option(label="RSA")
    page.get_by_label("Isolement social ou familial").check()
    page.get_by_label("Téléphone", exact=True).fill("pas un numéro")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Saisissez un numéro de téléphone valide")).to_be_visible()
    page.get_by_label("Téléphone", exact=True).fill("03 53 01 00 42")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le dossier est enregistré.").wait_for()
    expect(page.get_by_text("Parent isolé")).to_be_visible()
    expect(page.get_by_text("03 53 01 00 42")).to_be_visible()
    accessible(page)

    page.get_by_role("link", name="Volet confidentiel").click()
    accessible(page)


def referred_person(centre, by, referrer=None, **fields):
    person = PersonFactory(centre=centre, **fields)
    services.referral_receive(
        centre=centre,
        person=person,
        by=by,
        referrer_user=referrer,
        received_on=datetime.date(2026, 10, 1),
        reason="Isolement.",
    )
    return person


def test_a_facilitator_sees_nobody_outside_their_workshops_nor_any_confidential_section(
    page, accessible, centre
):
    coordinator = member(centre, Role.COORDINATOR)
    facilitator = member(centre, Role.FACILITATOR)
    person = referred_person(centre, coordinator, last_name="Horsatelier")
    log_in(page, facilitator.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Personnes"
    ).click()
    expect(page.get_by_text("Aucune personne ne correspond.")).to_be_visible()
    expect(page.get_by_text("HORSATELIER")).to_have_count(0)
    accessible(page)
    page.goto(f"{page.base_url}/personnes/{person.pk}/confidentiel/")
    expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    page.goto(f"{page.base_url}/personnes/{person.pk}/")
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()


def test_a_partner_worker_sees_only_the_people_they_referred(page, accessible, centre):
    coordinator = member(centre, Role.COORDINATOR)
    partner = member(centre, Role.PARTNER_WORKER)
    referred_person(centre, coordinator, referrer=partner, last_name="Orientéeparelle")
    referred_person(centre, coordinator, last_name="Orientéeparunautre")
    log_in(page, partner.email, PASSWORD)
    expect(page.get_by_role("link", name="ORIENTÉEPARELLE").first).to_be_visible()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Personnes"
    ).click()
    expect(page.get_by_role("link", name="ORIENTÉEPARELLE")).to_be_visible()
    expect(page.get_by_text("ORIENTÉEPARUNAUTRE")).to_have_count(0)
    accessible(page)
    page.get_by_role("link", name="ORIENTÉEPARELLE").click()
    expect(page.get_by_text("n'a pas donné son accord")).to_be_visible()
    accessible(page)
