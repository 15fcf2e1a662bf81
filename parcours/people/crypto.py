"""Encryption at rest of the confidential section (health, addictions, violence).

Why a small field here rather than a package: the django-encrypted-fields family
(django-fernet-fields, django-encrypted-model-fields, django-cryptography) is
unmaintained or lags behind Django releases, and a database field is the last place to
carry an abandoned dependency. PyCA's `cryptography` is maintained by the people who
maintain Python's TLS stack; its Fernet tokens are authenticated (AES-128-CBC +
HMAC-SHA256), so a wrong key or a tampered value is detected instead of decrypted into
garbage, and `MultiFernet` gives key rotation. What is left to write is the few lines
below, tested in tests/people/test_crypto.py.

A stored value is "fernet:" followed by the token, encrypted with the first key of
`settings.CONFIDENTIAL_KEYS` and readable with any of them. An empty text stays empty:
it tells that nothing was written, which the page shows anyway. A value that no key
opens raises `ConfidentialDataLocked`: the section is never shown as ciphertext nor as
blank, which would invite someone to type it again over the stored one.

Encryption is randomised, so the fields cannot be searched nor filtered on, except for
emptiness (`health=""`).
"""

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"

LOCKED = (
    "Le volet confidentiel ne peut pas être déchiffré avec les clés configurées : "
    "vérifiez la variable d'environnement CONFIDENTIAL_KEYS."
)
NO_KEY = (
    "Aucune clé de chiffrement du volet confidentiel : "
    "définissez la variable d'environnement CONFIDENTIAL_KEYS."
)
INVALID_KEY = (
    "CONFIDENTIAL_KEYS contient une clé invalide : chaque clé est une clé Fernet "
    "(32 octets en base64), les clés sont séparées par des virgules."
)


class ConfidentialDataLocked(Exception):
    """The confidential section cannot be read or written with the configured keys."""


@functools.cache
def _multi_fernet(keys):
    if not keys:
        raise ConfidentialDataLocked(NO_KEY)
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ConfidentialDataLocked(INVALID_KEY) from None  # never echo a key


def multi_fernet():
    """The keys are read from the settings at each call (not at import), so that a
    test or a rotation sees the keys of the moment; each tuple of keys is built once."""
    return _multi_fernet(tuple(settings.CONFIDENTIAL_KEYS))


def encrypt(text):
    return PREFIX + multi_fernet().encrypt(text.encode()).decode()


def _token(stored):
    if not stored.startswith(PREFIX):  # plaintext where a token should be: refuse it too
        raise ConfidentialDataLocked(LOCKED)
    return stored.removeprefix(PREFIX).encode()


def decrypt(stored):
    try:
        return multi_fernet().decrypt(_token(stored)).decode()
    except InvalidToken:
        raise ConfidentialDataLocked(LOCKED) from None


def rotate(stored):
    """The same text, encrypted again with the first key."""
    try:
        return PREFIX + multi_fernet().rotate(_token(stored)).decode()
    except InvalidToken:
        raise ConfidentialDataLocked(LOCKED) from None


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; Python code and forms only see the text."""

    description = "Texte chiffré (Fernet)"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:  # None or "": nothing to hide
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)
