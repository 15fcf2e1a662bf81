"""The rules of parcours.policy that say which people, sessions and pages a role gets.
The yes/no rules are checked URL by URL in test_access_matrix.py."""

import datetime

from django.contrib.auth.models import AnonymousUser

from parcours import policy
from parcours.centres.enums import Role
from parcours.centres.models import Centre, Programme
from parcours.people.models import Person
from parcours.workshops.enums import EnrolmentStatus
from parcours.workshops.models import Enrolment, Session

from .factories import ProgrammeFactory, member
from .people.factories import PersonFactory
from .workshops.factories import EnrolmentFactory, SessionFactory, WorkshopFactory


def visible(user, centre):
    return set(policy.people_visible_to(user, centre).values_list("last_name", flat=True))


def test_it_shows_each_role_the_people_of_its_rule(centre, users, referred):
    theirs = WorkshopFactory(centre=centre)
    theirs.facilitators.add(users[Role.FACILITATOR])
    someone_elses = WorkshopFactory(centre=centre)
    someone_elses.facilitators.add(member(centre, Role.FACILITATOR))
    for name, workshop, status in [
        ("Inscrite", theirs, EnrolmentStatus.ACTIVE),
        ("Attente", theirs, EnrolmentStatus.WAITING),
        ("Partie", theirs, EnrolmentStatus.ENDED),
        ("Ailleurs", someone_elses, EnrolmentStatus.ACTIVE),
    ]:
        EnrolmentFactory(
            workshop=workshop, status=status, person=PersonFactory(centre=centre, last_name=name)
        )
    archived = PersonFactory(centre=centre, archived_on=datetime.date(2026, 6, 1))
    EnrolmentFactory(workshop=theirs, person=archived)
    everyone = {"Lefèvre", "Inscrite", "Attente", "Partie", "Ailleurs"}

    assert visible(users[Role.COORDINATOR], centre) == everyone
    assert visible(users[Role.FACILITATOR], centre) == {"Inscrite"}
    assert visible(users[Role.PARTNER_WORKER], centre) == {"Lefèvre"}
    for actor in [Role.DIRECTOR, Role.ADMIN, "outsider", "disabled"]:
        assert visible(users[actor], centre) == set(), actor


def test_it_names_the_people_a_partner_worker_referred(centre, users, referred):
    PersonFactory(centre=centre, last_name="Autre")
    assert list(Person.objects.referred_by(users[Role.PARTNER_WORKER])) == [referred.person]
    assert not Person.objects.referred_by(users[Role.COORDINATOR]).exists()


def test_it_names_the_sessions_and_enrolments_of_the_workshops_a_user_runs(centre, users):
    facilitator = users[Role.FACILITATOR]
    theirs = WorkshopFactory(centre=centre)
    theirs.facilitators.add(facilitator)
    mine = SessionFactory(workshop=theirs)
    SessionFactory(workshop=WorkshopFactory(centre=centre))
    enrolment = EnrolmentFactory(workshop=theirs)
    EnrolmentFactory(workshop__centre=centre)

    assert list(Session.objects.run_by(facilitator)) == [mine]
    assert list(Session.objects.run_by(facilitator.pk)) == [mine]
    assert list(Enrolment.objects.in_workshops_run_by(facilitator)) == [enrolment]


def test_it_fences_rows_to_the_centres_the_user_is_a_member_of(centre, other_centre, users):
    ours = ProgrammeFactory(centre=centre)
    ProgrammeFactory(centre=other_centre)
    # A role that opens no file still belongs to the centre: the fence is not a role rule.
    assert list(Programme.objects.of_member_centres(users[Role.DIRECTOR])) == [ours]
    assert not Programme.objects.of_member_centres(AnonymousUser()).exists()
    assert list(Centre.objects.with_member(users[Role.DIRECTOR])) == [centre]
    assert list(Centre.objects.with_member(users["outsider"])) == [other_centre]
    assert not Centre.objects.with_member(AnonymousUser()).exists()


def test_it_gives_each_role_its_home_page(centre, users):
    pages = {role: policy.home_page_for(users[role], centre) for role in Role}
    assert {role: page.name for role, page in pages.items()} == {role: role.value for role in Role}
    assert [role for role, page in pages.items() if page.work_lists] == [Role.COORDINATOR]
    assert [role for role, page in pages.items() if page.own_sessions] == [Role.FACILITATOR]
    assert [role for role, page in pages.items() if page.referred_people] == [Role.PARTNER_WORKER]
    assert {role for role, page in pages.items() if page.figures} == {Role.DIRECTOR, Role.ADMIN}


def test_it_shows_the_people_and_the_calendar_from_the_roles_own_side(centre, users):
    def roles(rule):
        return {role for role in Role if rule(users[role], centre)}

    assert roles(policy.sees_people_as_their_facilitator) == {Role.FACILITATOR}
    assert roles(policy.sees_people_as_their_referrer) == {Role.PARTNER_WORKER}
    assert roles(policy.calendar_opens_on_own_workshops) == {Role.FACILITATOR}
    assert not policy.calendar_opens_on_own_workshops(users["outsider"], centre)
