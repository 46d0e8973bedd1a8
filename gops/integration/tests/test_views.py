"""Pages: foreigners with alerts, programme create/detail with its forms, the panel on the
person's page, the letter form returning a PDF; visibility (404) and audit of views."""

from datetime import timedelta

import pytest
from django.urls import reverse

from gops.audit.models import AuditEntry
from gops.integration.models import IntegrationProgramme, IntegrationStep
from gops.people.tests.factories import make_foreigner, make_person

from .conftest import TODAY
from .factories import make_integration_application, make_issued_decision, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_worker(client, worker_a):
    client.force_login(worker_a)
    return client


def test_the_foreigners_page_shows_alerts_as_text(as_worker, worker_a, district_a, refugee):
    soon = make_foreigner(
        actor=worker_a,
        district=district_a,
        surnames="Bondarenko",
        residence_document_valid_until=TODAY + timedelta(days=59),
        needs_interpreter=True,
        languages_spoken="ukraiński",
    )
    response = as_worker.get(reverse("integration:foreigners"))
    assert response.status_code == 200
    html = response.content.decode()
    assert soon.surnames in html
    assert refugee.surnames in html
    assert 'role="alert"' in html
    assert "expires on" in html
    assert "(days left: 59)" in html
    assert "needs an interpreter" in html


def test_others_may_not_open_the_foreigners_page(client, finance):
    client.force_login(finance)
    assert client.get(reverse("integration:foreigners")).status_code == 403


def test_a_programme_is_opened_from_the_form(as_worker, worker_a, refugee):
    url = reverse("integration:programme_create", args=[refugee.pk])
    assert as_worker.get(url).status_code == 200
    response = as_worker.post(
        url,
        {
            "kind": "statutory",
            "protection_granted_on": "2025-05-01",
            "applied_on": "2025-05-20",
            "starts_on": "2025-06-01",
            "ends_on": "2026-05-31",
            "family_size": "2",
            "coordinator": worker_a.pk,
        },
    )
    assert response.status_code == 302
    programme = IntegrationProgramme.objects.get()
    assert str(programme.benefit_months_1_6) == "1869.00"
    assert response["Location"] == programme.get_absolute_url()


def test_a_too_long_programme_shows_a_clear_message(as_worker, worker_a, refugee):
    response = as_worker.post(
        reverse("integration:programme_create", args=[refugee.pk]),
        {
            "kind": "statutory",
            "protection_granted_on": "2025-05-01",
            "applied_on": "2025-05-20",
            "starts_on": "2025-06-01",
            "ends_on": "2026-06-30",
            "family_size": "1",
            "coordinator": worker_a.pk,
        },
    )
    assert response.status_code == 200
    assert "at most 12 months" in response.content.decode()
    assert not IntegrationProgramme.objects.exists()


