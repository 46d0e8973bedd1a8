"""Thirty registrations race through the API for an activity with ten places: exactly ten
get a place, twenty wait in line; a cancellation then promotes the first in line."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client

from gops.accounts.services import api_token_create
from gops.activities.models import Registration, RegistrationStatus
from gops.activities.tests.factories import make_activity
from gops.activities.tests.persons import make_persons

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("gops.activities.tests.urls"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrent writers: PostgreSQL"
    ),
]

REQUESTS = 30
PLACES = 10


def test_thirty_registrations_for_ten_places_give_ten_registered_and_twenty_waiting(
    organiser, district_a
):
    activity = make_activity(actor=organiser, capacity=PLACES)
    persons = make_persons(centre=organiser.centre, district=district_a, count=REQUESTS)
    token = api_token_create(user=organiser)
    results: list[tuple[int, dict]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(REQUESTS)
    url = f"/api/v1/activities/{activity.pk}/registrations"

    def post(person):
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                url,
                {"person_id": person.pk},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            results.append((response.status_code, response.json()))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(person,)) for person in persons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Counter(status for status, _ in results) == {201: REQUESTS}
    assert Counter(body["status"] for _, body in results) == {
        "registered": PLACES,
        "waitlisted": REQUESTS - PLACES,
    }
    stored = Registration.objects.filter(activity=activity)
    assert stored.filter(status=RegistrationStatus.REGISTERED).count() == PLACES
    assert stored.filter(status=RegistrationStatus.WAITLISTED).count() == REQUESTS - PLACES
    assert sorted(stored.values_list("position", flat=True)) == list(range(1, REQUESTS + 1))

    first_waiting = stored.filter(status=RegistrationStatus.WAITLISTED).order_by("position")[0]
    leaving = stored.filter(status=RegistrationStatus.REGISTERED).order_by("position")[0]
    response = Client().delete(f"{url}/{leaving.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["promoted"]["id"] == first_waiting.pk
    first_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.REGISTERED
    assert stored.filter(status=RegistrationStatus.REGISTERED).count() == PLACES
