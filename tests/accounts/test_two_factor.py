"""The login with a second factor, as a user goes through it: password, then the code
step or the forced enrolment; recovery codes; lockout; resets."""

import re
from base64 import b32decode

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.audit.enums import SecurityEventKind
from parcours.audit.models import SecurityEvent
from parcours.centres.enums import Role
from parcours.centres.models import Membership

from ..factories import PASSWORD, UserFactory, device_code, member, totp_device

LOGIN = reverse("accounts:login")
STEP = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")
HOME = reverse("dashboard:home")


def password_login(client, user, password=PASSWORD):
    return client.post(LOGIN, {"username": user.email, "password": password})


def give_code(client, code, next_url="/"):
    return client.post(STEP, {"code": code, "next": next_url})


def events(kind):
    return SecurityEvent.objects.filter(kind=kind).count()


@pytest.fixture
def no_throttle(settings):
    """django-otp doubles the wait after each wrong code (1, 2, 4 s…); lockout tests
    type faster than that, as a script would, and must hit the lockout itself."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


# Who must use it.


@pytest.mark.parametrize(
    "role,expected",
    [
        (Role.COORDINATOR, SETUP),
        (Role.DIRECTOR, SETUP),
        (Role.ADMIN, SETUP),
        (Role.FACILITATOR, HOME),
        (Role.PARTNER_WORKER, HOME),
    ],
)
def test_it_is_forced_on_coordinators_directors_and_admins_only(client, centre, role, expected):
    response = password_login(client, member(centre, role))
    assert response.status_code == 302
    assert response.url.split("?")[0] == expected


def test_it_is_forced_on_installation_operators(client, db):
    operator = UserFactory(is_staff=True, is_superuser=True)
    assert password_login(client, operator).url.startswith(SETUP)
    assert client.get(reverse("admin:index")).url.startswith(SETUP)


def test_a_role_in_any_centre_counts(client, centre, other_centre):
    user = member(centre, Role.FACILITATOR)
    Membership.objects.create(user=user, centre=other_centre, role=Role.DIRECTOR)
    assert password_login(client, user).url.startswith(SETUP)


def test_a_promotion_applies_at_the_next_page(client, centre):
    user = member(centre, Role.FACILITATOR)
    password_login(client, user)
    assert client.get(HOME).status_code == 200
    Membership.objects.filter(user=user).update(role=Role.COORDINATOR)
    assert client.get(HOME).url.startswith(SETUP)


# Forced enrolment.


@pytest.mark.parametrize(
    "name,args",
    [
        ("dashboard:home", None),
        ("people:list", None),
        ("people:export", None),
        ("accounts:profile", None),
        ("accounts:password_change", None),
        ("accounts:reauth", None),
        ("accounts:recovery_codes", None),
        ("accounts:otp_verify", None),
        ("centres:team", None),
        ("audit:trail", None),
    ],
)
def test_a_coordinator_without_a_device_reaches_nothing_but_the_enrolment(
    client, users, name, args
):
    password_login(client, users["coordinator"])
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(SETUP), name


def test_a_coordinator_without_a_device_may_still_log_out(client, users):
    password_login(client, users["coordinator"])
    assert client.get(SETUP).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.url == LOGIN
    assert client.get(HOME).url.startswith(LOGIN)


def test_a_post_elsewhere_is_refused_before_the_enrolment(client, users, centre):
    password_login(client, users["coordinator"])
    response = client.post(reverse("centres:edit"), {"name": "Pirate"})
    assert response.url.startswith(SETUP)
    centre.refresh_from_db()
    assert centre.name != "Pirate"


def enrolment_key(page):
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    return b32decode(secret.replace(" ", ""))


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_recovery_codes(client, users):
    user = users["coordinator"]
    response = password_login(client, user)
    page = client.get(response.url).content.decode()
    assert "<svg" in page and 'aria-label="QR code' in page
    assert "<script" not in page.split("<main", 1)[1]
    key = enrolment_key(page)
    # The QR code and the key are the same secret, and reloading keeps it.
    assert enrolment_key(client.get(SETUP).content.decode()) == key

    code = f"{TOTP(key).token():06d}"
    done = client.post(SETUP, {"code": code, "next": "/personnes/"})
    assert done.status_code == 200
    text = done.content.decode()
    assert "Codes de secours" in text and "Ils ne seront plus affichés" in text
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", text)
    assert len(codes) == 10 == StaticToken.objects.filter(device__user=user).count()
    assert 'href="/personnes/"' in text
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.bin_key == key
    assert client.get(HOME).status_code == 200


def test_a_wrong_first_code_is_refused_in_french(client, users):
    password_login(client, users["coordinator"])
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(HOME).url.startswith(SETUP)


def test_the_enrolment_cannot_replace_a_device_without_its_code(client, users):
    """Someone who has the password only must not swap in their own phone."""
    user = users["coordinator"]
    totp_device(user)
    password_login(client, user)
    assert client.get(SETUP).url.startswith(STEP)
    assert TOTPDevice.objects.filter(user=user).count() == 1


# The code step.


def test_with_a_device_the_password_leads_to_the_code_step(client, users):
    user = users["director"]
    device = totp_device(user)
    response = password_login(client, user)
    assert response.url == f"{STEP}?next=%2F"
    assert client.get(HOME).url.startswith(STEP)
    page = client.get(STEP).content.decode()
    assert "Code à 6 chiffres" in page
    response = give_code(client, device_code(device))
    assert response.url == HOME
    assert client.get(HOME).status_code == 200


def test_the_code_step_keeps_where_the_user_was_going(client, users):
    device = totp_device(users["coordinator"])
    login = client.post(
        LOGIN + "?next=/personnes/",
        {"username": users["coordinator"].email, "password": PASSWORD, "next": "/personnes/"},
    )
    assert login.url == f"{STEP}?next=%2Fpersonnes%2F"
    assert give_code(client, device_code(device), "/personnes/").url == "/personnes/"


def test_the_code_step_refuses_to_send_elsewhere(client, users):
    device = totp_device(users["coordinator"])
    password_login(client, users["coordinator"])
    assert give_code(client, device_code(device), "https://evil.example/").url == HOME


def test_it_renews_the_session_id_when_the_code_is_given(client, users):
    user = users["director"]
    device = totp_device(user)
    password_login(client, user)
    before = client.session.session_key
    give_code(client, device_code(device))
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get(HOME).status_code == 200


def test_it_renews_the_session_id_at_the_enrolment(client, users):
    password_login(client, users["coordinator"])
    key = enrolment_key(client.get(SETUP).content.decode())
    before = client.session.session_key
    client.post(SETUP, {"code": f"{TOTP(key).token():06d}"})
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_refused_in_french_and_recorded(client, users):
    user = users["coordinator"]
    totp_device(user)
    password_login(client, user)
    response = give_code(client, "123456")
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert client.get(HOME).url.startswith(STEP)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.OTP_FAILED)
    assert event.user == user and event.username == user.email


def test_a_second_wrong_code_at_once_is_throttled(client, users):
    totp_device(users["coordinator"])
    password_login(client, users["coordinator"])
    give_code(client, "123456")
    response = give_code(client, "654321")
    assert "attendez" in response.content.decode()


def test_a_code_cannot_be_used_twice(client, users):
    user = users["coordinator"]
    device = totp_device(user)
    code = device_code(device)
    password_login(client, user)
    give_code(client, code)
    client.post(reverse("accounts:logout"))
    password_login(client, user)
    assert give_code(client, code).status_code == 200
    assert client.get(HOME).url.startswith(STEP)


def test_a_recovery_code_works_once(client, users, no_throttle):
    user = users["coordinator"]
    totp_device(user)
    client.force_login(user)
    from parcours.accounts.services import recovery_codes_issue

    codes = recovery_codes_issue(user=user)
    client.logout()
    password_login(client, user)
    # Typed in capitals with a space: still the code.
    spaced = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    assert give_code(client, spaced).url == HOME
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("accounts:logout"))
    password_login(client, user)
    assert "Code incorrect" in give_code(client, codes[0]).content.decode()
    assert give_code(client, codes[1]).url == HOME


# Lockout: wrong passwords and wrong codes count together.


def test_wrong_codes_count_towards_the_lockout(client, users, no_throttle):
    user = users["coordinator"]
    totp_device(user)
    for _ in range(2):
        password_login(client, user, "mauvais-mot-de-passe")
    password_login(client, user)
    give_code(client, "111111")
    give_code(client, "222222")
    response = give_code(client, "333333")
    assert response.status_code == 429
    assert "ce compte est verrouillé pendant 30 minutes" in response.content.decode()
    # The half-open session is closed, and the password no longer opens one.
    assert client.get(HOME).url.startswith(LOGIN)
    assert password_login(client, user).status_code == 429
    assert events(SecurityEventKind.OTP_FAILED) == 3
    assert events(SecurityEventKind.LOCKED_OUT) >= 1


def test_logging_in_again_does_not_wipe_the_wrong_codes(client, users, no_throttle):
    user = users["coordinator"]
    totp_device(user)
    for _ in range(4):
        password_login(client, user)
        give_code(client, "999999")
        client.post(reverse("accounts:logout"))
    password_login(client, user)
    assert give_code(client, "999999").status_code == 429


def test_a_complete_login_clears_the_failures(client, users, no_throttle):
    user = users["coordinator"]
    device = totp_device(user)
    for _ in range(4):
        password_login(client, user, "mauvais-mot-de-passe")
    password_login(client, user)
    assert give_code(client, device_code(device)).url == HOME
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        password_login(client, user, "mauvais-mot-de-passe")
    assert password_login(client, user).status_code == 302


# Optional for facilitators and partner workers.


def test_a_facilitator_may_enable_it_and_is_then_asked_for_the_code(client, users):
    user = users["facilitator"]
    password_login(client, user)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Non activée" in profile
    key = enrolment_key(client.get(SETUP).content.decode())
    client.post(SETUP, {"code": f"{TOTP(key).token():06d}"})
    assert client.get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))
    assert password_login(client, user).url.startswith(STEP)


def test_a_facilitator_may_disable_it(client_for, users):
    user = users["facilitator"]
    totp_device(user)
    client = client_for("facilitator")
    response = client.post(reverse("accounts:otp_reset"))
    assert response.url == reverse("accounts:profile")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(HOME).status_code == 200


# Profile: recovery codes and own reset.


def test_the_profile_shows_the_codes_left_and_renews_them(client_for, users):
    user = users["coordinator"]
    client = client_for("coordinator")
    from parcours.accounts.services import recovery_code_hash, recovery_codes_issue

    old = recovery_codes_issue(user=user)
    assert "Codes de secours restants : <strong>10</strong>" in (
        client.get(reverse("accounts:profile")).content.decode()
    )
    shown = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert "Il vous reste <strong>10</strong> codes de secours" in shown
    renewed = client.post(reverse("accounts:recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", renewed)
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10 and not set(codes) & set(old)
    assert stored == {recovery_code_hash(code) for code in codes}


def test_it_stores_recovery_codes_hashed_and_never_shows_them_again(client_for, users):
    user = users["coordinator"]
    client = client_for("coordinator")
    from parcours.accounts.services import recovery_codes_issue

    codes = recovery_codes_issue(user=user)
    stored = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10
    assert not set(codes) & set(stored)
    assert not [code for code in codes if any(code in token for token in stored)]
    shown = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert not [code for code in codes if code in shown]


def test_a_coordinator_who_resets_their_device_enrols_a_new_one_at_once(client_for, users):
    user = users["coordinator"]
    client = client_for("coordinator")
    response = client.post(reverse("accounts:otp_reset"))
    assert response.url == SETUP
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get(HOME).url.startswith(SETUP)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.OTP_RESET)
    assert event.user == user


# An admin resets a team member's device.


def test_an_admin_resets_a_members_device(client_for, client, users, centre):
    from django.test import Client

    target = users["coordinator"]
    theirs = Client()
    from ..factories import verified_login

    verified_login(theirs, target)
    assert theirs.get(HOME).status_code == 200
    membership = Membership.objects.get(user=target, centre=centre)

    admin = client_for("admin")
    team = admin.get(reverse("centres:team")).content.decode()
    assert "Réinitialiser la double authentification" in team
    response = admin.post(reverse("centres:member_otp_reset", args=[membership.pk]))
    assert response.url == reverse("centres:team")
    assert not TOTPDevice.objects.filter(user=target).exists()
    # Their open session ends: next page is the login, then the enrolment.
    assert theirs.get(HOME).url.split("?")[0] == reverse("accounts:login")
    event = SecurityEvent.objects.get(kind=SecurityEventKind.OTP_RESET)
    assert (event.user, event.username, event.centre) == (target, users["admin"].email, centre)
    page = admin.get(reverse("audit:security")).content.decode()
    assert "Double authentification réinitialisée" in page
    assert f"(par {users['admin'].email})" in page


def test_only_the_admin_resets_a_members_device(client_for, users, centre):
    membership = Membership.objects.get(user=users["director"], centre=centre)
    totp_device(users["director"])
    for actor in ["coordinator", "director", "facilitator"]:
        response = client_for(actor).post(reverse("centres:member_otp_reset", args=[membership.pk]))
        assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=users["director"]).exists()


def test_an_admin_cannot_reset_someone_of_another_centre(client_for, users, other_centre):
    membership = Membership.objects.get(user=users["outsider"], centre=other_centre)
    totp_device(users["outsider"])
    response = client_for("admin").post(reverse("centres:member_otp_reset", args=[membership.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=users["outsider"]).exists()


def test_public_pages_stay_public_before_the_code(client, users):
    password_login(client, users["coordinator"])
    assert client.get(reverse("accounts:password_reset")).status_code == 200


def test_the_security_page_shows_wrong_codes(client, client_for, users):
    totp_device(users["coordinator"])
    password_login(client, users["coordinator"])
    give_code(client, "123456")
    page = client_for("admin").get(reverse("audit:security")).content.decode()
    assert "Code de double authentification erroné" in page
    assert str(users["coordinator"]) in page
