"""Adding someone to a team is an invitation they accept (issue 15): an admin never
attaches an existing account, nor learns whether it exists."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.enums import SecurityEventKind
from parcours.audit.models import SecurityEvent
from parcours.centres.enums import InvitationStatus, Role
from parcours.centres.models import Invitation, Membership, invitation_token_hash

from ..factories import PASSWORD, member, totp_device, verified_login

NEW_ADDRESS = "nouvelle.animatrice@exemple.test"
LINK = re.compile(r"https?://testserver(/invitation/[^/\s]+/)")


@pytest.fixture
def invite(client_for, django_capture_on_commit_callbacks):
    """`invite(email, role, actor="admin")` posts the team's form and returns the path of
    the link the e-mail carries."""

    def make(email, role=Role.FACILITATOR, actor="admin"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(actor).post(
                reverse("centres:member_add"), {"email": email, "role": role}
            )
        assert response.status_code == 302, response.content.decode()
        return LINK.search(mail.outbox[-1].body).group(1)

    return make


def test_it_invites_an_existing_account_instead_of_attaching_it(invite, users, other_centre):
    """The attack of issue 15: the admin of one centre names another centre's
    coordinator."""
    invite(users["outsider"].email, Role.FACILITATOR)
    assert not Membership.objects.filter(
        user=users["outsider"], centre=users["admin"].memberships.get().centre
    ).exists()
    invitation = Invitation.objects.get(email=users["outsider"].email)
    assert invitation.status == InvitationStatus.PENDING


def test_it_tells_the_inviter_the_same_whether_the_account_exists_or_not(
    client_for, users, other_centre, django_capture_on_commit_callbacks
):
    pages = []
    for email in [users["outsider"].email, "personne.inconnue@exemple.test"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("admin").post(
                reverse("centres:member_add"),
                {"email": email, "role": Role.FACILITATOR},
                follow=True,
            )
        said = [str(message).replace(email, "ADRESSE") for message in response.context["messages"]]
        pages.append((response.redirect_chain, said))
        assert other_centre.name not in response.content.decode()
    assert pages[0] == pages[1]


def test_it_sends_one_email_naming_the_centre_and_linking_to_the_page(invite, users, centre):
    path = invite(NEW_ADDRESS)
    message = mail.outbox[-1]
    assert message.to == [NEW_ADDRESS]
    assert centre.name in message.subject
    assert centre.name in message.body
    # Nothing about the inviter or the team.
    for name in [users["admin"].first_name, users["admin"].last_name, users["admin"].email]:
        assert name not in message.body
    token = path.split("/")[-2]
    assert Invitation.objects.get(email=NEW_ADDRESS).token_hash == invitation_token_hash(token)


def test_it_stores_no_working_link(invite):
    path = invite(NEW_ADDRESS)
    token = path.split("/")[-2]
    invitation = Invitation.objects.get(email=NEW_ADDRESS)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())


def test_it_sends_the_email_only_once_the_invitation_is_committed(
    client_for, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for("admin").post(
            reverse("centres:member_add"), {"email": NEW_ADDRESS, "role": Role.FACILITATOR}
        )
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_it_lets_a_new_account_choose_its_name_and_password(invite, centre):
    path = invite(NEW_ADDRESS, Role.FACILITATOR)
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Ouvrir mon compte" in page.content.decode()
    response = visitor.post(
        path,
        {
            "first_name": "Inès",
            "last_name": "Garnier",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    user = User.objects.get(email=NEW_ADDRESS)
    assert (user.first_name, user.last_name) == ("Inès", "Garnier")
    assert Membership.objects.get(user=user, centre=centre).role == Role.FACILITATOR
    assert Invitation.objects.get(email=NEW_ADDRESS).status == InvitationStatus.ACCEPTED
    assert user.check_password(PASSWORD)


def test_it_refuses_two_different_passwords_in_french_and_writes_nothing(invite):
    path = invite(NEW_ADDRESS)
    response = Client().post(
        path,
        {"first_name": "Inès", "last_name": "Garnier", "password1": PASSWORD, "password2": "x"},
    )
    assert response.status_code == 200
    assert "Les deux mots de passe ne sont pas identiques." in response.content.decode()
    assert not User.objects.filter(email=NEW_ADDRESS).exists()
    assert Invitation.objects.get(email=NEW_ADDRESS).status == InvitationStatus.PENDING


def test_it_asks_an_existing_account_to_log_in_and_attaches_nothing_before(invite, users, centre):
    path = invite(users["outsider"].email)
    visitor = Client()
    page = visitor.get(path).content.decode()
    assert "Se connecter" in page
    assert "Un compte Parcours existe déjà pour cette adresse" in page
    visitor.post(path, {"first_name": "X", "last_name": "Y", "password1": "a", "password2": "a"})
    assert not Membership.objects.filter(user=users["outsider"], centre=centre).exists()
    assert users["outsider"].check_password(PASSWORD)


def test_it_lets_the_invited_account_accept_once_logged_in_with_its_code(
    invite, users, centre, other_centre
):
    path = invite(users["outsider"].email, Role.FACILITATOR)
    invitee = verified_login(Client(), users["outsider"])
    assert "Accepter l'invitation" in invitee.get(path).content.decode()
    response = invitee.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(user=users["outsider"], centre=centre).role == Role.FACILITATOR
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.INVITATION_ACCEPTED, centre=centre, user=users["outsider"]
    ).exists()
    # The link served once.
    again = invitee.get(path)
    assert again.status_code == 410
    assert "déjà été acceptée" in again.content.decode()


def test_it_asks_for_the_second_factor_before_accepting(invite, users, centre):
    path = invite(users["outsider"].email)
    totp_device(users["outsider"])
    password_only = Client()
    password_only.force_login(users["outsider"])
    response = password_only.post(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp_verify"))
    assert not Membership.objects.filter(user=users["outsider"], centre=centre).exists()


def test_it_asks_a_session_opened_long_ago_to_prove_who_is_there(invite, users, centre):
    from parcours.accounts.reauth import VERIFIED_AT_KEY

    path = invite(users["outsider"].email)
    invitee = verified_login(Client(), users["outsider"])
    session = invitee.session
    session[VERIFIED_AT_KEY] = int(timezone.now().timestamp()) - 3600
    session.save()
    response = invitee.post(path)
    assert response.url.startswith(reverse("accounts:reauth"))
    assert not Membership.objects.filter(user=users["outsider"], centre=centre).exists()


def test_it_refuses_the_link_of_someone_elses_invitation(invite, users, centre):
    path = invite(NEW_ADDRESS)
    intruder = verified_login(Client(), users["outsider"])
    for response in [intruder.get(path), intruder.post(path)]:
        assert response.status_code == 403
        assert "adressée à une autre personne" in response.content.decode()
    assert not Membership.objects.filter(user=users["outsider"], centre=centre).exists()
    assert Invitation.objects.get(email=NEW_ADDRESS).status == InvitationStatus.PENDING


def test_it_keeps_the_link_out_of_the_security_log(invite, users):
    path = invite(NEW_ADDRESS)
    verified_login(Client(), users["outsider"]).get(path)
    refused = SecurityEvent.objects.get(kind=SecurityEventKind.FORBIDDEN)
    assert refused.path == "/invitation/<str:token>/"
    token = path.split("/")[-2]
    assert not SecurityEvent.objects.filter(path__contains=token).exists()


def test_it_says_so_when_the_link_has_expired(invite):
    path = invite(NEW_ADDRESS)
    Invitation.objects.filter(email=NEW_ADDRESS).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = Client().post(
        path,
        {"first_name": "I", "last_name": "G", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 410
    assert "Ce lien d&#x27;invitation a expiré" in response.content.decode()
    assert not User.objects.filter(email=NEW_ADDRESS).exists()


def test_it_says_so_when_the_link_is_unknown(db):
    response = Client().get(reverse("centres:invitation_accept", args=["pas-un-jeton"]))
    assert response.status_code == 404
    assert "Ce lien d&#x27;invitation n&#x27;est pas valable" in response.content.decode()


def test_it_lists_pending_invitations_on_the_team_page(invite, client_for):
    invite(NEW_ADDRESS)
    page = client_for("admin").get(reverse("centres:team")).content.decode()
    assert "Invitations en attente" in page
    assert NEW_ADDRESS in page
    assert "Renvoyer" in page


def test_it_resends_with_a_new_link_that_retires_the_old_one(
    invite, client_for, django_capture_on_commit_callbacks
):
    old = invite(NEW_ADDRESS)
    invitation = Invitation.objects.get(email=NEW_ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            reverse("centres:invitation_resend", args=[invitation.pk])
        )
    assert response.status_code == 302
    new = LINK.search(mail.outbox[-1].body).group(1)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEventKind.INVITATION_SENT, username=NEW_ADDRESS
        ).count()
        == 2
    )


def test_it_revokes_an_invitation_whose_link_then_says_so(invite, client_for, centre, users):
    path = invite(NEW_ADDRESS)
    invitation = Invitation.objects.get(email=NEW_ADDRESS)
    client_for("admin").post(reverse("centres:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert invitation.transitions.get().by == users["admin"]
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.INVITATION_REVOKED, centre=centre, user=users["admin"]
    ).exists()
    response = Client().get(path)
    assert response.status_code == 410
    assert "annulée par le centre" in response.content.decode()
    assert NEW_ADDRESS not in client_for("admin").get(reverse("centres:team")).content.decode()


def test_it_refuses_a_second_invitation_to_the_same_address(invite, client_for):
    invite(NEW_ADDRESS)
    response = client_for("admin").post(
        reverse("centres:member_add"), {"email": NEW_ADDRESS.upper(), "role": Role.ADMIN}
    )
    assert response.status_code == 200
    assert "Une invitation attend déjà la réponse de cette adresse" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_it_does_not_send_an_invitation_revoked_before_the_worker_ran(
    client_for, django_capture_on_commit_callbacks, users
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for("admin").post(
            reverse("centres:member_add"), {"email": NEW_ADDRESS, "role": Role.FACILITATOR}
        )
    invitation = Invitation.objects.get(email=NEW_ADDRESS)
    client_for("admin").post(reverse("centres:invitation_revoke", args=[invitation.pk]))
    callbacks[0]()
    assert mail.outbox == []


def test_it_records_who_sent_an_invitation(invite, users, centre):
    invite(NEW_ADDRESS)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.INVITATION_SENT)
    assert (event.centre, event.user, event.username) == (centre, users["admin"], NEW_ADDRESS)


def test_it_hides_an_invitation_from_another_centres_admin(invite, other_centre):
    invite(NEW_ADDRESS)
    invitation = Invitation.objects.get(email=NEW_ADDRESS)
    client = verified_login(Client(), member(other_centre, Role.ADMIN))
    for name in ["centres:invitation_resend", "centres:invitation_revoke"]:
        assert client.post(reverse(name, args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_it_lists_invitations_in_a_fixed_number_of_queries(client_for, users, centre):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("admin")

    def queries_with(count):
        for n in range(Invitation.objects.count(), count):
            Invitation.objects.create(
                centre=centre,
                email=f"n{n}@exemple.test",
                role=Role.FACILITATOR,
                invited_by=users["admin"],
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("centres:team")).status_code == 200
        return len(captured)

    assert queries_with(1) == queries_with(6)
