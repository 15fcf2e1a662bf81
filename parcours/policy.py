"""Who may do what, in one place. Deny by default.

Every rule takes the user and the centre (or object) at stake and answers yes or no.
A rule that is not here does not exist: views call these functions and nothing else
decides access. Lookups are scoped before a rule is asked (an object of another
centre is a 404, so its existence does not leak); a rule that says no is a 403.

What differs by role beyond yes or no is asked here too, so that no view or template
compares roles (tests/test_consistency.py checks it): which people a user sees
(`people_visible_to`, choosing between querysets named for their rule, such as
`Person.objects.referred_by`), which side of a file or of the calendar they start
from, and what their home page is made of (`home_page_for`). Those querysets stop at
the centre fence, `of_member_centres`, which says nothing of roles.

Roles (see GLOSSARY.md), least privilege first:
- coordinator: runs the programme, sees whole files, confidential section included;
- facilitator: runs workshops, sees the name, phone and workshops of the people
  enrolled in them, nothing else;
- partner_worker: an outside professional, sees only the people they referred and
  only what those people agreed to share;
- director: figures, not files;
- admin: the centre's settings, its team and its audit trail; no current file, only
  the archived ones, read-only, and the answers to those people's rights (the Django
  admin belongs to installation operators, see `can_use_admin_site`).
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from parcours.centres.enums import Role
from parcours.core.filters import ListFilters
from parcours.people.models import Person
from parcours.workshops.models import enrolled_in_workshops_run_by

MANAGEMENT = {Role.COORDINATOR, Role.ADMIN}


def role_in(user, centre):
    """The user's role in `centre` (a Centre or its id), or None."""
    if not (user.is_authenticated and user.is_active) or centre is None:
        return None
    roles = getattr(user, "_parcours_roles", None)
    if roles is None:
        roles = dict(user.memberships.values_list("centre_id", "role"))
        user._parcours_roles = roles
    return roles.get(getattr(centre, "pk", centre))


def _has_role(user, centre, roles):
    return role_in(user, centre) in roles


def can_view_centre(user, centre):
    """Any member of the centre, whatever the role."""
    return role_in(user, centre) is not None


def can_manage_centre(user, centre):
    """Coordinator and admin: the centre's details, its programmes and places."""
    return _has_role(user, centre, MANAGEMENT)


def can_view_team(user, centre):
    """Coordinator, director and admin see who works in the centre and with which role."""
    return _has_role(user, centre, MANAGEMENT | {Role.DIRECTOR})


def can_manage_team(user, centre):
    """Admin only: add members, change roles, disable accounts."""
    return _has_role(user, centre, {Role.ADMIN})


def can_view_audit_trail(user, centre):
    """Coordinator and admin consult who did what on the centre's files (the trail
    names objects by number, never by content)."""
    return _has_role(user, centre, MANAGEMENT)


def can_view_people(user, centre):
    """Coordinator, facilitator and partner worker; the director and the admin never
    open a file. Which people each role then sees is `people_visible_to`."""
    return _has_role(user, centre, {Role.COORDINATOR, Role.FACILITATOR, Role.PARTNER_WORKER})


def people_visible_to(user, centre):
    """The people of `centre` whose file the user opens, each role its own part of it:
    - coordinator: everyone;
    - facilitator: the people currently enrolled in a workshop they run;
    - partner worker: the people they referred to the centre;
    - director, admin, anyone else: nobody.
    Archived files are nobody's here: only the admin's archive reads them (see
    parcours.privacy)."""
    people = Person.objects.of_member_centres(user).of_centre(centre).current()
    role = role_in(user, centre)
    if role == Role.COORDINATOR:
        return people
    if role == Role.PARTNER_WORKER:
        return people.referred_by(user)
    if role == Role.FACILITATOR:
        return people.filter(enrolled_in_workshops_run_by(user))
    return people.none()


def sees_people_as_their_facilitator(user, centre):
    """Facilitator: of the people enrolled in the workshops they run, the name, the
    phone, those enrolments and whether photos are agreed; nothing else of the file."""
    return _has_role(user, centre, {Role.FACILITATOR})


def sees_people_as_their_referrer(user, centre):
    """Partner worker: of the people they referred, where their own referral stands and
    only what each person agreed to share with their structure; no filter that would
    tell more."""
    return _has_role(user, centre, {Role.PARTNER_WORKER})


# The people list's filters and sorts (parcours/people/filters.py) by role. A filter
# tells who matches it, so a role uses only those whose information it reads.
PEOPLE_NAME_ONLY = ListFilters(filters=frozenset({"q"}), sorts=frozenset({"nom", "-nom"}))
PEOPLE_LIST_FILTERS = {
    Role.COORDINATOR: ListFilters(
        filters=frozenset({"q", "status", "neighbourhood", "referrer", "benefit"}),
        sorts=frozenset({"nom", "-nom", "naissance", "-naissance", "recent"}),
    ),
    Role.FACILITATOR: PEOPLE_NAME_ONLY,
    Role.PARTNER_WORKER: PEOPLE_NAME_ONLY,
}


