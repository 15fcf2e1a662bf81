import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
application = get_wsgi_application()

# gunicorn runs no system check: refuse to serve without a key.
from parcours.core.checks import MISSING_SECRET_KEY, secret_key_missing  # noqa: E402

if secret_key_missing():
    raise ImproperlyConfigured(MISSING_SECRET_KEY)
