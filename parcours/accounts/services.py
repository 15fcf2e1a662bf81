"""Two-factor login: enrolment, the code check, recovery codes, resets.

django-otp holds the devices: a TOTP device (the phone's authenticator app) and a
"static" device whose tokens are the recovery codes, each usable once. A session is
verified once `django_otp.login` has recorded the device that accepted a code.

The recovery codes are stored hashed (`recovery_code_hash`): a copy of the database must
not be a list of codes that log in. The TOTP keys stay in clear, django-otp reads them as
hex from its own column; docs/privacy.md says why and what protects them.
"""

import math

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import SESSION_KEY, authenticate
from django.contrib.auth.signals import user_login_failed
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.audit.enums import SECOND_FACTOR_CREDENTIAL, SecurityEventKind
from parcours.audit.services import security_event_record

from .reauth import auth_confirmed

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"


def totp_device_of(user):
    """The user's confirmed TOTP device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user):
    """How many recovery codes the user has not used (the codes themselves are hashed)."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_code_hash(code):
    """What is stored of a recovery code: an HMAC-SHA256 keyed with SECRET_KEY.

    A keyed hash rather than a slow password hash: a code is random (40 bits from
    django-otp), so without the key a copy of the database gives nothing to try guesses
    against, and the stored value stays deterministic, which lets django-otp find the
    code by equality and use it up. Its first 16 hex digits (64 bits, more than the
    code's own 40) fit django-otp's `StaticToken.token` (16 characters). Changing
    SECRET_KEY voids the codes: the users print new ones from their account."""
    return salted_hmac("parcours.recovery-code", code, algorithm="sha256").hexdigest()[:16]


def enrolment_device(user):
    """The unconfirmed device being enrolled: the same one until confirmed, so that
    reloading the page does not change the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def normalise_code(code):
    """Codes are typed with spaces or dashes, recovery codes in any case."""
    return "".join((code or "").split()).replace("-", "").lower()


def login_complete(request):
    """The user has given every factor their account asks for: note the time (for
    re-authentication) and clear their failed attempts (axes)."""
    auth_confirmed(request)
    AxesProxyHandler.reset_attempts(username=request.user.email)


def session_verify(request, device):
    """Mark the session as verified by `device`, under a new session id: an id known
    before the code was given (planted by someone else, or read while only the password
    had been typed) must not become a verified session."""
    request.session.cycle_key()
    django_otp.login(request, device)
    login_complete(request)


def second_factor_check(*, request, user, code):
    """The device that accepts `code`: a 6-digit code from the app, or one of the
    recovery codes (used up at once). Raise a ValidationError with a French message
    otherwise.

    A wrong code is reported as a failed login: it counts towards the account's lockout
    (axes, 5 failures, password and codes together) and leaves a security event. On top
    of that django-otp doubles the wait between two tries on the same device.
    """
    code = normalise_code(code)
    if code.isdigit() and len(code) == 6:
        model, token = TOTPDevice, code
    else:
        model, token = StaticDevice, recovery_code_hash(code)
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            wait = math.ceil((details["locked_until"] - timezone.now()).total_seconds())
            raise ValidationError(
                f"Trop de codes erronés : attendez {max(wait, 1)} secondes avant de réessayer."
            )
        if django_otp.verify_token(user, device.persistent_id, token):
            return device
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.email, SECOND_FACTOR_CREDENTIAL: True},
        request=request,
    )
    raise ValidationError(
        "Code incorrect. Saisissez le code à 6 chiffres affiché maintenant par votre "
        "application, ou l'un de vos codes de secours."
    )


@transaction.atomic
def recovery_codes_issue(*, user):
    """Replace the user's recovery codes by 10 new ones; return them (shown once: only
    their hashes are kept)."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def second_factor_enrol(*, request, device):
    """Confirm the device whose first code was right, drop any other, issue the recovery
    codes and verify the session. Return the codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=device.user)
    session_verify(request, device)
    return codes


@transaction.atomic
def second_factor_reset(*, user, by, request):
    """Remove the user's app and recovery codes (a lost phone). If they must use a
    second factor, their next page is the enrolment.

    Every centre of the account sees the reset in its security log (naming whose device
    it was and, in `username`, who reset it), and every session of the account ends:
    one left open elsewhere must not outlive the factor it was verified with. The
    session of a user resetting their own factor stays open (they just proved who they
    are, and go on to enrol their new phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    centres = [membership.centre for membership in user.memberships.select_related("centre")]
    for centre in centres or [None]:
        security_event_record(
            kind=SecurityEventKind.OTP_RESET,
            request=request,
            user=user,
            username=by.email,
            centre=centre,
        )
    sessions_end(user=user, keep=request.session.session_key if user == by else None)


def sessions_end(*, user, keep=None):
    """Log `user` out of every session but `keep` (a session key).

    Database sessions are found by their key only: each live one is decoded to see
    whose it is. Sessions live 30 minutes and a reset is rare, so the scan stays short
    and needs no index of its own."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep)
    owned = [s.session_key for s in live if s.get_decoded().get(SESSION_KEY) == str(user.pk)]
    Session.objects.filter(session_key__in=owned).delete()


def password_check(*, request, user, password):
    """Re-authentication of a user without a second factor. `authenticate` goes through
    axes: a wrong password counts towards the lockout and leaves a security event."""
    if authenticate(request, username=user.email, password=password) != user:
        raise ValidationError("Mot de passe incorrect.")
