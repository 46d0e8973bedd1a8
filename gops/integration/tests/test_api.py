"""POST /api/v1/integration-programmes and GET /api/v1/integration-programmes/{id}."""

import pytest

from gops.accounts.services import api_token_create
from gops.integration.models import IntegrationProgramme, IntegrationStep

from .factories import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    tokens = {}

    def call(user, path, method="get", body=None):
        headers = {}
        if user is not None:
            if user.pk not in tokens:
                tokens[user.pk] = api_token_create(user=user)
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[user.pk]}"
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1{path}", body, **headers, **kwargs)

    return call


def _body(person, **extra):
    body = {
        "person_id": person.pk,
        "kind": "statutory",
        "protection_granted_on": "2025-05-01",
        "applied_on": "2025-05-20",
        "starts_on": "2025-06-01",
        "ends_on": "2026-05-31",
        "family_size": 5,
        "goals": [
            {
                "area": "polish_lessons",
                "description": "Kurs polskiego",
                "steps": [{"action": "Zapis na kurs", "deadline": "2025-06-30"}],
            },
            {
                "area": "health_insurance",
                "description": "Zgłoszenie do NFZ",
                "steps": [{"action": "Wizyta w ZUS", "deadline": "2025-06-20"}],
            },
        ],
    }
    body.update(extra)
    return body


def test_without_a_token_it_is_401(api):
    assert api(None, "/integration-programmes/1").status_code == 401


def test_a_programme_is_created_with_its_goals_and_the_benefit(api, worker_a, refugee):
    response = api(worker_a, "/integration-programmes", "post", _body(refugee))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["benefit_months_1_6"] == "3337.50", data["benefit_months_1_6"]
    assert data["benefit_months_7_12"] == "3003.75"
    assert [g["area"] for g in data["goals"]] == ["polish_lessons", "health_insurance"]
    assert data["goals"][0]["steps"][0]["deadline"] == "2025-06-30"
    fetched = api(worker_a, f"/integration-programmes/{data['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["id"] == data["id"]


def test_a_programme_longer_than_12_months_is_422_and_nothing_is_written(api, worker_a, refugee):
    response = api(
        worker_a, "/integration-programmes", "post", _body(refugee, ends_on="2026-06-01")
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "ends_on"
    assert "at most 12 months" in errors[0]["message"]
    assert not IntegrationProgramme.objects.exists()


def test_a_step_without_a_deadline_is_422_and_nothing_is_written(api, worker_a, refugee):
    body = _body(refugee)
    del body["goals"][1]["steps"][0]["deadline"]
    response = api(worker_a, "/integration-programmes", "post", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "goals.2.steps.1.deadline", "message": "Every step needs a deadline."}
    ]
    assert not IntegrationProgramme.objects.exists()
    assert not IntegrationStep.objects.exists()


def test_a_late_application_is_422(api, worker_a, refugee):
    body = _body(refugee, protection_granted_on="2025-03-01", applied_on="2025-05-20")
    response = api(worker_a, "/integration-programmes", "post", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "applied_on"


def test_a_programme_is_404_for_those_who_may_not_see_it(api, worker_a, worker_b, finance, refugee):
    programme = make_programme(actor=worker_a, person=refugee)
    for user in (worker_b, finance):
        assert api(user, f"/integration-programmes/{programme.pk}").status_code == 404
    assert api(worker_b, "/integration-programmes", "post", _body(refugee)).status_code == 404
