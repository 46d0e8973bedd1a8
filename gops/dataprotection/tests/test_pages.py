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


def test_any_activity_since_the_cutoff_keeps_a_person_off_the_retention_list(worker_a, dpo):
    """Each kind of activity the rule names, on a person registered long ago: a change of
    their file, an application of theirs still open, or of their household."""
    from stdnum.pl import pesel as stdnum_pesel

    from gops.cases import services as case_services
    from gops.cases.tests.factories import make_household_with_applicant
    from gops.people import services as people_services

    def pesel(first_ten: str) -> str:
        return first_ten + stdnum_pesel.calc_check_digit(first_ten)

    with time_machine.travel(date(2013, 3, 1)):
        quiet = make_person(actor=worker_a, surnames="Cichy", pesel=pesel("5001010001"))
        edited = make_person(actor=worker_a, surnames="Zmieniony", pesel=pesel("5001010002"))
        household, applicant = make_household_with_applicant(
            actor=worker_a, surnames="Wnioskodawca", pesel=pesel("5001010003")
        )
        member = make_person(actor=worker_a, surnames="Domownik", pesel=pesel("5001010004"))
        people_services.household_add_member(
            actor=worker_a, household=household, person=member, relation="child"
        )
        case_services.application_register(
            actor=worker_a,
            household=household,
            applicant=applicant,
            received_on=date(2013, 3, 1),
            benefits_requested=["permanent"],
            reasons=["poverty"],
        )
    with time_machine.travel(date(2020, 5, 4)):
        people_services.person_update(
            actor=worker_a, person=edited, data={"phone": "600100200"}, confirm_similar=True
        )
    dpo = grant(dpo, *DPO_PERMS)
    found = set(selectors.persons_past_retention(user=dpo, today=date(2026, 6, 1)))
    assert quiet in found
    assert edited not in found  # changed in 2020
    assert applicant not in found  # their application is still open
    assert member not in found  # their household's application is still open
