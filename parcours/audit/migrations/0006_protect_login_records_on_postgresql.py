"""On PostgreSQL the database protects django-axes' login records as it does the audit
tables (0002, 0005): the log of logins (address, browser, e-mail typed) and the log of
failures are never rewritten, and deleted only by the retention's purge
(`parcours.audit.models.purge_allowed`). The one change axes makes itself is let
through: a login's logout time, set once. The lockout counters (axes_accessattempt) are
not records but state that axes updates and resets on each login: they stay writable,
and read-only in the admin."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION parcours_refuse_login_record_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('parcours.audit_purge', true) IS DISTINCT FROM 'on' THEN
            RAISE EXCEPTION 'login records are append-only (table %%)', TG_TABLE_NAME;
        END IF;
        RETURN OLD;
    END IF;
    -- Read through jsonb: the failure log has no logout_time column.
    IF TG_TABLE_NAME = 'axes_accesslog' AND to_jsonb(OLD) ->> 'logout_time' IS NULL
       AND to_jsonb(NEW) - 'logout_time' = to_jsonb(OLD) - 'logout_time' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'login records are append-only (table %%)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION parcours_refuse_login_record_change();\n"
    for t in ("axes_accesslog", "axes_accessfailurelog")
)

DROP = "".join(
    f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};\n"
    for t in ("axes_accesslog", "axes_accessfailurelog")
) + "DROP FUNCTION IF EXISTS parcours_refuse_login_record_change();"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_refuse_deletes_on_postgresql"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
