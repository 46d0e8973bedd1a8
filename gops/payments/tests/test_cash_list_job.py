"""A cash list longer than PAYROLL_CASH_LIST_INLINE_ROWS is made by a background job: the
link leads to a page that starts it, the job runs through the real huey queue, and its PDF
is downloaded from the job's page."""

from io import BytesIO

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from pypdf import PdfReader

from gops.accounts.tests.factories import make_centre, make_user
from gops.audit.models import AuditEntry
from gops.jobs import services as job_services
from gops.jobs.models import Job, JobStatus
from gops.payments.jobs import CASH_LIST_JOB
from gops.payments.tests.test_exports import july_payroll, set_off

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def long_lists_in_the_background(settings, tmp_path, legal_parameters_rows):
    settings.PAYROLL_CASH_LIST_INLINE_ROWS = 1  # the payroll has two cash payments
    settings.MEDIA_ROOT = tmp_path / "media"  # the job's result file
    HUEY.flush()
    yield
    HUEY.flush()


def run_queued() -> int:
    """Execute every queued message, as `manage.py run_huey` does; how many ran."""
    ran = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        ran += 1
    return ran


def payroll_views(payroll, user) -> int:
    return AuditEntry.objects.filter(
        object_type="payments.payroll", object_id=str(payroll.pk), action="view", actor=user
    ).count()


def test_a_long_cash_list_is_made_in_the_background_and_downloaded(
    english_messages, client, worker_a, head, finance
):
    payroll = july_payroll(worker_a, head, finance)
    set_off(payroll, "Kovalenko", "100.00")
    client.force_login(finance)
    url = reverse("payments:payroll_cash_list", args=[payroll.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")  # not the PDF made in the request
    html = page.content.decode()
    assert "LW/2025/07" in html
    assert "The cash list has 2 rows." in html
    assert 'method="post"' in html
    assert not Job.objects.exists()
    assert payroll_views(payroll, finance) == 0  # nothing of the list is shown yet

    started = client.post(url)
    job = Job.objects.get()
    assert started.status_code == 302
    assert started["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.params, job.requested_by) == (
        CASH_LIST_JOB,
        {"payroll_id": payroll.pk},
        finance,
    )
    assert job.title == "Cash list LW/2025/07"
    assert job.status == JobStatus.QUEUED

    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.done, job.total) == (3, 3)  # two rows, then the PDF
    assert payroll_views(payroll, finance) == 1

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.streaming
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="lista-kasowa-2025-07.pdf"' in download["Content-Disposition"]
    pdf = PdfReader(BytesIO(b"".join(download.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "LISTA WYPŁAT GOTÓWKOWYCH" in text
    assert "Zielińska Maria" in text
    assert "Kovalenko Olena" in text
    assert "potrącono 100,00" in text
    assert "Nowak" not in text  # paid by transfer


def test_who_may_not_read_the_payroll_cannot_start_its_cash_list(client, worker_a, head, finance):
    payroll = july_payroll(worker_a, head, finance)
    url = reverse("payments:payroll_cash_list", args=[payroll.pk])
    other = make_user("ksiegowa2", role="finance", centre=make_centre(name="MOPS w Innym"))
    for user in (worker_a, other):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert not Job.objects.exists()


def test_the_job_fails_for_a_payroll_its_requester_cannot_read(
    english_messages, worker_a, head, finance
):
    payroll = july_payroll(worker_a, head, finance)
    other = make_user("ksiegowa2", role="finance", centre=make_centre(name="MOPS w Innym"))
    job = job_services.job_start(
        actor=other, kind=CASH_LIST_JOB, params={"payroll_id": payroll.pk}, title="x"
    )
    run_queued()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "You cannot see this payroll."
    assert not job.result