def people_list_filters_for(user, centre):
    """What the people list (and its export) may be narrowed and sorted by:
    - coordinator: the name, the situation, the neighbourhood, the referring structure
      and the benefit; sorted by name, birth date or the file's creation: they read
      whole files;
    - facilitator: the name, sorted by name: they read the name and phone of the people
      of their workshops, and a referring structure (an addiction or mental health
      service), a benefit, a situation, a neighbourhood or a birth date would tell them
      what they may not read;
    - partner worker: the name, sorted by name: the birth date and the rest of a file
      are theirs only where each person agreed to share them;
    - director, admin, anyone else: nothing (they see no list of people).
    Any other parameter is ignored, and the page says so."""
    return PEOPLE_LIST_FILTERS.get(role_in(user, centre), ListFilters())


def partner_list_filters_for(user, centre):
    """The partner directory's search, type of structure and theme: every member, as
    the directory they narrow is the network's shared address book (`can_view_partners`);
    nobody else."""
    if not can_view_partners(user, centre):
        return ListFilters()
    return ListFilters(filters=frozenset({"q", "kind", "theme"}))


def audit_trail_filters_for(user, centre):
    """The audit trail's narrowing to one object (`type` and `objet`) or one person's
    file (`personne`): whoever reads the trail (`can_view_audit_trail`), as every row
    shows the object and the file it concerns, by number; nobody else."""
    if not can_view_audit_trail(user, centre):
        return ListFilters()
    return ListFilters(filters=frozenset({"type", "objet", "personne"}))


def calendar_filters_for(user, centre):
    """The calendar's month (`mois`) and "my workshops" (`mes`): whoever views the
    workshops (`can_view_workshops`), as both only choose among sessions they read;
    nobody else."""
    if not can_view_workshops(user, centre):
        return ListFilters()
    return ListFilters(filters=frozenset({"mois", "mes"}))


def can_manage_people(user, centre):
    """Coordinator: create and edit files, record referrals and admissions, define
    neighbourhoods, import people from a spreadsheet."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_view_confidential(user, centre):
    """Coordinator only: health, addiction and violence information. Every read is
    audited."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_export_people(user, centre):
    """Coordinator only: the export holds whole identities, which only they see."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_record_consent(user, centre):
    """Coordinator only: reads a person's consent register (what they were informed
    of, agreed to, withdrew, and the overrides), hands the notice, records agreements
    and withdrawals. A partner worker only learns whether the person shares with their
    structure, a facilitator only whether photos are agreed (on their person pages);
    the director and the admin never see the register."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_override_consent(user, centre):
    """Coordinator only: pass information on without the person's consent (a relay
    that shares, a bilan for the RSA referent), with a reason, audited."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_print_notice(user, centre):
    """Coordinator and admin print the centre's blank information notice (the admin
    writes the settings it is made of). It names nobody."""
    return _has_role(user, centre, MANAGEMENT)


def can_follow_pathways(user, centre):
    """Coordinator only: appointments and their notes, goals, assessments, relays,
    case reviews and exits. Facilitators, partner workers, the director and the admin
    never read them."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_manage_exit_outcomes(user, centre):
    """Coordinator and admin: the centre's own exit outcomes, beside the default list
    (which nobody edits). Facilitators, partner workers and the director do not."""
    return _has_role(user, centre, MANAGEMENT)


def can_view_workshops(user, centre):
    """Coordinator, facilitator, director and admin; partner workers do not run workshops."""
    return _has_role(user, centre, MANAGEMENT | {Role.FACILITATOR, Role.DIRECTOR})


def calendar_opens_on_own_workshops(user, centre):
    """Facilitator: the calendar first shows the sessions of the workshops they run
    ("mes ateliers"), the whole centre's a click away. Everyone else opens it on the
    whole centre, their own workshops a click away."""
    return _has_role(user, centre, {Role.FACILITATOR})


def can_view_partners(user, centre):
    """The partner directory is the network's shared address book: every member."""
    return can_view_centre(user, centre)


def can_manage_workshops(user, centre):
    """Coordinator and admin: workshops, their timetable, the calendar and closures."""
    return _has_role(user, centre, MANAGEMENT)


