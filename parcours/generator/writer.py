"""Bulk insertion of generated rows, the fastest way each database offers.

The generator knows every row it writes, keys included: it numbers them itself from the
table's largest id, so that rows can point at each other before anything is sent, and
so that two runs on the same database state give the same ids. Rows go out per table
in large batches: `COPY … FROM STDIN` on PostgreSQL (psycopg 3), `executemany` on the
raw SQLite connection, plain `executemany` elsewhere. Nothing goes through `Model.save()`
nor signals: no audit row, no `auto_now` stamp (the generator dates every row itself).

Values are converted as Django would (`get_db_prep_save`: encrypted text, phone numbers),
except the plain types, which need nothing, and dates and times, whose conversion is
cached (a few thousand distinct days for millions of rows).
"""

import enum
import functools

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

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
    others get their model default.
    """

    def __init__(self, model, fields, on_full):
        self.model = model
        meta = model._meta
        given = [meta.get_field(name) for name in ("id", *fields)]
        others = [f for f in meta.concrete_fields if f not in given]
        self.fields = given + others
        self.defaults = tuple(_default(f) for f in others)
        self.on_full = on_full
        self.rows = []
        self.written = 0
        conversions = [(i, _converter(f)) for i, f in enumerate(self.fields)]
        self.conversions = [(i, convert) for i, convert in conversions if convert]
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

    def flush(self):
        if not self.rows:
            return
        rows = self.rows
        if self.conversions:
            rows = [self._convert(row) for row in rows]
        _insert(self.model._meta.db_table, [f.column for f in self.fields], rows)
        self.written += len(rows)
        self.rows = []

    def _convert(self, row):
        row = list(row)
        for index, convert in self.conversions:
            if row[index] is not None:
                row[index] = convert(row[index])
        return row


def _insert(table, columns, rows):
    # Table and column names come from the models' metadata, quoted; values are
    # parameters: nothing here comes from outside.
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    elif connection.vendor == "sqlite":
        marks = ", ".join("?" * len(columns))
        connection.connection.executemany(
            f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
            rows,
        )
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def reset_sequences(models_written):
    """After explicit ids, PostgreSQL's sequences must move past them (SQLite's
    AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
