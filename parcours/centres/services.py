from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.accounts.services import second_factor_reset
from parcours.audit.enums import SecurityEventKind
from parcours.audit.services import security_event_record
from parcours.workshops.services import calendar_feeds_revoke_unseen

from . import tasks
from .enums import InvitationStatus, Role
from .models import Invitation, Membership

ALREADY_IN_TEAM = "Cette personne fait déjà partie de l'équipe du centre."


@transaction.atomic
def membership_grant(*, user, centre, role):
    """Give `user` a role in `centre`: the end of an accepted invitation (and how the
    demo builds its teams). Nothing else creates a membership."""
    if Membership.objects.filter(user=user, centre=centre).exists():
        raise ValidationError(ALREADY_IN_TEAM)
    return Membership.objects.create(user=user, centre=centre, role=role)


def _invitation_send(*, invitation, by, request):
    """Queue the e-mail with the link, once the transaction has committed (the worker
    must find the invitation), and note who sent it."""
    security_event_record(
        kind=SecurityEventKind.INVITATION_SENT,
        request=request,
        user=by,
        username=invitation.email,
        centre=invitation.centre,
    )
    site_url = request.build_absolute_uri("/")
    transaction.on_commit(
        lambda: tasks.invitation_send.enqueue(invitation_id=invitation.pk, site_url=site_url)
    )


@transaction.atomic
def invitation_create(*, centre, email, role, by, request):
    """Invite `email` to `centre` with `role`: an e-mail with a link the account holder
    accepts. Whether an account exists for the address, and where else it works, is
    never told: the inviter sees the same result either way."""
    email = email.strip().lower()
    if Membership.objects.of_centre(centre).filter(user__email=email).exists():
        raise ValidationError(ALREADY_IN_TEAM)
    if Invitation.objects.of_centre(centre).pending().filter(email=email).exists():
        raise ValidationError(
            "Une invitation attend déjà la réponse de cette adresse : renvoyez-la depuis la "
            "liste des invitations de l'équipe."
        )
    invitation = Invitation.objects.create(centre=centre, email=email, role=role, invited_by=by)
    _invitation_send(invitation=invitation, by=by, request=request)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation, by, request):
    """Send the invitation again with a new link (the previous one stops working) and a
    new expiry: a lost e-mail, or one not opened in time."""
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(invitation.closed_message)
    _invitation_send(invitation=invitation, by=by, request=request)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation, by, request):
    invitation.move_to(InvitationStatus.REVOKED, by=by)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_at"])
    security_event_record(
        kind=SecurityEventKind.INVITATION_REVOKED,
        request=request,
        user=by,
        username=invitation.email,
        centre=invitation.centre,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user, request):
    """`user`, logged in with every factor their account asks for, joins the centre.
    Only the account of the invited address may accept; the link works once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(invitation.closed_message)
    if user.email != invitation.email:
        raise ValidationError("Cette invitation est adressée à une autre personne.")
    membership = membership_grant(user=user, centre=invitation.centre, role=invitation.role)
    invitation.move_to(InvitationStatus.ACCEPTED, by=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    security_event_record(
        kind=SecurityEventKind.INVITATION_ACCEPTED,
        request=request,
        user=user,
        username=user.email,
        centre=invitation.centre,
    )
    return membership


@transaction.atomic
def invitation_accept_new_account(*, invitation, first_name, last_name, password, request):
    """The invitee had no account: it is created with the name and password they chose
    on the invitation's page, then joins the centre."""
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError(
            "Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation."
        )
    user = User.objects.create_user(
        invitation.email, password=password, first_name=first_name, last_name=last_name
    )
    invitation_accept(invitation=invitation, user=user, request=request)
    return user


@transaction.atomic
def membership_set_role(*, membership, role):
    """Give a member another role. Their own calendar feed, read without a session, ends
    with a role that no longer shows the centre's workshops."""
    membership.role = role
    membership.save(update_fields=["role"])
    calendar_feeds_revoke_unseen(owner=membership.user)
    return membership


@transaction.atomic
def member_second_factor_reset(*, membership, by, request):
    """A member lost their phone: the centre's admin removes their app and recovery
    codes. Only for an account that works in no other centre: an admin of one centre
    must never weaken an account another centre relies on (whoever knew its password
    would then enrol their own phone); the installation's operators do it for those."""
    user = membership.user
    if user.memberships.exclude(centre=membership.centre).exists():
        raise ValidationError(
            "Ce compte sert aussi dans un autre centre : seul un opérateur de l'installation "
            "peut réinitialiser sa double authentification (administration de Parcours)."
        )
    second_factor_reset(user=user, by=by, request=request)


@transaction.atomic
def membership_use(*, membership):
    """The user chose to work in this centre: it is where their next login starts."""
    membership.last_used_at = timezone.now()
    membership.save(update_fields=["last_used_at"])
    return membership


@transaction.atomic
def user_disable(*, user, by):
    """Disable an account. Its sessions end at once: Django refuses an inactive user on
    every request, so the next click of an open session lands on the login page."""
    if user == by:
        raise ValidationError("Vous ne pouvez pas désactiver votre propre compte.")
    # An account shared with a centre where `by` is not admin is not theirs to close.
    administered = by.memberships.filter(role=Role.ADMIN).values("centre")
    if user.memberships.exclude(centre__in=administered).exists():
        raise ValidationError(
            "Ce compte sert aussi dans un autre centre : seul un administrateur de chacun "
            "de ses centres, ou de l'installation, peut le désactiver."
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    # Their calendar feeds, readable without a session, close with the account.
    calendar_feeds_revoke_unseen(owner=user)
    return user
