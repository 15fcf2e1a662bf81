"""The bilan de parcours for the RSA referent: its figures, read back from the PDF with
pdftotext, that it needs the person's consent (or an override), and who may print it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.consent import services as consent_services
from parcours.consent.enums import Purpose
from parcours.consent.models import consent_for
from parcours.pathways import bilan
from parcours.pathways.enums import AppointmentStatus, AssessmentBy, Axis, GoalStatus
from parcours.pathways.models import Assessment, AssessmentGrid, Criterion, Score
from parcours.people.enums import Direction, ReferralStatus
from parcours.people.models import ConfidentialNote, Referral
from parcours.workshops.enums import Presence, SessionStatus
from parcours.workshops.models import Attendance

from ..partners.factories import PartnerFactory
from ..workshops.factories import SessionFactory, WorkshopFactory
from ..workshops.test_sheets import pages, pdf_text
from .factories import AppointmentFactory, GoalFactory, PathwayFactory

D = datetime.date
PERIOD = {"du": "2026-01-01", "au": "2026-03-31"}
SECRETS = (
    "Note d'entretien : parle de ses dettes",
    "Suivi au CMP depuis 2019",
    "Note du dossier à ne pas diffuser",
    "Étape confidentielle : voir le médecin",
    "Motif du relais à ne pas diffuser",
    "Informations transmises au partenaire",
    "CSAPA Les Berges",
    "03 53 01 00 00",
)


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def mark(workshop, person, day, presence, **session_fields):
    session = SessionFactory(workshop=workshop, date=day, **session_fields)
    Attendance.objects.create(session=session, person=person, presence=presence)


def relay(person, partner, received_on, status=ReferralStatus.SENT):
    return Referral.objects.create(
        centre=person.centre,
        person=person,
        direction=Direction.OUT,
        partner=partner,
        received_on=received_on,
        status=status,
        reason="Motif du relais à ne pas diffuser",
        shared_information="Informations transmises au partenaire",
    )


def assess(pathway, grid, day, values, by=AssessmentBy.COORDINATOR):
    assessment = Assessment.objects.create(pathway=pathway, grid=grid, assessed_on=day, by=by)
    for criterion, value in zip(grid.criteria.all(), values, strict=True):
        Score.objects.create(assessment=assessment, criterion=criterion, value=value)


def grid_of(centre):
    grid = AssessmentGrid.objects.create(centre=centre, version=1)
    for order, label in enumerate(["Freins à la mobilité", "Prise d'initiative"]):
        Criterion.objects.create(
            grid=grid,
            label=label,
            group="Savoir-être",
            order=order,
            level_1="Très difficile",
            level_2="Difficile",
            level_3="En progrès",
            level_4="Acquis",
        )
    return grid


@pytest.fixture
def pathway(centre, programme):
    """Karima Benali's pathway, with a history in and around the first quarter of 2026."""
    pathway = PathwayFactory(
        centre=centre,
        programme=programme,
        person__last_name="Benali",
        person__first_name="Karima",
        person__notes="Note du dossier à ne pas diffuser",
        person__difficulty_health=True,
    )
    person = pathway.person
    consent_services.consent_record(
        person=person,
        purpose=Purpose.RSA_BILAN,
        on=D(2025, 9, 15),
        scope="Avec son référent RSA.",
        by=None,
    )
    ConfidentialNote.objects.create(person=person, health="Suivi au CMP depuis 2019")

    french = WorkshopFactory(centre=centre, name="Atelier français")
    for day, presence in [
        (D(2026, 1, 5), Presence.PRESENT),
        (D(2026, 1, 12), Presence.PRESENT),
        (D(2026, 1, 19), Presence.ABSENT),
        (D(2026, 1, 26), Presence.PRESENT),
        (D(2025, 12, 15), Presence.PRESENT),  # before the period
    ]:
        mark(french, person, day, presence)
    mark(french, person, D(2026, 2, 2), Presence.ABSENT, status=SessionStatus.CANCELLED)
    outings = WorkshopFactory(centre=centre, name="Sorties culturelles")
    mark(outings, person, D(2026, 2, 14), Presence.PRESENT)
    mark(outings, person, D(2026, 3, 14), Presence.EXCUSED)

    note = "Note d'entretien : parle de ses dettes"
    for day, status in [
        (D(2026, 1, 8), AppointmentStatus.HELD),
        (D(2026, 2, 10), AppointmentStatus.HELD),
        (D(2026, 3, 3), AppointmentStatus.MISSED),
        (D(2025, 11, 4), AppointmentStatus.HELD),  # before the period
    ]:
        AppointmentFactory(pathway=pathway, starts_at=at(day), status=status, note=note)

    GoalFactory(
        pathway=pathway,
        axis=Axis.ISOLATION,
        wording="Prendre le bus seule jusqu'au centre",
        due_on=D(2026, 4, 30),
        steps="Étape confidentielle : voir le médecin",
    )
    GoalFactory(
        pathway=pathway, axis=Axis.WORK, wording="Refaire son CV", status=GoalStatus.REACHED
    )

    relay(person, PartnerFactory(centre=centre, name="France Travail Thionville"), D(2026, 2, 3))
    relay(
        person,
        PartnerFactory(centre=centre, name="CSAPA Les Berges", addictions=True),
        D(2026, 2, 4),
    )

    grid = grid_of(centre)
    assess(pathway, grid, D(2026, 1, 6), [1, 2])
    assess(pathway, grid, D(2026, 3, 20), [3, 2])
    assess(pathway, grid, D(2026, 3, 21), [4, 4], by=AssessmentBy.SELF)
    return pathway


