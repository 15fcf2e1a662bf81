import datetime
import io

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from parcours.audit.models import AuditEvent
from parcours.centres.models import Centre
from parcours.consent import services as consent_services
from parcours.consent.enums import Purpose
from parcours.consent.file_parts import ERASED_REASON
from parcours.consent.models import ConsentOverride, ConsentRecord
from parcours.pathways.case_reviews import case_review_create
from parcours.pathways.enums import AppointmentStatus, GoalStatus
from parcours.pathways.models import ExitOutcome, PathwayExit
from parcours.pathways.services import pathway_close
from parcours.people import file
from parcours.people import services as people_services
from parcours.people.enums import Benefit, Household, Sex
from parcours.people.models import ConfidentialNote, Person, ReferralEvent, RsaContract
from parcours.privacy import services
from parcours.privacy.models import LegalHold
from parcours.reports import fse, layout
from parcours.reports.enums import Funder
from parcours.reports.exports import report_json, report_xlsx
from parcours.workshops.enums import EnrolmentStatus
from parcours.workshops.models import VigilanceFollowUp

from ..partners.factories import PartnerFactory
from ..pathways.factories import AppointmentFactory, GoalFactory
from ..people.factories import NeighbourhoodFactory
from ..workshops.factories import EnrolmentFactory
from .conftest import at

MARK = "MARQUEUR-PRIVÉ-7Q"
TODAY = datetime.date(2027, 3, 1)


def _everything_stored():
    """Every row of every model of the project, as text."""
    return "".join(
        serializers.serialize("json", model.objects.all())
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "auth", "sessions", "admin", "axes"}
    )


@pytest.fixture
def marked(centre, users, programme, old_file):
    """A file with the marker in every free text Parcours has about a person."""
    coordinator = users["coordinator"]
    neighbourhood = NeighbourhoodFactory(centre=centre, name="Quartier-Est", is_qpv=True)
    person = old_file(
        last_name=f"Nom{MARK}",
        first_name=f"Prénom{MARK}",
        birth_date=datetime.date(1981, 7, 14),
        sex=Sex.FEMALE,
        email="marquee@example.org",
        address=f"3 rue {MARK}",
        postcode="57100",
        city="Thionville",
        neighbourhood=neighbourhood,
        household=Household.SINGLE_PARENT,
        children_count=2,
        children_ages=f"4, 9 {MARK}",
        benefit=Benefit.RSA,
        rsa_referent_name=f"Référent {MARK}",
        notes=f"Notes {MARK}",
    )
    partner = PartnerFactory(centre=centre)
    consent_services.consent_record(
        person=person,
        purpose=Purpose.SHARE_PARTNER,
        partner=partner,
        on=datetime.date(2025, 1, 6),
        by=coordinator,
        scope=f"Partage {MARK}",
    )
    consent_services.override_record(
        person=person, purpose=Purpose.RSA_BILAN, reason=f"Dérogation {MARK}", by=coordinator
    )
    referral = people_services.referral_receive(
        centre=centre,
        person=person,
        by=coordinator,
        partner=partner,
        received_on=datetime.date(2025, 1, 6),
        reason=f"Motif {MARK}",
        expectations=f"Attentes {MARK}",
    )
    ReferralEvent.objects.filter(referral=referral).update(note=f"Événement {MARK}")
    pathway = people_services.referral_admit(
        referral=referral,
        programme=programme,
        started_on=datetime.date(2025, 1, 20),
        by=coordinator,
    )
    ConfidentialNote.objects.create(person=person, health=f"Santé {MARK}", violence=MARK)
    RsaContract.objects.create(
        person=person,
        starts_on=datetime.date(2025, 2, 1),
        ends_on=datetime.date(2025, 12, 31),
        goals=f"CER {MARK}",
    )
    appointment = AppointmentFactory(
        pathway=pathway,
        starts_at=at(datetime.date(2025, 3, 3)),
        note=f"Entretien {MARK}",
        other_attendees=f"Assistante {MARK}",
    )
    appointment.move_to(AppointmentStatus.HELD, by=coordinator, reason=f"Tenu {MARK}")
    appointment.save()
    goal = GoalFactory(pathway=pathway, wording=f"Objectif {MARK}", steps=f"Étapes {MARK}")
    goal.move_to(GoalStatus.GIVEN_UP, by=coordinator, reason=f"Abandon {MARK}")
    goal.move_to(GoalStatus.IN_PROGRESS, by=coordinator, reason=f"Reprise {MARK}")
    goal.save()
    enrolment = EnrolmentFactory(workshop__centre=centre, person=person)
    enrolment.move_to(EnrolmentStatus.ENDED, by=coordinator, reason=f"Départ {MARK}")
    enrolment.ends_on = datetime.date(2025, 5, 5)
    enrolment.save()
    case_review_create(
        centre=centre,
        held_on=datetime.date(2025, 4, 7),
        participants=[],
        other_participants="",
        items=[(person, f"Décision {MARK}")],
    )
    VigilanceFollowUp.objects.create(person=person, noted_by=coordinator, note=f"Appel {MARK}")
    LegalHold.objects.create(
        person=person, reason=f"Motif légal {MARK}", recorded_on=TODAY, lifted_on=TODAY
    )
    pathway_close(
        pathway=pathway,
        ended_on=datetime.date(2025, 6, 30),
        outcome=ExitOutcome.objects.filter(centre=None).first(),
        comment=f"Sortie {MARK}",
        by=coordinator,
    )
    return person


