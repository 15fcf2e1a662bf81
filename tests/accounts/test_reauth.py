"""Re-authentication (parcours.accounts.reauth.recent_auth_required) before exporting
people's files and before changing who has which role."""

import time

import pytest
from django.urls import reverse

from parcours.accounts.reauth import VERIFIED_AT_KEY
from parcours.audit.enums import SecurityEventKind
from parcours.audit.models import SecurityEvent
from parcours.centres.enums import Role
from parcours.centres.models import Invitation, Membership
from parcours.consent.enums import Purpose
from parcours.consent.services import consent_record

from ..factories import PASSWORD, device_code, totp_device
from ..pathways.access import objects as pathways_objects
from ..workshops.access import objects as workshops_objects

REAUTH = reverse("accounts:reauth")


def go_stale(client, minutes=11):
    session = client.session
    session[VERIFIED_AT_KEY] = int(time.time()) - minutes * 60
    session.save()


@pytest.fixture
def objects(centre, users, programme):
    objects = {
        "programme": programme,
        **pathways_objects(centre, users),
        **workshops_objects(centre, users),
    }
    # The bilan prints only with the person's consent: the re-authentication is what
    # is tested here, not the consent.
    consent_record(
        person=objects["pathway"].person,
        purpose=Purpose.RSA_BILAN,
        on=objects["pathway"].started_on,
        by=users["coordinator"],
    )
    return objects


# Every export that holds people's files, and only those.
EXPORTS = [
    ("people:export", lambda o: None),
    ("reports:fse_export", lambda o: [o["programme"].pk]),
    ("pathways:pathway_report", lambda o: [o["pathway"].pk]),
    ("workshops:session_record", lambda o: [o["session"].pk]),
    ("privacy:export_pdf", lambda o: [o["pathway"].person_id]),
    ("privacy:export_json", lambda o: [o["pathway"].person_id]),
]


@pytest.mark.parametrize("name,args", EXPORTS)
def test_an_export_of_files_asks_for_the_code_after_ten_minutes(
    client_for, users, objects, name, args
):
    client = client_for("coordinator")
    url = reverse(name, args=args(objects))
    go_stale(client)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{REAUTH}?next={url.replace('/', '%2F')}"
    page = client.get(response.url).content.decode()
    assert "Confirmer votre identité" in page and "code à 6 chiffres" in page

    device = totp_device(users["coordinator"])
    back = client.post(REAUTH, {"code": device_code(device, offset=1), "next": url})
    assert back.url == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name,args", EXPORTS)
def test_an_export_within_ten_minutes_goes_straight_through(client_for, objects, name, args):
    client = client_for("coordinator")
    go_stale(client, minutes=9)
    assert client.get(reverse(name, args=args(objects))).status_code == 200


def test_the_report_of_figures_alone_needs_no_reauthentication(client_for, programme):
    client = client_for("director")
    go_stale(client)
    response = client.get(reverse("reports:export", args=[programme.pk]), {"format": "json"})
    assert response.status_code == 200


def test_someone_refused_is_refused_before_any_code_is_asked(client_for, objects):
    client = client_for("director")
    go_stale(client)
    assert client.get(reverse("people:export")).status_code == 403
    url = reverse("workshops:session_record", args=[objects["session"].pk])
    assert client.get(url).status_code == 403


def test_without_a_second_factor_the_password_is_asked(client_for, users, objects):
    client = client_for("facilitator")
    url = reverse("workshops:session_record", args=[objects["session"].pk])
    go_stale(client)
    form = client.get(client.get(url).url).content.decode()
    assert 'type="password"' in form
    wrong = client.post(REAUTH, {"password": "pas-le-bon", "next": url})
    assert "Mot de passe incorrect." in wrong.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).count() == 1
    assert client.post(REAUTH, {"password": PASSWORD, "next": url}).url == url
    assert client.get(url).status_code == 200


def test_a_wrong_code_is_recorded_and_counts_towards_the_lockout(client_for, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = client_for("coordinator")
    go_stale(client)
    for n in range(4):
        response = client.post(REAUTH, {"code": f"00000{n}", "next": "/"})
        assert "Code incorrect" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_FAILED).count() == 4
    assert client.post(REAUTH, {"code": "000009", "next": "/"}).status_code == 429
    assert client.get(reverse("dashboard:home")).url.startswith(reverse("accounts:login"))


