"""Every form of Parcours, fed 1,000 generated submissions each.

The forms are found, not listed: every module of the `parcours` package is imported and
every Form/ModelForm class defined there is tested, its data drawn from its own fields
(tests/proofs/strategies.py). For each submission: `is_valid()` raises nothing and
writes nothing; a valid form holds no date outside 1900-2100 (the edges and the days
beyond them are drawn on purpose); a valid ModelForm saves without a database error.
Every date field of every form carries that bound and every text field a length limit.
So do Django's
password forms that Parcours serves, the list filters (any query string) and the
formsets, their management form forged. A form whose
constructor asks for something unknown here, or whose field has no strategy, fails the
suite: the branch that adds it teaches the proofs how to build it.
"""

import copy
import datetime
import functools
import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db import connection, transaction
from django.db.models import ForeignKey, OneToOneField
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import given, settings
from hypothesis import strategies as st

import parcours
from parcours import policy
from parcours.core.forms import DATE_MAX, DATE_MIN, BoundedFieldsMixin, date_in_bounds
from parcours.people.models import Person

from .strategies import EXAMPLES, SETTINGS, NoStrategy, values

# Failed logins are recorded while the form validates: the lockout's memory and the
# security log.
WRITES_WHILE_VALIDATING = {
    "LoginForm": {"axes_accessattempt", "axes_accessfailurelog", "audit_securityevent"}
}
# Forms that only ever edit a row another service created: a membership is made by
# centres.services.membership_grant (an accepted invitation), the form changes its role.
EDIT_ONLY = {"MemberRoleForm"}
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _import_every_module():
    for module in pkgutil.walk_packages(parcours.__path__, "parcours."):
        if ".migrations" in module.name or module.name.endswith((".wsgi", ".asgi")):
            continue
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_classes():
    _import_every_module()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("parcours.")
        # A ModelForm without a model is a base for others (CentreOwnedForm).
        and not (issubclass(cls, forms.BaseModelForm) and cls._meta.model is None)
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = form_classes()
OWN_ARGUMENTS = {"self", "data", "files", "instance", "args", "kwargs", "prefix", "initial"}


def constructor_arguments(cls):
    """(names the constructors of `cls` accept, names they require)."""
    accepted, required = set(), set()
    for klass in cls.__mro__:
        if "__init__" not in vars(klass) or klass.__module__.startswith("django.forms"):
            continue
        for name, parameter in inspect.signature(klass.__init__).parameters.items():
            if name in OWN_ARGUMENTS or parameter.kind in (parameter.VAR_POSITIONAL,):
                continue
            if parameter.kind == parameter.VAR_KEYWORD:
                continue
            accepted.add(name)
            if parameter.default is parameter.empty:
                required.add(name)
    return accepted, required


def arguments(world, cls):
    """What the views pass to the constructors, from this centre's world."""
    centre = world["centre"]
    request = RequestFactory().post("/connexion/", REMOTE_ADDR="192.0.2.1")
    known = {
        "centre": centre,
        "partner": world["partner"],
        "pathway": world["pathway"],
        "grid": world["grid"],
        "relay": world["relay"],
        "people": Person.objects.of_centre(centre),
        "request": request,
        # A locked form gets its hidden version field, fuzzed like the others.
        "lock": world["pathway"],
        "can_override": True,
        "today": timezone.localdate(),
        # The invited address a new account is opened for.
        "email": "invitee@exemple.test",
    }
    accepted, required = constructor_arguments(cls)
    missing = required - set(known)
    if missing:
        raise NoStrategy(f"{cls.__qualname__} demande {sorted(missing)} : ajoutez-les ici")
    return {name: known[name] for name in accepted & set(known)}


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"PersonForm", "ConfidentialNoteForm", "ReferralForm", "LoginForm"} <= names
    assert "CentreOwnedForm" not in names
    assert len(FORMS) >= 40


def assert_dates_in_bounds(form):
    """A form that says yes holds no date outside 1900-2100."""
    for name, value in form.cleaned_data.items():
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date()
        if isinstance(value, datetime.date):
            assert DATE_MIN <= value <= DATE_MAX, (name, value)


