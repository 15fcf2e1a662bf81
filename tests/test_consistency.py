"""Project-wide rules, checked over every model."""

from pathlib import Path

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

from parcours.centres.models import Centre

OWN_APPS = {
    "accounts",
    "centres",
    "audit",
    "partners",
    "people",
    "consent",
    "workshops",
    "pathways",
    "reports",
    "privacy",
    "generator",
}


def own_models():
    return [m for m in apps.get_models() if m._meta.app_label in OWN_APPS]


def centre_scoped_models():
    return [
        m
        for m in own_models()
        if any(
            f.is_relation and f.related_model is Centre and f.name == "centre"
            for f in m._meta.fields
        )
        and m._meta.app_label != "audit"
    ]


def test_there_are_centre_scoped_models_to_check():
    assert len(centre_scoped_models()) >= 3


def test_case_data_never_vanishes_with_its_centre():
    for model in own_models():
        for field in model._meta.fields:
            if field.is_relation and field.related_model is Centre:
                assert field.remote_field.on_delete is models.PROTECT, (model, field.name)


def test_every_centre_scoped_model_has_a_scoped_queryset():
    from parcours.pathways.models import ExitOutcome

    for model in centre_scoped_models():
        if model is ExitOutcome:
            # A shared list: the defaults have no centre, a centre adds its own;
            # pathways.outcomes.outcomes_for is its one scoped lookup.
            continue
        assert hasattr(model.objects, "visible_to"), model


def test_nothing_about_a_person_vanishes_with_their_file():
    from parcours.people.models import Person

    for model in own_models():
        for field in model._meta.fields:
            if field.is_relation and field.related_model is Person:
                assert field.remote_field.on_delete is models.PROTECT, (model, field.name)


def test_every_case_model_is_audited():
    for model in [Centre, *centre_scoped_models()]:
        assert auditlog.contains(model), model


def test_no_value_of_a_persons_file_reaches_the_trail():
    from parcours.audit.registry import masked_fields
    from parcours.consent.models import ConsentOverride, ConsentRecord, NoticeGiven
    from parcours.pathways.models import Appointment, CaseReviewItem, Goal, PathwayExit, Score
    from parcours.people.models import ConfidentialNote, Person, Referral, RsaContract
    from parcours.privacy.models import LegalHold
    from parcours.workshops.models import VigilanceFollowUp

    for model in [
        Person,
        ConfidentialNote,
        Referral,
        RsaContract,
        NoticeGiven,
        ConsentRecord,
        ConsentOverride,
        Appointment,
        Goal,
        PathwayExit,
        Score,
        CaseReviewItem,
        VigilanceFollowUp,
        LegalHold,
    ]:
        registered = auditlog.get_model_fields(model)["mask_fields"]
        text_fields = {
            f.name for f in model._meta.concrete_fields if not (f.is_relation or f.primary_key)
        }
        assert set(registered) == set(masked_fields(model)) == text_fields, model


def test_only_the_privacy_services_delete_audit_rows():
    """The trail is append-only; its rows go only at the end of their retention period
    or with an anonymised file, both in parcours/privacy/services.py."""
    root = Path(__file__).resolve().parent.parent / "parcours"
    callers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ".purge()" in path.read_text(encoding="utf-8")
    }
    assert callers == {"privacy/services.py"}


def test_every_status_follows_a_transition_table_and_logs_its_changes():
    """A `status` changes only through its model's machine (parcours/core/states.py),
    each change logged with the model's statuses. Person's status is derived from its
    pathways and referrals (people.services.person_status_refresh); Referral keeps its
    own log, ReferralEvent."""
    from parcours.core.states import StateMachine, StatusChange

    machines = 0
    for model in own_models():
        if model._meta.label == "people.Person" or "status" not in {
            f.name for f in model._meta.fields
        }:
            continue
        statuses = {value for value, _label in model._meta.get_field("status").choices}
        assert model.TRANSITIONS, model
        for before, after in model.TRANSITIONS.items():
            assert {before, *after} <= statuses, model
        if model._meta.label == "people.Referral":
            continue
        assert issubclass(model, StateMachine), model
        log = model.transitions.rel.related_model
        assert issubclass(log, StatusChange), model
        for name in ("from_status", "to_status"):
            assert log._meta.get_field(name).choices == model._meta.get_field("status").choices
        machines += 1
    assert machines >= 4
