"""Recovery codes stored hashed: each code already issued is replaced by its hash, in
place, so every account keeps the codes it printed and no row is lost."""

from django.db import migrations

from parcours.accounts.services import recovery_code_hash


def hash_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    tokens = list(StaticToken.objects.all())
    for token in tokens:
        token.token = recovery_code_hash(token.token)
    StaticToken.objects.bulk_update(tokens, ["token"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # Going back leaves the hashes: a hash gives back no code. The rows stay, and the
    # accounts renew their codes from their profile (they still have their app).
    operations = [migrations.RunPython(hash_codes, migrations.RunPython.noop, elidable=False)]
