"""The nightly task, the cron command and the on-demand job through the real queue."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from gops.atrisk.models import AtRiskEntry, ListCode
from gops.atrisk.tasks import atrisk_refresh_nightly
from gops.bluecards.tests.factories import make_family, open_card
from gops.jobs.models import Job, JobStatus
from gops.people.models import Person

from .conftest import person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("atrisk_grants"),
    pytest.mark.urls("gops.atrisk.tests.urls"),
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


@pytest.fixture
def expiring(worker_a):
    who = person(worker_a)
    Person.objects.filter(pk=who.pk).update(
        residence_document_valid_until=timezone.localdate() + timedelta(days=7)
    )
    return who


def test_the_nightly_task_is_scheduled_at_2_30_and_refreshes(expiring):
    task = atrisk_refresh_nightly.task_class()
    assert task.validate_datetime(timezone.now().replace(hour=2, minute=30))
    assert not task.validate_datetime(timezone.now().replace(hour=3, minute=30))
    atrisk_refresh_nightly.call_local()
    assert AtRiskEntry.objects.filter(person=expiring, list_code=ListCode.DOCUMENT_EXPIRY).exists()


def test_the_command_refreshes_every_centre_without_the_blue_card_count(
    expiring, worker_a, district_a
):
    open_card(
        actor=worker_a,
        family=make_family(actor=worker_a, district=district_a),
        opened_on=date(2025, 12, 1),
    )
    out = StringIO()
    call_command("atrisk_refresh", stdout=out)
    assert "documents=1" in out.getvalue()
    assert "child_blue_card" not in out.getvalue()
    assert AtRiskEntry.objects.filter(list_code=ListCode.CHILD_BLUE_CARD).count() == 1


def test_the_refresh_button_runs_a_job_through_the_queue(
    client, expiring, worker_a, worker_a2, district_a
):
    open_card(
        actor=worker_a,
        family=make_family(actor=worker_a, district=district_a),
        opened_on=date(2025, 12, 1),
    )
    client.force_login(worker_a2)
    response = client.post(reverse("atrisk:refresh"))
    job = Job.objects.get(kind="atrisk.refresh")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode()
    assert 'filename="lista-zagrozonych.txt"' in download["Content-Disposition"]
    counts = text.strip().splitlines()[2:]  # one line per list, in ListCode order
    assert [line.rsplit(": ", 1)[1] for line in counts] == ["0", "0", "1", "0", "0"]
    # worker_a2 is no member of the card: the summary counts no Blue Card rows for them.
    assert AtRiskEntry.objects.filter(list_code=ListCode.CHILD_BLUE_CARD).count() == 1
