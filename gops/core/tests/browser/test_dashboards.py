"""axe-core over the dashboards: the head's and a social worker's, with a small centre."""

import pytest

from gops.dashboards.tests import data
from gops.dashboards.tests import urls as dashboard_urls

from .helpers import BROWSER_MARKS, assert_no_serious_axe_violations, login

pytestmark = [*BROWSER_MARKS, pytest.mark.urls(dashboard_urls.URLCONF)]


def test_the_dashboards_have_no_serious_accessibility_violations(
    page, live_server, centre, head, worker_a, worker_b, finance
):
    data.build(centre=centre, head=head, worker_a=worker_a, worker_b=worker_b, finance=finance)

    login(page, live_server, "kierownik")
    page.goto("/pulpit/")
    page.locator("#chart-caseload").wait_for()
    assert page.locator("svg[role=img]").count() >= 4
    assert_no_serious_axe_violations(page, "head's dashboard")

    page.goto("/pulpit/moj/")
    page.locator("#chart-my-deadlines").wait_for()
    assert_no_serious_axe_violations(page, "head's own dashboard")

    page.context.clear_cookies()
    login(page, live_server, "pracownik1")
    page.goto("/pulpit/moj/")
    page.locator("#chart-my-caseload").wait_for()
    assert_no_serious_axe_violations(page, "social worker's dashboard")
