"""The RODO art. 15 report runs through the real job queue and gives a PDF with every section."""

import io

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from pypdf import PdfReader

from gops.audit.models import AuditAction, AuditEntry
from gops.cases import services as case_services
from gops.cases.tests.factories import make_application, record_interview
from gops.dataprotection.tests import urls as test_urls
from gops.dataprotection.tests.helpers import DPO_PERMS, HEAD_PERMS, grant
from gops.jobs.models import Job, JobStatus
from gops.people import services as people_services

pytestmark = pytest.mark.django_db(transaction=True)

SECTION_TITLES = [
    "1. Dane osoby",
    "2. Gospodarstwa domowe",
    "3. Dochody",
    "4. Wnioski, wywiady",
    "5. Decyzje",
    "6. Wypłaty",
    "7. Schronienie",
    "8. Poradnictwo i skierowania",
    "9. Zajęcia",
    "10. Wspieranie rodziny",
    "11. Programy integracji",
    "12. Dostęp do danych",
]


@pytest.fixture(autouse=True)
def setup(settings):
    settings.ROOT_URLCONF = test_urls.URLCONF
    HUEY.flush()
    yield
    HUEY.flush()


def run_queued() -> int:
    ran = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        ran += 1
    return ran


def pdf_text(job: Job) -> str:
    with job.result.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return " ".join(page.extract_text() for page in reader.pages)


def person_with_a_file(worker):
    from datetime import date
    from decimal import Decimal

    application = make_application(actor=worker, description="Prośba o pomoc na opał.")
    person = application.applicant
    people_services.income_add(
        actor=worker,
        person=person,
        month=date(2025, 5, 1),
        source="old_age_pension",
        net_amount=Decimal("812.34"),
    )
    record_interview(actor=worker, application=application)
    case_services.case_note_add(
        actor=worker, person=person, text="Rozmowa telefoniczna o dowozie opału."
    )
    contract = case_services.social_contract_create(
        actor=grant(worker, "cases.add_socialcontract", "cases.change_socialcontract"),
        person=person,
        signed_on=date(2025, 6, 2),
        valid_from=date(2025, 6, 2),
        valid_until=date(2025, 12, 31),
        situation="Zadłużenie czynszowe.",
        goals="Spłata zaległości w ratach.",
        person_obligations="Wpłaty co miesiąc.",
        centre_obligations="Pomoc w rozmowie ze spółdzielnią.",
    )
    case_services.social_contract_review(
        actor=worker, contract=contract, reviewed_on=date(2025, 9, 1), notes="Dwie raty wpłacone."
    )
    # An access to a Blue Card of the person: must never show in their report.
    AuditEntry.objects.create(
        actor=worker,
        actor_username=worker.username,
        centre_id=person.centre_id,
        action=AuditAction.VIEW,
        object_type="bluecards.bluecard",
        object_id="1",
        object_repr="NK-TAJNE-1/2025",
        person_id=person.pk,
        ip="10.0.0.99",
    )
    return person


def test_the_head_gets_the_report_of_a_person_with_every_section(client, head, worker_a):
    person = person_with_a_file(worker_a)
    head = grant(head, *HEAD_PERMS)
    client.force_login(head)
    url = reverse("dataprotection:access_report", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "dataprotection.access_report"

    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result_name == f"dostep-do-danych-{person.pk}.pdf"
    assert job.content_type == "application/pdf"
    assert (job.done, job.total) == (13, 13)
    text = pdf_text(job)
    for title in SECTION_TITLES:
        assert title in text, title
    assert "Kowalski" in text
    assert "44051401359" in text
    assert "812,34 zł" in text
    assert "Prośba o pomoc na opał." in text
    assert "Osoba samotna, emerytka" in text  # the interview's diagnosis
    assert "dowozie opału" in text  # the case note
    assert "Spłata zaległości w ratach." in text  # the social contract
    assert "Dwie raty wpłacone." in text  # its review
    assert worker_a.username in text  # who accessed the file
    assert "NK-TAJNE" not in text
    assert "10.0.0.99" not in text
    # Producing the report is itself an access to the file.
    assert AuditEntry.objects.filter(
        person_id=person.pk, action=AuditAction.VIEW, actor=head
    ).exists()


def test_the_dpo_with_read_access_to_persons_gets_the_report(client, dpo, worker_a):
    person = person_with_a_file(worker_a)
    dpo = grant(dpo, *DPO_PERMS)
    client.force_login(dpo)
    client.post(reverse("dataprotection:access_report", args=[person.pk]))
    run_queued()
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert "12. Dostęp do danych" in pdf_text(job)


def test_others_cannot_start_the_report(client, administrator, worker_a):
    person = person_with_a_file(worker_a)
    client.force_login(worker_a)  # a social worker sees the person but has no access_report
    assert client.post(reverse("dataprotection:access_report", args=[person.pk])).status_code == 403
    # The administrator has no access report and does not see the person at all.
    client.force_login(administrator)
    assert client.post(reverse("dataprotection:access_report", args=[person.pk])).status_code in (
        403,
        404,
    )
    assert not Job.objects.exists()