def report(client, pathway, **params):
    return client.get(reverse("pathways:pathway_report", args=[pathway.pk]), params)


def one_line(text):
    # Table cells may wrap: compare words, whatever the line breaks and the columns.
    return " ".join(text.split())


def test_it_prints_the_figures_of_the_pathway(client_for, pathway):
    response = report(client_for("coordinator"), pathway, **PERIOD)

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert len(pages(text)) == 1
    words = one_line(text)
    assert "Centre « Le Lierre »" in words
    assert "Objectif : Insertion(s)" in words
    assert "BENALI Karima" in words
    assert "du 01/01/2026 au 31/03/2026" in words
    assert "Atelier français 3 présences sur 4 séances" in words
    assert "Sorties culturelles 1 présence sur 2 séances (dont 1 absence excusée)" in words
    assert "Au total : 4 présences sur 6 séances." in words
    assert "2 entretiens tenus sur la période." in words
    assert "Rupture de l'isolement Prendre le bus seule jusqu'au centre En cours" in words
    assert "Projet professionnel, emploi Refaire son CV Atteint" in words
    assert "Freins à la mobilité 1 · Très difficile 3 · En progrès +2" in words
    assert "Prise d'initiative 2 · Difficile 2 · Difficile =" in words
    assert "Acquis" not in words  # the person's self-assessment stays in the file
    assert "03/02/2026 France Travail Thionville Envoyé" in words
    assert "30/04/2026 Prendre le bus seule jusqu'au centre" in words
    assert "Avec son référent RSA." in words
    assert "Accord donné par la personne le 15/09/2025" in words


def test_it_never_prints_notes_nor_confidential_information(client_for, pathway):
    text = pdf_text(report(client_for("coordinator"), pathway, **PERIOD).content)

    for secret in SECRETS:
        assert secret not in text
    assert "santé" not in text.lower()


def test_it_is_blocked_once_the_person_withdrew_their_consent(client_for, pathway):
    consent = consent_for(pathway.person, Purpose.RSA_BILAN)
    consent_services.consent_withdraw(record=consent, on=timezone.localdate(), by=None)

    response = report(client_for("coordinator"), pathway, **PERIOD)

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    page = one_line(response.content.decode())
    assert "Consentement manquant" in page
    assert "Bilan de parcours au référent RSA" in page
    assert reverse("consent:person", args=[pathway.person.pk]) in page
    assert "enregistrez une dérogation motivée" in page
    for hidden in ["Atelier français", "Prendre le bus", *SECRETS]:
        assert hidden not in page


def test_it_prints_with_an_override_of_the_day_and_says_so(client_for, users, pathway):
    person = pathway.person
    consent_services.consent_withdraw(
        record=consent_for(person, Purpose.RSA_BILAN), on=timezone.localdate(), by=None
    )
    consent_services.override_record(
        person=person,
        purpose=Purpose.RSA_BILAN,
        reason="Demandé par le Département pour le renouvellement du CER.",
        by=users["coordinator"],
    )

    response = report(client_for("coordinator"), pathway, **PERIOD)

    assert response["Content-Type"] == "application/pdf"
    words = one_line(pdf_text(response.content))
    assert f"décidée par la coordination le {timezone.localdate():%d/%m/%Y}, sans accord" in words
    assert "Demandé par le Département" not in words  # the reason stays in the file
    assert "Avec son référent RSA." not in words


def test_it_defaults_to_the_whole_pathway_until_today(client_for, pathway):
    words = one_line(pdf_text(report(client_for("coordinator"), pathway).content))

    assert f"du 15/09/2025 au {timezone.localdate():%d/%m/%Y}" in words
    assert "Au total : 5 présences sur 7 séances." in words
    assert "3 entretiens tenus sur la période." in words


