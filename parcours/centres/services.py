import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User

from .enums import Role
from .models import Membership


@transaction.atomic
def member_add(*, centre, email, first_name, last_name, role, request=None):
    """Give someone a role in the centre, creating their account if needed.

    A new account gets an unguessable password and an e-mail to choose their own,
    sent once the transaction has committed.
    """
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email, password=secrets.token_urlsafe(32), first_name=first_name, last_name=last_name
        )
    elif Membership.objects.filter(user=user, centre=centre).exists():
        raise ValidationError("Cette personne fait déjà partie de l'équipe du centre.")
    membership = Membership.objects.create(user=user, centre=centre, role=role)
    if created and request is not None:
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            transaction.on_commit(
                lambda: form.save(
                    request=request,
                    use_https=request.is_secure(),
                    subject_template_name="accounts/welcome_subject.txt",
                    email_template_name="accounts/welcome_email.txt",
                )
            )
    return membership


@transaction.atomic
def membership_set_role(*, membership, role):
    membership.role = role
    membership.save(update_fields=["role"])
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
    from parcours.workshops.models import CalendarFeed  # workshops builds on centres

    for feed in CalendarFeed.objects.live().filter(owner=user):
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return user
