import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-key-of-fifty-characters-or-more-0123456789-xyz",
    "ALLOWED_HOSTS": "parcours.example.org",
    "DATABASE_URL": "sqlite:////tmp/parcours-check-deploy.sqlite3",
    "SECURE_HSTS_PRELOAD": "1",
    "CONFIDENTIAL_KEYS": "HGrLTef6tssOMHH9UOpQAMwHyc165sV59MhKr7OwsP0=",
}


def _environment():
    inherited = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in inherited}


def manage(*args, **env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**_environment(), "DJANGO_SETTINGS_MODULE": "parcours.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_warns_on_check_deploy_exactly_as_the_readme_says():
    """Production variables without the HSTS preload, which the README leaves to whoever
    owns the whole domain: `check --deploy` reports the warnings the README names."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECURE_HSTS_PRELOAD"}
    result = manage("check", "--deploy", **env)
    reported = set(re.findall(r"\(([a-z_]+\.[WE]\d{3})\)", result.stdout + result.stderr))
    readme = (ROOT / "README.md").read_text()
    said = re.search(r"Hors `DEBUG`, `python manage.py check --deploy`.*?\n\n", readme, re.S)
    assert reported == set(re.findall(r"`([a-z_]+\.[WE]\d{3})`", said.group(0)))


def test_it_refuses_to_serve_without_a_secret_key_outside_debug():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    check = manage("check", "--deploy", **env)
    assert check.returncode != 0
    assert "SECRET_KEY doit être défini" in check.stderr
    wsgi = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import parcours.wsgi"],
        cwd=ROOT,
        env={**_environment(), "DJANGO_SETTINGS_MODULE": "parcours.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wsgi.returncode != 0
    assert "SECRET_KEY doit être défini" in wsgi.stderr


def test_migrations_can_be_checked_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("makemigrations", "--check", "--dry-run", **env)
    assert result.returncode == 0, result.stderr


def test_it_hashes_passwords_with_argon2():
    from parcours import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_sends_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_a_script_without_nonce():
    offenders = []
    for template in (ROOT / "parcours").rglob("templates/**/*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            if "src=" not in tag and "nonce=" not in tag:
                offenders.append(f"{template}: {tag}")
    assert offenders == []


def test_pages_of_logged_in_users_are_never_stored(client_for):
    response = client_for("coordinator").get(reverse("centres:detail"))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_production_sends_hsts_for_a_year_with_subdomains():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT)",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    # The last line: the shell may first announce what it imported.
    assert result.stdout.splitlines()[-1].split() == [str(365 * 24 * 3600), "True", "True"]


def test_a_number_out_of_its_range_stops_parcours_with_a_clear_message():
    for value in ("24", "douze"):
        result = manage("check", AUDIT_RETENTION_MONTHS=value)
        assert result.returncode != 0
        assert (
            f"La variable d'environnement AUDIT_RETENTION_MONTHS vaut « {value} » : un nombre "
            "entier de 6 à 12 est attendu." in result.stderr
        )
    assert manage("check", AUDIT_RETENTION_MONTHS="6").returncode == 0
