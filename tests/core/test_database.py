"""The connection settings each database needs (parcours/settings.py)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file locking only")
def test_two_workers_writing_one_sqlite_file_wait_for_each_other_instead_of_failing(db, tmp_path):
    """gunicorn's workers share the file. A request reads (its session, the file it
    shows) then writes (the audit row of that reading); with SQLite's default deferred
    transactions, another worker writing in between made it fail with "database is
    locked" (bench: most person-file requests with 2 workers)."""
    settings = {**connection.settings_dict, "NAME": str(tmp_path / "shared.sqlite3")}
    setup = DatabaseWrapper(settings, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE mark (worker TEXT)")
    setup.close()
    read, failures = threading.Event(), []

    def worker(name, first):
        # A connection of this thread only, as each worker process has its own.
        wrapper = connections[name] = DatabaseWrapper(settings, alias=name)
        try:
            # The writer begins once the reader has read, as a request arriving then.
            if not first and not read.wait(5):
                return
            with transaction.atomic(using=name):
                if first:
                    wrapper.cursor().execute("SELECT COUNT(*) FROM mark").fetchone()
                    read.set()
                    time.sleep(0.3)  # the other worker writes now
                wrapper.cursor().execute("INSERT INTO mark VALUES (%s)", [name])
        except Exception as error:  # noqa: BLE001 (the failure is what is asserted)
            failures.append(f"{name}: {error}")
        finally:
            wrapper.close()

    threads = [threading.Thread(target=worker, args=("reader", True))]
    threads.append(threading.Thread(target=worker, args=("writer", False)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    check = DatabaseWrapper(settings, alias="check")
    with check.cursor() as cursor:
        cursor.execute("SELECT worker FROM mark ORDER BY rowid")
        assert cursor.fetchall() == [("reader",), ("writer",)]
    check.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite setting")
def test_sqlite_overwrites_what_it_deletes(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_connections_run_without_jit(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server that drops connections")
def test_a_persistent_connection_the_server_dropped_is_replaced_at_the_next_request(db):
    """With CONN_MAX_AGE=60 (the README's advice), a worker kept its connection after
    pg_terminate_backend and failed its next request with OperationalError."""
    # A worker's own connection, with the settings a deployment gets from CONN_MAX_AGE.
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 60}
    worker = connections["worker"] = type(connections["default"])(settings, alias="worker")
    try:
        worker.close_if_unusable_or_obsolete()  # a request starts
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            [pid] = cursor.fetchone()
        worker.close_if_unusable_or_obsolete()  # it ends: the connection is kept
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        worker.close_if_unusable_or_obsolete()  # the next request starts
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        worker.close()
        del connections["worker"]
