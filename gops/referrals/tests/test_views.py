"""Pages: directory and import, advice, referral with consent, outcome, letter, follow-ups,
employment profile and the person panel."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gops.referrals.models import Advice, EmploymentProfile, Institution, Referral

from .factories import make_institution, make_referral

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def pup(centre):
    return make_institution(centre=centre)


@pytest.fixture
def web(client, worker):
    client.force_login(worker)
    return client


def test_the_directory_searches(web, pup):
    response = web.get(reverse("referrals:directory"), {"q": "staże"})
    assert response.status_code == 200
    assert list(response.context["institutions"]) == [pup]


def test_finance_has_no_directory(client, finance):
    client.force_login(finance)
    assert client.get(reverse("referrals:directory")).status_code == 403


def test_a_broken_csv_shows_the_report_and_imports_nothing(web):
    upload = SimpleUploadedFile("i.csv", b"name,kind\nOK,ngo\nBad,xyz\n", "text/csv")
    response = web.post(reverse("referrals:institution_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["report"].errors[0][0] == 3
    assert "Nothing has been imported" in response.content.decode()
    assert not Institution.objects.exists()


def test_advice_is_logged_for_a_person_found_by_search(web, person, pup):
    response = web.post(reverse("referrals:advice_log"), {"q": "Kowalski"})
    assert list(response.context["candidates"]) == [person]
    response = web.post(
        reverse("referrals:advice_log"),
        {"topic": "Zasiłek", "institutions": [pup.pk], "person": person.pk},
    )
    assert response.status_code == 302
    advice = Advice.objects.get()
    assert advice.person == person
    assert list(advice.institutions.all()) == [pup]


def test_advice_is_logged_for_an_anonymous_walk_in(web):
    response = web.post(reverse("referrals:advice_log"), {"topic": "Mieszkanie", "person": ""})
    assert response.status_code == 302
    assert Advice.objects.get().person is None


def test_a_referral_without_consent_shows_the_message(web, person, pup):
    url = reverse("referrals:referral_create", args=[person.pk])
    data = {"institution": pup.pk, "kind": "service", "purpose": "x", "consent_on": "2025-06-10"}
    response = web.post(url, data)
    assert response.status_code == 200
    assert "consented" in response.content.decode()
    assert not Referral.objects.exists()
    response = web.post(url, {**data, "consent_given": "on", "follow_up_on": "2025-06-20"})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == referral.get_absolute_url()


def test_the_outcome_is_recorded_from_the_referral_page(web, worker, person, pup):
    referral = make_referral(actor=worker, person=person, institution=pup)
    assert web.get(referral.get_absolute_url()).status_code == 200
    web.post(reverse("referrals:referral_outcome", args=[referral.pk]), {"state": "accepted"})
    referral.refresh_from_db()
    assert referral.state == "accepted"


def test_the_referral_letter_is_a_pdf(web, worker, person, pup):
    referral = make_referral(actor=worker, person=person, institution=pup)
    response = web.get(reverse("referrals:referral_letter", args=[referral.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_another_districts_worker_cannot_open_the_referral(
    client, other_worker, worker, person, pup
):
    referral = make_referral(actor=worker, person=person, institution=pup)
    client.force_login(other_worker)
    assert client.get(referral.get_absolute_url()).status_code == 404


def test_follow_ups_page_lists_overdue_referrals(web, worker, person, pup):
    make_referral(
        actor=worker,
        person=person,
        institution=pup,
        consent_on=date(2025, 6, 1),
        follow_up_on=date(2025, 6, 5),
    )
    make_referral(actor=worker, person=person, institution=pup, follow_up_on=TODAY)
    response = web.get(reverse("referrals:follow_ups"))
    assert len(response.context["referrals"]) == 1


def test_the_employment_profile_is_saved(web, person):
    url = reverse("referrals:employment_profile", args=[person.pk])
    assert web.get(url).status_code == 200
    response = web.post(
        url, {"education": "secondary", "barrier_health": "on", "languages": "polski"}
    )
    assert response.status_code == 302
    assert EmploymentProfile.objects.get(person=person).barrier_health


def test_the_activation_page_shows_counts(web):
    response = web.get(reverse("referrals:activation"), {"year": 2025})
    assert response.status_code == 200
    assert response.context["counts"].year == 2025


def test_the_person_panel_shows_advice_referrals_and_work_outcomes(web, worker, person, pup):
    from gops.referrals import services

    services.advice_log(actor=worker, topic="Porada prawna", person=person)
    make_referral(actor=worker, person=person, institution=pup)
    work = make_referral(actor=worker, person=person, institution=pup, kind="public_works")
    services.referral_outcome_record(actor=worker, referral=work, state="refused")
    response = web.get(reverse("referrals:person_panel", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Porada prawna" in html
    assert "public works" in html
    assert "refused" in html
    assert len(response.context["referrals"]) == 1
    assert len(response.context["work_referrals"]) == 1


def test_the_forms_open(web, person, pup):
    for url in (
        reverse("referrals:advice_log"),
        reverse("referrals:advice_log") + f"?person={person.pk}",
        reverse("referrals:institution_create"),
        reverse("referrals:institution_import"),
        pup.get_absolute_url(),
        reverse("referrals:institution_edit", args=[pup.pk]),
        reverse("referrals:referral_create", args=[person.pk]),
    ):
        assert web.get(url).status_code == 200, url
