"""`manage.py demo_code`: the demo accounts' codes, for a newcomer without a phone set up."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.centres.demo import DEMO_PASSWORD, demo_totp_key

from ..factories import UserFactory


def demo_code(email):
    out = io.StringIO()
    call_command("demo_code", email, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True)


def test_load_demo_gives_the_accounts_that_need_it_a_fixed_device(demo):
    devices = TOTPDevice.objects.filter(confirmed=True)
    assert sorted(devices.values_list("user__email", flat=True)) == [
        "admin@le-lierre.example",
        "coordination@le-lierre.example",
        "direction@le-lierre.example",
    ]
    for device in devices:
        assert device.key == demo_totp_key(device.user.email)


def test_the_printed_code_completes_the_demo_login(client, demo):
    email = "coordination@le-lierre.example"
    login = client.post(reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD})
    assert login.url.startswith(reverse("accounts:otp_verify"))
    code = demo_code(email)
    assert len(code) == 6 and code.isdigit()
    response = client.post(reverse("accounts:otp_verify"), {"code": code, "next": "/"})
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_it_refuses_an_account_outside_the_demo(demo):
    UserFactory(email="vraie.personne@exemple.test")
    with pytest.raises(CommandError, match="n'est pas un compte de démonstration"):
        demo_code("vraie.personne@exemple.test")


def test_it_refuses_a_demo_account_enrolled_with_a_real_phone(demo):
    TOTPDevice.objects.filter(user__email="direction@le-lierre.example").update(key="00" * 20)
    with pytest.raises(CommandError, match="pas de double authentification de démonstration"):
        demo_code("direction@le-lierre.example")


def test_it_says_the_password_is_enough_for_the_facilitator(demo):
    with pytest.raises(CommandError, match="le mot de\\s+passe suffit"):
        demo_code("animation@le-lierre.example")
