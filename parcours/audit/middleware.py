from auditlog.middleware import AuditlogMiddleware

from .enums import SecurityEventKind
from .services import client_ip, security_event_record

REFUSALS = {403: SecurityEventKind.FORBIDDEN, 404: SecurityEventKind.NOT_FOUND}


def refused_access_log(get_response):
    """Log the 403s and 404s that logged-in users meet.

    It runs outside the view's transaction, so the row stays even though the refused
    request itself was rolled back. A run of 404s from one account is how someone
    guessing another centre's URLs shows up.
    """

    def middleware(request):
        response = get_response(request)
        kind = REFUSALS.get(response.status_code)
        if kind and request.user.is_authenticated and not request.path.startswith("/static/"):
            security_event_record(kind=kind, request=request, user=request.user)
        return response

    return middleware


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, trusting REMOTE_ADDR only (see `client_ip`)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None
