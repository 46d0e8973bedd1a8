"""Two tabs edit one person: the later save over a newer version is refused, not lost."""

import re

from django.utils import translation
from playwright.sync_api import expect

from gops.people.models import Person
from gops.people.tests.factories import make_person

from .helpers import BROWSER_MARKS, login

pytestmark = BROWSER_MARKS

SUBMIT = "main form.stacked button[type=submit]"


def test_a_second_save_over_a_newer_version_shows_the_conflict(page, live_server, worker_a):
    person = make_person(actor=worker_a, phone="500000000")
    login(page, live_server, "pracownik1")
    edit_url = f"/osoby/{person.pk}/edycja/"
    first = page
    second = page.context.new_page()
    second.on("dialog", lambda dialog: dialog.accept())
    first.goto(edit_url)
    second.goto(edit_url)

    first.fill("#id_phone", "600100200")
    first.click(SUBMIT)
    expect(first).to_have_url(re.compile(rf"/osoby/{person.pk}/$"))

    second.fill("#id_surnames", "Nowak")
    second.click(SUBMIT)

    expect(second).to_have_url(re.compile(rf"/osoby/{person.pk}/edycja/$"))
    conflict = second.locator("#version-conflict")
    expect(conflict).to_be_visible()
    with translation.override("pl"):
        phone = str(Person._meta.get_field("phone").verbose_name)
    expect(conflict).to_contain_text(f"{phone.capitalize()}: 500000000 → 600100200")
    # The entry stays in the form, now over the version saved by the first tab.
    expect(second.locator("#id_surnames")).to_have_value("Nowak")
    expect(second.locator("input[name=version]")).to_have_value("2")
    person.refresh_from_db()
    assert (person.phone, person.surnames, person.version) == ("600100200", "Kowalski", 2)

    # Saving again is a deliberate choice and goes through.
    second.click(SUBMIT)
    expect(second).to_have_url(re.compile(rf"/osoby/{person.pk}/$"))
    person.refresh_from_db()
    assert (person.phone, person.surnames, person.version) == ("600100200", "Nowak", 3)
