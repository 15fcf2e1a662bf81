"""Backup and restore give back exactly the data of the backup, on SQLite and PostgreSQL."""

import fcntl
import hashlib
import stat
import subprocess
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from parcours.core import backups
from parcours.pathways.models import Goal
from parcours.people.models import ConfidentialNote, Person

from ..conftest import committing_db
from ..pathways.factories import GoalFactory, PathwayFactory
from ..people.factories import PersonFactory


def table_checksums():
    """{table: (row count, sha256 of its rows in primary-key order)} over every table
    of the project's models, read raw: what a restore must give back byte for byte
    (the confidential section's ciphertext included)."""
    quote = connection.ops.quote_name
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in tables:
            continue
        digest, count = hashlib.sha256(), 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}"  # noqa: S608
            )
            for row in cursor.fetchall():
                values = [bytes(v) if isinstance(v, memoryview) else v for v in row]
                digest.update(repr(values).encode())
                count += 1
        tables[meta.db_table] = (count, digest.hexdigest())
    return tables


@committing_db
def test_a_restore_gives_back_exactly_the_backed_up_data(centre, users, tmp_path):
    kept = PersonFactory(centre=centre, last_name="Martin", city="Thionville")
    ConfidentialNote.objects.create(person=kept, health="Suivi au CMP.")
    goal = GoalFactory(pathway=PathwayFactory(centre=centre, person=kept))
    before = table_checksums()
    path = tmp_path / "parcours.bak"
    call_command("backup", output=str(path))

    PersonFactory(centre=centre, last_name="Nouvelle")  # insert
    Person.objects.filter(pk=kept.pk).update(city="Yutz")  # update
    ConfidentialNote.objects.filter(person=kept).update(health="")  # update
    Goal.objects.filter(pk=goal.pk).delete()  # delete
    assert table_checksums() != before

    call_command("restore", str(path), yes=True)

    assert table_checksums() == before
    assert ConfidentialNote.objects.get(person__last_name="Martin").health == "Suivi au CMP."


@committing_db
def test_a_backup_is_readable_by_its_owner_only_and_named_after_its_time(
    centre, tmp_path, settings
):
    settings.BACKUP_DIR = tmp_path / "sauvegardes"
    call_command("backup")
    path, manifest = sorted(settings.BACKUP_DIR.iterdir())
    assert path.name.startswith("parcours-20")
    assert path.suffix == (".sqlite3" if connection.vendor == "sqlite" else ".dump")
    assert manifest.name == path.name + ".sha256"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.BACKUP_DIR.stat().st_mode) == 0o700


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    path = tmp_path / "existe.bak"
    path.write_text("autre chose")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup", output=str(path))
    assert path.read_text() == "autre chose"


@pytest.mark.django_db
def test_a_bad_place_for_backups_is_explained_in_french(tmp_path, settings):
    blocker = tmp_path / "un-fichier"
    blocker.write_text("")
    settings.BACKUP_DIR = blocker
    with pytest.raises(
        CommandError, match=r"Impossible de créer le dossier .* vérifiez BACKUP_DIR"
    ):
        call_command("backup")
    with pytest.raises(CommandError, match="Impossible d'écrire .* : le dossier n'existe pas"):
        call_command("backup", output=str(tmp_path / "absent" / "x.bak"))


@committing_db
def test_a_file_that_is_not_a_backup_restores_nothing(centre, tmp_path):
    before = table_checksums()
    path = tmp_path / "faux.bak"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200 + b"PGDMP")
    # Its manifest matches: what stops it is its content.
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / "faux.bak.sha256").write_text(f"{digest}  faux.bak\n")
    with pytest.raises(CommandError, match="rien n'a été restauré"):
        call_command("restore", str(path), yes=True)
    path.write_text("bonjour")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore", str(path), yes=True)
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("restore", str(tmp_path / "absent.bak"), yes=True)
    assert table_checksums() == before


