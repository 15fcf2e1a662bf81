from django.shortcuts import render
from django.utils import timezone

from parcours import policy
from parcours.centres.enums import Role
from parcours.pathways import home as pathways_home
from parcours.pathways.relays import overdue_relays
from parcours.people import home as people_home
from parcours.people.models import Person
from parcours.privacy.retention import soon_archived
from parcours.reports import home as reports_home
from parcours.workshops import home as workshops_home
from parcours.workshops.vigilance import people_to_watch

# The roles whose home page is the figures of every centre they hold the role in.
FIGURES_ONLY = {Role.DIRECTOR, Role.ADMIN}


@policy.centre_rule(policy.can_view_centre)
def home(request):
    # Each role starts from what it does first; the template per role says what.
    role = request.membership.role
    context = {"role": Role(role)}
    if policy.can_manage_people(request.user, request.centre):
        context["open_referrals"] = people_home.open_referrals(request.centre)
        context["intakes"] = people_home.upcoming_intakes(request.centre)
        context["sessions_today"] = workshops_home.sessions_today(request.centre)
        context["missing_attendance"] = workshops_home.missing_attendance_count(request.centre)
        context["watch"] = people_to_watch(request.centre)
        context["appointments_today"] = pathways_home.appointments_today(request.centre)
        context["silent"] = pathways_home.silent_pathways(request.centre)[:10]
        context["overdue_relays"] = overdue_relays(request.centre)[:10]
        context["soon_archived"] = soon_archived(request.centre, timezone.localdate())
    if role == Role.FACILITATOR:
        context["sessions_today"] = workshops_home.sessions_today(request.centre, request.user)
        context["missing_attendance"] = workshops_home.missing_attendance_count(
            request.centre, request.user
        )
    if policy.can_view_reports(request.user, request.centre) and role != Role.COORDINATOR:
        centres = [m.centre for m in request.memberships if m.role in FIGURES_ONLY]
        context["year_to_date"] = reports_home.year_to_date(centres)
    if role == Role.PARTNER_WORKER:
        people = Person.objects.visible_to(request.user, request.centre)
        context["referred"] = people_home.label_partner_view(
            people_home.with_partner_view(people, request.user).order_by("last_name")[:20]
        )
    return render(request, f"dashboard/home_{role}.html", context)
