"""Finance generates the month's payroll, the head approves it, finance downloads the file."""

from pathlib import Path

import sepaxml
from lxml import etree
from playwright.sync_api import expect

from gops.payments.models import Payroll
from gops.payments.tests.test_services import issued_periodic

from .helpers import BROWSER_MARKS, login

pytestmark = BROWSER_MARKS

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"


def test_finance_generates_the_head_approves_finance_downloads_the_bank_file(
    browser, live_server, worker_a, head, finance, legal_parameters_rows
):
    issued_periodic(worker_a, head)
    context = browser.new_context(locale="pl-PL", base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())

    login(page, live_server, "ksiegowa")
    page.goto("/wyplaty/")
    page.fill("#id_month", "2025-07")
    with page.expect_navigation():
        page.click("main form.search-form button[type=submit]")
    payroll = Payroll.objects.get()
    expect(page.locator("main")).to_contain_text("255")
    expect(page.locator("form[action$='/zatwierdzenie/']")).to_have_count(0)
    page.click("form[action$='/wyloguj/'] button")

    login(page, live_server, "kierownik")
    page.goto(f"/wyplaty/{payroll.pk}/")
    with page.expect_navigation():
        page.click("form[action$='/zatwierdzenie/'] button")
    payroll.refresh_from_db()
    assert payroll.status == "approved"
    page.click("form[action$='/wyloguj/'] button")

    login(page, live_server, "ksiegowa")
    page.goto(f"/wyplaty/{payroll.pk}/")
    with page.expect_download() as download_info:
        page.click("a[href$='przelewy.xml']")
    document = etree.parse(download_info.value.path())
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    assert document.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=ns) == "255.00"
    context.close()