def test_anonymisation_leaves_no_personal_text_anywhere(marked, users):
    assert MARK in _everything_stored()
    assert AuditEvent.objects.filter(person_id=marked.pk).count() > 3
    services.person_anonymise(person=marked, today=TODAY, by=users["coordinator"])
    assert MARK not in _everything_stored()
    marked.refresh_from_db()
    assert (marked.last_name, marked.first_name, marked.email, marked.address) == (
        "Anonyme",
        "",
        "",
        "",
    )
    assert (marked.archived_on, marked.anonymised_on) == (TODAY, TODAY)
    assert not ConfidentialNote.objects.filter(person=marked).exists()
    assert not VigilanceFollowUp.objects.filter(person=marked).exists()
    # The register keeps its dated answers, not what was written.
    assert ConsentRecord.objects.get(person=marked).purpose == Purpose.SHARE_PARTNER
    assert ConsentOverride.objects.get(person=marked).reason == ERASED_REASON
    # What the reports count stays, the birth date coarsened to the year.
    assert (marked.sex, marked.household, marked.benefit, marked.neighbourhood.name) == (
        Sex.FEMALE,
        Household.SINGLE_PARENT,
        Benefit.RSA,
        "Quartier-Est",
    )
    assert marked.birth_date.year == 1981
    assert PathwayExit.objects.get(pathway__person=marked).outcome is not None
    # The trail keeps one row: that the file was anonymised, by whom.
    trail = AuditEvent.objects.filter(person_id=marked.pk)
    assert [(e.additional_data, e.actor) for e in trail] == [
        ({"privacy": "anonymised"}, users["coordinator"])
    ]


def test_anonymising_twice_does_nothing(marked):
    assert services.person_anonymise(person=marked, today=TODAY) is True
    assert services.person_anonymise(person=marked, today=TODAY) is False
    assert AuditEvent.objects.filter(person_id=marked.pk).count() == 1


def test_every_field_of_a_file_is_either_kept_or_emptied():
    names = {field.name for field in Person._meta.concrete_fields}
    assert names == services.PERSON_KEPT | set(services.PERSON_EMPTIED)
    assert not services.PERSON_KEPT & set(services.PERSON_EMPTIED)


def _reports(centre):
    """Every figure of the past years' reports, as each funder counts them, in the
    exports' own forms (JSON, and the FSE+ participant rows)."""
    programme = centre.programmes.get()
    found = {}
    for year in (2024, 2025):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        for funder in Funder.values:
            report = layout.compute(
                centre=centre, programme=programme, start=start, end=end, funder=funder
            )
            found[(year, funder)] = report_json(report)
            report_xlsx(report)  # builds, whatever the files hold
        found[(year, "fse_rows")] = fse.fse_participants(
            centre=centre, programme=programme, start=start, end=end
        )
    return found


@pytest.mark.django_db
def test_past_reports_give_the_same_figures_after_anonymising_everyone():
    call_command("load_demo", stdout=io.StringIO())
    centre = Centre.objects.get(slug="le-lierre")
    before = _reports(centre)
    # The demo's past years hold people of every age band, with entries and exits.
    rows = before[(2025, "fse_rows")]
    assert len(rows) > 20
    assert {row.age_band for row in rows} >= {"25_54", "55_plus"}
    assert any(row.exited_on for row in rows)
    people = list(Person.objects.filter(centre=centre))
    assert len(people) > 50
    for person in people:
        services.person_anonymise(person=person, today=TODAY)
    assert set(Person.objects.filter(centre=centre).values_list("last_name", flat=True)) == {
        "Anonyme"
    }
    after = _reports(centre)
    for key, value in before.items():
        assert after[key] == value, key


def test_it_keeps_or_empties_every_field_of_every_part_of_the_file():
    """As for the file itself: a new field of a referral, a goal… is kept or emptied
    by a decision, never by default; an erased part keeps nothing."""
    for part in file.parts():
        names = {field.name for field in part.model._meta.concrete_fields}
        if part.erased:
            assert (part.kept, part.emptied) == (frozenset(), {}), part.model
            continue
        assert names == part.kept | set(part.emptied), part.model
        assert not part.kept & set(part.emptied), part.model
