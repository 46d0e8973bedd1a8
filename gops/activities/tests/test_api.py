from datetime import timedelta

import pytest
from django.utils import timezone

from gops.accounts.services import api_token_create
from gops.activities.tests.factories import make_activity
from gops.activities.tests.persons import make_persons

pytestmark = [pytest.mark.django_db, pytest.mark.urls("gops.activities.tests.urls")]


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}


def test_an_activity_is_created_and_listed(client, organiser):
    start = timezone.now() + timedelta(days=3)
    body = {
        "title": "Warsztaty plastyczne",
        "place": "Świetlica",
        "capacity": 12,
        "target_groups": ["children", "families"],
        "public": True,
        "sessions": [
            {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
        ],
    }
    response = client.post(
        "/api/v1/activities", body, content_type="application/json", **_auth(organiser)
    )
    assert response.status_code == 201, response.json()
    listed = client.get("/api/v1/activities", **_auth(organiser)).json()
    assert [a["title"] for a in listed] == ["Warsztaty plastyczne"]


def test_a_date_in_the_past_is_a_422_with_a_message(client, organiser):
    start = timezone.now() - timedelta(days=1)
    body = {
        "title": "Piknik",
        "place": "Park",
        "capacity": 5,
        "sessions": [
            {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
        ],
    }
    response = client.post(
        "/api/v1/activities", body, content_type="application/json", **_auth(organiser)
    )
    assert response.status_code == 422
    assert "in the past" in response.json()["errors"][0]["message"]


def test_registration_answers_registered_then_waitlisted_and_refuses_a_second_time(
    client, registering_worker, organiser, district_a
):
    activity = make_activity(actor=organiser, capacity=1)
    a, b = make_persons(centre=organiser.centre, district=district_a, count=2)
    url = f"/api/v1/activities/{activity.pk}/registrations"
    auth = _auth(registering_worker)
    first = client.post(url, {"person_id": a.pk}, content_type="application/json", **auth)
    second = client.post(url, {"person_id": b.pk}, content_type="application/json", **auth)
    again = client.post(url, {"person_id": a.pk}, content_type="application/json", **auth)
    assert (first.status_code, first.json()["status"]) == (201, "registered")
    assert (second.status_code, second.json()["status"]) == (201, "waitlisted")
    assert again.status_code == 422
    cancel = client.delete(f"{url}/{first.json()['id']}", **_auth(organiser))
    assert cancel.json()["promoted"]["id"] == second.json()["id"]