def test_it_says_when_there_is_one_assessment_only(client_for, pathway):
    words = one_line(
        pdf_text(
            report(client_for("coordinator"), pathway, du="2026-03-01", au="2026-03-31").content
        )
    )

    assert "Une seule évaluation sur la période" in words
    assert "Freins à la mobilité 3 · En progrès" in words


def test_it_leaves_out_assessments_when_there_are_none(client_for, pathway):
    words = one_line(
        pdf_text(
            report(client_for("coordinator"), pathway, du="2026-02-01", au="2026-02-28").content
        )
    )

    assert "Évolution" not in words
    assert "Objectifs" in words


@pytest.mark.parametrize(
    "params",
    [
        {"du": "2026-13-01"},
        {"au": "31/03/2026"},
        {"du": "2026-03-31", "au": "2026-01-01"},
        {"au": "2025-09-01"},  # before the pathway's start, the default first day
    ],
)
def test_it_refuses_a_bad_period_in_french(client_for, pathway, params):
    response = report(client_for("coordinator"), pathway, **params)

    assert response.status_code == 400
    assert response.content.decode().startswith("Période invalide")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS).exists()


def test_it_records_the_read_in_the_audit_trail(client_for, pathway, users):
    report(client_for("coordinator"), pathway, **PERIOD)

    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS)
    assert (event.object_pk, event.content_type.model) == (str(pathway.person.pk), "person")
    assert event.actor == users["coordinator"]
    assert event.additional_data == {"section": "bilan de parcours"}


@pytest.mark.parametrize("actor", ["facilitator", "partner_worker", "director", "admin"])
def test_it_is_refused_to_everyone_but_the_coordinator(client_for, pathway, actor):
    assert report(client_for(actor), pathway).status_code == 403


def test_it_does_not_find_a_pathway_of_another_centre(client_for, other_centre):
    elsewhere = PathwayFactory(centre=other_centre)

    assert report(client_for("coordinator"), elsewhere).status_code == 404


def test_it_does_as_many_queries_for_a_long_history_as_for_a_short_one(client_for, centre, pathway):
    client = client_for("coordinator")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert report(client, pathway, **PERIOD).status_code == 200
        return len(captured)

    short = queries()
    person, grid = pathway.person, AssessmentGrid.objects.get(centre=centre)
    for n in range(12):
        workshop = WorkshopFactory(centre=centre)
        mark(workshop, person, D(2026, 1, 1) + datetime.timedelta(days=n), Presence.PRESENT)
        AppointmentFactory(pathway=pathway, starts_at=at(D(2026, 2, 1) + datetime.timedelta(n)))
        GoalFactory(pathway=pathway, wording=f"Objectif n° {n}", due_on=D(2026, 6, n + 1))
        relay(person, PartnerFactory(centre=centre), D(2026, 3, 1))
        assess(pathway, grid, D(2026, 2, 1) + datetime.timedelta(days=n), [2, 3])

    assert queries() == short


LONG_WORDING = (
    "Trouver un mode de garde pour les enfants le mercredi, afin de suivre la formation "
    "d'aide à domicile jusqu'au bout et de passer l'examen en juin"
)


def test_it_cuts_long_lists_to_fit_on_two_pages(centre, pathway):
    person = pathway.person
    for _ in range(30):
        GoalFactory(pathway=pathway, wording=LONG_WORDING, due_on=D(2026, 6, 1))
        relay(person, PartnerFactory(centre=centre), D(2026, 3, 1))
        mark(WorkshopFactory(centre=centre), person, D(2026, 3, 2), Presence.PRESENT)

    content = bilan.bilan_pdf(
        bilan.bilan_gather(
            pathway,
            first_day=D(2026, 1, 1),
            last_day=D(2026, 3, 31),
            consent=consent_for(person, Purpose.RSA_BILAN),
        )
    )

    text = pdf_text(content)
    assert len(pages(text)) == 2
    words = one_line(text)
    assert "autres ateliers." in words
    assert "autres objectifs." in words
    assert "autres relais." in words
    assert "Au total : 34 présences sur 36 séances." in words


def test_it_marks_a_deadline_passed_at_the_end_of_the_period(client_for, pathway):
    GoalFactory(pathway=pathway, wording="Ouvrir un compte bancaire", due_on=D(2026, 2, 15))
    words = one_line(pdf_text(report(client_for("coordinator"), pathway, **PERIOD).content))
    assert "15/02/2026 — dépassée Ouvrir un compte bancaire" in words
    assert "30/04/2026 Prendre le bus seule jusqu'au centre" in words  # still to come
