import logging

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from parcours import settings as production

from ..factories import CentreFactory
from .crawl import matrix_requests
from .world import MARKED, build_world, team


@pytest.fixture
def world(centre, users):
    built = build_world(centre, users)
    # Once: some builders make their object (a feed, a relay) each time they are called.
    built["requests"] = matrix_requests(built, methods=("get", "post"))
    built["seeds"] = [url for _name, method, url, _data in built["requests"] if method == "get"]
    return built


# Every name of the other centre carries it: a response to this centre that holds it
# shows the other centre's data.
OTHER_TOKEN = "tilleulx"


def _pks():
    return {
        model: set(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    }


@pytest.fixture
def other_world(world, other_centre):
    """Another centre with objects of every kind, run by its own team; `ids` holds the
    primary keys of every row its building made, whatever the model."""
    return build_other_world(other_centre)


def build_other_world(other_centre):
    before = _pks()
    built = build_world(other_centre, team(other_centre), name=OTHER_TOKEN.title())
    after = _pks()
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        rows = model.objects.filter(pk__in=after.get(model, set()) - before.get(model, set()))
        for field in ("name", "last_name", "first_name"):
            if field in fields:
                label = Concat(Value(OTHER_TOKEN.title()), Cast("pk", CharField()))
                rows.update(**{field: label})
    ids = sorted(set().union(*(after[m] - before[m] for m in after)))
    return {**built, "centre": other_centre, "ids": ids}


class _Keep(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def every_log():
    """Every record of every logger at DEBUG, for the whole test (the project's loggers
    and the libraries', those that do not propagate included)."""
    keep = _Keep()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level) for logger in loggers]
    root = logging.getLogger()
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    for logger in loggers[1:]:
        if not logger.propagate:
            logger.addHandler(keep)
    yield keep.records
    root.removeHandler(keep)
    for logger, level in saved:
        logger.setLevel(level)
        if keep in logger.handlers:
            logger.removeHandler(keep)


def logged_text(records):
    text = []
    for record in records:
        text.append(record.getMessage())
        text.append(repr(record.__dict__))
    return "\n".join(text)


@pytest.fixture(scope="module")
def shared_worlds(django_db_setup, django_db_blocker):
    """Both centres, built once for a module whose tests only read them or roll back
    what they write (hypothesis examples): (world, other world). Everything is rolled
    back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        centre = CentreFactory(name="Centre « Le Lierre »", slug="le-lierre")
        users = team(centre)
        built = build_world(centre, users)
        built["users"] = users
        other = build_other_world(CentreFactory(name="Centre Les Tilleuls", slug="les-tilleuls"))
        yield built, other
        transaction.set_rollback(True)


@pytest.fixture
def production_headers(settings):
    """HSTS as production sends it (tests/settings.py turns it off for plain HTTP)."""
    settings.SECURE_HSTS_SECONDS = production.SECURE_HSTS_SECONDS
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert settings.SECURE_HSTS_SECONDS > 0
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS


TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def marked_rows():
    """(table, row) of every row holding a marker in clear, in any text column of any
    table, read raw: the confidential columns are read as stored, encrypted."""
    found, scanned = [], set()
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            columns = [
                field.column
                for field in model._meta.concrete_fields
                if field.get_internal_type() in TEXT_TYPES
            ]
            if not columns:
                continue
            scanned.add(model._meta.db_table)
            table = connection.ops.quote_name(model._meta.db_table)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                if MARKED.search(repr(row)):
                    found.append((model._meta.db_table, row))
    return found, scanned
