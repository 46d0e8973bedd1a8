"""The MRPiPS-03 XLSX runs as a background job through the real huey queue."""

from decimal import Decimal

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from gops.jobs import services as job_services
from gops.jobs.models import Job, JobStatus
from gops.reports.tests.data import build, grant_report_permission

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("gops.reports.tests.urls"),
]


@pytest.fixture(autouse=True)
def empty_queue():
    HUEY.flush()
    yield
    HUEY.flush()


def run_queued() -> int:
    ran = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        ran += 1
    return ran


def test_the_xlsx_is_made_in_the_background(
    legal_parameters_rows, english_messages, worker_a, head, finance, client
):
    build(worker_a, head, finance)
    reporter = grant_report_permission(head)
    client.force_login(reporter)
    response = client.post(reverse("reports:mrpips03"), {"year": 2025, "half": 2})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == "reports.mrpips03_xlsx"
    assert job.params == {"year": 2025, "half": 2}
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result_name == "mrpips-03-2025-h2.xlsx"
    assert (job.done, job.total) == (7, 7)
    with job.result.open("rb") as f:
        book = load_workbook(f, read_only=True)
        report = [tuple(r) for r in book["MRPiPS-03"].iter_rows(values_only=True)]
        payments = [tuple(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    # heading, column names, 3 rows, total
    figures = [r[2:7] for r in report[2:6]]
    assert figures == [
        (2, 5, 1275, 2, 2),
        (1, 1, 400, 1, 2),
        (1, 1, 500, 1, 1),
        (3, 7, 2175, 3, 4),
    ]
    assert report[5][0] == "Total"
    reasons = [r[:3] for r in report[8:11]]
    assert [r[1:] for r in reasons] == [(2, 3), (2, 2), (1, 2)]
    assert len(payments) == 1 + 7
    assert sum(Decimal(str(r[7])) for r in payments[1:]) == Decimal("2175.00")


def test_a_user_without_the_permission_cannot_start_it(worker_a, client):
    client.force_login(worker_a)
    assert client.post(reverse("reports:mrpips03"), {"year": 2025}).status_code == 403
    assert not Job.objects.exists()
    assert HUEY.pending_count() == 0


def test_the_kind_is_registered_with_the_permission(worker_a):
    from django.core.exceptions import PermissionDenied

    from gops.jobs import registry

    kind = registry.get("reports.mrpips03_xlsx")
    assert kind.permission == "reports.view_mrpips03"
    with pytest.raises(PermissionDenied):
        job_services.job_start(actor=worker_a, kind=kind.code, params={"year": 2025}, title="x")
