import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parcours.centres.enums import Role
from parcours.pathways.models import Appointment, Assessment, ExitOutcome, Goal, Pathway
from parcours.pathways.outcomes import load_defaults
from parcours.people.models import Person, Referral

from ..conftest import committing_db
from ..factories import PASSWORD, member
from ..partners.factories import PartnerFactory
from ..pathways.factories import PathwayFactory
from .test_login import log_in

pytestmark = [pytest.mark.browser, committing_db]


def score_all(page, level):
    for radio in page.locator(f'input[type="radio"][name^="criterion_"][value="{level}"]').all():
        radio.check()


def test_a_coordinator_follows_a_pathway_from_appointment_to_exit(page, accessible, centre):
    load_defaults(ExitOutcome)  # an earlier committing test flushed the migration's rows
    coordinator = member(centre, Role.COORDINATOR)
    pathway = PathwayFactory(
        centre=centre,
        started_on=timezone.localdate() - datetime.timedelta(days=200),
        person__last_name="Garnier",
    )
    PartnerFactory(centre=centre, name="CMP de Thionville")
    log_in(page, coordinator.email, PASSWORD)
    page.goto(f"{page.base_url}/parcours/{pathway.pk}/")
    accessible(page)

    # Plan an appointment, then record how it went with a note.
    page.get_by_role("link", name="Nouvel entretien").click()
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    page.get_by_label("Date et heure").fill(yesterday.strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L'entretien est enregistré.").wait_for()
    page.get_by_role("link", name=yesterday.strftime("%d/%m/%Y")).click()
    accessible(page)
    page.get_by_label("État").select_option(label="Tenu")
    page.get_by_label("Note d'entretien").fill("Souhaite reprendre une formation.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L'entretien est enregistré.").wait_for()

    # Two goals.
    for axis, wording in [
        ("Rupture de l'isolement", "Venir à deux ateliers par semaine"),
        ("Projet professionnel, emploi", "Écrire son CV"),
    ]:
        page.get_by_role("link", name="Nouvel objectif").click()
        page.get_by_label("Axe").select_option(label=axis)
        page.get_by_label("Objectif, dans les mots convenus avec la personne").fill(wording)
        page.get_by_role("button", name="Enregistrer").click()
        page.get_by_text("L'objectif est enregistré.").wait_for()
    expect(page.get_by_text("Écrire son CV")).to_be_visible()

    # Two assessments, then the progress chart.
    for days_ago, level in [(150, 1), (10, 3)]:
        page.get_by_role("link", name="Évaluations").click()
        page.get_by_role("link", name="Nouvelle évaluation").click()
        day = timezone.localdate() - datetime.timedelta(days=days_ago)
        page.get_by_label("Date de l'évaluation").fill(day.isoformat())
        score_all(page, level)
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_load_state()
        page.goto(f"{page.base_url}/parcours/{pathway.pk}/")
    page.get_by_role("link", name="Évaluations").click()
    assert page.locator("svg[role='img']").count() >= 1
    accessible(page)

    # A relay to a partner: refused without the person's consent, then sent with a
    # coordinator's override and its reason.
    page.goto(f"{page.base_url}/parcours/{pathway.pk}/")
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    accessible(page)
    page.get_by_label("Partenaire", exact=False).first.select_option(label="CMP de Thionville")
    page.get_by_role("textbox", name="Motif du relais").fill("Suivi psychologique.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La personne n'a pas donné son accord au partage")).to_be_visible()
    accessible(page)
    page.get_by_label("Motif de la dérogation").fill("Danger grave pour la personne.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le relais vers CMP de Thionville est enregistré.").wait_for()

    # Close the pathway with an outcome.
    page.goto(f"{page.base_url}/parcours/{pathway.pk}/")
    page.get_by_label("Issue").select_option(label="Entrée en formation")
    page.get_by_role("button", name="Clore le parcours").click()
    page.get_by_text("Le parcours est clos.").wait_for()
    accessible(page)

    pathway = Pathway.objects.get(pk=pathway.pk)
    assert pathway.ended_on == timezone.localdate()
    assert pathway.exit.outcome.label == "Entrée en formation"
    assert Appointment.objects.get(pathway=pathway).note == "Souhaite reprendre une formation."
    assert Goal.objects.filter(pathway=pathway).count() == 2
    assert Assessment.objects.filter(pathway=pathway).count() == 2
    assert Referral.objects.filter(person=pathway.person, direction="out").count() == 1
    assert Person.objects.get(pk=pathway.person_id).status == "exited"
