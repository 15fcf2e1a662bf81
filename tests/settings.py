"""The production settings, with what a test run needs instead of HTTPS and a real key."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-not-secret-0123456789-abcdefghijklmnop")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from parcours.settings import *  # noqa: E402, F403

# The bench's data generator, out of production settings, has its own tests (tests/generator).
INSTALLED_APPS = [*INSTALLED_APPS, "bench.generator"]  # noqa: F405

# Plain HTTP: the test client and the browser tests' live server do not speak TLS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic manifest in tests.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Hashing every fixture password with argon2 would slow the suite tenfold; the
# production hasher is asserted in tests/test_settings.py.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
# A fixed key, so the confidential section reads the same in every test run.
CONFIDENTIAL_KEYS = ["KeNudgRjCuwbEQb5uNKTRMRUDm-p8itSj_meDFxcHFw="]
# Queued tasks (e-mails) run at once, in the test's process, when they are enqueued.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
