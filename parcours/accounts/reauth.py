"""Re-authentication before the most sensitive acts: exporting people's files, changing
who has which role.

A stolen session (a computer left open at the centre, a hijacked cookie) must not be
enough to take every file away or to hand out roles: the user proves again, with their
code (or their password if they have no second factor), that they are at the keyboard.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# When the user last proved who they are: password login, code step, enrolment or
# re-authentication (seconds since the epoch, in the session).
VERIFIED_AT_KEY = "auth_verified_at"
RECENT_AUTH_SECONDS = 10 * 60


def auth_confirmed(request):
    request.session[VERIFIED_AT_KEY] = int(time.time())


def is_recently_authenticated(request):
    verified_at = request.session.get(VERIFIED_AT_KEY)
    return verified_at is not None and time.time() - verified_at <= RECENT_AUTH_SECONDS


def safe_next(request, candidate, default="dashboard:home"):
    """`candidate` if it is a path of this site, else the URL of `default`."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def reauth_url(next_path):
    return f"{reverse('accounts:reauth')}?{urlencode({'next': next_path})}"


def recent_auth_required(view):
    """View decorator: the user must have proved who they are in the last 10 minutes.

    Otherwise a GET goes to the re-authentication page, then back to the same URL. A
    POST cannot be replayed after a detour: it goes to the re-authentication page, then
    back to the page the form was sent from, with a message asking to do it again.
    Put it under the access rule (`policy.centre_rule`), so that someone refused is
    refused at once rather than asked for a code first.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_recently_authenticated(request):
            return view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect(reauth_url(request.get_full_path()))
        messages.info(
            request,
            "Par sécurité, confirmez votre identité avant cette action, puis recommencez-la.",
        )
        return redirect(reauth_url(safe_next(request, request.headers.get("referer"))))

    return wrapped
