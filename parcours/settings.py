"""Parcours settings, read from the environment.

Outside DEBUG every default is the safe one: a missing SECRET_KEY or ALLOWED_HOSTS
stops the server instead of running with a guessable key.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default, low=0, high=None):
    """A whole number from the environment, within [low, high]; anything else stops
    Parcours at start-up with a message that says which variable and what it takes."""
    raw = os.environ.get(name, str(default)).strip()
    bounds = f"de {low} à {high}" if high is not None else f"{low} ou plus"
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} vaut « {raw} » : un nombre entier {bounds} "
            "est attendu."
        )
    return value


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Without DEBUG an empty key stops the server (parcours.core.checks and wsgi.py); commands
# that need no key, such as makemigrations, still run.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Third-party apps with an admin section go through parcours.core.third_party_apps,
# which only gives them French names.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "parcours.core.third_party_apps.Auditlog",
    "parcours.core.third_party_apps.Axes",
    "csp",
    "django_htmx",
    "django_filters",
    "django_otp",
    "parcours.core.third_party_apps.TotpDevices",
    "parcours.core.third_party_apps.StaticDevices",
    "django_tasks",
    "parcours.core.third_party_apps.TasksDatabase",
    "phonenumber_field",
    "parcours.core",
    "parcours.accounts",
    "parcours.centres",
    "parcours.audit",
    "parcours.partners",
    "parcours.people",
    "parcours.consent",
    "parcours.workshops",
    "parcours.pathways",
    "parcours.reports",
    "parcours.privacy",
    "parcours.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session holds a confirmed second-factor device.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "parcours.accounts.middleware.absolute_session_limit",
    "parcours.centres.middleware.current_centre",
    # After the two above: it reads the session rules' outcome and the user's roles.
    "parcours.accounts.middleware.SecondFactorMiddleware",
    "parcours.audit.middleware.refused_access_log",
    "parcours.core.middleware.no_store_for_users",
    "parcours.people.middleware.ConfidentialKeysFault",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "parcours.audit.middleware.AuditActorMiddleware",
    # Last, as its documentation asks: it must see the response of every other layer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parcours.urls"
WSGI_APPLICATION = "parcours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "parcours" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parcours.centres.context_processors.current_centre",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        # With persistent connections, a connection the server dropped (a restart,
        # pg_terminate_backend, a proxy's idle timeout) is replaced at the start of the
        # next request instead of failing it with OperationalError.
        conn_health_checks=True,
    )
}
# Each request is one transaction: an audit row that cannot be written rolls back
# the whole response instead of showing data that left no trace.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers on one SQLite file: a request that reads then writes (an audited
    # read) must take the write lock when its transaction begins, or SQLite refuses its
    # write with "database is locked" instead of waiting; the timeout is how long it waits.
    # secure_delete: what is deleted (an anonymised file's texts) is overwritten in the
    # database file, not left in its free pages.
    # Added to the options of DATABASE_URL's query string (these three keys win).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA secure_delete = ON;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Who answers for accessibility, named on the accessibility statement (an e-mail address
# or a postal address); empty, the statement sends readers to their centre's administration.
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")
# Where `manage.py backup` writes by default (parcours.core.backups).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "backups")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes idle (the cookie is renewed on each request), 12 hours at most
# since login (enforced by parcours.accounts.middleware.absolute_session_limit).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout: 5 failures on one account lock it for 30 minutes. The lock is keyed on the
# account only, so no header a client writes (X-Forwarded-For, User-Agent, cookies) can
# dodge it or lock anyone else out. axes.W006 warns about locks without the IP; a lock
# on the IP would shut a whole centre's office (one NAT address) out after five typos.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "parcours.accounts.forms.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The failure count is reset when the login is complete (password, then the code for
# accounts with a second factor: parcours.accounts.services.login_complete), not after the
# password alone: otherwise each new password login would wipe the wrong codes counted.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "parcours.audit.services.client_ip"
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Behind a reverse proxy, how many proxies append to X-Forwarded-For; the client address
# is then the entry that the outermost trusted proxy wrote. 0: trust REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Two-factor login (django-otp). The issuer names the account in the phone's app; a
# wrong code doubles the wait before the next try (1, 2, 4… seconds) on top of the
# lockout above, which counts wrong codes as failed logins.
OTP_TOTP_ISSUER = "Parcours"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# A key or a recovery code shown again is a second factor handed over: after enrolment
# the Django admin shows neither (no key field, no QR code page, no recovery codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

AUDITLOG_LOGENTRY_MODEL = "audit.AuditEvent"
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Months an audit or security row without a centre (a failed login, say) is kept before
# `apply_retention` purges it; rows of a centre follow `Centre.audit_retention_months`.
# The CNIL's recommendation for logs: 6 months to a year.
AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 12, low=6, high=12)

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "parcours" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, low=1, high=65535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Parcours <parcours@localhost>")

# Work a user triggers that talks to the outside (e-mails) is queued in the database and
# done by `manage.py db_worker` (django-tasks-db), never inside the request: SQLite and
# PostgreSQL both carry the queue, and nothing else needs to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Content-Security-Policy: scripts and styles only from this server (no CDN, no inline
# code without the per-request nonce).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Encryption at rest of the confidential section (parcours.people.crypto): Fernet keys,
# comma-separated, newest first; new text is encrypted with the first, read with any.
# Rotation: put the new key first, run `manage.py rotate_confidential_key`, then drop
# the old one. Outside DEBUG an empty value fails `check --deploy` (parcours.people.checks)
# and every read or write of the section raises ConfidentialDataLocked.
CONFIDENTIAL_KEYS = env_list("CONFIDENTIAL_KEYS")
if not CONFIDENTIAL_KEYS and DEBUG:
    # Dev only (`make run`): a fixed key derived from SECRET_KEY, never used outside DEBUG.
    CONFIDENTIAL_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"parcours-confidential-dev:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