def _unbounded(form):
    """The fields of `form` that take any date or any length of text."""
    for name, field in form.fields.items():
        dated = isinstance(field, forms.DateField | forms.DateTimeField)
        if dated and date_in_bounds not in field.validators:
            yield name
        if isinstance(field, forms.CharField) and field.max_length is None:
            yield name


@pytest.mark.parametrize("cls", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_it_bounds_every_date_and_every_text_of_every_form(shared_worlds, db, cls):
    """Dates from 1900 to 2100 (parcours.core.forms.BoundedFieldsMixin, which every form
    derives from), and a `max_length` on every text field, which gives a French error
    and the browser's own limit."""
    world, _other = shared_worlds
    assert issubclass(cls, BoundedFieldsMixin)
    form = cls(data={}, **arguments(world, cls))
    form.is_valid()  # fields added late are bounded before the form is checked
    assert list(_unbounded(form)) == []


def test_a_field_without_a_strategy_is_flagged():
    class Odd(forms.Field):
        pass

    with pytest.raises(NoStrategy):
        values(Odd())


def _writes(queries):
    return {m.group(1) for q in queries if (m := WRITE.match(q["sql"]))}


@functools.cache
def _existing(model):
    return model.objects.order_by("pk").first()


def _instance(model, edit):
    """An existing row to edit, or a new one; a new one when there is nothing to edit,
    and never a new one beside a one-to-one row (a person has one confidential note).
    A copy each time: a form writes what it is sent onto its instance."""
    existing = _existing(model)
    one_to_one = any(isinstance(f, OneToOneField) for f in model._meta.concrete_fields)
    if existing is not None and (edit or one_to_one):
        return copy.deepcopy(existing)
    return model()


def _complete(instance, world):
    """What the view sets before saving: the owners the form does not ask for. False
    when a value only the view's service gives is still missing (a relay's date of
    sending): such a form is never saved on its own."""
    for field in instance._meta.concrete_fields:
        if field.primary_key or getattr(instance, field.attname, None) is not None:
            continue
        if isinstance(field, ForeignKey) and not field.null:
            model = field.related_model
            owned = [o.pk for o in world.values() if isinstance(o, model)]
            owner = model.objects.filter(pk__in=owned).first()
            setattr(instance, field.name, owner or model.objects.order_by("pk").first())
        elif not (field.null or field.has_default() or getattr(field, "auto_now_add", False)):
            return False
    return True


def _strategies(form, other_ids):
    """html name -> (field, strategy of the values posted for it)."""
    strategies = {}
    for name, field in form.fields.items():
        names = [form.add_prefix(name)]
        if isinstance(field.widget, forms.MultiWidget):
            names = [f"{names[0]}{suffix}" for suffix in field.widget.widgets_names]
        for html_name in names:
            strategies[html_name] = (field, values(field, other_ids))
    return strategies


@pytest.mark.parametrize("cls", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_a_form_never_fails_on_what_it_is_sent(shared_worlds, db, cls):
    world, other = shared_worlds
    kwargs = arguments(world, cls)
    strategies = _strategies(cls(**kwargs), other["ids"])
    allowed_writes = WRITES_WHILE_VALIDATING.get(cls.__name__, set())
    is_model_form = issubclass(cls, forms.BaseModelForm)

    @settings(SETTINGS, max_examples=EXAMPLES)
    @given(
        posted=st.fixed_dictionaries({n: s for n, (_f, s) in strategies.items()}),
        edit=st.booleans(),
    )
    def check(posted, edit):
        data, files = MultiValueDict(), MultiValueDict()
        for name, found in posted.items():
            field = strategies[name][0]
            (files if isinstance(field, forms.FileField) else data).setlist(name, found)
        edit = edit or cls.__name__ in EDIT_ONLY
        # A savepoint per example: what one example writes, or a database error it
        # meets, must not leak into the next.
        with transaction.atomic():
            extra = {"instance": _instance(cls._meta.model, edit)} if is_model_form else {}
            form = cls(data=data, files=files, **kwargs, **extra)
            with CaptureQueriesContext(connection) as queries:
                valid = form.is_valid()
            assert _writes(queries) <= allowed_writes, form.errors
            if valid:
                assert_dates_in_bounds(form)
            if valid and is_model_form and _complete(form.instance, world):
                form.save()
            transaction.set_rollback(True)

    check()


# Forms Parcours serves without defining them: Django's password pages.
DJANGO_FORMS = [PasswordResetForm, SetPasswordForm, PasswordChangeForm]


def _fuzz(strategies, extra=None):
    """A hypothesis strategy of posted data: every field, plus `extra` ones."""
    return st.fixed_dictionaries(
        {n: s for n, (_f, s) in strategies.items()}, optional=extra or {}
    ).map(lambda posted: MultiValueDict({k: v for k, v in posted.items()}))


@pytest.mark.parametrize("cls", DJANGO_FORMS, ids=lambda cls: cls.__name__)
def test_the_password_forms_never_fail(shared_worlds, db, cls):
    world, other = shared_worlds
    user = world["users"]["coordinator"]
    kwargs = {} if cls is PasswordResetForm else {"user": user}
    strategies = _strategies(cls(**kwargs), other["ids"])

    @settings(SETTINGS, max_examples=EXAMPLES)
    @given(data=_fuzz(strategies))
    def check(data):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            cls(data=data, **kwargs).is_valid()
            transaction.set_rollback(True)
        assert _writes(queries) == set()

    check()


def _filtersets(world):
    from parcours.partners.filters import PartnerFilter
    from parcours.partners.models import Partner
    from parcours.people.filters import PersonFilter
    from parcours.policy import PEOPLE_LIST_FILTERS

    centre = world["centre"]
    people = Person.objects.of_centre(centre)
    builds = {
        f"people-{role}": lambda data, allowed=allowed: PersonFilter(
            data, queryset=people, centre=centre, allowed=allowed
        )
        for role, allowed in PEOPLE_LIST_FILTERS.items()
    }
    builds["partners"] = lambda data: PartnerFilter(
        data,
        queryset=Partner.objects.of_centre(centre),
        allowed=policy.partner_list_filters_for(world["users"]["coordinator"], centre),
    )
    return builds


@pytest.mark.parametrize(
    "name", ["people-coordinator", "people-facilitator", "people-partner_worker", "partners"]
)
def test_the_list_filters_never_fail(shared_worlds, db, name):
    """The search and filters of the people and partner lists, as each role has them:
    any query string, the filters of other roles included, gives a list (possibly
    empty) or a form error, never an exception."""
    world, other = shared_worlds
    builds = _filtersets(world)
    build = builds[name]
    every_filter = builds["partners" if name == "partners" else "people-coordinator"]
    strategies = _strategies(every_filter(None).form, other["ids"])

    @settings(SETTINGS, max_examples=EXAMPLES)
    @given(data=_fuzz(strategies))
    def check(data):
        filterset = build(data)
        list(filterset.qs[:5])

    check()


def _formsets(world):
    from parcours.pathways.assessment_views import CriterionFormSet
    from parcours.pathways.relay_views import CaseReviewItemFormSet
    from parcours.workshops.forms import SlotFormSet

    centre = world["centre"]
    return {
        "criteria": (CriterionFormSet, {}),
        "case-review": (
            CaseReviewItemFormSet,
            {"prefix": "situations", "form_kwargs": {"people": Person.objects.of_centre(centre)}},
        ),
        "slots": (SlotFormSet, {"prefix": "creneaux", "instance": world["workshop"]}),
    }


COUNTS = st.one_of(
    st.integers(min_value=-3, max_value=3).map(str),
    st.sampled_from(["", "abc", "1000000", "1e3", " 2 "]),
)


@pytest.mark.parametrize("name", ["criteria", "case-review", "slots"])
def test_the_formsets_never_fail_even_with_a_forged_management_form(shared_worlds, db, name):
    world, other = shared_worlds
    cls, kwargs = _formsets(world)[name]
    blank = cls(**kwargs)
    # Two forms' fields, and the management form's counts drawn, forged ones included.
    strategies = {}
    for index in range(2):
        form = blank._construct_form(index, **blank.get_form_kwargs(index))
        strategies |= _strategies(form, other["ids"])
    management = {
        f"{blank.prefix}-{key}": COUNTS.map(lambda v: [v])
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    }

    @settings(SETTINGS, max_examples=EXAMPLES)
    @given(data=_fuzz(strategies, extra=management))
    def check(data):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            formset = cls(data=data, **kwargs)
            formset.is_valid()
            formset.non_form_errors()
            transaction.set_rollback(True)
        assert _writes(queries) == set()

    check()
