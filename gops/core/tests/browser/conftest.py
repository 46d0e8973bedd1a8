"""Playwright fixtures: Debian's chromium, launched once per test module."""

from pathlib import Path

import pytest
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
