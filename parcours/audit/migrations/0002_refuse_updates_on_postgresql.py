"""On PostgreSQL the database itself refuses UPDATE on the audit tables, so that not
even a bug or a hand-typed SQL statement through the app's account can rewrite
history. (DELETE is refused too, but for the purge: see 0005.)"""

from django.db import migrations

TABLES = ["audit_auditevent", "audit_securityevent"]

CREATE = """
CREATE OR REPLACE FUNCTION parcours_refuse_audit_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only (table %%)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION parcours_refuse_audit_update();\n"
    for t in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {t}_no_update ON {t};\n" for t in TABLES) + (
    "DROP FUNCTION IF EXISTS parcours_refuse_audit_update();"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
