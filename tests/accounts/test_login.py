import time

import pytest
from django.core import mail
from django.urls import reverse

from parcours.accounts.middleware import LOGIN_TIME_KEY
from parcours.audit.enums import SecurityEventKind
from parcours.audit.models import SecurityEvent

from ..factories import PASSWORD

LOGIN = reverse("accounts:login")


def login(client, email, password, **headers):
    return client.post(LOGIN, {"username": email, "password": password}, headers=headers)


def test_it_logs_in_by_email_whatever_its_case(client, users):
    # A facilitator without a second factor: the password is the whole login.
    response = login(client, users["facilitator"].email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_it_says_in_french_when_the_password_is_wrong(client, users):
    response = login(client, users["coordinator"].email, "pas le bon mot de passe")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


def test_an_address_too_long_is_refused_before_any_attempt_is_recorded(client, db):
    # Found by the form fuzzing on PostgreSQL: 300 characters used to reach the
    # lockout's records (255) and fail there with a server error.
    response = login(client, "a" * 290 + "@example.org", "pas le bon mot de passe")
    assert response.status_code == 200
    assert "254 caractères" in response.content.decode()


def test_it_locks_the_account_after_five_failures(client, users):
    email = users["coordinator"].email
    for _ in range(5):
        login(client, email, "mauvais-mot-de-passe")
    response = login(client, email, PASSWORD)
    assert response.status_code == 429
    assert "ce compte est verrouillé pendant 30 minutes" in response.content.decode()
    assert client.get(reverse("dashboard:home")).status_code == 302
    kinds = list(SecurityEvent.objects.values_list("kind", flat=True))
    assert kinds.count(SecurityEventKind.LOGIN_FAILED) >= 4
    assert SecurityEventKind.LOCKED_OUT in kinds


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock(client, users):
    email = users["coordinator"].email
    for n in range(5):
        login(client, email, "mauvais-mot-de-passe", X_FORWARDED_FOR=f"203.0.113.{n}")
    response = login(client, email, PASSWORD, X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_failures_on_one_account_do_not_lock_another(client, users):
    for _ in range(6):
        login(
            client, users["coordinator"].email, "mauvais-mot-de-passe", X_FORWARDED_FOR="10.0.0.1"
        )
    response = login(client, users["director"].email, PASSWORD, X_FORWARDED_FOR="10.0.0.1")
    assert response.status_code == 302


def test_the_session_expires_after_thirty_idle_minutes(client_for):
    client = client_for("coordinator")
    client.get(reverse("dashboard:home"))
    assert client.session.get_expiry_age() == 30 * 60


def test_the_session_ends_twelve_hours_after_login(client_for):
    client = client_for("coordinator")
    session = client.session
    session[LOGIN_TIME_KEY] = int(time.time()) - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_a_session_within_twelve_hours_goes_on(client_for):
    client = client_for("coordinator")
    session = client.session
    session[LOGIN_TIME_KEY] = int(time.time()) - 11 * 3600
    session.save()
    assert client.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.parametrize(
    "password,message",
    [
        ("Court-1a", "au minimum 12 caractères"),
        ("password1234", "trop courant"),
    ],
)
def test_weak_passwords_are_refused(client_for, users, password, message):
    client = client_for("coordinator")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    users["coordinator"].refresh_from_db()
    assert users["coordinator"].check_password(PASSWORD)


def test_password_reset_sends_a_french_email_with_a_working_link(client, users):
    response = client.post(reverse("accounts:password_reset"), {"email": users["director"].email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "choisir un nouveau mot de passe" in body
    link = next(line for line in body.splitlines() if "/mot-de-passe/nouveau/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Nouveau mot de passe" in form_page.content.decode()
    new = "Une-phrase-de-passe-neuve-2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    users["director"].refresh_from_db()
    assert users["director"].check_password(new)


def test_the_profile_form_ignores_fields_it_does_not_offer(client_for, users, other_centre):
    user = users["facilitator"]
    response = client_for("facilitator").post(
        reverse("accounts:profile"),
        {
            "first_name": "Nouveau",
            "last_name": "Nom",
            "email": "pirate@exemple.test",
            "is_active": "",
            "is_staff": "on",
            "is_superuser": "on",
            "role": "admin",
            "centre": other_centre.pk,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Nouveau", "Nom")
    assert user.email != "pirate@exemple.test"
    assert user.is_active and not user.is_staff and not user.is_superuser
    assert [(m.centre.slug, m.role) for m in user.memberships.all()] == [
        ("le-lierre", "facilitator")
    ]
