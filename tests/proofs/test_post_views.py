"""Every form a user is shown, posted back with generated values: never a server error.

The forms are those the crawler finds on the pages of the coordinator, the admin and
the facilitator (tests/proofs/crawl.py), plus the POST entries of the access matrix;
each field is filled from its HTML kind (its options for a list, numbers, dates, text,
files). A sample per form — the thousand examples per form run on the form classes
themselves (test_forms.py), far faster than through HTTP.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .crawl import SKIPPED_NAMES, crawl, url_name
from .strategies import (
    DATES,
    DATETIMES,
    EMAILS,
    HOSTILE,
    PHONES,
    TEXT,
    TIMES,
    URLS,
    NoStrategy,
    integers,
    text,
    uploads,
)

EXAMPLES_PER_FORM = 10
ACTORS = ("coordinator", "admin", "facilitator")
BY_KIND = {
    "text": text(),
    "textarea": text(),
    "search": text(),
    "hidden": st.one_of(HOSTILE, TEXT, integers()),
    "password": text(),
    "email": EMAILS,
    "tel": PHONES,
    "url": URLS,
    "number": integers(),
    "date": DATES,
    "time": TIMES,
    "datetime-local": DATETIMES,
}


def field_values(kind, value, options):
    """The list of values a browser may post for one field."""
    if kind in ("select", "select-multiple", "checkbox", "radio"):
        choices = st.one_of(st.sampled_from(options or [""]), HOSTILE, TEXT)
        if kind in ("select-multiple", "checkbox"):
            return st.lists(choices, max_size=3)
        return st.one_of(st.just([]), choices.map(lambda v: [v]))
    if kind == "file":
        return uploads().map(lambda upload: [upload])
    if kind not in BY_KIND:
        raise NoStrategy(f"aucune stratégie pour un champ <input type={kind}>")
    return st.one_of(st.just([]), st.just([value or ""]), BY_KIND[kind].map(lambda v: [v]))


def posted_forms(result, world, done):
    """One form per view not in `done` (a view is the same code whatever the row or
    the actor): the crawled ones, then the matrix's."""
    found = {}
    for _page, form in result.post_forms:
        if url_name(form.action) in SKIPPED_NAMES | done:
            continue
        fields = {}
        for name, value, kind, options in form.fields:
            previous = fields.get(name)
            if previous and kind in ("checkbox", "radio"):
                previous[2].extend(options)
            else:
                fields[name] = [kind, value, list(options)]
        found.setdefault(url_name(form.action), (form.action, fields))
    for name, method, url, data in world["requests"]:
        if method == "post" and name not in SKIPPED_NAMES | done:
            fields = {key: ["text", str(value), []] for key, value in (data or {}).items()}
            found.setdefault(name, (url, fields))
    return found


def fuzz(client, actor, action, fields):
    """Post `action` EXAMPLES_PER_FORM times, each rolled back."""
    strategy = st.fixed_dictionaries(
        {
            name: field_values(kind, value, options)
            for name, (kind, value, options) in fields.items()
        }
    )

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(posted=strategy)
    def check(posted):
        data = {name: found for name, found in posted.items() if found}
        with transaction.atomic():
            response = client.post(action, data)
            assert response.status_code < 500, (actor, action, data)
            transaction.set_rollback(True)

    check()


def test_every_posted_form_is_answered_without_a_server_error(client_for, world):
    done = set()
    for actor in ACTORS:
        client = client_for(actor)
        forms = posted_forms(crawl(client, world["seeds"]), world, done)
        for name, (action, fields) in forms.items():
            fuzz(client, actor, action, fields)
            done.add(name)
    assert {"people:confidential_edit", "workshops:mark", "centres:member_add"} <= done


def test_a_field_of_an_unknown_kind_is_flagged():
    with pytest.raises(NoStrategy):
        field_values("color", "", [])
