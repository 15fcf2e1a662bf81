"""Another centre's objects stay out of reach, whatever id is typed in.

Two centres full of data (tests/proofs/world.py). Every URL of the access matrix that
takes an object of the centre is asked, by each role of this centre, for the other
centre's object of the same kind: 404, or 403 where the matrix refuses the role before
any lookup. Then hypothesis draws URLs, roles and ids among every row the other centre
holds (any model), in the URL or in the posted data: never a server error, never a
response showing the other centre's data (every name there carries OTHER_TOKEN).
"""

import pytest
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..access import ACTORS
from ..test_access_matrix import MATRIX
from .conftest import OTHER_TOKEN
from .crawl import SKIPPED_NAMES, body_text, matrix_requests

ROLES = ("coordinator", "facilitator", "partner_worker", "director", "admin")
OUTSIDER = ACTORS.index("outsider")
# The matrix's outsider is the coordinator of another centre: where it finds nothing,
# the URL is about an object of the centre.
OBJECT_URLS = sorted(
    name
    for name, (build, _method, expected) in MATRIX.items()
    if build and expected[OUTSIDER] == 404 and name not in SKIPPED_NAMES
)


def expected_statuses(name, actor):
    """404; 403 also where the matrix refuses the role on the centre's own object."""
    own = MATRIX[name][2][ACTORS.index(actor)]
    return {403, 404} if own == 403 else {404}


def send(client, method, url, data):
    if method == "post":
        return client.post(url, data or {})
    return client.get(url)


def test_no_role_reaches_an_object_of_another_centre(client_for, world, other_world):
    wrong, asked = [], set()
    requests = matrix_requests(other_world, methods=("get", "post"))
    for actor in ROLES:
        client = client_for(actor)
        for name, method, url, data in requests:
            if name not in OBJECT_URLS and name not in INT_URLS:
                continue
            asked.add(name)
            response = send(client, method, url, data)
            if response.status_code not in expected_statuses(name, actor):
                wrong.append((name, actor, response.status_code))
    assert wrong == []
    # Every URL that takes an id was asked, those the outsider is refused by role
    # before any lookup (the admin's archive, the team) included.
    assert set(INT_URLS) <= asked


def _int_patterns():
    """url name -> number of int arguments, from the resolver (every pattern, the ones
    other branches add included)."""
    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                converters = pattern.pattern.converters.values()
                ints = [c for c in converters if c.regex == "[0-9]+"]
                if ints and len(ints) == len(converters):
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                    found[name] = len(ints)

    walk(get_resolver().url_patterns, "")
    return {n: count for n, count in found.items() if n in MATRIX and n not in SKIPPED_NAMES}


INT_URLS = _int_patterns()


def test_object_urls_are_found():
    assert len(OBJECT_URLS) > 30
    assert {"people:detail", "pathways:pathway", "workshops:session"} <= set(OBJECT_URLS)
    assert {"people:detail", "pathways:appointment", "reports:export"} <= set(INT_URLS)


@pytest.mark.parametrize("actor", ROLES)
def test_ids_of_another_centre_drawn_at_random_show_nothing_of_it(
    client_for, world, other_world, actor
):
    client = client_for(actor)
    ids = st.sampled_from(other_world["ids"])
    own = {name: (method, url, data) for name, method, url, data in world["requests"]}

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(name=st.sampled_from(sorted(INT_URLS)), data=st.data())
    def check(name, data):
        method = MATRIX[name][1]
        if data.draw(st.booleans(), label="ids in the URL"):
            args = [data.draw(ids) for _ in range(INT_URLS[name])]
            url, posted = reverse(name, args=args), own[name][2]
        else:
            # This centre's URL, the other centre's ids in the posted fields.
            _method, url, posted = own[name]
            posted = {
                key: data.draw(ids) if str(value).isdigit() else value
                for key, value in (posted or {}).items()
            }
        response = send(client, method, url, posted)
        assert response.status_code < 500
        assert OTHER_TOKEN not in body_text(response).lower(), (name, url)

    check()
