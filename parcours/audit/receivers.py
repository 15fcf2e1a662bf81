from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .enums import SecurityEventKind
from .services import security_event_record


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        security_event_record(
            kind=SecurityEventKind.LOGIN_FAILED,
            request=request,
            username=credentials.get("username", ""),
        )


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    security_event_record(
        kind=SecurityEventKind.LOCKED_OUT, request=request, username=username or ""
    )
