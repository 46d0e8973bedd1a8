"""A social worker takes a new application through the interview to an issued decision."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from gops.benefits.models import Decision
from gops.people import services as people_services
from gops.people.tests.factories import make_person

from .helpers import BROWSER_MARKS, login

pytestmark = BROWSER_MARKS


def test_a_social_worker_takes_an_application_to_an_issued_decision_and_its_pdf(
    page, live_server, worker_a
):
    # An employee with a written authorisation to sign decisions (u.p.s. art. 110 ust. 7).
    worker_a.may_sign_decisions = True
    worker_a.save()
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    person = make_person(
        actor=worker_a, first_names="Halina", surnames="Wiśniewska", pesel="58031512348"
    )
    household = people_services.household_create(actor=worker_a, members=[(person, "head")])
    people_services.income_add(
        actor=worker_a,
        person=person,
        month=last_month,
        source="old_age_pension",
        net_amount=Decimal("300.00"),
    )

    login(page, live_server, "pracownik1")
    page.goto(f"/osoby/gospodarstwa/{household.pk}/")
    page.click(f"a[href='/sprawy/nowy/{household.pk}/']")
    page.check("input[name=benefits_requested][value=permanent]")
    page.check("input[name=reasons][value=poverty]")
    page.check("input[name=reasons][value=long_illness]")
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    expect(page.locator("main h1")).to_contain_text("OPS/1/")

    page.click("a[href$='/wywiad/']")
    page.fill("#id_conducted_on", today.isoformat())
    page.fill("#id_needs", "Środki na leki i opał.")
    page.fill("#id_diagnosis", "Emerytka, samotna, dochód poniżej kryterium.")
    page.fill("#id_help_plan", "Zasiłek stały; praca socjalna.")
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")

    # The decisions panel is loaded by htmx.
    page.click("#decisions a[href$='/nowa/']")
    page.select_option("#id_benefit", "permanent")
    page.fill("#id_period_from", next_month.isoformat())
    page.select_option("#id_payment_method", "cash")
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    expect(page.locator("main")).to_contain_text("1013")

    with page.expect_navigation():
        page.click("form[action$='/podpis/'] button")
    decision = Decision.objects.get()
    assert decision.status == "issued"
    assert decision.signed_by == worker_a

    with page.expect_download() as download_info:
        page.click("a[href$='/pdf/']")
    pdf_path = download_info.value.path()
    reader = PdfReader(pdf_path)
    text = " ".join(" ".join(page_.extract_text() for page_ in reader.pages).split())
    assert "art. 37 ust. 1 pkt 1" in text
    assert "1013,00 zł" in text
    assert "Samorządowego Kolegium Odwoławczego" in text
    assert "14 dni od dnia jej doręczenia" in text
