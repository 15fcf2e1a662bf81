"""The recovery codes issued before they were hashed are hashed in place (accounts
0002): every row stays, and the code printed on paper still logs in."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from parcours.accounts.services import recovery_code_hash

from ..conftest import committing_db

BEFORE = [("accounts", "0001_initial"), ("otp_static", "0003_add_timestamps")]
AFTER = [("accounts", "0002_recovery_codes_hashed")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old():
    """The apps before the hashing; the schema is put back whatever the test's outcome,
    so later tests find it as they expect."""
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


@committing_db
def test_it_hashes_the_recovery_codes_already_issued_and_keeps_every_row(old):
    User = old.get_model("accounts", "User")
    StaticDevice = old.get_model("otp_static", "StaticDevice")
    StaticToken = old.get_model("otp_static", "StaticToken")
    user = User.objects.create(email="ancien@example.org", first_name="A", last_name="B")
    device = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = ["abcdefgh", "ijklmnop", "qrstuvwx"]
    for code in codes:
        StaticToken.objects.create(device=device, token=code)

    new = migrate(AFTER)

    stored = new.get_model("otp_static", "StaticToken").objects.filter(device_id=device.pk)
    assert sorted(stored.values_list("token", flat=True)) == sorted(
        recovery_code_hash(code) for code in codes
    )
