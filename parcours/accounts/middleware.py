import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from parcours import policy

from .reauth import auth_confirmed
from .services import has_second_factor

LOGIN_TIME_KEY = "login_time"


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    request.session[LOGIN_TIME_KEY] = int(time.time())
    # The password was just given; the code step, if any, renews this.
    auth_confirmed(request)


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


def second_factor_exempt(view):
    """Mark a view that a user who still owes their second factor may open (the code
    step, the enrolment, logging out)."""
    view.second_factor_exempt = True
    return view


def second_factor_step(request):
    """The URL name of the step this session still owes, or None.

    A user with a confirmed app gives its code; one who must have a second factor
    (policy.must_use_second_factor) but has none enrols first.
    """
    user = request.user
    # OTPMiddleware sets otp_device; a user django.contrib.auth.login has just put on
    # the request has none yet, and is not verified.
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return None
    if has_second_factor(user):
        return "accounts:otp_verify"
    if policy.must_use_second_factor(user):
        return "accounts:otp_setup"
    return None


class SecondFactorMiddleware:
    """Until the second factor is given, every page but the step itself sends there.

    Runs its check where LoginRequiredMiddleware does (process_view), after it: pages
    marked public (`login_not_required`) stay public, anonymous users still go to the
    login page, and the session rules above have already run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        step = second_factor_step(request)
        if step is None:
            return None
        next_path = request.get_full_path() if request.method in ("GET", "HEAD") else "/"
        return redirect(f"{reverse(step)}?{urlencode({'next': next_path})}")
