from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .enums import SECOND_FACTOR_CREDENTIAL, SecurityEventKind
from .services import security_event_record


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    # A wrong second-factor code is sent as a failed login (it counts towards the
    # lockout); its user already gave the right password, so the row names them.
    second_factor = credentials.get(SECOND_FACTOR_CREDENTIAL, False)
    security_event_record(
        kind=SecurityEventKind.OTP_FAILED if second_factor else SecurityEventKind.LOGIN_FAILED,
        request=request,
        user=request.user if second_factor else None,
        username=credentials.get("username", ""),
    )


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    security_event_record(
        kind=SecurityEventKind.LOCKED_OUT, request=request, username=username or ""
    )