@committing_db
def test_a_restore_asks_first(centre, tmp_path, monkeypatch):
    path = tmp_path / "parcours.bak"
    call_command("backup", output=str(path))
    PersonFactory(centre=centre, last_name="Nouvelle")
    monkeypatch.setattr("builtins.input", lambda prompt: "non")
    with pytest.raises(CommandError, match="Restauration annulée"):
        call_command("restore", str(path))
    assert Person.objects.filter(last_name="Nouvelle").exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "oui")
    call_command("restore", str(path))
    assert not Person.objects.filter(last_name="Nouvelle").exists()


def test_without_the_postgresql_client_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda program: None)
    with pytest.raises(backups.BackupError, match="pg_dump est introuvable.*postgresql-client"):
        backups._pg_command("pg_dump")


def test_a_pg_dump_older_than_the_server_is_explained(tmp_path):
    # A stand-in for pg_dump that fails as an older one does on a newer server.
    fake = tmp_path / "pg_dump"
    fake.write_text(
        "#!/bin/sh\necho 'pg_dump: error: aborting because of server version mismatch' >&2\n"
        "exit 1\n"
    )
    fake.chmod(0o755)
    with pytest.raises(backups.BackupError, match="même version que le serveur"):
        backups._run([str(fake)], {}, "La sauvegarde a échoué")


@committing_db
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's backup API; PostgreSQL restores with pg_restore in one transaction",
)
def test_a_restore_into_a_database_in_use_stops_and_writes_nothing(centre, tmp_path):
    import sqlite3

    path = tmp_path / "parcours.bak"
    call_command("backup", output=str(path))
    PersonFactory(centre=centre, last_name="Après")
    before = table_checksums()
    # The application (another connection) is writing to the database.
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CommandError, match="La base est occupée par l'application"):
            call_command("restore", str(path), yes=True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert table_checksums() == before


@committing_db
def test_a_backup_with_one_byte_changed_restores_nothing(centre, tmp_path):
    path = tmp_path / "parcours.bak"
    call_command("backup", output=str(path))
    PersonFactory(centre=centre, last_name="Après")
    before = table_checksums()
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="ne correspond plus à l'empreinte.*rien n'a été"):
        call_command("restore", str(path), yes=True)
    assert table_checksums() == before


@committing_db
def test_a_backup_without_its_manifest_restores_only_when_asked(centre, tmp_path):
    path = tmp_path / "parcours.bak"
    call_command("backup", output=str(path))
    (tmp_path / "parcours.bak.sha256").unlink()
    PersonFactory(centre=centre, last_name="Après")

    with pytest.raises(CommandError, match="empreinte .* absente.*--no-digest"):
        call_command("restore", str(path), yes=True)
    assert Person.objects.filter(last_name="Après").exists()
    call_command("restore", str(path), yes=True, no_digest=True)
    assert not Person.objects.filter(last_name="Après").exists()


@committing_db
def test_the_manifest_checks_with_sha256sum(centre, tmp_path):
    path = tmp_path / "parcours.bak"
    call_command("backup", output=str(path))
    checked = subprocess.run(  # noqa: S603
        ["sha256sum", "--check", "parcours.bak.sha256"],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout


@committing_db
def test_the_leftover_of_a_killed_backup_is_removed_by_the_next_one(centre, tmp_path):
    killed = tmp_path / "parcours-20261201-020000.dump.partiel"
    killed.write_bytes(b"PGDMP half a dump")
    out = StringIO()
    call_command("backup", output=str(tmp_path / "parcours.bak"), stdout=out)
    assert not killed.exists()
    assert f"sauvegarde interrompue supprimé : {killed}" in out.getvalue()
    assert (tmp_path / "parcours.bak").exists()


@committing_db
def test_a_backup_being_written_is_left_alone(centre, tmp_path):
    running = tmp_path / "parcours-en-cours.dump.partiel"
    running.write_bytes(b"PGDMP")
    with running.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the running backup holds it
        assert backups.stale_partials_remove(tmp_path) == []
        assert running.exists()
        with pytest.raises(CommandError, match="est en cours"):
            call_command("backup", output=str(tmp_path / "parcours-en-cours.dump"))
    assert backups.stale_partials_remove(tmp_path) == [running]
