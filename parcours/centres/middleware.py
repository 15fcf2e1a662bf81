from .models import Membership

SESSION_KEY = "centre_id"


def current_centre(get_response):
    """Attach the user's memberships and the centre they are working in.

    A user with several centres picks one (kept in the session); pages, lists and
    lookups then work inside that centre. Until they pick, it is the centre they last
    chose, else their oldest: never one they were attached to since. One query per
    request.
    """

    def middleware(request):
        request.memberships = []
        request.membership = None
        request.centre = None
        if request.user.is_authenticated:
            request.memberships = list(
                Membership.objects.filter(user=request.user)
                .select_related("centre")
                .order_by("centre__name")
            )
            # policy.role_in reads this instead of querying again.
            request.user._parcours_roles = {m.centre_id: m.role for m in request.memberships}
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in request.memberships if m.centre_id == chosen),
                None,
            ) or last_used(request.memberships)
            if request.membership:
                request.centre = request.membership.centre
        return get_response(request)

    return middleware


def last_used(memberships):
    """The membership last chosen (centres:switch), else the oldest; None if none."""
    used = [m for m in memberships if m.last_used_at is not None]
    if used:
        return max(used, key=lambda m: m.last_used_at)
    return min(memberships, key=lambda m: (m.created_at, m.pk), default=None)
