"""The head exports the year's MRPiPS-03 of the demo data as XLSX in the background: the job
page shows a progress bar that htmx keeps up to date, then a download link.

The job runs in a real huey consumer (one worker thread in this process), which reads the
same SQLite test database file as the live server. The consumer is started only once the
job page shows the job waiting, so the page has to change by itself (htmx polling
``jobs:progress``) for the test to pass.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from huey.consumer import Consumer
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook
from playwright.sync_api import expect

from gops.accounts.models import User
from gops.demo.generate import DEMO_PASSWORD
from gops.demo.services import demo_centre_seed
from gops.jobs.models import Job, JobStatus
from gops.payments import services as payment_services
from gops.payments.models import Payment, PaymentStatus, PayrollStatus
from gops.reports import selectors as report_selectors

from .helpers import BROWSER_MARKS, assert_no_serious_axe_violations, login

pytestmark = BROWSER_MARKS

DEMO_PERSONS = 50  # fewer persons often leave the demo payroll empty
JOB_TIMEOUT_MS = 20_000


def _paid_this_year(centre, year: int):
    return Payment.objects.filter(centre=centre, status=PaymentStatus.PAID, paid_on__year=year)


@pytest.fixture
def demo(transactional_db, legal_parameters_rows):
    """A small demo centre through the real seed, with payments made in the current year.

    The demo's history pays benefits month by month from February; early in the year (or
    without that history) the demo has only its approved payroll, so finance records that
    one paid today, through the service, as it would on the payroll page.
    """
    result = demo_centre_seed(persons=DEMO_PERSONS)
    year = timezone.localdate().year
    if not _paid_this_year(result.centre, year).exists():
        finance = User.objects.get(username="ksiegowa")
        for payment in Payment.objects.filter(
            centre=result.centre,
            status=PaymentStatus.PENDING,
            payroll__status=PayrollStatus.APPROVED,
        ).order_by("pk"):
            payment_services.payment_outcome_record(
                actor=finance, payment=payment, outcome=PaymentStatus.PAID
            )
    assert _paid_this_year(result.centre, year).exists(), "the demo has no payment this year"
    return result


@pytest.fixture
def huey_consumer(transactional_db, monkeypatch):
    """A real huey consumer with one worker thread; call the fixture's value to start it.

    Requesting ``transactional_db`` makes the consumer stop before the database is flushed.
    """
    HUEY.flush()  # tasks another test left in this process's queue file
    consumer = Consumer(
        HUEY,
        workers=1,
        worker_type="thread",
        periodic=False,  # no nightly lists during the test
        initial_delay=0.05,
        max_delay=0.25,
        check_worker_health=False,
        shutdown_timeout=15,
    )
    # Consumer.start() takes over SIGINT/SIGTERM/SIGHUP, which belong to pytest here.
    monkeypatch.setattr(consumer, "_set_signal_handlers", lambda: None)
    started = []

    def start() -> None:
        consumer.start()
        started.append(True)

    yield start
    if started:
        consumer.stop(graceful=True)
        alive = [t.name for _, t in consumer.worker_threads if t.is_alive()]
        assert not alive, f"huey threads still running after stop: {alive}"
    HUEY.flush()


def test_the_head_exports_the_year_in_the_background_and_downloads_it(
    browser, live_server, demo, huey_consumer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the job's result file
    year = timezone.localdate().year
    paid = _paid_this_year(demo.centre, year).count()
    head = User.objects.get(username="kierownik")

    context = browser.new_context(locale="pl-PL", base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        # The demo's head logs in with the demo password and the demo authenticator's code.
        login(page, live_server, "kierownik", password=DEMO_PASSWORD)

        page.goto(f"/raporty/mrpips-03/?year={year}&half=")
        expect(page.locator("main table").first).to_contain_text("Razem")
        with page.expect_navigation():
            page.get_by_role("button", name="Przygotuj XLSX w tle").click()

        job = Job.objects.get(requested_by=head)
        assert (job.kind, job.params, job.requested_by) == (
            "reports.mrpips03_xlsx",
            {"year": year, "half": None},
            head,
        )
        assert page.url == f"{live_server.url}/zadania/{job.pk}/"
        expect(page.get_by_role("heading", level=1)).to_have_text(f"MRPiPS-03 — rok {year}")

        # No consumer yet: the job waits, and the page says so with an empty, named bar.
        bar = page.get_by_role("progressbar")
        expect(bar).to_have_accessible_name("Oczekuje")
        expect(bar).to_have_attribute("value", "0")
        expect(bar).to_have_attribute("aria-valuetext", "0%")
        expect(page.locator("#job-progress")).to_have_attribute(
            "hx-get", f"/zadania/{job.pk}/postep/"
        )
        expect(page.get_by_role("link", name=re.compile("^Pobierz"))).to_have_count(0)
        assert_no_serious_axe_violations(page, "a waiting background job")

        huey_consumer()

        # The page updates itself (htmx every second) to a full bar and the download.
        link = page.get_by_role("link", name=f"Pobierz mrpips-03-{year}.xlsx")
        expect(link).to_be_visible(timeout=JOB_TIMEOUT_MS)
        assert page.url == f"{live_server.url}/zadania/{job.pk}/", "the page was reloaded"
        expect(bar).to_have_accessible_name("Gotowe")
        expect(bar).to_have_attribute("value", "100")
        expect(bar).to_have_attribute("aria-valuetext", "100%")
        expect(page.get_by_role("status")).to_contain_text("Pobierz")
        # The finished state no longer polls.
        expect(page.locator("#job-progress")).not_to_have_attribute("hx-get", re.compile(".*"))
        assert_no_serious_axe_violations(page, "a finished background job")

        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
        assert (job.done, job.total) == (paid, paid)

        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename == f"mrpips-03-{year}.xlsx"
        # Playwright keeps the download under a name without an extension: open the file.
        with open(download.path(), "rb") as f:
            book = load_workbook(f, read_only=True)
            assert book.sheetnames == ["MRPiPS-03", "Wypłaty"]
            report_rows = [tuple(r) for r in book["MRPiPS-03"].iter_rows(values_only=True)]
            payment_rows = [tuple(r) for r in book["Wypłaty"].iter_rows(values_only=True)]
            book.close()
    finally:
        context.close()

    assert report_rows[0][0] == f"MRPiPS-03 — rok {year}"
    assert report_rows[1][:2] == ("Świadczenie", "Zadanie")
    # The sheet holds the same figures as the report page, ending with the total.
    expected = report_selectors.mrpips03_for_user(
        user=head, start=date(year, 1, 1), end=date(year, 12, 31)
    )
    lines = [*expected.rows, expected.total]
    # Amounts compared exactly, in złoty with grosze (the sheet's number read back as text).
    figures = [
        (r[2], r[3], Decimal(str(r[4])).quantize(Decimal("0.01")), r[5], r[6])
        for r in report_rows[2 : 2 + len(lines)]
    ]
    assert figures == [
        (r.persons, r.benefits, r.amount, r.families, r.persons_in_families) for r in lines
    ]
    assert report_rows[1 + len(lines)][0] == "Razem"
    # One line per payment made this year, after the column names.
    assert len(payment_rows) == 1 + paid
    exported = {r[0] for r in payment_rows[1:]}
    assert exported == set(_paid_this_year(demo.centre, year).values_list("pk", flat=True))
