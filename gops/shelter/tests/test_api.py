"""The shelter API: availability for a night, placements (409 when no bed fits), check-out,
facilities."""

from datetime import date

import pytest
import time_machine

from gops.accounts.services import api_token_create
from gops.people.tests.factories import make_person
from gops.shelter.models import Admits, FacilityKind, Placement
from gops.shelter.tests.factories import WOMAN_PESEL, make_bed, make_facility, make_shelter

pytestmark = pytest.mark.django_db

TODAY = date(2025, 12, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


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
        return getattr(client, method)(f"/api/v1/shelter{path}", body, **headers, **kwargs)

    return call


@pytest.fixture
def man(coordinator, district_a):
    return make_person(actor=coordinator, district=district_a, homeless=True)


@pytest.fixture
def woman(coordinator, district_a):
    return make_person(
        actor=coordinator,
        district=district_a,
        first_names="Anna",
        surnames="Nowak",
        pesel=WOMAN_PESEL,
    )


def test_without_a_token_every_endpoint_is_401(api, coordinator):
    assert api(None, "/availability").status_code == 401
    assert api(None, "/facilities").status_code == 401
    assert api(None, "/placements", "post", {}).status_code == 401
    assert api(None, "/placements/1/checkout", "post", {}).status_code == 401


def test_availability_lists_free_beds_per_facility_for_a_night(api, coordinator, man):
    night_shelter = make_facility(centre=coordinator.centre, beds=2)
    warming = make_facility(
        centre=coordinator.centre, name="Ogrzewalnia", kind=FacilityKind.WARMING_CENTRE
    )
    make_bed(facility=warming, sex=Admits.FEMALE, wheelchair_access=True)
    api(
        coordinator,
        "/placements",
        "post",
        {
            "person_id": man.pk,
            "facility_id": night_shelter.pk,
            "from": "2025-12-10",
            "emergency": True,
        },
    )
    response = api(coordinator, "/availability?night=2025-12-10")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    row = rows["Noclegownia przy ul. Zimowej"]
    assert (row["beds"], row["occupied"], row["free"]) == (2, 1, 1)
    assert row["kind"] == "night_shelter"
    assert [bed["label"] for bed in row["free_beds"]] == ["2"]
    # The night before nobody slept there, but a bed held from tonight on is not free to
    # place anyone from then.
    earlier = {r["name"]: r for r in api(coordinator, "/availability?night=2025-12-09").json()}
    assert earlier["Noclegownia przy ul. Zimowej"]["occupied"] == 0
    assert earlier["Noclegownia przy ul. Zimowej"]["free"] == 1

    men = {r["name"]: r["free"] for r in api(coordinator, "/availability?sex=M").json()}
    assert men == {"Noclegownia przy ul. Zimowej": 1, "Ogrzewalnia": 0}
    wheelchair = {
        r["name"]: r["free"] for r in api(coordinator, "/availability?wheelchair=true").json()
    }
    assert wheelchair == {"Noclegownia przy ul. Zimowej": 0, "Ogrzewalnia": 1}
    kind = api(coordinator, "/availability?kind=warming_centre").json()
    assert [r["name"] for r in kind] == ["Ogrzewalnia"]


def test_availability_rejects_a_bad_night(api, coordinator):
    response = api(coordinator, "/availability?night=2025-13-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "night"


def test_a_placement_into_a_facility_is_201(api, coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    response = api(
        coordinator,
        "/placements",
        "post",
        {"person_id": man.pk, "facility_id": facility.pk, "from": "2025-12-10", "emergency": True},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["person_id"] == man.pk
    assert body["bed_id"] == facility.beds.get().pk
    assert body["emergency"] is True
    assert body["check_in"] == "2025-12-10"


def test_a_placement_into_a_named_bed_is_201_and_a_taken_bed_409(api, coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre, beds=2)
    bed = facility.beds.last()
    body = {"person_id": man.pk, "bed_id": bed.pk, "from": "2025-12-10", "emergency": True}
    assert api(coordinator, "/placements", "post", body).status_code == 201
    response = api(coordinator, "/placements", "post", body | {"person_id": woman.pk})
    assert response.status_code == 409
    assert response.json()["detail"]


def test_no_bed_that_fits_is_409(api, coordinator, woman):
    facility = make_facility(centre=coordinator.centre, beds=2, admits=Admits.ANY)
    facility.beds.update(sex=Admits.MALE)
    response = api(
        coordinator,
        "/placements",
        "post",
        {
            "person_id": woman.pk,
            "facility_id": facility.pk,
            "from": "2025-12-10",
            "emergency": True,
        },
    )
    assert response.status_code == 409
    assert not Placement.objects.exists()


def test_bad_input_is_422_with_the_field(api, coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    shelter = make_shelter(centre=coordinator.centre, beds=1)
    response = api(
        coordinator, "/placements", "post", {"person_id": man.pk, "facility_id": facility.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"
    response = api(
        coordinator,
        "/placements",
        "post",
        {"person_id": man.pk, "facility_id": facility.pk, "from": "2025-12-10"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "decision_id"
    response = api(
        coordinator,
        "/placements",
        "post",
        {"person_id": man.pk, "facility_id": shelter.pk, "from": "2025-12-10", "emergency": True},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "emergency"
    response = api(
        coordinator,
        "/placements",
        "post",
        {"person_id": man.pk, "from": "2025-12-10", "emergency": True},
    )
    assert response.status_code == 422
    assert not Placement.objects.exists()


def test_a_person_already_placed_is_422_with_the_reason(api, coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=2)
    body = {
        "person_id": man.pk,
        "facility_id": facility.pk,
        "from": "2025-12-10",
        "emergency": True,
    }
    assert api(coordinator, "/placements", "post", body).status_code == 201
    response = api(coordinator, "/placements", "post", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"


def test_unknown_or_foreign_ids_are_404(api, coordinator, man):
    from gops.accounts.tests.factories import make_centre

    other = make_facility(centre=make_centre(name="Inny GOPS", teryt="1465022"), beds=1)
    body = {"person_id": man.pk, "facility_id": other.pk, "from": "2025-12-10", "emergency": True}
    assert api(coordinator, "/placements", "post", body).status_code == 404
    body = {
        "person_id": 999999,
        "bed_id": other.beds.get().pk,
        "from": "2025-12-10",
        "emergency": True,
    }
    assert api(coordinator, "/placements", "post", body).status_code == 404
    assert (
        api(
            coordinator,
            "/placements/999999/checkout",
            "post",
            {"on": "2025-12-10", "reason": "left"},
        ).status_code
        == 404
    )


def test_staff_without_shelter_rights_cannot_place(api, finance, coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    body = {
        "person_id": man.pk,
        "facility_id": facility.pk,
        "from": "2025-12-10",
        "emergency": True,
    }
    assert api(finance, "/placements", "post", body).status_code in (403, 404)
    assert api(finance, "/facilities").json() == []


def test_check_out_frees_the_bed_and_before_check_in_is_422(api, coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    placement = api(
        coordinator,
        "/placements",
        "post",
        {"person_id": man.pk, "facility_id": facility.pk, "from": "2025-12-08", "emergency": True},
    ).json()
    path = f"/placements/{placement['id']}/checkout"
    response = api(coordinator, path, "post", {"on": "2025-12-07", "reason": "left"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "on"
    assert api(coordinator, path, "post", {"on": "2025-12-10", "reason": "moon"}).status_code == 422
    response = api(coordinator, path, "post", {"on": "2025-12-10", "reason": "housing"})
    assert response.status_code == 200
    assert response.json()["check_out"] == "2025-12-10"
    assert response.json()["checkout_reason"] == "housing"
    free = api(coordinator, "/availability?night=2025-12-10").json()[0]
    assert free["free"] == 1


def test_facilities_lists_the_centres_facilities(api, coordinator):
    make_facility(centre=coordinator.centre, beds=2)
    shelter = make_shelter(centre=coordinator.centre, beds=3, contract_price_per_night="45.00")
    make_bed(facility=shelter, room="2", label="X", out_of_use=True, out_of_use_reason="x")
    response = api(coordinator, "/facilities")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert rows["Schronisko Brata Alberta"]["beds"] == 3
    assert rows["Schronisko Brata Alberta"]["contract_price_per_night"] == "45.00"
    assert rows["Schronisko Brata Alberta"]["operator"].startswith("Towarzystwo")
    assert rows["Noclegownia przy ul. Zimowej"]["operator"] == ""
    assert rows["Noclegownia przy ul. Zimowej"]["beds"] == 2


def test_a_night_that_is_not_written_yyyy_mm_dd_is_422(api, coordinator):
    # Found by Schemathesis: pydantic read "0" as a Unix timestamp, 1970-01-01, and answered.
    for night in ("0", "86400", "2025-12-10T00:00:00"):
        response = api(coordinator, f"/availability?night={night}")
        assert response.status_code == 422, night
        assert response.json()["errors"] == [
            {"field": "night", "message": "Enter a valid date (YYYY-MM-DD)."}
        ]


def test_a_placement_from_a_number_is_422_and_places_nobody(api, coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    body = {"person_id": man.pk, "facility_id": facility.pk, "from": 0, "emergency": True}
    response = api(coordinator, "/placements", "post", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "from", "message": "Enter a valid date (YYYY-MM-DD)."}
    ]
    assert not Placement.objects.exists()
