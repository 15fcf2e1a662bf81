from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from parcours import policy
from parcours.pathways import home as pathways_home
from parcours.pathways.relays import overdue_relays
from parcours.people import home as people_home
from parcours.privacy.retention import soon_archived
from parcours.reports import home as reports_home
from parcours.workshops import home as workshops_home
from parcours.workshops.vigilance import people_to_watch


@policy.centre_rule(policy.can_view_centre)
def home(request):
    page = policy.home_page_for(request.user, request.centre)
    context = {}
    if page.work_lists:
        context["open_referrals"] = people_home.open_referrals(request.centre)
        context["intakes"] = people_home.upcoming_intakes(request.centre)
        context["sessions_today"] = workshops_home.sessions_today(request.centre)
        context["missing_attendance"] = workshops_home.missing_attendance_count(request.centre)
        context["watch"] = people_to_watch(request.centre)
        context["appointments_today"] = pathways_home.appointments_today(request.centre)
        context["silent"] = pathways_home.silent_pathways(request.centre)[:10]
        context["overdue_relays"] = overdue_relays(request.centre)[:10]
        context["soon_archived"] = soon_archived(request.centre, timezone.localdate())
    if page.own_sessions:
        context["sessions_today"] = workshops_home.sessions_today(request.centre, request.user)
        context["missing_attendance"] = workshops_home.missing_attendance_count(
            request.centre, request.user
        )
    if page.figures:
        # Whoever directs or administers several centres reads them all on one page.
        centres = [
            m.centre
            for m in request.memberships
            if policy.home_page_for(request.user, m.centre).figures
        ]
        context["year_to_date"] = reports_home.year_to_date(centres)
    if page.referred_people:
        people = policy.people_visible_to(request.user, request.centre)
        context["referred"] = people_home.label_partner_view(
            people_home.with_partner_view(people, request.user).order_by("last_name")[:20]
        )
    return render(request, f"dashboard/home_{page.name}.html", context)


@login_not_required
def accessibility(request):
    """The accessibility statement the RGAA asks of every public service's tool: public,
    so that anyone can read it and reach the contact, logged in or not."""
    return render(
        request,
        "dashboard/accessibility.html",
        {"contact": settings.ACCESSIBILITY_CONTACT},
    )
