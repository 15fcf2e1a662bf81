"""Backup and restore of the whole database (`manage.py backup`, `manage.py restore`).

SQLite: the online backup API of `sqlite3`, which copies a consistent snapshot while
the application keeps running, and writes a restore into the live database the same
way. PostgreSQL: `pg_dump -Fc` and `pg_restore --clean --if-exists --no-owner`, in one
transaction, with the connection settings Django itself uses.

A backup holds the confidential section as stored: encrypted with CONFIDENTIAL_KEYS,
which are never in the database. Without the keys, kept elsewhere, it stays unreadable.

Each backup has a manifest beside it, `<file>.sha256` in `sha256sum`'s format, written
before the backup appears under its name: a restore refuses a file that changed since
(one flipped byte in a SQLite file still opens and passes `quick_check` when it lands in
a row's text). `sha256sum -c` checks it without Parcours.
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in French."""


def _vendor():
    if connection.vendor not in SUFFIXES:
        raise BackupError(
            f"Sauvegarde impossible : la base « {connection.vendor} » n'est pas prise en "
            "charge (SQLite ou PostgreSQL seulement)."
        )
    return connection.vendor


def _why(error):
    """An operating system error in French, for the messages of the commands."""
    if isinstance(error, FileNotFoundError):
        return "le dossier n'existe pas"
    if isinstance(error, PermissionError):
        return "permission refusée"
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        return "un fichier porte déjà ce nom là où un dossier est attendu"
    return f"erreur du système : {error.strerror or error}"


def default_backup_path():
    """BACKUP_DIR/parcours-<date>-<heure>.<sqlite3|dump>, the directory readable by the
    owner only (a backup holds every file of the centre)."""
    directory = Path(settings.BACKUP_DIR)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"Impossible de créer le dossier des sauvegardes {directory} ({_why(error)}) : "
            "vérifiez BACKUP_DIR, ou choisissez le fichier avec --output."
        ) from None
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return directory / f"parcours-{stamp}{SUFFIXES[_vendor()]}"


@dataclass(frozen=True)
class Backup:
    path: Path
    digest: str
    # `.partiel` files of earlier backups that were killed midway, removed first.
    stale_removed: list[Path] = field(default_factory=list)


PARTIAL = ".partiel"


def _manifest(path):
    return path.with_name(path.name + ".sha256")


