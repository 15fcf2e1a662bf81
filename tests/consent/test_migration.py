"""The old consent fields of a file become lines of the register (consent 0002), then
go (people 0007)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from parcours.consent.enums import Answer, Purpose
from parcours.consent.models import ConsentRecord

from ..conftest import committing_db

BEFORE = [("consent", "0001_initial"), ("people", "0006_retention_and_version")]
AFTER = [("consent", "0002_from_person_booleans"), ("people", "0007_remove_person_consent_fields")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old():
    """The apps as they were before the register; the schema is put back whatever
    the test's outcome, so later tests find it as they expect."""
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


@committing_db
def test_the_old_booleans_become_register_lines(old):
    Centre = old.get_model("centres", "Centre")
    Person = old.get_model("people", "Person")
    Partner = old.get_model("partners", "Partner")
    Referral = old.get_model("people", "Referral")
    centre = Centre.objects.create(name="Centre", slug="centre-migration")
    udaf = Partner.objects.create(centre=centre, name="UDAF", kind="udaf")
    ccas = Partner.objects.create(centre=centre, name="CCAS", kind="ccas")

    def person(name, **consent):
        return Person.objects.create(centre=centre, last_name=name, first_name="A", **consent)

    both = person(
        "Both",
        consent_on=datetime.date(2025, 3, 4),
        consent_processing=True,
        consent_sharing=True,
        consent_sharing_scope="Avec l'UDAF et le CCAS.",
    )
    for partner in (udaf, ccas, udaf):
        Referral.objects.create(
            centre=centre,
            person=both,
            partner=partner,
            received_on=datetime.date(2025, 2, 1),
            reason="x",
        )
    processing_only = person("Processing", consent_processing=True)
    nothing = person("Nothing", consent_on=datetime.date(2025, 3, 4))

    migrate(AFTER)

    lines = ConsentRecord.objects.filter(person_id=both.pk)
    assert sorted((r.purpose, r.partner_id) for r in lines) == sorted(
        [
            (Purpose.PROCESSING, None),
            (Purpose.SHARE_PARTNER, udaf.pk),
            (Purpose.SHARE_PARTNER, ccas.pk),
            (Purpose.RSA_BILAN, None),
        ]
    )
    assert {(r.on, r.answer, r.by_id) for r in lines} == {
        (datetime.date(2025, 3, 4), Answer.AGREED, None)
    }
    assert lines.get(purpose=Purpose.RSA_BILAN).scope == (
        "Repris de l'ancien dossier : Avec l'UDAF et le CCAS."
    )
    [processing] = ConsentRecord.objects.filter(person_id=processing_only.pk)
    assert processing.purpose == Purpose.PROCESSING
    assert processing.on == processing_only.created_at.date()  # no date was kept
    assert not ConsentRecord.objects.filter(person_id=nothing.pk).exists()
    assert ConsentRecord.objects.in_force().filter(person_id=both.pk).count() == 4
