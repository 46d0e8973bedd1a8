"""Two tabs edit one household: the later save over a newer version is refused, not lost."""

import re

from django.utils import translation
from playwright.sync_api import expect

from gops.people import services
from gops.people.models import Household
from gops.people.tests.factories import make_person

from .helpers import BROWSER_MARKS, assert_no_serious_axe_violations, login

pytestmark = BROWSER_MARKS

SUBMIT = "main form.stacked button[type=submit]"


def test_a_second_save_over_a_newer_version_shows_the_conflict(page, live_server, worker_a):
    person = make_person(actor=worker_a)
    household = services.household_create(
        actor=worker_a, members=[(person, "head")], notes="Pierwsza notatka"
    )
    login(page, live_server, "pracownik1")
    edit_url = f"/osoby/gospodarstwa/{household.pk}/edycja/"
    first = page
    second = page.context.new_page()
    first.goto(f"/osoby/gospodarstwa/{household.pk}/")
    first.click(f"a[href='{edit_url}']")
    expect(first).to_have_url(re.compile(rf"{edit_url}$"))
    second.goto(edit_url)

    first.fill("#id_notes", "Notatka z pierwszej karty")
    first.click(SUBMIT)
    expect(first).to_have_url(re.compile(rf"/osoby/gospodarstwa/{household.pk}/$"))
    expect(first.locator("main")).to_contain_text("Notatka z pierwszej karty")

    second.fill("#id_notes", "Notatka z drugiej karty")
    second.click(SUBMIT)

    expect(second).to_have_url(re.compile(rf"{edit_url}$"))
    conflict = second.locator("#version-conflict")
    expect(conflict).to_be_visible()
    with translation.override("pl"):
        notes = str(Household._meta.get_field("notes").verbose_name)
    expect(conflict).to_contain_text(
        f"{notes.capitalize()}: Pierwsza notatka → Notatka z pierwszej karty"
    )
    # The entry stays in the form, now over the version saved by the first tab.
    expect(second.locator("#id_notes")).to_have_value("Notatka z drugiej karty")
    expect(second.locator("input[name=version]")).to_have_value("2")
    assert_no_serious_axe_violations(second, "household edit form with a conflict")
    household.refresh_from_db()
    assert (household.notes, household.version) == ("Notatka z pierwszej karty", 2)

    # Saving again is a deliberate choice and goes through.
    second.click(SUBMIT)
    expect(second).to_have_url(re.compile(rf"/osoby/gospodarstwa/{household.pk}/$"))
    household.refresh_from_db()
    assert (household.notes, household.version) == ("Notatka z drugiej karty", 3)
