import logging

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from parcours.people.crypto import ConfidentialDataLocked

logger = logging.getLogger(__name__)


def no_store_for_users(get_response):
    """Every page a logged-in user sees may show case data: no cache may keep it
    (a shared computer at the centre, a proxy, the browser's back button)."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware


class ConfidentialKeysFault:
    """A wrong or missing CONFIDENTIAL_KEYS is a fault of the installation, not of the
    page: the user is told so (503) instead of a bare error, and the log says which
    setting to check. The request's transaction was rolled back as for any error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ConfidentialDataLocked):
            return None
        logger.error("Confidential section locked on %s: %s", request.path, exception)
        return render(request, "core/confidential_locked.html", status=503)
