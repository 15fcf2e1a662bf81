"""Project-wide rules, checked over every model."""

import ast
import re
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
        assert hasattr(model.objects, "of_member_centres"), model


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


def test_no_free_text_reaches_the_trail():
    """Whatever the model, a field typed freely (a name, a note, who else sat at a case
    review) may tell about a person: every audited model masks each of its text
    fields without choices."""
    for model in apps.get_models():
        if not auditlog.contains(model):
            continue
        registered = auditlog.get_model_fields(model)
        # An excluded field (a password hash) never reaches the trail at all.
        masked = {*registered["mask_fields"], *registered["exclude_fields"]}
        for field in model._meta.concrete_fields:
            is_text = isinstance(field, models.CharField | models.TextField)
            if is_text and not (field.choices or field.is_relation or field.primary_key):
                assert field.name in masked, f"{model.__name__}.{field.name}"


def test_only_the_privacy_services_delete_audit_rows():
    """The trail and the login records are append-only; their rows go only at the end
    of their retention period or with an anonymised file, both in
    parcours/privacy/services.py (audit/models.py defines how)."""
    root = Path(__file__).resolve().parent.parent / "parcours"
    callers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ".purge()" in path.read_text(encoding="utf-8")
        or "purge_allowed(" in path.read_text(encoding="utf-8")
    }
    assert callers == {"privacy/services.py", "audit/models.py"}


PARCOURS = Path(__file__).resolve().parent.parent / "parcours"

# `role == …`, `m.role in …`, `… != Role.X`, `Role.X in …`, and any reading of
# `membership.role`: what a view decides by role is asked of parcours.policy.
ROLE_TEST_IN_PYTHON = re.compile(
    r"\brole\s*(==|!=|in\b|not\s+in\b)"
    r"|(==|!=)\s*[\w.]*\brole\b"
    r"|\bRole\.\w+\s*(==|!=|in\b|not\s+in\b)"
    r"|(==|!=)\s*Role\."
    r"|\bmembership\.role\b"
)
# `{% if role == "facilitator" %}`, `{% elif membership.role %}`: a template shows
# what the view's context says it may, from flags the policy set.
ROLE_TEST_IN_TEMPLATE = re.compile(r"\{%-?\s*(?:el)?if\b[^%]*\brole\b[^%]*%\}")


def role_tests(root):
    """Every place under `root` where a view or a template tests a role itself."""
    found = []
    for path in sorted(root.rglob("*views*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_TEST_IN_PYTHON.search(line.split("#")[0]):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    for path in sorted(root.rglob("templates/**/*.html")):
        for match in ROLE_TEST_IN_TEMPLATE.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(root)}: {match.group()}")
    return found


def test_it_finds_a_role_tested_in_a_view_or_a_template(tmp_path):
    samples = {
        "app/views.py": "if request.membership.role == Role.FACILITATOR:\n",
        "app/other_views.py": "figures = [m for m in memberships if m.role in FIGURES]\n",
        "app/more_views.py": "if Role.PARTNER_WORKER == role:\n",
        "templates/app/page.html": '{% if role == "facilitator" %}x{% endif %}',
    }
    for name, text in samples.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert len(role_tests(tmp_path)) == len(samples)


def test_it_keeps_role_decisions_out_of_views_and_templates():
    """Who sees what is decided by parcours.policy; a view asks it and passes flags to
    its templates."""
    assert role_tests(PARCOURS) == []


def _reaches(model, path):
    """The model that `path` (a lookup such as "pathway__person") leads to from `model`."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def test_it_lists_every_model_about_a_person_as_a_part_of_their_file():
    """A model with a foreign key or one-to-one to Person, or to a part of the file (a
    goal through its pathway, a score through its assessment), is a part: the
    timeline, the export, the retention and the anonymisation then know of it."""
    from parcours.people import file
    from parcours.people.models import Person

    registered = {part.model for part in file.parts()}
    holders = {Person} | registered
    missing = [
        model
        for model in own_models()
        if model is not Person
        and any(f.is_relation and f.related_model in holders for f in model._meta.fields)
        and model not in registered
    ]
    assert missing == []


def test_it_leads_every_part_of_the_file_to_its_person():
    from parcours.people import file
    from parcours.people.models import Person

    for part in file.parts():
        assert _reaches(part.model, part.person) is Person, part.model
        for contact in part.contacts:
            assert _reaches(part.model, contact.centre) is Centre, part.model


def test_it_exports_every_part_of_the_file():
    """Each part gives its own sections, or is shown in those of another part."""
    from parcours.people import file

    parts = {part.model: part for part in file.parts()}
    for part in parts.values():
        assert bool(part.exports) != bool(part.shown_with), part.model
        if part.shown_with:
            assert parts[part.shown_with].exports, part.model


def test_it_keeps_out_of_the_trail_what_anonymisation_erases_or_empties():
    """Anonymisation purges the file's rows of the trail; until then, the trail holds
    that such a field changed, never its value."""
    from parcours.audit.registry import masked_fields
    from parcours.people import file

    for part in file.parts():
        if not auditlog.contains(part.model):
            continue
        masked = set(masked_fields(part.model))
        if part.erased:
            text_fields = {
                f.name
                for f in part.model._meta.concrete_fields
                if not (f.is_relation or f.primary_key)
            }
            assert text_fields <= masked, part.model
        else:
            personal = {
                name for name in part.emptied if not part.model._meta.get_field(name).is_relation
            }
            assert personal <= masked, part.model


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
]


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
    assert upward == set()


def test_it_lets_the_policy_choose_the_filters_of_every_list():
    """A FilterSet keeps only the filters the policy allows the reader (see
    parcours/core/filters.py): a new list inheriting django-filter's own would show
    every role every filter."""
    import django_filters

    from parcours.core.filters import AllowedFilterSet
    from tests.proofs.test_forms import _import_every_module, _subclasses

    _import_every_module()
    found = {
        cls
        for cls in _subclasses(django_filters.FilterSet)
        if cls.__module__.startswith("parcours.") and cls is not AllowedFilterSet
    }
    assert found
    assert [cls for cls in found if not issubclass(cls, AllowedFilterSet)] == []


def test_it_bounds_the_dates_of_every_form():
    """Every form derives from core.forms' BoundedForm or BoundedModelForm (or their
    mixin), which refuse a date outside 1900-2100 in French. Each form's fields, dates
    and text lengths, are checked one by one in tests/proofs/test_forms.py."""
    from parcours.core.forms import BoundedFieldsMixin
    from tests.proofs.test_forms import form_classes

    unbounded = [cls for cls in form_classes() if not issubclass(cls, BoundedFieldsMixin)]
    assert unbounded == []
