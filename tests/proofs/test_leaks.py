"""The confidential section never leaves the coordinator's screen.

Markers sit in the health, addiction and violence fields of every person of a centre
full of data (tests/proofs/world.py). Each role crawls every page it can reach from every
URL of the access matrix, following links, htmx requests, searches and filters down to
the PDF, spreadsheet, CSV and JSON exports: the markers appear in none of the responses
served to the facilitator, the partner worker, the director or the admin, but for one
act of the admin: the export that answers an archived person's right of access, which
holds their whole file (GDPR art. 15), audited and behind a fresh code. The coordinator
may read them, and then submits every form they are shown: no audit row, no security
event, no row of any table and no log record ever holds a marker in clear.
"""

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent, SecurityEvent

from ..access import ACTORS
from ..test_access_matrix import MATRIX
from .conftest import logged_text, marked_rows
from .crawl import SKIPPED_NAMES, crawl, url_name
from .world import CONFIDENTIAL_FIELDS, MARKED, MARKER

READERS_WITHOUT_CONFIDENTIAL = ("facilitator", "partner_worker", "director", "admin")
# The admin's answer to an archived person's right of access (see the docstring).
RIGHT_OF_ACCESS = {"privacy:export_pdf", "privacy:export_json"}


def assert_case_page_headers(url, response):
    """Every page of a logged-in user: never stored, CSP, HSTS (requests are HTTPS)."""
    if response.status_code != 200:
        return
    headers = response.headers
    assert "no-store" in headers.get("Cache-Control", ""), url
    assert "max-age=" in headers.get("Strict-Transport-Security", ""), url
    assert "includeSubDomains" in headers["Strict-Transport-Security"], url
    if "text/html" in headers.get("Content-Type", ""):
        assert "script-src" in headers.get("Content-Security-Policy", ""), url


def leaks(result):
    return [
        (url, response.status_code)
        for url, response, text in result.responses
        if MARKED.search(text)
    ]


@pytest.mark.parametrize("actor", READERS_WITHOUT_CONFIDENTIAL)
def test_no_marker_reaches_a_role_without_the_confidential_section(
    client_for, world, actor, every_log, production_headers
):
    result = crawl(client_for(actor), world["seeds"], secure=True)
    found = leaks(result)
    if actor == "admin":
        answers = [(url, status) for url, status in found if url_name(url) in RIGHT_OF_ACCESS]
        assert {url_name(url) for url, _ in answers} == RIGHT_OF_ACCESS
        found = [leak for leak in found if leak not in answers]
    assert found == []
    for url, response, _text in result.responses:
        assert_case_page_headers(url, response)
    # Every page the matrix opens to the role was read (a login step the role cannot
    # pass would leave nothing to find), and the crawl went past the seeds.
    granted = {
        url
        for name, method, url, _data in world["requests"]
        if method == "get" and MATRIX[name][2][ACTORS.index(actor)] == 200
    }
    statuses = {url: response.status_code for url, response, _ in result.responses}
    assert {url: statuses.get(url) for url in granted} == dict.fromkeys(granted, 200)
    reached = {
        url_name(url) for url, response, _ in result.responses if response.status_code == 200
    }
    assert len(reached) > 5, reached
    assert MARKER not in logged_text(every_log).lower()
    # Nor in any row the crawl wrote (its audited reads and exports, above all).
    assert marked_rows()[0] == []


def assert_the_crawl_reaches_files_exports_and_searches(result):
    """The crawler is only a proof if it reaches the pages where a leak would be."""
    read = [(url, response) for url, response, _ in result.responses]
    types = {response.headers.get("Content-Type", "").split(";")[0] for _, response in read}
    assert {"application/pdf", "text/csv", "application/json"} <= types, types
    assert any("spreadsheetml" in t for t in types), types
    assert any("q=T%C3%A9moin" in url for url, _ in read)
    assert any(response.request.get("HTTP_HX_REQUEST") for _, response in read)
    # The coordinator does see the markers, on the confidential page: the search for
    # them works.
    assert leaks(result)


