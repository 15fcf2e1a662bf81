import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LOGIN_TIME_KEY = "login_time"


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    request.session[LOGIN_TIME_KEY] = int(time.time())


def absolute_session_limit(get_response):
    """End a session 12 hours after login, however active it has been.

    The idle limit (30 minutes) is the cookie age renewed on each request; this
    one caps a session that never goes idle.
    """

    def middleware(request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_TIME_KEY)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
        return get_response(request)

    return middleware
