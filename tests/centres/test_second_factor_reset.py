"""A centre's admin resets the second factor only of accounts that are theirs alone
(issue 15)."""

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.accounts.services import recovery_codes_issue
from parcours.audit.enums import SecurityEventKind
from parcours.audit.models import SecurityEvent
from parcours.centres.enums import Role
from parcours.centres.models import Membership

from ..factories import totp_device, verified_login


def _logged_out(client, response):
    """Sent to the login page itself, not on to the second factor's enrolment (a session
    that outlives its factor is sent there)."""
    return response.url.split("?")[0] == reverse("accounts:login") and (
        "_auth_user_id" not in client.session
    )


def test_it_refuses_to_reset_the_second_factor_of_an_account_of_another_centre(
    client_for, users, centre, other_centre
):
    """The end of issue 15's attack: the account also works elsewhere."""
    shared = users["outsider"]
    totp_device(shared)
    recovery_codes_issue(user=shared)
    membership = Membership.objects.create(user=shared, centre=centre, role=Role.FACILITATOR)
    response = client_for("admin").post(
        reverse("centres:member_otp_reset", args=[membership.pk]), follow=True
    )
    assert "seul un opérateur de l&#x27;installation" in response.content.decode()
    assert TOTPDevice.objects.filter(user=shared).exists()
    assert StaticDevice.objects.filter(user=shared).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_RESET).exists()


def test_it_resets_an_account_of_this_centre_only_and_ends_its_sessions(client_for, users, centre):
    victim = users["coordinator"]
    session = verified_login(Client(), victim)
    assert session.get(reverse("dashboard:home")).status_code == 200
    membership = Membership.objects.get(user=victim, centre=centre)
    response = client_for("admin").post(reverse("centres:member_otp_reset", args=[membership.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=victim).exists()
    after = session.get(reverse("dashboard:home"))
    assert after.status_code == 302
    assert _logged_out(session, after)


def test_it_shows_a_reset_in_every_centre_of_the_account(client, users, centre, other_centre):
    """The account holder resets their own factor (a new phone): both of their centres
    see it, and the session that did it stays open."""
    shared = users["outsider"]
    Membership.objects.create(user=shared, centre=centre, role=Role.FACILITATOR)
    verified_login(client, shared)
    response = client.post(reverse("accounts:otp_reset"))
    assert response.status_code == 302
    assert set(
        SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_RESET, user=shared).values_list(
            "centre", flat=True
        )
    ) == {centre.pk, other_centre.pk}
    assert client.get(reverse("accounts:otp_setup")).status_code == 200


def test_it_ends_the_other_sessions_of_an_account_resetting_its_own_factor(client, users):
    user = users["coordinator"]
    elsewhere = verified_login(Client(), user)
    verified_login(client, user)
    client.post(reverse("accounts:otp_reset"))
    assert _logged_out(elsewhere, elsewhere.get(reverse("dashboard:home")))
