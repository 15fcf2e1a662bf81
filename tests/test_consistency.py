"""Project-wide rules, checked over every model."""

import ast
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


# The apps from the base up. Models build on the layers below theirs only, so the
# models and everything they import form no cycle; views and services may use the
# apps above their own (the file page shows consents and pathways).
LAYERS = [
    "core",  # the base every app may import: it imports no app
    "audit",  # the trail every app registers its models with
    "accounts",
    "centres",
    "partners",
    "people",
    "consent",
    "workshops",
    "policy",  # parcours/policy.py: who sees and may do what, over the apps below
    "pathways",
    "privacy",
    "reports",
    "dashboard",  # the home pages and the demo loader, which gather every app
    "generator",  # moved to bench/ by the generator branch: drop it then
]
UPWARD_IMPORTS = {
    # PersonQuerySet.visible_to's role switch: moved to policy by the policy branch
    ("parcours.people.models", "parcours.policy"),
    ("parcours.people.models", "parcours.workshops.models"),
}
PARCOURS = Path(__file__).resolve().parent.parent / "parcours"


def module_file(name):
    """The file of module `name` of the project (parcours.x.y), or None."""
    path = PARCOURS.parent.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def project_imports(name):
    """The project's modules that module `name` imports, anywhere in it (imports inside
    a function included): `from parcours.x import y` is module parcours.x.y when y is
    one, else parcours.x."""
    path = module_file(name)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *filter(None, [node.module])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if module_file(full) else base)
    return {imported for imported in found if imported.startswith("parcours.")}


def layer(name):
    return LAYERS.index(name.split(".")[1])


def test_every_app_has_its_layer():
    apps_on_disk = {path.parent.name for path in PARCOURS.glob("*/apps.py")}
    assert apps_on_disk | {"policy"} == set(LAYERS)


def test_it_keeps_core_free_of_every_app():
    for path in (PARCOURS / "core").rglob("*.py"):
        name = ".".join(path.relative_to(PARCOURS.parent).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        outside = {i for i in project_imports(name) if not i.startswith("parcours.core")}
        assert not outside, (name, outside)


def test_it_builds_models_only_on_the_layers_below():
    """From every app's models, through all they import: no import reaches a higher
    layer, so no import cycle joins two apps' models."""
    upward, seen = set(), set()
    todo = [f"parcours.{app}.models" for app in LAYERS if module_file(f"parcours.{app}.models")]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in project_imports(name):
            if layer(imported) > layer(name):
                upward.add((name, imported))
            todo.append(imported)
    assert upward == UPWARD_IMPORTS
