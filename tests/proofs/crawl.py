"""Reach every page an actor can reach, read every response as text (PDF and .xlsx
included), and find the forms on the pages.

The seeds are every URL of the access matrix (so a new URL is crawled as soon as it has
its matrix entry); from there the crawler follows links, htmx requests and GET forms
(filters, searches), so exports, search results and htmx partials are reached the way a
user reaches them.
"""

import dataclasses
import io
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import openpyxl
from django.urls import Resolver404, resolve, reverse

from ..test_access_matrix import MATRIX
from ..workshops.test_sheets import pdf_text

# The Django admin spans every centre and no centre role opens it (test_access_matrix).
SKIPPED_PREFIXES = ("/static/", "/admin/")
# Leaving or switching the session would end the crawl, not test a page.
SKIPPED_NAMES = {"accounts:logout", "centres:switch"}
# Pages, filters and sorts of one list are the same view: a few variants are enough.
VARIANTS_PER_PATH = 8
# A value typed in every search box: the rich people's family name (tests/proofs/world).
SEARCH_TEXT = "Témoin"


@dataclasses.dataclass
class Form:
    method: str
    action: str
    fields: list  # (name, value, kind, options)
    htmx: bool = False


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (url, htmx)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None
        # An element outside any form that sends its own inputs with htmx (a live
        # duplicate check): read as a GET form; [tag, depth] while inside it.
        self._included = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._included is not None and tag == self._included[0]:
            self._included[1] += 1
        elif tag != "form" and attrs.get("hx-get") and attrs.get("hx-include") == "this":
            self._included = [tag, 1, self._form]
            self._form = Form("get", attrs["hx-get"], [], True)
            self.forms.append(self._form)
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], False))
        for attribute in ("hx-get",):
            if attrs.get(attribute):
                self.links.append((attrs[attribute], True))
        if tag == "form":
            method = "post" if (attrs.get("method") or "get").lower() == "post" else "get"
            action = attrs.get("action") or attrs.get("hx-post") or attrs.get("hx-get") or ""
            htmx = any(a in attrs for a in ("hx-post", "hx-get"))
            if attrs.get("hx-post"):
                method = "post"
            self._form = Form(method, action, [], htmx)
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form.fields.append((name, None, kind, [attrs.get("value", "on")]))
            elif kind not in ("submit", "button", "image", "reset"):
                self._form.fields.append((name, attrs.get("value", ""), kind, []))
        elif tag == "select" and name:
            self._select = [name, None, "select-multiple" if "multiple" in attrs else "select", []]
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select[3].append(value)
            if "selected" in attrs and self._select[1] is None:
                self._select[1] = value
        elif tag == "textarea" and name:
            self._textarea = [name, "", "textarea", []]
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._included is not None and tag == self._included[0]:
            self._included[1] -= 1
            if self._included[1] == 0:
                self._form = self._included[2]
                self._included = None
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(text):
    parser = PageParser()
    parser.feed(text)
    return parser


def body_text(response):
    """What a person reads in the response: HTML, text, CSV, JSON, iCal, the text of a
    PDF, the cells of a spreadsheet; with the headers (a file name is read too)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.headers.get("Content-Type", "")
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    if "pdf" in content_type:
        text = pdf_text(content)
    elif "spreadsheetml" in content_type:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        text = "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
        workbook.close()
    else:
        # The markers are ASCII: whatever the declared encoding, they read the same.
        text = content.decode("utf-8", errors="replace")
    return headers + "\n" + text


def matrix_requests(objects, *, methods=("get",)):
    """(name, method, url, data) of every matrix entry, its arguments built from
    `objects`; a builder returning a dict gives POST data with its URL args."""
    found = []
    for name, (build, method, _expected) in sorted(MATRIX.items()):
        if method not in methods or name in SKIPPED_NAMES:
            continue
        built = build(objects) if build else None
        data = None
        if isinstance(built, dict):
            data = dict(built)
            built = data.pop("args", None)
        found.append((name, method, reverse(name, args=built), data))
    return found


def url_name(url):
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def _internal(base, href):
    if href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "testserver":
        return None
    path = parts.path
    if path.startswith(SKIPPED_PREFIXES) or url_name(path) in SKIPPED_NAMES:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _get_form_queries(form):
    """Two submissions of a GET form: as shown, and with every text box searching."""
    shown, searching = [], []
    for name, value, kind, options in form.fields:
        if kind in ("checkbox", "radio") and value is None:
            continue
        if kind == "select-multiple":
            continue
        value = value if value is not None else (options[0] if options else "")
        shown.append((name, value))
        typed = kind in ("text", "search", "textarea")
        searching.append((name, SEARCH_TEXT if typed else value))
    return [urlencode(shown), urlencode(searching)]


@dataclasses.dataclass
class Crawl:
    responses: list  # (url, response, text)
    post_forms: list  # (page url, Form)


def crawl(client, seeds, *, limit=600, secure=False):
    """Breadth-first from `seeds` (URLs), every response read as text."""
    queue = deque((url, False) for url in seeds)
    seen, per_path = set(), defaultdict(int)
    result = Crawl([], [])
    while queue and len(result.responses) < limit:
        url, htmx = queue.popleft()
        if (url, htmx) in seen:
            continue
        path = urlsplit(url).path
        if "?" in url and per_path[path] >= VARIANTS_PER_PATH:
            continue
        seen.add((url, htmx))
        per_path[path] += 1
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = client.get(url, secure=secure, **extra)
        text = body_text(response)
        result.responses.append((url, response, text))
        if response.status_code != 200 or "text/html" not in response.headers.get(
            "Content-Type", ""
        ):
            continue
        page = parse_page(text)
        for href, is_htmx in page.links:
            found = _internal(url, href)
            if found:
                queue.append((found, is_htmx))
        for form in page.forms:
            action = _internal(url, form.action or url)
            if action is None:
                continue
            if form.method == "get":
                for query in _get_form_queries(form):
                    queue.append((f"{urlsplit(action).path}?{query}", form.htmx))
            else:
                result.post_forms.append((url, dataclasses.replace(form, action=action)))
    return result
