"""No role narrows a list by information it cannot read.

Every list page with filters or a sort, every parameter it knows (each filter with
each of its values, each sort, and a name no list knows), every role that opens the
page: a parameter the policy does not allow that role returns exactly the rows, in
the same order, as the page without it, and the page says it was ignored. The rows
a role may not see are the access matrix's business (tests/test_access_matrix.py).
"""

import datetime

import pytest
from django.urls import reverse

from parcours import policy
from parcours.core.filters import SORT
from parcours.partners.enums import PartnerKind, Theme
from parcours.partners.filters import PartnerFilter
from parcours.people import services as people_services
from parcours.people.enums import Benefit, PersonStatus
from parcours.people.filters import PersonFilter

from .conftest import ROLES
from .partners.factories import PartnerFactory
from .people.factories import NeighbourhoodFactory, PersonFactory
from .workshops.factories import EnrolmentFactory, SessionFactory, WorkshopFactory

UNKNOWN = ("inconnu", "1")


@pytest.fixture
def world(centre, users):
    """People the facilitator and the partner worker both see, told apart by what
    neither reads: their referring structure (an alcohol and a mental health service),
    benefit, situation, neighbourhood and birth date."""
    vie_libre = PartnerFactory(centre=centre, name="Vie libre", kind=PartnerKind.CSAPA)
    cmp = PartnerFactory(centre=centre, name="CMP de Thionville", theme_health=True)
    east = NeighbourhoodFactory(centre=centre, name="Quartier-Est")
    workshop = WorkshopFactory(centre=centre, name="Cuisine")
    workshop.facilitators.add(users["facilitator"])
    SessionFactory(workshop=workshop, date=datetime.date(2026, 3, 2))
    people = [
        PersonFactory(
            centre=centre,
            last_name="Alcool",
            benefit=Benefit.RSA,
            neighbourhood=east,
            birth_date=datetime.date(1990, 1, 1),
        ),
        PersonFactory(
            centre=centre,
            last_name="Psy",
            benefit=Benefit.AAH,
            birth_date=datetime.date(1960, 1, 1),
        ),
        PersonFactory(centre=centre, last_name="Zèbre", birth_date=datetime.date(1975, 1, 1)),
    ]
    for person, partner in zip(people, [vie_libre, cmp, None], strict=True):
        EnrolmentFactory(workshop=workshop, person=person)
        people_services.referral_receive(
            centre=centre,
            person=person,
            by=users["coordinator"],
            referrer_user=users["partner_worker"],
            partner=partner,
            received_on=datetime.date(2026, 9, 1),
            reason="Orientation.",
        )
    # The statuses differ once one of them is admitted or active.
    type(people[1]).objects.filter(pk=people[1].pk).update(status=PersonStatus.ACTIVE)
    return {"partners": [vie_libre, cmp], "neighbourhood": east, "people": people}


def _filter_values(filterset_class, **kwargs):
    """(parameter, value) pairs: each filter with each of its own values, and a name."""
    pairs = [UNKNOWN]
    # Read from the filters' arguments: building their form fields here would keep
    # them, empty querysets and all, in every filterset copied from the class.
    for name, found in filterset_class.base_filters.items():
        if name == "q":
            pairs += [(name, "a"), (name, "psy")]
        elif "queryset" in found.extra:
            pairs += [(name, str(pk)) for pk in kwargs[name]]
        else:
            pairs += [(name, str(key)) for key, _label in found.extra["choices"] if key]
    return pairs


def _people_parameters(world):
    return _filter_values(
        PersonFilter,
        neighbourhood=[world["neighbourhood"].pk],
        referrer=[p.pk for p in world["partners"]],
    )


def _partner_parameters(world):
    return _filter_values(PartnerFilter)


def _trail_parameters(world):
    return [UNKNOWN, ("personne", str(world["people"][0].pk)), ("type", "1"), ("objet", "1")]


def _calendar_parameters(world):
    return [UNKNOWN, ("mois", "2026-03"), ("mes", "1"), ("mes", "0")]


def _rows(context):
    found = context["page"] if "page" in context else context["sessions"]
    return [row.pk for row in found]


