from parcours import policy


def current_centre(request):
    centre = getattr(request, "centre", None)
    user = getattr(request, "user", None)
    if centre is None or user is None:
        return {}
    # The navigation shows only the areas the user may open.
    return {
        "centre": centre,
        "membership": request.membership,
        "memberships": request.memberships,
        "nav": {
            "people": policy.can_view_people(user, centre),
            "workshops": policy.can_view_workshops(user, centre),
            "partners": policy.can_view_partners(user, centre),
            "reports": policy.can_view_reports(user, centre),
            "team": policy.can_view_team(user, centre),
            "audit": policy.can_view_audit_trail(user, centre),
            "admin": policy.can_use_admin_site(user),
        },
    }
