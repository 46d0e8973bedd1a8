"""The shelter's pages: the board and placing, facility pages, money, programmes, history."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gops.accounts.tests.factories import make_centre, make_district, make_user
from gops.people.tests.factories import make_person
from gops.shelter import services
from gops.shelter.models import HomelessnessExitPlan, NightRecord, Placement
from gops.shelter.tests.factories import WOMAN_PESEL, make_facility, make_shelter, place

pytestmark = [pytest.mark.django_db]

TODAY = date(2025, 12, 10)


def pesel(prefix: str) -> str:
    """A valid PESEL from its first ten digits."""
    weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    return prefix + str(
        (10 - sum(w * int(d) for w, d in zip(weights, prefix, strict=True)) % 10) % 10
    )


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def man(coordinator, district_a):
    return make_person(actor=coordinator, district=district_a, homeless=True)


@pytest.fixture
def shelter(centre):
    return make_facility(centre=centre, beds=2, contract_price_per_night=Decimal("40.00"))


@pytest.fixture
def coord_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_board_shows_free_beds_for_tonight(coord_client, shelter):
    response = coord_client.get(reverse("shelter:board"))
    assert response.status_code == 200
    assert response.context["night"] == TODAY
    (row,) = response.context["rows"]
    assert (row.beds, row.occupied, row.free_count) == (2, 0, 2)
    assert reverse("shelter:place") in response.content.decode()


def test_the_board_filters_by_sex(coord_client, centre):
    facility = make_facility(centre=centre, beds=1, admits="F")
    response = coord_client.get(reverse("shelter:board"), {"sex": "M", "night": "2025-12-10"})
    (row,) = response.context["rows"]
    assert row.facility == facility
    assert row.free_count == 0


def test_the_shelter_menu_is_shown_to_the_coordinator_only(coord_client, client, finance):
    response = coord_client.get(reverse("shelter:board"))
    assert reverse("shelter:board") in [i["url"] for i in response.context["nav_items"]]
    client.force_login(finance)
    response = client.get(reverse("payments:payroll_list"))
    assert reverse("shelter:board") not in [i["url"] for i in response.context["nav_items"]]


@pytest.mark.parametrize(
    "name",
    ["shelter:board", "shelter:night_list", "shelter:not_seen", "shelter:money"],
)
def test_finance_may_not_open_the_shelter_pages(client, finance, name):
    client.force_login(finance)
    assert client.get(reverse(name)).status_code == 403


def test_a_facility_of_another_centre_is_not_found(coord_client, shelter):
    other = make_centre(name="GOPS Inny", teryt="1465021")
    theirs = make_facility(centre=other, beds=1)
    assert coord_client.get(theirs.get_absolute_url()).status_code == 404
    assert coord_client.get(shelter.get_absolute_url()).status_code == 200


def test_the_coordinator_searches_and_places_a_person_from_the_board(coord_client, shelter, man):
    bed = shelter.beds.first()
    url = reverse("shelter:place")
    assert coord_client.get(url, {"bed": bed.pk}).status_code == 200
    response = coord_client.post(url, {"bed": bed.pk, "night": "2025-12-10", "q": "Kowalski"})
    assert [c["person"] for c in response.context["candidates"]] == [man]
    response = coord_client.post(url, {"bed": bed.pk, "night": "2025-12-10", "person": man.pk})
    assert response.status_code == 302
    assert response.url == shelter.get_absolute_url()
    placement = Placement.objects.get()
    assert (placement.person, placement.bed, placement.emergency) == (man, bed, True)
    assert placement.check_in == TODAY


def test_placing_into_a_taken_bed_shows_why(coord_client, coordinator, shelter, man, district_a):
    bed = shelter.beds.first()
    other = make_person(
        actor=coordinator, district=district_a, pesel=pesel("8001011234"), surnames="Nowak"
    )
    place(actor=coordinator, person=other, bed=bed, check_in=TODAY)
    response = coord_client.post(
        reverse("shelter:place"),
        {"bed": bed.pk, "night": "2025-12-10", "person": man.pk},
        follow=True,
    )
    assert Placement.objects.filter(person=man).count() == 0
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_schronisko_needs_a_decision_so_candidates_without_one_cannot_be_placed(
    coord_client, centre, man
):
    schronisko = make_shelter(centre=centre, beds=1)
    bed = schronisko.beds.get()
    response = coord_client.post(
        reverse("shelter:place"), {"bed": bed.pk, "night": "2025-12-10", "q": "Kowalski"}
    )
    (candidate,) = response.context["candidates"]
    assert candidate["decisions"] == []
    response = coord_client.post(
        reverse("shelter:place"),
        {"bed": bed.pk, "night": "2025-12-10", "person": man.pk},
        follow=True,
    )
    assert not Placement.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_facility_page_checks_out_and_records_the_night_count(
    coord_client, coordinator, shelter, man
):
    placement = place(
        actor=coordinator, person=man, bed=shelter.beds.first(), check_in=date(2025, 12, 8)
    )
    response = coord_client.get(shelter.get_absolute_url())
    assert response.status_code == 200
    assert response.context["stays"] == [placement]

    response = coord_client.post(
        reverse("shelter:night_count", args=[shelter.pk]),
        {"night": "2025-12-09", "present": [str(placement.pk)]},
    )
    assert response.status_code == 302
    record = NightRecord.objects.get()
    assert (record.night, record.present) == (date(2025, 12, 9), True)

    coord_client.post(
        reverse("shelter:placement_checkout", args=[placement.pk]),
        {"reason": "housing", "on": "2025-12-10"},
    )
    placement.refresh_from_db()
    assert (placement.check_out, placement.checkout_reason) == (TODAY, "housing")


def test_a_bed_is_taken_out_of_use_with_a_reason_and_back(coord_client, shelter):
    bed = shelter.beds.first()
    url = reverse("shelter:bed_out_of_use", args=[bed.pk])
    coord_client.post(url, {"out_of_use": "on", "reason": ""})
    bed.refresh_from_db()
    assert not bed.out_of_use
    coord_client.post(url, {"out_of_use": "on", "reason": "broken frame"})
    bed.refresh_from_db()
    assert (bed.out_of_use, bed.out_of_use_reason) == (True, "broken frame")
    coord_client.post(url, {})
    bed.refresh_from_db()
    assert not bed.out_of_use


def test_the_night_list_and_not_seen_pages_render(coord_client, coordinator, shelter, man):
    place(actor=coordinator, person=man, bed=shelter.beds.first(), check_in=date(2025, 12, 1))
    response = coord_client.get(reverse("shelter:night_list"), {"night": "2025-12-05"})
    assert len(response.context["placements"]) == 1
    response = coord_client.get(reverse("shelter:not_seen"))
    assert [p.person for p in response.context["placements"]] == [man]


def test_the_claims_per_gmina_are_computed_from_nights_and_the_contract_price(
    coord_client, coordinator, shelter, district_a, centre
):
    """Price 40.00 a night, December 2025, today the 10th.

    A (Kraków, fee 10.00): 1–6 Dec, out on the 6th → nights 1–5 = 5 nights, 200.00, fees 50.00.
    B (Kraków): from 3 Dec, still there → nights 3–10 = 8, but the count of the 5th found him
    absent → 7 nights, 280.00. Kraków: 2 persons, 12 nights, 480.00 − 50.00 = 430.00.
    C (Testowo, the centre's own gmina): from 8 Dec → 3 nights, 120.00, not claimed.
    Facility: 15 nights, 600.00.
    """
    bed_a, bed_b = shelter.beds.all()
    bed_c = shelter.beds.create(room="2", label="1")
    a = make_person(
        actor=coordinator, district=district_a, pesel=pesel("8001011234"), registered_city="Kraków"
    )
    b = make_person(
        actor=coordinator, district=district_a, pesel=pesel("8102021234"), registered_city="Kraków"
    )
    c = make_person(actor=coordinator, district=district_a, pesel=pesel("8203031234"))
    pa = place(
        actor=coordinator,
        person=a,
        bed=bed_a,
        check_in=date(2025, 12, 1),
        fee_per_night=Decimal("10.00"),
    )
    place(actor=coordinator, person=b, bed=bed_b, check_in=date(2025, 12, 3))
    place(actor=coordinator, person=c, bed=bed_c, check_in=date(2025, 12, 8))
    services.night_count_record(
        actor=coordinator, facility=shelter, night=date(2025, 12, 5), present_placement_ids={pa.pk}
    )
    services.placement_checkout(
        actor=coordinator, placement=pa, on=date(2025, 12, 6), reason="housing"
    )

    response = coord_client.get(reverse("shelter:claims_csv"), {"month": "2025-12"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="zwroty-gmin-2025-12.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[1:] == [["2025-12", "Kraków", "2", "12", "480.00", "50.00", "430.00"]]

    response = coord_client.get(reverse("shelter:money"), {"month": "2025-12"})
    (cost,) = response.context["costs"]
    assert (cost.nights, cost.cost) == (15, Decimal("600.00"))
    assert response.context["unclaimed"].nights == 3
    stats = response.context["stats"]
    # 3 beds × 10 nights; occupied: A 5 (1–5) + B 8 (3–10) + C 3 (8–10) = 16.
    assert (stats.bed_nights, stats.occupied_nights) == (30, 16)
    assert stats.occupancy_rate == Decimal("53.3")
    assert (stats.stays_ended, stats.average_stay_days, stats.left_for_housing) == (
        1,
        Decimal("5.0"),
        1,
    )


def test_an_exit_programme_is_agreed_and_reviewed(coord_client, man):
    response = coord_client.post(
        reverse("shelter:exit_plan_create", args=[man.pk]),
        {
            "agreed_on": "2025-12-10",
            "goals": "Mieszkanie treningowe, praca",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "20",
            "steps-0-area": "documents",
            "steps-0-action": "Wyrobić dowód osobisty",
            "steps-0-due_on": "2026-01-15",
            "steps-1-area": "housing",
            "steps-1-action": "",
            "steps-1-due_on": "",
        },
    )
    plan = HomelessnessExitPlan.objects.get()
    assert response.url == reverse("shelter:exit_plan_detail", args=[plan.pk])
    (step,) = plan.steps.all()
    assert coord_client.get(response.url).status_code == 200
    coord_client.post(
        response.url, {"reviewed_on": "2025-12-20", "notes": "Wniosek złożony", "done": step.pk}
    )
    step.refresh_from_db()
    assert step.done_on == date(2025, 12, 20)
    assert plan.reviews.count() == 1


def test_the_person_history_and_panel_show_stays(coord_client, coordinator, shelter, man, client):
    place(actor=coordinator, person=man, bed=shelter.beds.first(), check_in=TODAY)
    response = coord_client.get(reverse("shelter:person_history", args=[man.pk]))
    assert response.status_code == 200
    assert len(response.context["placements"]) == 1
    response = coord_client.get(reverse("shelter:person_panel", args=[man.pk]))
    assert shelter.name in response.content.decode()


def test_a_person_of_another_centre_has_no_shelter_history_here(coord_client):
    other = make_centre(name="GOPS Inny", teryt="1465021")
    stranger = make_user("obcy", role="shelter_coordinator", centre=other)
    theirs = make_person(
        actor=stranger, pesel=WOMAN_PESEL, district=make_district(centre=other, name="Inny")
    )
    assert coord_client.get(reverse("shelter:person_history", args=[theirs.pk])).status_code == 404


def test_the_coordinator_registers_a_facility_and_adds_a_bed(client, centre):
    from gops.accounts.tests.factories import make_user
    from gops.audit.models import AuditEntry
    from gops.shelter.models import Bed, Facility

    coordinator = make_user("schron2", role="shelter_coordinator", centre=centre)
    client.force_login(coordinator)
    response = client.post(
        "/schronienie/obiekt/nowy/",
        {
            "name": "Noclegownia Zimowa",
            "kind": "night_shelter",
            "street": "ul. Zimowa 1",
            "postal_code": "00-001",
            "city": "Testowo",
            "admits": "any",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    facility = Facility.objects.get(name="Noclegownia Zimowa")
    assert facility.centre == centre
    response = client.post(
        f"/schronienie/obiekt/{facility.pk}/miejsce/",
        {
            "room": "1",
            "label": "A",
            "sex": "any",
            "season_from": "2025-11-01",
            "season_until": "2026-03-31",
        },
    )
    assert response.status_code == 302
    assert Bed.objects.get(facility=facility).season_until.isoformat() == "2026-03-31"
    refused = client.post(
        f"/schronienie/obiekt/{facility.pk}/miejsce/",
        {
            "room": "1",
            "label": "B",
            "sex": "any",
            "season_from": "2025-11-01",
        },
    )
    assert refused.status_code == 200
    assert Bed.objects.filter(facility=facility).count() == 1
    assert AuditEntry.objects.filter(object_type="shelter.facility", action="create").exists()
