import logging

from django.shortcuts import render

from .crypto import ConfidentialDataLocked

logger = logging.getLogger(__name__)


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
        return render(request, "people/confidential_locked.html", status=503)
