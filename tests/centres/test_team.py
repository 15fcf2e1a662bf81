import pytest
from django.core import mail
from django.urls import reverse

from parcours.accounts.models import User
from parcours.centres.enums import Role
from parcours.centres.models import Invitation, Membership

from ..factories import UserFactory, verified_login


def test_an_admin_adds_a_member_who_gets_an_email_to_accept_the_invitation(
    client_for, centre, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            reverse("centres:member_add"),
            {"email": "Nouvelle.Animatrice@Exemple.test", "role": Role.FACILITATOR},
        )
    assert response.status_code == 302
    # No account and no membership until the invitation is accepted.
    assert not User.objects.filter(email="nouvelle.animatrice@exemple.test").exists()
    invitation = Invitation.objects.get(email="nouvelle.animatrice@exemple.test")
    assert (invitation.centre, invitation.role) == (centre, Role.FACILITATOR)
    assert len(mail.outbox) == 1
    assert "/invitation/" in mail.outbox[0].body


def test_adding_someone_already_in_the_team_says_so(client_for, users):
    response = client_for("admin").post(
        reverse("centres:member_add"),
        {"email": users["director"].email, "role": Role.COORDINATOR},
    )
    assert response.status_code == 200
    assert "fait déjà partie de l&#x27;équipe" in response.content.decode()
    assert Membership.objects.get(user=users["director"]).role == Role.DIRECTOR


def test_the_admin_role_of_a_centre_grants_no_installation_rights(client_for, users):
    membership = Membership.objects.get(user=users["director"])
    client_for("admin").post(
        reverse("centres:member_edit", args=[membership.pk]), {"role": Role.ADMIN}
    )
    users["director"].refresh_from_db()
    assert membership.__class__.objects.get(pk=membership.pk).role == Role.ADMIN
    assert not users["director"].is_staff and not users["director"].is_superuser
    assert client_for("director").get(reverse("admin:index")).status_code == 302


def test_an_account_shared_with_another_centre_is_not_disabled_from_one(
    client_for, users, other_centre
):
    Membership.objects.create(user=users["facilitator"], centre=other_centre, role=Role.FACILITATOR)
    membership = Membership.objects.get(user=users["facilitator"], centre__slug="le-lierre")
    response = client_for("admin").post(
        reverse("centres:member_disable", args=[membership.pk]), follow=True
    )
    assert "Ce compte sert aussi dans un autre centre" in response.content.decode()
    users["facilitator"].refresh_from_db()
    assert users["facilitator"].is_active


def test_the_role_form_ignores_fields_it_does_not_offer(client_for, users, other_centre):
    membership = Membership.objects.get(user=users["facilitator"])
    client_for("admin").post(
        reverse("centres:member_edit", args=[membership.pk]),
        {
            "role": Role.COORDINATOR,
            "centre": other_centre.pk,
            "user": users["admin"].pk,
            "is_active": "",
        },
    )
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR
    assert membership.centre.slug == "le-lierre"
    assert membership.user == users["facilitator"]
    assert membership.user.is_active


def test_disabling_a_user_ends_their_open_sessions(client_for, users, client):
    from django.test import Client

    victim = Client()
    victim.force_login(users["facilitator"])
    assert victim.get(reverse("dashboard:home")).status_code == 200
    membership = Membership.objects.get(user=users["facilitator"])
    response = client_for("admin").post(reverse("centres:member_disable", args=[membership.pk]))
    assert response.status_code == 302
    after = victim.get(reverse("dashboard:home"))
    assert after.status_code == 302
    assert after.url.startswith(reverse("accounts:login"))


def test_an_admin_cannot_disable_their_own_account(client_for, users):
    membership = Membership.objects.get(user=users["admin"])
    response = client_for("admin").post(
        reverse("centres:member_disable", args=[membership.pk]), follow=True
    )
    assert "Vous ne pouvez pas désactiver votre propre compte." in response.content.decode()
    users["admin"].refresh_from_db()
    assert users["admin"].is_active


def test_disabling_a_user_revokes_their_calendar_feeds(client_for, users, centre):
    from parcours.workshops.models import CalendarFeed

    feed = CalendarFeed.objects.create(
        centre=centre, owner=users["facilitator"], created_by=users["facilitator"]
    )
    membership = Membership.objects.get(user=users["facilitator"])
    client_for("admin").post(reverse("centres:member_disable", args=[membership.pk]))
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_it_revokes_the_feed_of_a_member_whose_new_role_shows_no_workshops(
    client_for, users, centre, other_centre
):
    from parcours.workshops.models import CalendarFeed

    facilitator = users["facilitator"]
    here = CalendarFeed.objects.create(centre=centre, owner=facilitator, created_by=facilitator)
    Membership.objects.create(user=facilitator, centre=other_centre, role=Role.FACILITATOR)
    there = CalendarFeed.objects.create(
        centre=other_centre, owner=facilitator, created_by=facilitator
    )
    membership = Membership.objects.get(user=facilitator, centre=centre)
    client_for("admin").post(
        reverse("centres:member_edit", args=[membership.pk]), {"role": Role.PARTNER_WORKER}
    )
    here.refresh_from_db()
    there.refresh_from_db()
    assert here.revoked_at is not None
    # Their role in the other centre still shows its workshops.
    assert there.revoked_at is None


def test_it_keeps_the_feed_of_a_member_whose_new_role_still_shows_the_workshops(
    client_for, users, centre
):
    from parcours.workshops.models import CalendarFeed

    facilitator = users["facilitator"]
    feed = CalendarFeed.objects.create(centre=centre, owner=facilitator, created_by=facilitator)
    membership = Membership.objects.get(user=facilitator, centre=centre)
    client_for("admin").post(
        reverse("centres:member_edit", args=[membership.pk]), {"role": Role.DIRECTOR}
    )
    feed.refresh_from_db()
    assert feed.revoked_at is None


@pytest.mark.parametrize("how", ["change", "delete", "bulk_delete", "account_inline"])
def test_the_django_admin_revokes_the_feed_of_a_member_who_no_longer_sees_the_workshops(
    client, users, centre, how
):
    from parcours.workshops.models import CalendarFeed

    facilitator = users["facilitator"]
    feed = CalendarFeed.objects.create(centre=centre, owner=facilitator, created_by=facilitator)
    membership = Membership.objects.get(user=facilitator, centre=centre)
    verified_login(client, UserFactory(is_staff=True, is_superuser=True))
    if how == "change":
        url = reverse("admin:centres_membership_change", args=[membership.pk])
        data = {"user": facilitator.pk, "centre": centre.pk, "role": Role.PARTNER_WORKER}
    elif how == "delete":
        url = reverse("admin:centres_membership_delete", args=[membership.pk])
        data = {"post": "yes"}
    elif how == "bulk_delete":
        url = reverse("admin:centres_membership_changelist")
        data = {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"}
    else:
        url = reverse("admin:accounts_user_change", args=[facilitator.pk])
        data = {
            "email": facilitator.email,
            "first_name": facilitator.first_name,
            "last_name": facilitator.last_name,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk,
            "memberships-0-user": facilitator.pk,
            "memberships-0-centre": centre.pk,
            "memberships-0-role": Role.PARTNER_WORKER,
        }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Membership.objects.filter(user=facilitator, role=Role.FACILITATOR).exists()
    feed.refresh_from_db()
    assert feed.revoked_at is not None
