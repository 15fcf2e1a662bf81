"""The Django admin's pages of second factors (django-otp's devices): behind a recent
code, and never showing a key, a QR code or a recovery code of an enrolled device."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from parcours.accounts.services import recovery_codes_issue

from ..factories import UserFactory, totp_device, verified_login
from .test_reauth import REAUTH, go_stale


@pytest.fixture
def operator_client(client, db):
    verified_login(client, UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def victim(db):
    user = UserFactory()
    totp_device(user)
    recovery_codes_issue(user=user)
    return user


def _url(name, victim):
    devices = {
        "totpdevice": victim.totpdevice_set.get().pk,
        "staticdevice": StaticDevice.objects.get(user=victim).pk,
    }
    model, view = name.split("_", 1)
    return reverse(
        f"admin:otp_{model[:-6]}_{name}",
        args=[devices[model]] if view in ("change", "delete") else None,
    )


@pytest.mark.parametrize(
    "name",
    [
        f"{model}_{view}"
        for model in ("totpdevice", "staticdevice")
        for view in ("change", "add", "changelist", "delete")
    ],
)
def test_it_asks_for_a_recent_code_before_a_page_of_second_factors(operator_client, victim, name):
    url = _url(name, victim)
    assert operator_client.get(url).status_code == 200
    go_stale(operator_client)
    assert operator_client.get(url).url.startswith(REAUTH)


def test_it_refuses_a_new_recovery_code_without_a_recent_code(operator_client, victim):
    device = StaticDevice.objects.get(user=victim)
    go_stale(operator_client)
    response = operator_client.post(
        _url("staticdevice_change", victim),
        {
            "user": victim.pk,
            "name": device.name,
            "confirmed": "on",
            "token_set-TOTAL_FORMS": "1",
            "token_set-INITIAL_FORMS": "0",
            "token_set-0-token": "mine12345",
        },
    )
    assert response.url.startswith(REAUTH)
    assert not StaticToken.objects.filter(token="mine12345").exists()


def test_it_never_shows_the_key_of_an_enrolled_app(operator_client, victim):
    device = victim.totpdevice_set.get()
    for name in ("totpdevice_change", "totpdevice_delete", "totpdevice_changelist"):
        page = operator_client.get(_url(name, victim)).content.decode()
        assert device.key not in page, name
        assert 'name="key"' not in page, name


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_it_never_shows_the_qr_code_of_an_enrolled_app(operator_client, victim, view):
    device = victim.totpdevice_set.get()
    url = reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])
    assert operator_client.get(url).status_code == 403


def test_it_never_shows_nor_takes_recovery_codes_of_an_enrolled_account(operator_client, victim):
    codes = list(StaticToken.objects.filter(device__user=victim).values_list("token", flat=True))
    url = _url("staticdevice_change", victim)
    for name in ("staticdevice_change", "staticdevice_delete", "staticdevice_changelist"):
        page = operator_client.get(_url(name, victim)).content.decode()
        assert not [code for code in codes if code in page], name
    device = StaticDevice.objects.get(user=victim)
    operator_client.post(
        url,
        {
            "user": victim.pk,
            "name": device.name,
            "confirmed": "on",
            "token_set-TOTAL_FORMS": "1",
            "token_set-INITIAL_FORMS": "0",
            "token_set-0-token": "mine12345",
        },
    )
    assert not StaticToken.objects.filter(token="mine12345").exists()