# Every list page with filters or a sort: url name, its parameters, its policy rule.
PAGES = {
    "people:list": (_people_parameters, policy.people_list_filters_for),
    "partners:list": (_partner_parameters, policy.partner_list_filters_for),
    "audit:trail": (_trail_parameters, policy.audit_trail_filters_for),
    "workshops:sessions": (_calendar_parameters, policy.calendar_filters_for),
}
EVERYTHING = object()
NAME_ONLY = {"q", ("tri", "nom"), ("tri", "-nom")}
# What each role reads of each list's rows, said here apart from the policy (GLOSSARY.md
# and the lists' columns): a facilitator reads the names and phones of the people of
# their workshops, a partner worker the names of the people they referred and the rest
# only where each person agreed. The directory, the trail and the calendar show their
# readers everything they narrow by.
READABLE = {
    "people:list": {
        "coordinator": EVERYTHING,
        "facilitator": NAME_ONLY,
        "partner_worker": NAME_ONLY,
    },
    "partners:list": dict.fromkeys(ROLES, EVERYTHING),
    "audit:trail": dict.fromkeys(ROLES, EVERYTHING),
    "workshops:sessions": dict.fromkeys(ROLES, EVERYTHING),
}


def _allowed(rule, name, value):
    if name == SORT:
        return value in rule.sorts
    return rule.allows(name)


def _readable(url_name, role, name, value):
    readable = READABLE[url_name].get(role, set())
    if (name, value) == UNKNOWN:
        return False
    return readable is EVERYTHING or name in readable or (name, value) in readable


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", PAGES)
def test_it_lets_no_role_narrow_a_list_by_what_it_cannot_read(
    client_for, users, centre, world, url_name, role
):
    parameters, rule_for = PAGES[url_name]
    url = reverse(url_name)
    client = client_for(role)
    plain = client.get(url)
    if plain.status_code != 200:
        # A role refused the list narrows nothing, whatever it sends.
        assert plain.status_code == 403
        for name, value in parameters(world):
            assert client.get(url, {name: value}).status_code == 403, (name, value)
        return
    rule = rule_for(users[role], centre)
    everyone = _rows(plain.context)
    for name, value in parameters(world):
        response = client.get(url, {name: value})
        assert response.status_code == 200
        if _readable(url_name, role, name, value):
            continue
        assert not _allowed(rule, name, value), (name, value)
        assert _rows(response.context) == everyone, (name, value)
        assert "ignoré" in response.content.decode(), (name, value)


def test_it_shows_each_role_only_the_filters_and_sorts_it_may_use(client_for, world):
    for role, rule in policy.PEOPLE_LIST_FILTERS.items():
        form = client_for(role).get(reverse("people:list")).context["filterset"].form
        assert set(form.fields) == rule.filters | {SORT}, role
        assert {key for key, _label in form.fields[SORT].choices} == rule.sorts, role


def test_it_says_which_filter_a_facilitator_cannot_use(client_for, world):
    vie_libre = world["partners"][0]
    response = client_for("facilitator").get(
        reverse("people:list"), {"referrer": vie_libre.pk, "benefit": "rsa"}
    )
    assert len(response.context["page"]) == 3
    assert "Filtres ignorés : Orientée par, Ressources." in response.content.decode()


def test_it_narrows_the_coordinators_list_by_every_filter(client_for, world):
    """The filters the coordinator keeps all work, « Ressources » included."""
    client = client_for("coordinator")
    url = reverse("people:list")
    everyone = _rows(client.get(url).context)
    narrowing = {
        name
        for name, value in _people_parameters(world)
        if name not in {SORT, UNKNOWN[0]}
        and _rows(client.get(url, {name: value}).context) != everyone
    }
    assert narrowing == {"q", "status", "neighbourhood", "referrer", "benefit"}


def test_it_lets_every_member_narrow_the_partner_directory(client_for, world):
    for role in ("coordinator", "facilitator", "partner_worker", "director", "admin"):
        response = client_for(role).get(reverse("partners:list"), {"theme": Theme.HEALTH})
        assert _rows(response.context) == [world["partners"][1].pk], role
