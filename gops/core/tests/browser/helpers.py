"""What the browser tests share: their markers, logging in, and the accessibility check."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

from gops.accounts.tests.factories import TEST_PASSWORD

# The repository root: gops/core/tests/browser/helpers.py is four directories below it.
REPO_ROOT = Path(__file__).resolve().parents[4]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
DANGLING_IDREFS_JS = """() => {
  const dangling = [];
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) dangling.push(`${el.id || el.tagName} ${attr}=${id}`);
      }
    }
  }
  return dangling;
}"""

# One xdist group: the browser is launched once per worker, so all of them run on one worker.
BROWSER_MARKS = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def fail_or_skip(message: str) -> None:
    """Missing tooling fails the run in CI and is a loud skip elsewhere."""
    banner = f"!!!!!! {message}"
    if os.environ.get("CI"):
        pytest.fail(banner, pytrace=False)
    pytest.skip(f"{banner} — browser tests SKIPPED")


def login(page: Page, live_server, username: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the login form, as a person would, and wait for the start page.

    A user who has to give a second factor gets a confirmed authenticator first if they have
    none, and its current code is typed on the code page.
    """
    from gops.accounts.models import User
    from gops.accounts.tests.factories import make_totp_device
    from gops.accounts.two_factor import confirmed_device, two_factor_required

    user = User.objects.get(username=username)
    device = confirmed_device(user)
    if device is None and two_factor_required(user):
        device = make_totp_device(user)
    page.goto(f"{live_server.url}/konto/logowanie/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert "/konto/logowanie/" not in page.url, f"login as {username!r} failed"
    if device is not None:
        _give_totp_code(page, device, username)


def _give_totp_code(page: Page, device, username: str) -> None:
    from gops.accounts.two_factor import totp_code

    assert "/konto/weryfikacja/" in page.url, f"{username!r} was not asked for a code"
    device.refresh_from_db()
    now = time.time()
    step_now = int(now - device.t0) // device.step + device.drift
    if device.last_t > step_now:
        # This step's code and the next one were used already: wait for a fresh one.
        time.sleep(device.step - (now - device.t0) % device.step + 0.1)
    page.fill("#id_code", totp_code(device))
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert "/konto/weryfikacja/" not in page.url, f"the code of {username!r} was refused"


def assert_no_serious_axe_violations(page: Page, what: str) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) and fail on serious or critical violations."""
    if not AXE_JS.exists():
        fail_or_skip(f"{AXE_JS} missing: run `npm ci` for the accessibility checks")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not injected as an inline <script>: the CSP (script-src 'self') blocks that.
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{what} ({page.url}): {len(blocking)} serious or critical axe violation(s)"]
        for violation in blocking:
            lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {' '.join(node['target'])}")
        pytest.fail("\n".join(lines), pytrace=False)
    # axe only lists these as "incomplete": a description that points nowhere is never read.
    dangling = page.evaluate(DANGLING_IDREFS_JS)
    assert not dangling, f"{what}: aria attributes point to missing ids: {dangling}"
