import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
application = get_wsgi_application()

# gunicorn runs no system check: refuse to serve without a key or without the keys of
# the confidential section.
from parcours.core.checks import MISSING_SECRET_KEY, secret_key_missing  # noqa: E402
from parcours.people.checks import confidential_keys_are_set  # noqa: E402

if secret_key_missing():
    raise ImproperlyConfigured(MISSING_SECRET_KEY)
for error in confidential_keys_are_set(None):
    raise ImproperlyConfigured(error.msg)
