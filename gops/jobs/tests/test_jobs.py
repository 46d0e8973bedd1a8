"""Background jobs go through the real huey queue (SQLite storage in tests): the test takes
the message the service enqueued and executes it as the consumer would."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from gops.accounts.tests.factories import make_user
from gops.jobs import registry, services
from gops.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db(transaction=True)


@registry.register("tests.count", label="Count", permission="people.view_person")
def count_job(job, out, progress):
    total = int(job.params["n"])
    for i in range(total):
        out.write(f"{i}\n".encode())
        progress(i + 1, total)
    return "count.txt", "text/plain"


@registry.register("tests.refuse", label="Refuse", permission="people.view_person")
def refusing_job(job, out, progress):
    raise ValidationError("Nothing to report for 1999.")


@pytest.fixture(autouse=True)
def empty_queue():
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


def test_a_job_runs_in_the_queue_to_its_download(client, worker_a):
    job = services.job_start(actor=worker_a, kind="tests.count", params={"n": 5}, title="Five")
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    client.force_login(worker_a)
    page = client.get(reverse("jobs:progress", args=[job.pk]))
    assert page.status_code == 286  # htmx stops polling
    assert reverse("jobs:download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"0\n1\n2\n3\n4\n"
    assert 'filename="count.txt"' in download["Content-Disposition"]


def test_a_failing_job_tells_the_user_why(client, worker_a):
    job = services.job_start(actor=worker_a, kind="tests.refuse", params={}, title="1999")
    run_queued()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Nothing to report for 1999."
    client.force_login(worker_a)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert "Nothing to report" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_a_job_and_its_result_are_the_requesters_only(client, worker_a, worker_b, head):
    job = services.job_start(actor=worker_a, kind="tests.count", params={"n": 1}, title="One")
    run_queued()
    for other in (worker_b, head):
        client.force_login(other)
        for name in ("jobs:detail", "jobs:progress", "jobs:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_user_without_the_kinds_permission_cannot_start_it(centre):
    organiser = make_user("zajecia", role="activities_organiser", centre=centre)
    with pytest.raises(PermissionDenied):
        services.job_start(actor=organiser, kind="tests.count", params={"n": 1}, title="x")
    assert not Job.objects.exists()
    assert HUEY.pending_count() == 0


def test_an_unknown_kind_is_refused(worker_a):
    with pytest.raises(ValidationError):
        services.job_start(actor=worker_a, kind="nope", params={}, title="x")
