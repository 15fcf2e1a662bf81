"""Every page that shows one person's file writes an audit row of that reading.

The crawl opens every GET URL of the access matrix as each role that reads files, and
for each person whose name the page shows, asks for a row of kind ACCESS naming that
person, written by that request. Pages that name many people (lists, a session's
attendance) are the exceptions below, each with its reason; the README says the same.
Binary answers (PDF, spreadsheets) are not searched for names: each is audited by its
own view (an export or an attendance record, one row per person it names; a sign-in
sheet, one row for its session).
"""

import pytest
from django.db.models import Max

from parcours.audit.models import AuditEvent
from parcours.people.models import Person

from ..pathways.access_relays import make_relay
from ..test_access_matrix import MATRIX, build_objects, request_entry

# Pages that name many people: a row per name on every view would bury the trail of
# the files actually read under the lists one scrolls; the reading of a file is the
# file's page, audited.
MANY_PEOPLE = {
    "dashboard:home": "the home page of a role names the people of its day",
    "people:list": "the list of people, searched or not",
    "people:referrals": "the open referrals",
    "workshops:detail": "a workshop's enrolled people",
    "workshops:enrol": "the people one may enrol in a workshop",
    "workshops:session": "a session's enrolled people and their attendance",
    "pathways:relays": "the list of relays",
    "pathways:case_review_create": "the people a case review may discuss",
}

READERS = ("coordinator", "facilitator", "partner_worker")
TEXT_TYPES = ("text/", "application/json")


def _names(person):
    return (
        person.last_name.upper(),
        f"{person.first_name} {person.last_name}",
        f"{person.last_name} {person.first_name}",
    )


def _shown(response, people):
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return []
    body = response.content.decode()
    return [person for person in people if any(name in body for name in _names(person))]


def _last_event_pk():
    return AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0


@pytest.mark.parametrize("actor", READERS)
def test_it_audits_every_page_that_shows_one_persons_file(
    client_for, centre, users, place, programme, actor
):
    objects = build_objects(centre, users, place, programme)
    client = client_for(actor)
    unaudited = []
    for name, (build, method, _) in sorted(MATRIX.items()):
        if method != "get" or name in MANY_PEOPLE:
            continue
        before = _last_event_pk()
        response = request_entry(client, name, build, method, objects)
        if response.status_code != 200:
            continue
        # Read after the request: a builder may have added someone to the centre.
        people = Person.objects.filter(centre=centre)
        read = set(
            AuditEvent.objects.filter(
                pk__gt=before, action=AuditEvent.Action.ACCESS, actor=users[actor]
            ).values_list("person_id", flat=True)
        )
        unaudited += [(name, str(p)) for p in _shown(response, people) if p.pk not in read]
    assert not unaudited, "\n".join(sorted({n for n, _ in unaudited}))


def test_it_exempts_only_pages_that_name_people(client_for, centre, users, place, programme):
    objects = build_objects(centre, users, place, programme)
    make_relay(objects)  # else the list of relays is empty
    people = list(Person.objects.filter(centre=centre))
    naming = set()
    for actor in READERS:
        client = client_for(actor)
        for name in MANY_PEOPLE:
            response = request_entry(client, name, *MATRIX[name][:2], objects)
            if response.status_code == 200 and _shown(response, people):
                naming.add(name)
    assert naming == set(MANY_PEOPLE)
