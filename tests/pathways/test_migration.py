"""`Pathway` moves from the people app to the pathways app (people 0009, pathways 0003,
people 0010): a populated database keeps every pathway, every record pointing to one,
and the audit history of each."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from parcours.accounts.models import User
from parcours.audit.models import AuditEvent
from parcours.pathways.models import Appointment, Assessment, Goal, Pathway, PathwayExit
from parcours.people.models import Person, Referral

from ..conftest import committing_db

BEFORE = [("pathways", "0002_default_exit_outcomes"), ("people", "0008_retention_listed_on")]


def migrate(targets):
    """Migrate to `targets`; the apps of every migration then applied, audit and
    accounts included (not only the targets' ancestors)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    graph = executor.loader.graph
    applied = [key for key in executor.loader.applied_migrations if key in graph.nodes]
    return executor.loader.project_state(applied).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
    # get_for_model caches content types by model: the rows changed under it.
    ContentType.objects.clear_cache()


@pytest.fixture
def old():
    """The apps as they were while `Pathway` lived in people; the schema is put back
    whatever the test's outcome, so later tests find it as they expect."""
    yield migrate(BEFORE)
    migrate_to_latest()


def populate(old):
    """A file with two pathways (one from a referral, closed, with its goal, exit,
    assessment and appointment), their audit rows and a permission granted on them,
    written with the models of the time."""
    Centre = old.get_model("centres", "Centre")
    Programme = old.get_model("centres", "Programme")
    OldPerson = old.get_model("people", "Person")
    OldReferral = old.get_model("people", "Referral")
    OldPathway = old.get_model("people", "Pathway")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldPermission = old.get_model("auth", "Permission")
    centre = Centre.objects.create(name="Centre", slug="centre-migration")
    programme = Programme.objects.create(centre=centre, name="Objectif : Insertion(s)", slug="oi")
    person = OldPerson.objects.create(centre=centre, last_name="Martin", first_name="Léa")
    referral = OldReferral.objects.create(
        centre=centre, person=person, received_on=datetime.date(2025, 1, 6), reason="x"
    )
    closed = OldPathway.objects.create(
        centre=centre,
        person=person,
        programme=programme,
        referral=referral,
        started_on=datetime.date(2025, 1, 20),
        ended_on=datetime.date(2025, 9, 30),
        version=3,
    )
    open_ = OldPathway.objects.create(
        centre=centre, person=person, programme=programme, started_on=datetime.date(2025, 11, 3)
    )
    old.get_model("pathways", "Goal").objects.create(
        pathway=closed, axis="isolation", wording="Sortir de chez soi"
    )
    old.get_model("pathways", "PathwayExit").objects.create(
        pathway=closed,
        outcome=old.get_model("pathways", "ExitOutcome").objects.create(
            centre=centre, label="Emploi", family="employment"
        ),
    )
    grid = old.get_model("pathways", "AssessmentGrid").objects.create(centre=centre, version=1)
    old.get_model("pathways", "Assessment").objects.create(
        pathway=closed, grid=grid, assessed_on=datetime.date(2025, 2, 1)
    )
    old.get_model("pathways", "Appointment").objects.create(
        centre=centre,
        person=person,
        pathway=open_,
        starts_at=datetime.datetime(2025, 11, 10, 9, tzinfo=datetime.UTC),
    )
    content_type, _ = OldContentType.objects.get_or_create(app_label="people", model="pathway")
    for pathway in (closed, open_):
        old.get_model("audit", "AuditEvent").objects.create(
            content_type=content_type,
            object_pk=str(pathway.pk),
            object_id=pathway.pk,
            object_repr=f"Parcours n° {pathway.pk}",
            action=0,
            centre=centre,
            person_id=person.pk,
        )
    permission, _ = OldPermission.objects.get_or_create(
        content_type=content_type, codename="change_pathway", defaults={"name": "Can change"}
    )
    coordinator = old.get_model("accounts", "User").objects.create(
        email="coordinatrice@example.org"
    )
    coordinator.user_permissions.add(permission)
    return {
        "person": person.pk,
        "referral": referral.pk,
        "closed": closed.pk,
        "open": open_.pk,
        "content_type": content_type.pk,
        "coordinator": coordinator.pk,
    }


@committing_db
def test_it_keeps_every_pathway_and_what_points_to_it(old):
    before = populate(old)

    migrate_to_latest()

    person = Person.objects.get(pk=before["person"])
    closed, open_ = Pathway.objects.filter(person=person).order_by("started_on")
    assert (closed.pk, open_.pk) == (before["closed"], before["open"])
    assert (closed.started_on, closed.ended_on, closed.version) == (
        datetime.date(2025, 1, 20),
        datetime.date(2025, 9, 30),
        3,
    )
    assert (open_.ended_on, open_.version, open_.referral_id) == (None, 1, None)
    assert Referral.objects.get(pk=before["referral"]).pathway == closed
    assert Goal.objects.get().pathway == closed
    assert PathwayExit.objects.get().pathway == closed
    assert Assessment.objects.get().pathway == closed
    assert Appointment.objects.get().pathway == open_
    # A new pathway takes the next id, after the moved ones.
    created = Pathway.objects.create(
        centre=closed.centre,
        person=person,
        programme=closed.programme,
        started_on=datetime.date(2026, 1, 5),
    )
    assert created.pk > open_.pk


@committing_db
def test_it_keeps_the_audit_history_and_permissions_of_pathways(old):
    before = populate(old)

    migrate_to_latest()

    content_type = ContentType.objects.get_for_model(Pathway)
    assert content_type.pk == before["content_type"]
    assert not ContentType.objects.filter(app_label="people", model="pathway").exists()
    for pk in (before["closed"], before["open"]):
        [event] = AuditEvent.objects.get_for_object(Pathway.objects.get(pk=pk))
        assert event.content_type.model_class() is Pathway
    permission = Permission.objects.get(content_type=content_type, codename="change_pathway")
    assert User.objects.get(pk=before["coordinator"]).has_perm("pathways.change_pathway")
    assert permission.user_set.count() == 1


@committing_db
def test_it_gives_the_history_the_new_label_when_an_empty_twin_holds_it(old):
    """post_migrate may already have made an empty (pathways, pathway) content type:
    the one holding the history still ends up with that label, nothing is dropped."""
    before = populate(old)
    twin = old.get_model("contenttypes", "ContentType").objects.create(
        app_label="pathways", model="pathway"
    )

    migrate_to_latest()

    assert ContentType.objects.get_for_model(Pathway).pk == before["content_type"]
    assert ContentType.objects.get(pk=twin.pk).app_label == "people"
    assert AuditEvent.objects.filter(content_type_id=before["content_type"]).count() == 2
