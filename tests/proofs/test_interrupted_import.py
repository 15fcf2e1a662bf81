"""An import stopped midway leaves the database exactly as it was.

In the process: the row-saving step is made to fail at row N (Ctrl+C, a crash), on a
database whose data is committed; every table keeps its row count and content
(checksums). Then for real: a `manage.py import_people` on a file-based SQLite database
is killed with SIGKILL while it writes, and the file is checked the same way.
"""

import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.people import imports
from parcours.people.imports import people_import

from ..conftest import committing_db
from .test_importers import as_csv
from .world import build_world, team

ROOT = Path(__file__).resolve().parents[2]
ROWS = 40


def snapshot():
    """Per table: its row count and a checksum of its rows, read raw."""
    found = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in model._meta.local_concrete_fields
            )
            order = connection.ops.quote_name(model._meta.pk.column)
            query = f"SELECT {columns} FROM {connection.ops.quote_name(table)} ORDER BY {order}"  # noqa: S608
            cursor.execute(query)
            rows = cursor.fetchall()
            found[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return found


def people_file(rows=ROWS):
    table = [["Nom", "Prénom", "Date de naissance", "Date d'entrée"]]
    table += [
        [f"Interrompue{n}", "Anne", f"0{1 + n % 9}/01/1980", "01/09/2026"] for n in range(rows)
    ]
    return as_csv(table, ";", "utf-8")


class Stop(BaseException):
    """Raised by the patched saving step; a BaseException like KeyboardInterrupt."""


@committing_db
def test_an_import_stopped_at_any_row_leaves_every_table_as_it_was(centre, monkeypatch):
    world = build_world(centre, team(centre), people=1)
    content = people_file()
    before = snapshot()
    written = []
    create = imports._create

    def failing_create(rows, *args, **kwargs):
        if len(written) == stop_at[0]:
            raise stop_with[0]()
        create(rows, *args, **kwargs)
        written.extend(rows)

    # One row per batch: the import is stopped after any number of rows written.
    monkeypatch.setattr(imports, "BATCH", 1)
    monkeypatch.setattr(imports, "_create", failing_create)
    stop_at, stop_with = [0], [KeyboardInterrupt]

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        row=st.integers(0, ROWS - 1), error=st.sampled_from([KeyboardInterrupt, Stop, RuntimeError])
    )
    def check(row, error):
        written.clear()
        stop_at[0], stop_with[0] = row, error
        with pytest.raises(error):
            people_import(
                file=io.BytesIO(content),
                filename="personnes.csv",
                centre=centre,
                programme=world["programme"],
            )
        assert len(written) == row
        assert snapshot() == before

    check()


KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.core.management import call_command
    from parcours.people import imports

    create = imports._create
    count = 0

    def slow_create(rows, *args, **kwargs):
        global count
        create(rows, *args, **kwargs)
        count += len(rows)
        print(f"saved {count}", flush=True)
        time.sleep(0.05)

    # One row per batch, slowed down: the kill lands with rows already written.
    imports.BATCH = 1
    imports._create = slow_create
    call_command("import_people", sys.argv[1], centre="le-lierre")
    """
)
SEED = textwrap.dedent(
    """
    import django
    django.setup()
    from parcours.centres.models import Centre, Programme
    centre = Centre.objects.create(name="Le Lierre", slug="le-lierre", city="Thionville")
    Programme.objects.create(centre=centre, name="Objectif", slug="objectif")
    """
)


def sqlite_snapshot(path):
    database = sqlite3.connect(path)
    try:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = [
            r[0] for r in database.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        found = {}
        for table in tables:
            rows = database.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()  # noqa: S608
            found[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return found
    finally:
        database.close()


def empty_database(path, run):
    """A migrated SQLite file: a copy of the (empty) test database when the suite runs on
    SQLite, which saves migrating again; `migrate` otherwise. The copy needs no open
    transaction on the test database: SQLite refuses to back up a database its own
    connection is writing to (transactions begin IMMEDIATE, see settings)."""
    if connection.vendor != "sqlite":
        run("manage.py", "migrate", "--noinput", "-v", "0")
        return
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


@committing_db
def test_an_import_killed_with_sigkill_leaves_the_sqlite_file_as_it_was(tmp_path):
    database = tmp_path / "parcours.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
    }

    def run(*args):
        done = subprocess.run(  # noqa: S603
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done

    empty_database(database, run)
    run("-c", SEED)
    file = tmp_path / "personnes.csv"
    file.write_bytes(people_file(rows=200))
    before = sqlite_snapshot(database)

    importing = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", KILLED_IMPORT, str(file)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in importing.stdout:
            if line.strip() == "saved 20":
                break
        else:
            pytest.fail(f"l'import n'a pas commencé à écrire : {importing.stderr.read()}")
        importing.send_signal(signal.SIGKILL)
    finally:
        importing.wait(timeout=60)
    assert importing.returncode == -signal.SIGKILL

    assert sqlite_snapshot(database) == before
    # The file is still usable: the same import, not killed, goes through.
    done = run("manage.py", "import_people", str(file), "--centre", "le-lierre")
    assert "200 personnes importées" in done.stdout
