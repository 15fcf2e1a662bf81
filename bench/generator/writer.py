"""Bulk insertion of generated rows, the fastest way each database offers.

The generator knows every row it writes, keys included: it numbers them itself from the
table's largest id, so that rows can point at each other before anything is sent, and
so that two runs on the same database state give the same ids. Rows go out per table
in large batches: binary `COPY … FROM STDIN` on PostgreSQL (psycopg 3), `executemany` on the
raw SQLite connection, plain `executemany` elsewhere. Nothing goes through `Model.save()`
nor signals: no audit row, no `auto_now` stamp (the generator dates every row itself).

Values are converted as Django would (`get_db_prep_save`: encrypted text for instance),
except the plain types, which need nothing, and dates and times, whose conversion is
cached (a few thousand distinct days for millions of rows).
"""

import contextlib
import enum
import functools

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from phonenumber_field.modelfields import PhoneNumberField

from parcours.core.bulk import insert_rows

# Rows held before writing: large enough for fast inserts, small enough for memory.
BATCH_SIZE = 100_000

# Field classes whose Python value is already what the database stores.
PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.ForeignKey,
    models.BooleanField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.CharField,
    models.SlugField,
    models.EmailField,
    models.TextField,
    # The generator writes phone numbers in their stored form (E.164) already; parsing
    # each one again would cost more than the rest of the person's row.
    PhoneNumberField,
)


def _converter(field):
    ops = connection.ops
    if type(field) in PLAIN:
        return None
    if isinstance(field, models.DateTimeField):
        return functools.lru_cache(maxsize=65536)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return functools.lru_cache(maxsize=65536)(ops.adapt_datefield_value)
    if isinstance(field, models.TimeField):
        return functools.lru_cache(maxsize=1024)(ops.adapt_timefield_value)
    return functools.partial(field.get_db_prep_save, connection=connection)


def _default(field):
    """The value a column not given by the generator takes: its model default, which
    must be a constant (a clock or a random token would break determinism)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        raise ImproperlyConfigured(f"{field} is stamped on save: the generator must date it.")
    if field.has_default() and callable(field.default):
        raise ImproperlyConfigured(f"{field} has a computed default: the generator must set it.")
    value = field.get_default()
    return value.value if isinstance(value, enum.Enum) else value


class Table:
    """The rows of one table waiting to be written, and the next free id.

    `fields` are the columns the generator gives, in the order `add` takes them; the
    others get their model default. The `prepared` ones come already converted (see
    `adapt`): on a table of millions of rows, one value converted per session rather
    than per row.
    """

    def __init__(self, model, fields, on_full, prepared=()):
        self.model = model
        meta = model._meta
        given = [meta.get_field(name) for name in ("id", *fields)]
        others = [f for f in meta.concrete_fields if f not in given]
        self.fields = given + others
        self.defaults = tuple(_default(f) for f in others)
        self.on_full = on_full
        self.rows = []
        self.written = 0
        self.converters = {f.name: _converter(f) for f in self.fields}
        self.conversions = [
            (i, self.converters[f.name])
            for i, f in enumerate(self.fields)
            if self.converters[f.name] and f.name not in prepared
        ]
        last = model._base_manager.aggregate(last=Max("id"))["last"]
        self.next_id = (last or 0) + 1

    def add(self, *values):
        """Queue a row (values in the order of `fields`); return its id."""
        row_id = self.next_id
        self.next_id += 1
        self.rows.append((row_id, *values, *self.defaults))
        if len(self.rows) >= BATCH_SIZE:
            self.on_full()
        return row_id

    def adapt(self, name, value):
        """`value` as the database stores the field `name` (for `prepared` fields)."""
        convert = self.converters[name]
        return convert(value) if convert and value is not None else value

    def flush(self):
        if not self.rows:
            return
        rows = self.rows
        if self.conversions:
            rows = [self._convert(row) for row in rows]
        insert_rows(self.model._meta.db_table, self.fields, rows)
        self.written += len(rows)
        self.rows = []

    def _convert(self, row):
        row = list(row)
        for index, convert in self.conversions:
            if row[index] is not None:
                row[index] = convert(row[index])
        return row


def reset_sequences(models_written):
    """After explicit ids, PostgreSQL's sequences must move past them (SQLite's
    AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyse(models_loaded):
    """Planner statistics of the loaded tables, as autovacuum would gather them later:
    until then the planner takes them for as empty as they were (a coordinator's home
    took 3 to 5 s on a generated PostgreSQL database) and SQLite has no statistics of
    their indexes. Only those tables: a whole database's `ANALYZE` on PostgreSQL goes
    through the system catalogues too, a second for nothing."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models_loaded]
    # One commit: SQLite analyses one table per statement.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


@contextlib.contextmanager
def bulk_load(models_loaded):
    """On PostgreSQL, check foreign keys and build secondary indexes once, at the end.

    PostgreSQL checks a foreign key with a trigger per row and per key, and updates
    every index row by row: at millions of rows that costs more than the insert itself.
    As pg_restore does, the foreign keys and the plain indexes (those that back no
    constraint) of the loaded tables are dropped, then recreated from their exact
    definitions: adding a key checks every row in one query, building an index sorts
    once. Primary keys and unique constraints stay, so a duplicate still fails at once.
    It all happens inside the generator's transaction: nobody sees the tables without
    their keys, a row that breaks a key fails the whole run, and a failure puts
    everything back. The tables are locked meanwhile: generate on a database nobody
    is using.
    """
    tables = [model._meta.db_table for model in models_loaded]
    if connection.vendor == "sqlite":
        with _sqlite_indexes_built_at_the_end(tables):
            yield
        return
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        # Names come from the catalogue (regclass text is quoted as needed).
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for index, _definition in indexes:
            cursor.execute(f"DROP INDEX {index}")
    yield
    with connection.cursor() as cursor:
        # Sorting for an index build is faster with room (this transaction only).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _index, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


@contextlib.contextmanager
def _sqlite_indexes_built_at_the_end(tables):
    """SQLite checks foreign keys cheaply (deferred, by counting); its plain indexes
    are dropped and rebuilt as on PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' "
            "AND sql IS NOT NULL AND sql NOT LIKE %s ORDER BY name",
            ["CREATE UNIQUE %"],
        )
        indexes = [(name, sql) for table, name, sql in cursor.fetchall() if table in tables]
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
