"""A social worker's day in the registry, in a real browser: log in, register, find, group."""

import re

from playwright.sync_api import expect

from gops.audit.models import AuditAction, AuditEntry
from gops.people.models import Person
from gops.people.tests.factories import make_person

from .helpers import BROWSER_MARKS, login

pytestmark = BROWSER_MARKS

PERSON_URL = re.compile(r"/osoby/(\d+)/$")
HOUSEHOLD_URL = re.compile(r"/osoby/gospodarstwa/(\d+)/$")


def test_a_social_worker_logs_in_and_sees_the_registry_in_polish(page, live_server, worker_a):
    login(page, live_server, "pracownik1")

    expect(page).to_have_url(f"{live_server.url}/osoby/")
    assert page.get_attribute("html", "lang") == "pl"
    heading = page.locator("main h1")
    expect(heading).to_be_visible()
    expect(page.locator("#id_q")).to_be_visible()
    expect(heading).to_have_text("Rejestr osób")


def test_registering_a_person_with_a_wrong_then_a_correct_pesel(page, live_server, worker_a):
    login(page, live_server, "pracownik1")
    page.goto("/osoby/nowa/")
    page.fill("#id_first_names", "Łukasz")
    page.fill("#id_surnames", "Wójcik")
    page.fill("#id_pesel", "44051401358")
    page.fill("#id_registered_city", "Testowo")
    page.click("main form.stacked button[type=submit]")

    expect(page.locator("#id_pesel_error")).to_be_visible()
    expect(page.locator(".error-summary a[href='#id_pesel']")).to_be_visible()
    expect(page.locator("#id_surnames")).to_have_value("Wójcik")
    assert Person.objects.count() == 0

    page.fill("#id_pesel", "44051401359")
    page.click("main form.stacked button[type=submit]")

    expect(page).to_have_url(PERSON_URL)
    expect(page.locator("main h1")).to_have_text("Wójcik Łukasz")
    expect(page.locator("main")).to_contain_text("1944-05-14")
    person = Person.objects.get()
    assert page.url.endswith(f"/osoby/{person.pk}/")


def test_finding_a_person_by_a_surname_typed_without_diacritics_and_opening_the_file(
    page, live_server, worker_a
):
    person = make_person(actor=worker_a, first_names="Łukasz", surnames="Wójcik")
    make_person(actor=worker_a, first_names="Jan", surnames="Kowalski", pesel="88072201244")
    login(page, live_server, "pracownik1")

    page.fill("#id_q", "wojcik")
    with page.expect_response(lambda r: r.request.method == "POST" and "/osoby/" in r.url) as r:
        page.press("#id_q", "Enter")
    # htmx swapped the results in place: no page load, the query stays out of the URL.
    assert r.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(f"{live_server.url}/osoby/")
    results = page.locator("#results")
    expect(results).to_contain_text("wojcik")
    expect(results).not_to_contain_text("Kowalski")

    results.get_by_role("link", name="Wójcik Łukasz").click()

    expect(page).to_have_url(f"{live_server.url}/osoby/{person.pk}/")
    expect(page.locator("main h1")).to_have_text("Wójcik Łukasz")
    views = AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=person.pk)
    assert views.count() == 1
    assert views.get().actor == worker_a


def test_a_worker_of_another_district_gets_not_found(page, live_server, worker_a, worker_b):
    person = make_person(actor=worker_a, first_names="Łukasz", surnames="Wójcik")
    login(page, live_server, "pracownik2")

    response = page.goto(f"/osoby/{person.pk}/")

    assert response.status == 404
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Wójcik")
    expect(page.locator("body")).not_to_contain_text("44051401359")
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=person.pk).exists()


def test_household_is_created_and_a_member_added(page, live_server, worker_a):
    head = make_person(actor=worker_a, first_names="Jan", surnames="Kowalski")
    spouse = make_person(
        actor=worker_a, first_names="Anna", surnames="Kowalska", pesel="85031504626"
    )
    login(page, live_server, "pracownik1")
    page.goto(f"/osoby/{head.pk}/")

    page.click(f"form[action='/osoby/{head.pk}/gospodarstwo/nowe/'] button[type=submit]")

    expect(page).to_have_url(HOUSEHOLD_URL)
    household_url = page.url
    page.fill("#member-q", "kowalska")
    page.press("#member-q", "Enter")
    relation = page.locator(f"#relation-{spouse.pk}")
    expect(relation).to_be_visible()
    relation.select_option("spouse")
    page.locator("#candidates form").filter(has=relation).locator("button").click()

    expect(page).to_have_url(household_url)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Kowalski")).to_have_count(1)
    expect(rows.filter(has_text="Kowalska")).to_have_count(1)
    assert head.memberships.get().relation == "head"
    assert spouse.memberships.get().relation == "spouse"


def test_keyboard_only_user_can_reach_the_search_box(page, live_server, worker_a):
    login(page, live_server, "pracownik1")
    page.goto("/osoby/")

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    for _press in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    expect(page.locator("#id_q")).to_be_focused()