def _submitted(form, n):
    """The form as shown, the confidential fields given fresh markers."""
    data = {}
    for name, value, kind, options in form.fields:
        if name in CONFIDENTIAL_FIELDS:
            value = f"{MARKER}posted{name}{n}zq"
        elif kind in ("checkbox", "radio") and value is None:
            continue
        elif kind == "select" and value is None:
            value = next((option for option in options if option), "")
        elif kind == "select-multiple":
            value = [value] if value else []
        data.setdefault(name, [])
        data[name] += value if isinstance(value, list) else [value]
    return data


def test_the_coordinators_reads_and_writes_leave_no_marker_in_trails_or_logs(
    client_for, world, every_log, production_headers
):
    client = client_for("coordinator")
    result = crawl(client, world["seeds"], secure=True)
    assert_the_crawl_reaches_files_exports_and_searches(result)
    for url, response, _text in result.responses:
        assert_case_page_headers(url, response)
    # The case pages are among the pages whose headers were checked.
    case_pages = {"people:detail", "people:confidential", "pathways:pathway"}
    case_pages |= {"people:referral_detail", "people:export", "reports:export"}
    read = {url_name(url) for url, response, _ in result.responses if response.status_code == 200}
    assert case_pages <= read
    sent = set()
    for n, (_page, form) in enumerate(result.post_forms):
        key = (url_name(form.action), tuple(sorted(f[0] for f in form.fields)))
        if url_name(form.action) in SKIPPED_NAMES or key in sent:
            continue
        sent.add(key)
        response = client.post(form.action, _submitted(form, n), secure=True)
        assert response.status_code < 500, form.action
    assert any(name == "people:confidential_edit" for name, _ in sent)
    # Reads of the confidential section and its edits were audited, without the text.
    assert AuditEvent.objects.exists()
    found, scanned = marked_rows()
    assert found == []
    assert {AuditEvent._meta.db_table, SecurityEvent._meta.db_table} <= scanned
    assert MARKER not in logged_text(every_log).lower()


def test_a_search_for_a_marker_finds_nobody(client_for, world):
    """Searching the confidential text would reveal it: it is not searchable."""
    person = world["rich"][0]
    word = f"{MARKER}health{person.pk}zq"
    for actor in ("coordinator", "facilitator", "partner_worker"):
        response = client_for(actor).get(reverse("people:list"), {"q": word})
        assert response.status_code == 200
        assert person.last_name not in response.content.decode()


def _shown(form):
    """(name, value) of every filter a list's form offers, each of its choices."""
    for name, field in form.fields.items():
        choices = getattr(field, "choices", None)
        if choices is None:
            yield name, "t"
            continue
        yield from ((name, str(value)) for value, _label in choices if str(value))


@pytest.mark.parametrize("actor", ("facilitator", "partner_worker"))
def test_a_filter_a_role_is_not_shown_narrows_none_of_its_lists(client_for, world, actor):
    """The crawl submits the filters each role is shown; forged ones (those of the
    coordinator's form, each with every value it offers: referring structures such as
    the CMP, benefits, neighbourhoods, sorts by birth date) list exactly the same people
    in the same order, and the page says they were ignored."""
    url = reverse("people:list")
    forged = set(_shown(client_for("coordinator").get(url).context["filterset"].form))
    client = client_for(actor)
    plain = client.get(url)
    forged -= set(_shown(plain.context["filterset"].form))
    assert {name for name, _value in forged} >= {"referrer", "benefit", "tri"}
    listed = [person.pk for person in plain.context["page"]]
    assert listed
    for name, value in sorted(forged):
        response = client.get(url, {name: value})
        assert [person.pk for person in response.context["page"]] == listed, (name, value)
        assert "ignoré" in response.content.decode(), (name, value)
