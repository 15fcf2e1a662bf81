"""On PostgreSQL the database also refuses DELETE on the audit tables, except inside
`AppendOnlyQuerySet.purge` (the end of the retention period, an anonymised file), which
turns `parcours.audit_purge` on for its own statement: a bug or a hand-typed statement
through the app's account cannot erase history either. TRUNCATE (the test runner's
flush) fires no row trigger."""

from django.db import migrations

TABLES = ["audit_auditevent", "audit_securityevent"]

CREATE = """
CREATE OR REPLACE FUNCTION parcours_refuse_audit_delete() RETURNS trigger AS $$
BEGIN
    IF current_setting('parcours.audit_purge', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'audit rows are append-only (table %%)', TG_TABLE_NAME;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION parcours_refuse_audit_delete();\n"
    for t in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {t}_no_delete ON {t};\n" for t in TABLES) + (
    "DROP FUNCTION IF EXISTS parcours_refuse_audit_delete();"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_security_event_two_factor_kinds")]

    operations = [migrations.RunPython(forwards, backwards)]