def test_the_detail_page_shows_the_amounts_and_records_the_view(as_worker, worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee, family_size=3)
    response = as_worker.get(programme.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "2403.00" in html or "2403,00" in html
    assert "2162.70" in html or "2162,70" in html
    assert "Kurs języka polskiego A2" in html
    assert AuditEntry.objects.filter(
        action="view", object_type="integration.integrationprogramme", person_id=refugee.pk
    ).exists()


def test_the_detail_page_is_404_for_those_who_may_not_see_it(client, worker_a, worker_b, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    client.force_login(worker_b)
    assert client.get(programme.get_absolute_url()).status_code == 404


def test_steps_goals_and_reviews_are_added_from_the_page(as_worker, worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    goal = programme.goals.get()
    response = as_worker.post(
        reverse("integration:step_add", args=[programme.pk, goal.pk]),
        {"action": "Egzamin A2", "deadline": ""},
    )
    assert response.status_code == 400
    assert "Every step needs a deadline." in response.content.decode()
    response = as_worker.post(
        reverse("integration:step_add", args=[programme.pk, goal.pk]),
        {"action": "Egzamin A2", "deadline": "2025-12-01"},
    )
    assert response.status_code == 302
    step = IntegrationStep.objects.get(action="Egzamin A2")
    as_worker.post(
        reverse("integration:step_done", args=[programme.pk, step.pk]),
        {"done_on": "2025-06-09", "outcome": "zdany"},
    )
    step.refresh_from_db()
    assert step.done_on is not None
    response = as_worker.post(
        reverse("integration:goal_add", args=[programme.pk]),
        {
            "area": "school",
            "description": "Zapis dzieci do szkoły",
            "first_step": "Wizyta w szkole",
            "first_step_deadline": "2025-08-20",
        },
    )
    assert response.status_code == 302
    assert programme.goals.count() == 2
    as_worker.post(reverse("integration:programme_activate", args=[programme.pk]))
    as_worker.post(
        reverse("integration:review_add", args=[programme.pk]),
        {"reviewed_on": "2025-06-10", "progress": "Postępy w nauce"},
    )
    programme.refresh_from_db()
    assert programme.status == "active"
    assert programme.reviews.count() == 1


def test_the_application_is_linked_on_the_page(as_worker, worker_a, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    application = make_integration_application(actor=worker_a, person=refugee)
    html = as_worker.get(programme.get_absolute_url()).content.decode()
    assert application.number in html
    as_worker.post(
        reverse("integration:programme_application", args=[programme.pk]),
        {"application": application.pk},
    )
    programme.refresh_from_db()
    assert programme.application == application


def test_the_person_panel_is_empty_for_a_polish_client(as_worker, worker_a, district_a):
    person = make_person(actor=worker_a, district=district_a)
    response = as_worker.get(reverse("integration:person_panel", args=[person.pk]))
    assert response.status_code == 200
    assert response.content == b""


def test_the_person_panel_of_a_foreigner(as_worker, worker_a, district_a):
    person = make_foreigner(
        actor=worker_a,
        district=district_a,
        residence_document_valid_until=TODAY - timedelta(days=2),
        letter_language="uk",
    )
    html = as_worker.get(reverse("integration:person_panel", args=[person.pk])).content.decode()
    assert 'role="alert"' in html
    assert "expired on" in html
    assert "Ukrainian" in html
    assert reverse("integration:letter", args=[person.pk]) in html
    # The centre's own integration plan serves any foreigner.
    assert reverse("integration:programme_create", args=[person.pk]) in html


def test_the_letter_form_returns_a_pdf_in_the_persons_language(as_worker, worker_a, refugee):
    decision = make_issued_decision(actor=worker_a, person=refugee)
    url = reverse("integration:letter", args=[refugee.pk])
    form = as_worker.get(url)
    assert form.status_code == 200
    assert 'value="en" selected' in form.content.decode()
    response = as_worker.post(url, {"kind": "decision", "language": "uk", "decision": decision.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="view", person_id=refugee.pk).exists()


def test_the_letter_form_explains_what_is_missing(as_worker, refugee):
    response = as_worker.post(
        reverse("integration:letter", args=[refugee.pk]), {"kind": "interview", "language": "pl"}
    )
    assert response.status_code == 400
    assert "Give the day of the interview." in response.content.decode()


def test_letters_are_for_users_who_see_the_person_and_applications(client, finance, refugee):
    client.force_login(finance)  # sees every person, but no applications
    assert client.get(reverse("integration:letter", args=[refugee.pk])).status_code == 403


def test_the_foreigners_are_listed_a_page_at_a_time_and_every_alert_on_each(
    as_worker, worker_a, district_a, refugee, monkeypatch
):
    from gops.integration import views

    # By name: Abramenko, the refugee, Zinchenko (expiring, so alerted on every page).
    make_foreigner(actor=worker_a, district=district_a, surnames="Abramenko")
    last = make_foreigner(
        actor=worker_a,
        district=district_a,
        surnames="Zinchenko",
        id_document_number="ZZ123456",
        residence_document_valid_until=TODAY + timedelta(days=10),
    )
    monkeypatch.setattr(views, "FOREIGNERS_PAGE", 2)
    first = as_worker.get(reverse("integration:foreigners"))
    second = as_worker.get(reverse("integration:foreigners"), {"page": 2})
    assert [r.person for r in first.context["rows"]][0].surnames == "Abramenko"
    assert len(first.context["rows"]) == 2
    assert [r.person for r in second.context["rows"]] == [last]
    assert [a.person for a in first.context["alerts"]] == [last]
    assert last.surnames in first.content.decode()
