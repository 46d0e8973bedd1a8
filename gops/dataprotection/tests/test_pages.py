from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gops.dataprotection import selectors, services
from gops.dataprotection.tests import urls as test_urls
from gops.dataprotection.tests.helpers import (
    ADMINISTRATOR_PERMS,
    DPO_PERMS,
    HEAD_PERMS,
    WORKER_PERMS,
    grant,
)
from gops.people.models import Person
from gops.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def urls(settings):
    settings.ROOT_URLCONF = test_urls.URLCONF


def test_the_retention_list_shows_persons_without_activity_for_the_period(
    client, worker_a, dpo, settings
):
    settings.RETENTION_YEARS = 10
    with time_machine.travel(date(2013, 3, 1)):
        old = make_person(actor=worker_a, surnames="Dawny", pesel="44051401359")
    recent = make_person(actor=worker_a, surnames="Niedawny", pesel="02270803624")
    dpo = grant(dpo, *DPO_PERMS)
    found = list(selectors.persons_past_retention(user=dpo, today=date(2026, 6, 1)))
    assert old in found
    assert recent not in found
    assert found[0].last_activity == date(2013, 3, 1)
    # A shorter period in the settings moves the cut-off.
    settings.RETENTION_YEARS = 30
    assert old not in selectors.persons_past_retention(user=dpo, today=date(2026, 6, 1))
    settings.RETENTION_YEARS = 10
    client.force_login(dpo)
    page = client.get(reverse("dataprotection:retention"))
    assert page.status_code == 200
    assert "Dawny" in page.content.decode()
    assert "Niedawny" not in page.content.decode()


def test_the_retention_page_is_for_the_dpo_and_head(client, worker_a):
    client.force_login(worker_a)
    assert client.get(reverse("dataprotection:retention")).status_code == 403


def test_request_and_approval_through_the_pages(client, worker_a, head):
    with time_machine.travel(date(2013, 3, 1)):
        person = make_person(actor=worker_a, surnames="Dawny")
    client.force_login(grant(worker_a, *WORKER_PERMS))
    url = reverse("dataprotection:anonymisation_request", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Upłynął okres przechowywania."})
    assert response.status_code == 302
    client.force_login(grant(head, *HEAD_PERMS))
    page = client.get(reverse("dataprotection:retention")).content.decode()
    request = person.anonymisation_requests.get()
    decide = reverse("dataprotection:anonymisation_decide", args=[request.pk])
    assert decide in page
    client.post(decide, {"decision": "approve"})
    person.refresh_from_db()
    assert person.full_name == "Osoba zanonimizowana"
    assert person not in selectors.persons_past_retention(user=head, today=date(2026, 6, 1))


def test_a_non_head_cannot_decide_through_the_page(client, worker_a, dpo):
    person = make_person(actor=worker_a)
    request = services.anonymisation_request(
        actor=grant(worker_a, *WORKER_PERMS), person=person, reason="x"
    )
    client.force_login(grant(dpo, *DPO_PERMS))
    decide = reverse("dataprotection:anonymisation_decide", args=[request.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    assert Person.objects.get(pk=person.pk).surnames == "Kowalski"


def test_the_register_of_processing_activities(client, administrator, worker_a, centre):
    client.force_login(grant(administrator, *ADMINISTRATOR_PERMS))
    page = client.get(reverse("dataprotection:register"))
    assert page.status_code == 200
    html = page.content.decode()
    assert centre.name in html
    assert "Procedura „Niebieskie Karty”" in html
    assert "art. 9 ust. 2 lit. b" in html
    pdf = client.get(reverse("dataprotection:register_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.force_login(worker_a)
    assert client.get(reverse("dataprotection:register")).status_code == 403
    assert client.get(reverse("dataprotection:register_pdf")).status_code == 403
