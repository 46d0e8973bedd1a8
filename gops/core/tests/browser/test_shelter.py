"""The shelter coordinator finds a free bed for tonight on the board and places a person."""

from playwright.sync_api import expect

from gops.accounts.tests.factories import make_district, make_user
from gops.people.tests.factories import make_person
from gops.shelter.models import Placement
from gops.shelter.tests.factories import make_facility

from .helpers import BROWSER_MARKS, assert_no_serious_axe_violations, login

pytestmark = BROWSER_MARKS


def test_the_coordinator_places_a_homeless_person_in_a_free_bed_tonight(page, live_server, centre):
    coordinator = make_user("schronisko", role="shelter_coordinator", centre=centre)
    district = make_district(centre=centre, name="Rejon S")
    person = make_person(actor=coordinator, district=district, homeless=True)
    facility = make_facility(centre=centre, beds=2)

    login(page, live_server, "schronisko")
    page.goto("/schronienie/")
    expect(page.locator("table.board")).to_contain_text(facility.name)
    assert_no_serious_axe_violations(page, "the nightly board")

    with page.expect_navigation():
        page.locator("ul.free-beds a").first.click()
    page.fill("#id_q", "Kowalski")
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
    expect(page.locator("main table")).to_contain_text("Kowalski")
    assert "Kowalski" not in page.url
    with page.expect_navigation():
        page.click(f"main form:has(input[name=person][value='{person.pk}']) button")

    placement = Placement.objects.get(person=person)
    assert placement.facility == facility
    assert placement.emergency
    assert page.url.endswith(facility.get_absolute_url())
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kowalski")
    assert_no_serious_axe_violations(page, "the facility page")
