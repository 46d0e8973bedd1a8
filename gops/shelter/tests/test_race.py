"""Twenty placement requests race through the API for a facility with five free beds: five
succeed, fifteen are refused with 409, no bed holds two people and nobody is placed twice."""

import threading
from collections import Counter
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from gops.accounts.services import api_token_create
from gops.accounts.tests.factories import make_district
from gops.people.models import Person
from gops.shelter.models import Placement
from gops.shelter.tests.factories import make_facility

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrent writers: PostgreSQL"
    ),
]

REQUESTS = 20
BEDS = 5


def homeless_persons(centre, count: int) -> list[Person]:
    """Persons without PESEL, registered directly: the race is about beds, not the registry."""
    district = make_district(centre=centre, name="Rejon bezdomnych")
    return Person.objects.bulk_create(
        Person(
            centre=centre,
            district=district,
            first_names="Jan",
            surnames=f"Bezdomny{number}",
            sex="M",
            birth_date=date(1970, 1, 1 + number),
            homeless=True,
        )
        for number in range(count)
    )


def test_twenty_requests_for_five_beds_give_five_placements_and_fifteen_409(coordinator):
    facility = make_facility(centre=coordinator.centre, beds=BEDS)
    persons = homeless_persons(coordinator.centre, REQUESTS)
    token = api_token_create(user=coordinator)
    statuses: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(REQUESTS)

    def post(person: Person):
        try:
            client = Client()
            body = {
                "person_id": person.pk,
                "facility_id": facility.pk,
                "from": timezone.localdate().isoformat(),
                "emergency": True,
            }
            barrier.wait()
            response = client.post(
                "/api/v1/shelter/placements",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            statuses.append(response.status_code)
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
    assert Counter(statuses) == {201: BEDS, 409: REQUESTS - BEDS}
    placements = list(Placement.objects.filter(facility=facility))
    assert len(placements) == BEDS
    assert len({p.bed_id for p in placements}) == BEDS
    assert len({p.person_id for p in placements}) == BEDS
