"""Playwright fixtures: Debian's chromium, launched once per test module."""

import threading
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import sync_playwright

from .helpers import fail_or_skip

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every test creates users and logs in; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module.

    Playwright's sync API keeps an asyncio loop running in the test thread while it is alive,
    and Django then refuses every ORM call from that thread (SynchronousOnlyOperation). The
    variable that allows them is set only for that time, and the loop stops at the end of the
    module: set for the whole process, it leaked into other tests on the same xdist worker
    (a subprocess running `manage.py check --deploy` reported async.E001).
    """
    if not CHROMIUM.exists():
        fail_or_skip(f"{CHROMIUM} missing (apt-get install chromium; never `playwright install`)")
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as playwright:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class RequestsInFlight:
    """Counts the requests the live server (a thread of this process) is still handling.

    A test may end while a page's htmx panels are still loading. The server thread then keeps
    querying the database while the test's teardown truncates every table, and PostgreSQL
    reports a deadlock (CI failed this way). Teardown waits for the count to reach zero.
    `request_finished` is sent after Django has closed the request's database connection.
    """

    def __init__(self) -> None:
        self.count = 0
        self.idle = threading.Condition()

    def started(self, **kwargs) -> None:
        with self.idle:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def __enter__(self):
        request_started.connect(self.started, weak=False)
        request_finished.connect(self.finished, weak=False)
        return self

    def __exit__(self, *exc_info) -> None:
        request_started.disconnect(self.started)
        request_finished.disconnect(self.finished)

    def wait_until_none(self, timeout: float) -> None:
        with self.idle:
            if not self.idle.wait_for(lambda: self.count <= 0, timeout=timeout):
                pytest.fail(f"the live server still handles {self.count} request(s)")


@pytest.fixture(autouse=True)
def _live_requests_settle(live_server, transactional_db):
    """Before the tables are flushed, wait for the live server's requests to finish.

    Set up after `transactional_db`, so torn down before its flush; set up before `page`, so
    torn down after the browser context is closed and no new request can start.
    """
    with RequestsInFlight() as in_flight:
        yield
        in_flight.wait_until_none(timeout=30)


@pytest.fixture
def page(browser, live_server, legal_parameters_rows):
    """A fresh browser context (no cookies) per test, in Polish, pointed at the live server."""
    context = browser.new_context(locale="pl-PL", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Irreversible actions ask for confirmation; the user in these tests says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
