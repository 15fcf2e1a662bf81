"""Re-encrypt the confidential section with the first key of CONFIDENTIAL_KEYS.

Rotation, in three steps:
1. put the new key first in CONFIDENTIAL_KEYS, keeping the old one after it
   (`CONFIDENTIAL_KEYS=<new>,<old>`), and restart: everything stays readable;
2. run `python manage.py rotate_confidential_key`;
3. drop the old key from CONFIDENTIAL_KEYS and restart.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from parcours.people.crypto import (
    ConfidentialDataLocked,
    EncryptedTextField,
    multi_fernet,
    rotate,
)
from parcours.people.models import ConfidentialNote


class Command(BaseCommand):
    help = (
        "Rechiffre tout le volet confidentiel avec la première clé de CONFIDENTIAL_KEYS, "
        "en une seule transaction ; l'ancienne clé peut ensuite être retirée."
    )

    def handle(self, *args, **options):
        try:
            count = self._rotate_all()
        except ConfidentialDataLocked as locked:
            raise CommandError(f"Rien n'a été rechiffré. {locked}") from None
        plural = "s" if count > 1 else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} volet{plural} confidentiel{plural} rechiffré{plural} "
                "avec la première clé de CONFIDENTIAL_KEYS."
            )
        )

    def _rotate_all(self):
        # Raw values through the cursor: the field would decrypt them, and rotating a
        # token keeps its text without ever holding it. Rows are locked where the
        # database can, so that a note saved meanwhile is not overwritten.
        multi_fernet()  # missing or invalid keys are reported even with no note yet
        meta = ConfidentialNote._meta
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        pk = quote(meta.pk.column)
        columns = [
            quote(field.column)
            for field in meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        assignments = ", ".join(f"{column} = %s" for column in columns)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {', '.join(columns)} FROM {table}{lock}")  # noqa: S608
            rows = cursor.fetchall()
            for row_pk, *values in rows:
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                    [*(rotate(value) if value else value for value in values), row_pk],
                )
        return len(rows)
