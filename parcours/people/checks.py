from django.conf import settings
from django.core.checks import Error, register

from .crypto import ConfidentialDataLocked, multi_fernet

MISSING_CONFIDENTIAL_KEYS = "CONFIDENTIAL_KEYS doit être défini quand DEBUG est désactivé."
GENERATE_KEY = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


@register(deploy=True)
def confidential_keys_are_set(app_configs, **kwargs):
    """The confidential section cannot be read nor written without valid keys: say so
    before serving, not at the first coordinator who opens it."""
    if not settings.CONFIDENTIAL_KEYS:
        return [
            Error(
                MISSING_CONFIDENTIAL_KEYS,
                hint=(
                    "Définissez la variable d'environnement CONFIDENTIAL_KEYS "
                    f"(clés Fernet séparées par des virgules ; en générer une : {GENERATE_KEY})."
                ),
                id="parcours.E002",
            )
        ]
    try:
        multi_fernet()
    except ConfidentialDataLocked as locked:
        return [Error(str(locked), id="parcours.E003")]
    return []
