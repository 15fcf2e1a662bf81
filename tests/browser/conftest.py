"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Playwright cannot download its own browsers here, so the system chromium is used. On a
machine without it these tests skip and say why; CI installs it and sets
PARCOURS_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = "chromium is not installed (apt-get install chromium; .ci/run does it)"
        if os.environ.get("PARCOURS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread for the whole
    # session; the ORM calls the tests and their teardown make there are still plain
    # synchronous calls.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # A 10-inch tablet in landscape: the team works on tablets in workshop rooms.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def accessible():
    """`accessible(page)` runs axe-core on the page and fails on any serious or
    critical violation, or on a Content-Security-Policy violation logged so far."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        assert serious == [], page.url
        assert page.csp_violations == [], page.url

    return check
