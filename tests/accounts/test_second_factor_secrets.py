"""The TOTP keys stay in clear (docs/privacy.md says why and what protects them): these
tests keep that choice true and written down."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from parcours.people.crypto import encrypt

from ..test_settings import ROOT


def test_it_cannot_fit_an_encrypted_totp_key_in_django_otps_column():
    # The day django-otp widens its column, encrypting the keys becomes an option again.
    encrypted = encrypt(random_hex(20))
    assert len(encrypted) > TOTPDevice._meta.get_field("key").max_length


def test_it_says_in_the_privacy_notice_that_totp_keys_are_in_clear_and_why():
    doc = (ROOT / "docs" / "privacy.md").read_text()
    item = doc.partition("- **Secrets de la double authentification.**")[2].split("\n- ")[0]
    assert "`TOTPDevice.key`" in item and "**en clair**" in item
    assert "Risque" in item and "Mesures" in item
    assert "`StaticToken.token`" in item