def test_the_reauthentication_never_sends_to_another_site(client_for, users):
    client = client_for("coordinator")
    device = totp_device(users["coordinator"])
    response = client.post(
        REAUTH, {"code": device_code(device, offset=1), "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard:home")


# Changing roles.


@pytest.fixture
def facilitator_membership(users, centre):
    return Membership.objects.get(user=users["facilitator"], centre=centre)


@pytest.mark.parametrize("name", ["centres:member_add", "centres:member_edit"])
def test_the_team_forms_ask_for_the_code_first(client_for, facilitator_membership, name):
    client = client_for("admin")
    args = [facilitator_membership.pk] if name == "centres:member_edit" else None
    url = reverse(name, args=args)
    go_stale(client)
    assert client.get(url).url.startswith(REAUTH)


@pytest.mark.parametrize(
    "name,data",
    [
        ("centres:member_edit", {"role": Role.COORDINATOR}),
        ("centres:member_disable", {}),
        ("centres:member_otp_reset", {}),
        ("centres:member_add", None),
    ],
)
def test_a_stale_role_change_changes_nothing_and_goes_back_after_the_code(
    client_for, users, centre, facilitator_membership, name, data
):
    client = client_for("admin")
    totp_device(users["facilitator"])
    team = reverse("centres:team")
    go_stale(client)
    if data is None:
        data = {"email": "nouvelle@exemple.test", "role": Role.ADMIN}
        url = reverse(name)
    else:
        url = reverse(name, args=[facilitator_membership.pk])
    response = client.post(url, data, headers={"referer": f"http://testserver{team}"}, follow=True)
    assert response.redirect_chain[0][0].startswith(REAUTH)
    assert "confirmez votre identité avant cette action" in response.content.decode()
    facilitator_membership.refresh_from_db()
    assert facilitator_membership.role == Role.FACILITATOR
    assert users["facilitator"].__class__.objects.get(pk=users["facilitator"].pk).is_active
    assert not Invitation.objects.filter(email="nouvelle@exemple.test").exists()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.filter(user=users["facilitator"]).exists()

    device = totp_device(users["admin"])
    back = client.post(
        REAUTH, {"code": device_code(device, offset=1), "next": f"http://testserver{team}"}
    )
    assert back.url == f"http://testserver{team}"
    assert client.post(url, data).status_code == 302
    facilitator_membership.refresh_from_db()
    changed = {
        "centres:member_edit": lambda: facilitator_membership.role == Role.COORDINATOR,
        "centres:member_disable": lambda: (
            not facilitator_membership.user.__class__.objects.get(
                pk=facilitator_membership.user_id
            ).is_active
        ),
        "centres:member_otp_reset": lambda: (
            not TOTPDevice.objects.filter(user=users["facilitator"]).exists()
        ),
        "centres:member_add": lambda: Invitation.objects.filter(
            email="nouvelle@exemple.test", role=Role.ADMIN
        ).exists(),
    }
    assert changed[name]()


@pytest.mark.parametrize(
    "name,args",
    [
        ("admin:accounts_user_change", "user"),
        ("admin:accounts_user_add", None),
        ("admin:auth_user_password_change", "user"),
        ("admin:accounts_user_changelist", None),
        ("admin:centres_membership_change", "membership"),
        ("admin:centres_membership_add", None),
        ("admin:centres_membership_delete", "membership"),
    ],
)
def test_the_django_admin_asks_the_operator_for_the_code_before_roles_and_accounts(
    client, facilitator_membership, name, args
):
    from ..factories import UserFactory, verified_login

    operator = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, operator)
    pk = {"user": facilitator_membership.user_id, "membership": facilitator_membership.pk}
    url = reverse(name, args=[pk[args]] if args else None)
    assert client.get(url).status_code == 200
    go_stale(client)
    assert client.get(url).url.startswith(REAUTH)
    assert client.post(url, {"role": Role.ADMIN}).url.startswith(REAUTH)
    facilitator_membership.refresh_from_db()
    assert facilitator_membership.role == Role.FACILITATOR
