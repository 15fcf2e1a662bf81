"""Settings of the benchmarks: production settings (DEBUG off) on 127.0.0.1 without
TLS, plus one bench-only URL (`bench/urls.py`) and the data generator (`generate_data`,
`bench/generator/`). Never used to serve real users."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# A fixed Fernet key: the bench's data is fictional and thrown away.
os.environ.setdefault("CONFIDENTIAL_KEYS", "YmVuY2gtb25seS1rZXktZm9yLWZpY3Rpb25hbC1kYXQ=")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from parcours.settings import *  # noqa: E402, F403
from parcours.settings import BASE_DIR, INSTALLED_APPS  # noqa: E402

DEBUG = False
# The generator is a bench tool: production settings leave it out.
INSTALLED_APPS = [*INSTALLED_APPS, "bench.generator"]
ROOT_URLCONF = "bench.urls"
# Plain HTTP on 127.0.0.1: cookies without the Secure flag.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Collected once per bench run; the manifest lookups are production's, the gzip/brotli
# pre-compression (minutes of CPU, no effect on the measured pages) is skipped.
STATIC_ROOT = BASE_DIR / "bench" / ".data" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
