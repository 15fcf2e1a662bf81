from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = "SECRET_KEY doit être défini quand DEBUG est désactivé."  # noqa: S105


def secret_key_missing():
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return True


@register(deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if not secret_key_missing():
        return []
    return [
        Error(
            MISSING_SECRET_KEY,
            hint="Définissez la variable d'environnement SECRET_KEY.",
            id="parcours.E001",
        )
    ]