def _sha256(path):
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def stale_partials_remove(directory):
    """Remove the `.partiel` files that no running backup holds. A backup keeps an
    exclusive lock on its partial file while it writes; one killed midway (kill -9, a
    power cut) cannot clean up after itself, and its lock died with it."""
    removed = []
    for partial in sorted(Path(directory).glob(f"*{PARTIAL}")):
        try:
            descriptor = os.open(partial, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a backup is writing it right now
        else:
            partial.unlink(missing_ok=True)
            removed.append(partial)
        finally:
            os.close(descriptor)
    return removed


def backup_create(*, output=None):
    """Write a backup of the database to `output` (default: `default_backup_path()`),
    readable by its owner only, and its SHA-256 manifest. The file appears whole or
    not at all; the leftovers of backups killed midway in that directory go first."""
    vendor = _vendor()
    path = Path(output) if output else default_backup_path()
    if path.exists():
        raise BackupError(f"Le fichier {path} existe déjà : choisissez un autre nom.")
    stale = stale_partials_remove(path.parent) if path.parent.is_dir() else []
    partial = path.with_name(path.name + PARTIAL)
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(
            f"Une sauvegarde vers {path} est en cours ({partial} existe) : attendez "
            "qu'elle finisse."
        ) from None
    except OSError as error:
        raise BackupError(f"Impossible d'écrire {path} : {_why(error)}.") from None
    manifest = _manifest(path)
    try:
        with os.fdopen(descriptor, "wb") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            if vendor == "sqlite":
                _sqlite_backup(partial)
            else:
                _pg_dump(file)
            digest = _sha256(partial)
            # The manifest is in place before the backup has its name, so a backup
            # under its final name always has one.
            _write_manifest(manifest, digest, path.name)
            os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        if not path.exists():
            manifest.unlink(missing_ok=True)
        raise
    return Backup(path=path, digest=digest, stale_removed=stale)


def _write_manifest(manifest, digest, name):
    temporary = manifest.with_name(manifest.name + PARTIAL)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(f"{digest}  {name}\n")
    os.replace(temporary, manifest)


def _check_digest(path):
    manifest = _manifest(path)
    try:
        expected = manifest.read_text().split()[0].lower()
    except (OSError, IndexError, UnicodeDecodeError):
        raise BackupError(
            f"L'empreinte {manifest}, écrite à côté de chaque sauvegarde, est absente ou "
            "illisible : impossible de vérifier que le fichier est intact, rien n'a été "
            "restauré. Si vous êtes sûr du fichier (une sauvegarde faite avant que "
            "Parcours n'écrive d'empreinte), relancez avec --no-digest."
        ) from None
    if _sha256(path) != expected:
        raise BackupError(
            f"{path} ne correspond plus à l'empreinte notée lors de la sauvegarde "
            f"({manifest}) : le fichier a été modifié ou abîmé depuis, rien n'a été "
            "restauré. Prenez une autre sauvegarde."
        )


def backup_restore(*, path, check_digest=True):
    """Replace every row of the database by those of the backup at `path`, at once:
    on any error, the database stays as it was. The file must match its manifest
    unless `check_digest` is off (a backup older than manifests). Returns the
    migrations the restored data still lacks (run `migrate`), if any."""
    vendor = _vendor()
    if connection.in_atomic_block:
        raise BackupError("Une restauration ne peut pas se faire dans une transaction.")
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Le fichier {path} n'existe pas.")
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    expected = SQLITE_HEADER if vendor == "sqlite" else PG_CUSTOM_HEADER
    if not header.startswith(expected):
        kind = "SQLite" if vendor == "sqlite" else "PostgreSQL (pg_dump -Fc)"
        raise BackupError(
            f"{path} n'est pas une sauvegarde {kind}, le type de la base configurée : "
            "rien n'a été restauré."
        )
    if check_digest:
        _check_digest(path)
    if vendor == "sqlite":
        _sqlite_restore(path)
    else:
        _pg_restore(path)
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _sqlite_backup(target):
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        with destination:
            connection.connection.backup(destination)
    finally:
        destination.close()


BUSY = (
    "La base est occupée par l'application : arrêtez-la, puis recommencez. Rien n'a été restauré."
)


def _give_up_if_busy(status, remaining, total):
    """SQLite's backup retries a busy database forever; each try has already waited
    the connection's timeout (settings: 20 s), so a database still busy is in use:
    stop, the restore's transaction is rolled back and nothing is written."""
    if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        raise BackupError(BUSY)


def _sqlite_restore(path):
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            check = source.execute("PRAGMA quick_check").fetchone()[0]
            source.execute("SELECT 1 FROM django_migrations LIMIT 1")
        except sqlite3.DatabaseError:
            check = None
        if check != "ok":
            raise BackupError(
                f"{path} n'est pas une sauvegarde Parcours lisible : rien n'a été restauré."
            )
        connection.ensure_connection()
        try:
            source.backup(connection.connection, progress=_give_up_if_busy)
        except sqlite3.OperationalError as error:
            raise BackupError(f"{BUSY} ({error})") from None
    finally:
        source.close()


def _pg_command(program, *arguments):
    """`program` with the connection settings Django uses (the test database's too);
    the password goes through the environment, never the command line."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} est introuvable : installez le client PostgreSQL (paquet "
            "« postgresql-client ») de la même version majeure que le serveur, ou "
            "ajoutez son dossier au PATH."
        )
    db = connection.settings_dict
    command = [executable, "--no-password", "--dbname", db["NAME"]]
    for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
        if db.get(key):
            command += [option, str(db[key])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    options = db.get("OPTIONS", {})
    for key, variable in [("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")]:
        if options.get(key):
            environment[variable] = str(options[key])
    return [*command, *arguments], environment


def _run(command, environment, failure, **kwargs):
    result = subprocess.run(command, env=environment, stderr=subprocess.PIPE, check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        hint = ""
        if "version mismatch" in detail or "unsupported version" in detail:
            hint = (
                " — les outils PostgreSQL installés sont plus anciens que le serveur : "
                "installez le paquet postgresql-client de la même version que le serveur."
            )
        raise BackupError(f"{failure} : {detail or f'code de sortie {result.returncode}'}{hint}")


def _pg_dump(file):
    command, environment = _pg_command("pg_dump", "--format=custom")
    _run(command, environment, "La sauvegarde a échoué", stdout=file)


def _pg_restore(path):
    command, environment = _pg_command(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        str(path),
    )
    connection.close()  # no session of ours holds a lock the restore would wait for
    _run(
        command,
        environment,
        "La restauration a échoué et n'a rien changé",
        stdout=subprocess.DEVNULL,
    )
