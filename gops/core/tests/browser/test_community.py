"""A worker logs advice, refers a person to the labour office and registers their child."""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from gops.accounts.tests.factories import make_user
from gops.activities import services as activity_services
from gops.activities.models import Registration
from gops.people import services as people_services
from gops.people.tests.factories import make_person
from gops.referrals import services as referral_services
from gops.referrals.models import Advice, Institution, Referral

from .helpers import BROWSER_MARKS, assert_no_serious_axe_violations, login

pytestmark = BROWSER_MARKS


def test_a_worker_logs_advice_refers_to_the_labour_office_and_registers_the_child(
    page, live_server, centre, head, worker_a
):
    mother = make_person(
        actor=worker_a, first_names="Anna", surnames="Zielińska", pesel="85031504626"
    )
    child = make_person(
        actor=worker_a, first_names="Ola", surnames="Zielińska", pesel="10241212342"
    )
    people_services.household_create(actor=worker_a, members=[(mother, "head"), (child, "child")])
    pup = referral_services.institution_save(
        actor=head,
        institution=Institution(centre=centre, name="Powiatowy Urząd Pracy", kind="labour_office"),
    )
    organiser = make_user("zajecia", role="activities_organiser", centre=centre)
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=7), time(16, 0))
    )
    workshop = activity_services.activity_create(
        actor=organiser,
        data={
            "title": "Warsztaty plastyczne",
            "description": "",
            "place": "Świetlica",
            "capacity": 10,
            "target_groups": ["children"],
            "accessibility_notes": "",
            "partner_institution": "",
            "public": True,
        },
        sessions=[(start, start + timedelta(hours=2))],
    )
    assert (
        Group.objects.get(name="social_worker").permissions.filter(codename="add_referral").exists()
    )

    login(page, live_server, "pracownik1")
    page.goto(f"/poradnictwo/porada/?person={mother.pk}")
    page.fill("#id_topic", "Rejestracja w urzędzie pracy")
    page.check(f"input[name=institutions][value='{pup.pk}']")
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    assert Advice.objects.filter(person=mother).count() == 1

    page.goto(f"/poradnictwo/osoba/{mother.pk}/skierowanie/")
    page.select_option("#id_institution", str(pup.pk))
    page.select_option("#id_kind", "job_offer")
    page.fill("#id_purpose", "Oferty pracy i rejestracja jako osoba bezrobotna")
    page.check("#id_consent_given")
    page.fill("#id_consent_on", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    referral = Referral.objects.get(person=mother)
    assert referral.institution == pup
    assert referral.consent_given

    page.goto(f"/zajecia/{workshop.pk}/")
    page.fill("#id_q", "zielinska anna")
    with page.expect_navigation():
        page.click("main form.search-form button[type=submit]")
    with page.expect_navigation():
        page.click(f"form:has(input[name=person][value='{child.pk}']) button")
    registration = Registration.objects.get(activity=workshop, person=child)
    assert registration.status == "registered"

    page.goto(f"/osoby/{mother.pk}/")
    expect(page.locator("main")).to_contain_text("Powiatowy Urząd Pracy")
    assert_no_serious_axe_violations(page, "person page with advice and referrals")
    page.goto(f"/osoby/{child.pk}/")
    expect(page.locator("main")).to_contain_text("Warsztaty plastyczne")
