"""axe-core over the key pages: no serious or critical WCAG 2.1 A/AA violation."""

from datetime import date
from decimal import Decimal

import pytest

from gops.people import services
from gops.people.models import Relation
from gops.people.tests.factories import make_person

from .helpers import BROWSER_MARKS, assert_no_serious_axe_violations, login

pytestmark = BROWSER_MARKS


def test_key_pages_have_no_serious_accessibility_violations(page, live_server, worker_a, head):
    person = make_person(actor=worker_a, first_names="Łukasz", surnames="Wójcik")
    services.income_add(
        actor=worker_a,
        person=person,
        month=date(2025, 1, 1),
        source="wages",
        net_amount=Decimal("3210.50"),
        note="umowa o pracę",
    )
    household = services.household_create(actor=worker_a, members=[(person, Relation.HEAD)])
    # A former member of another household, so the member search has a candidate to offer.
    former = make_person(actor=worker_a, first_names="Anna", surnames="Nowak", pesel="85031504626")
    left = services.household_create(actor=worker_a, members=[(former, Relation.HEAD)])
    services.household_end_membership(actor=worker_a, membership=left.memberships.get())

    page.goto("/konto/logowanie/")
    assert_no_serious_axe_violations(page, "login page")

    login(page, live_server, "pracownik1")
    page.fill("#id_q", "wojcik")
    page.press("#id_q", "Enter")
    page.locator("#results a", has_text="Wójcik").wait_for()
    assert_no_serious_axe_violations(page, "registry with search results")

    page.goto("/osoby/nowa/")
    assert_no_serious_axe_violations(page, "empty registration form")
    page.click("main form.stacked button[type=submit]")
    page.locator(".error-summary").wait_for()
    assert_no_serious_axe_violations(page, "registration form with errors")

    page.goto(f"/osoby/{person.pk}/")
    page.locator("#h-incomes + table").wait_for()
    assert_no_serious_axe_violations(page, "person's file with an income and a household")

    page.goto(f"/osoby/gospodarstwa/{household.pk}/")
    assert_no_serious_axe_violations(page, "household")
    page.fill("#member-q", "nowak")
    page.press("#member-q", "Enter")
    page.locator(f"#relation-{former.pk}").wait_for()
    assert_no_serious_axe_violations(page, "household with member candidates")

    page.goto("/konto/profil/")
    assert_no_serious_axe_violations(page, "profile")

    page.context.clear_cookies()
    login(page, live_server, "kierownik")
    page.goto("/audyt/")
    page.locator("main table").wait_for()
    assert_no_serious_axe_violations(page, "audit log")


def test_the_accessibility_check_fails_on_a_serious_violation(page):
    page.set_content(
        '<html lang="pl"><body><main><h1>Test</h1>'
        '<p style="color:#bbb;background:#fff">Za słaby kontrast</p>'
        '<input type="text" aria-describedby="nie-ma-takiego"></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception, match="color-contrast"):
        assert_no_serious_axe_violations(page, "a page built to fail")