def can_enrol(user, centre):
    """Coordinator: enrolling is deciding about a person's pathway."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_run_session(user, session):
    """Who may see the people of a session and record their attendance: the coordinator,
    and the facilitators of that workshop (with no other rights needed)."""
    role = role_in(user, session.centre_id)
    if role == Role.COORDINATOR:
        return True
    return role == Role.FACILITATOR and session.workshop.facilitators.filter(pk=user.pk).exists()


def can_run_workshop(user, workshop):
    """Who may see a workshop's participants and print its sign-in sheets: the
    coordinator, and the facilitators of that workshop while their role is facilitator
    (someone who became director keeps no access through an old workshop)."""
    role = role_in(user, workshop.centre_id)
    if role == Role.COORDINATOR:
        return True
    return role == Role.FACILITATOR and workshop.facilitators.filter(pk=user.pk).exists()


def can_manage_feed(user, feed):
    """Who may revoke a calendar feed (a secret .ics address):
    - its owner, for their own feed, while they may view the centre's workshops
      (facilitator, coordinator, director, admin);
    - the coordinator and the admin, for any feed of the centre: a facilitator's
      (say, after their phone was lost) or a workshop's;
    - nobody else: not another facilitator, not the director for someone else's feed,
      not a partner worker. A feed of another centre is not found (404) before this
      rule is asked."""
    if _has_role(user, feed.centre_id, MANAGEMENT):
        return True
    is_owner = feed.owner_id is not None and feed.owner_id == user.pk
    return is_owner and can_view_workshops(user, feed.centre_id)


def can_manage_partners(user, centre):
    """Coordinator and admin keep the partner directory up to date."""
    return _has_role(user, centre, MANAGEMENT)


def can_view_reports(user, centre):
    """Coordinator, director and admin: the figures reported to funders."""
    return _has_role(user, centre, MANAGEMENT | {Role.DIRECTOR})


def can_write_report(user, centre):
    """Coordinator: the narrative of each section of the activity report."""
    return _has_role(user, centre, {Role.COORDINATOR})


def can_answer_privacy_requests(user, centre):
    """A person's rights on their data: export everything held about them, record an
    erasure request or a legal hold. The coordinator answers for the current files
    (whole, confidential section included, as only they see it); the admin for the
    archived ones, which only they read (a person keeps their rights while the file is
    kept as proof). Facilitators, partner workers and the director never do: they do
    not see the file."""
    return _has_role(user, centre, MANAGEMENT)


def can_view_archive(user, centre):
    """Admin only: the archived files, read-only, kept as legal proof until they are
    anonymised; every reading is audited. Nobody else sees an archived file, not even
    the coordinator: it has left the centre's current work."""
    return _has_role(user, centre, {Role.ADMIN})


def can_use_admin_site(user):
    """The Django admin spans every centre: installation operators only (superusers,
    made with `createsuperuser`), never a role a centre can grant."""
    return user.is_authenticated and user.is_active and user.is_superuser


# The roles that open whole files, the team or every centre's figures.
SECOND_FACTOR_ROLES = {Role.COORDINATOR, Role.DIRECTOR, Role.ADMIN}


def must_use_second_factor(user):
    """Who must log in with a code from their phone (TOTP) after the password:
    - a coordinator, director or admin in any of their centres;
    - an installation operator (superuser);
    - not a facilitator nor a partner worker, who may still enable it on their profile.
    Any role counts, so a promotion in one centre applies at the next request."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if getattr(user, "_parcours_roles", None) is None:
        user._parcours_roles = dict(user.memberships.values_list("centre_id", "role"))
    return not SECOND_FACTOR_ROLES.isdisjoint(user._parcours_roles.values())


@dataclass(frozen=True)
class HomePage:
    """What a member's home page is made of."""

    name: str  # the page's template is home_<name>.html
    work_lists: bool = False  # what waits for the coordination, centre-wide
    own_sessions: bool = False  # today's sessions of the workshops the user runs
    referred_people: bool = False  # the people the user referred
    figures: bool = False  # the year's figures of every centre whose page is figures


HOME_PAGES = {
    Role.COORDINATOR: HomePage("coordinator", work_lists=True),
    Role.FACILITATOR: HomePage("facilitator", own_sessions=True),
    Role.PARTNER_WORKER: HomePage("partner_worker", referred_people=True),
    Role.DIRECTOR: HomePage("director", figures=True),
    Role.ADMIN: HomePage("admin", figures=True),
}


def home_page_for(user, centre):
    """Each role starts from what it does first:
    - coordinator: the work waiting (referrals, intakes, today's sessions, attendance
      not recorded, people to watch, appointments, silent pathways, overdue relays,
      files soon archived);
    - facilitator: today's sessions of the workshops they run, and those whose
      attendance is not recorded yet;
    - partner worker: the people they referred and where each referral stands;
    - director and admin: the year's figures of every centre where they hold either
      role (figures, not files).
    Only a member has a home page in a centre (`can_view_centre`)."""
    return HOME_PAGES[role_in(user, centre)]


def centre_rule(rule):
    """View decorator: `rule(request.user, request.centre)` must hold, else 403.

    A user attached to no centre gets a page that says so instead of an error.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.centre is None:
                return render(request, "core/no_centre.html", status=403)
            if not rule(request.user, request.centre):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
