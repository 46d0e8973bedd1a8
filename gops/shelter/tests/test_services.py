"""Placements, check-out, the night count, the board and programmes for leaving homelessness."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gops.benefits import services as benefit_services
from gops.cases.tests.factories import make_application, record_interview
from gops.core.errors import ConflictError
from gops.people.tests.factories import make_person
from gops.shelter import selectors, services
from gops.shelter.models import (
    Admits,
    CheckoutReason,
    ExitPlanStatus,
    FacilityKind,
    NightRecord,
    Placement,
)
from gops.shelter.tests.factories import (
    WOMAN_PESEL,
    make_bed,
    make_facility,
    make_shelter,
    place,
)

pytestmark = [pytest.mark.django_db]

TODAY = date(2025, 12, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY):
        yield


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


def issued_shelter_decision(worker, head):
    """A decision granting shelter to a new applicant (a man, by his PESEL)."""
    with time_machine.travel(date(2025, 11, 25)):
        application = make_application(
            actor=worker, received_on=date(2025, 11, 20), benefits_requested=["shelter"]
        )
        record_interview(actor=worker, application=application, conducted_on=date(2025, 11, 21))
        decision = benefit_services.decision_draft(
            actor=worker,
            application=application,
            benefit="shelter",
            period_from=date(2025, 12, 1),
            quantity="Miejsce w schronisku dla osób bezdomnych",
        )
        return benefit_services.decision_issue(actor=head, decision=decision)


# --- Placement -----------------------------------------------------------------------------


def test_a_person_with_an_issued_shelter_decision_is_placed_in_a_schronisko(
    coordinator, worker_a, head
):
    decision = issued_shelter_decision(worker_a, head)
    shelter = make_shelter(centre=coordinator.centre, beds=2)
    placement = services.placement_create(
        actor=coordinator,
        person=decision.person,
        facility=shelter,
        check_in=date(2025, 12, 1),
        decision=decision,
    )
    assert placement.decision == decision
    assert placement.emergency is False
    assert placement.bed.facility == shelter
    assert placement.check_out is None


def test_a_schronisko_takes_nobody_without_a_decision(coordinator, man):
    shelter = make_shelter(centre=coordinator.centre, beds=2)
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=coordinator, person=man, facility=shelter, check_in=TODAY, emergency=True
        )
    assert "emergency" in exc.value.message_dict
    assert not Placement.objects.exists()


def test_a_placement_without_decision_must_be_an_emergency(coordinator, man):
    night_shelter = make_facility(centre=coordinator.centre, beds=1)
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=coordinator, person=man, facility=night_shelter, check_in=TODAY
        )
    assert "decision_id" in exc.value.message_dict


@pytest.mark.parametrize("kind", [FacilityKind.NIGHT_SHELTER, FacilityKind.WARMING_CENTRE])
def test_an_emergency_placement_in_a_night_shelter_or_warming_centre(coordinator, man, kind):
    facility = make_facility(centre=coordinator.centre, beds=1, kind=kind)
    placement = services.placement_create(
        actor=coordinator, person=man, facility=facility, check_in=TODAY, emergency=True
    )
    assert placement.emergency is True
    assert placement.decision is None


def test_another_persons_decision_is_refused(coordinator, worker_a, head, woman):
    decision = issued_shelter_decision(worker_a, head)
    shelter = make_shelter(centre=coordinator.centre, beds=1)
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=coordinator, person=woman, facility=shelter, check_in=TODAY, decision=decision
        )
    assert "decision_id" in exc.value.message_dict


def test_only_staff_with_the_permission_place(worker_a, man):
    facility = make_facility(centre=worker_a.centre, beds=1)
    with pytest.raises(PermissionDenied):
        services.placement_create(
            actor=worker_a, person=man, facility=facility, check_in=TODAY, emergency=True
        )


def test_check_in_in_the_future_is_refused(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=coordinator,
            person=man,
            facility=facility,
            check_in=date(2025, 12, 11),
            emergency=True,
        )
    assert "check_in" in exc.value.message_dict


# --- One bed per person, one person per bed --------------------------------------------------


def test_a_person_already_placed_is_refused_with_the_reason(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=2)
    place(actor=coordinator, person=man, bed=facility.beds.first(), check_in=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=coordinator, person=man, facility=facility, check_in=TODAY, emergency=True
        )
    assert "already placed" in exc.value.message_dict["person_id"][0]
    assert Placement.objects.count() == 1


def test_the_database_holds_one_active_bed_per_person(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=2)
    first = place(actor=coordinator, person=man, bed=facility.beds.first(), check_in=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            centre=coordinator.centre,
            person=man,
            bed=facility.beds.last(),
            facility=facility,
            emergency=True,
            check_in=TODAY,
            placed_by=coordinator,
        )
    assert list(Placement.objects.all()) == [first]


def test_the_database_holds_one_person_per_bed(coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre, beds=1)
    bed = facility.beds.get()
    place(actor=coordinator, person=man, bed=bed, check_in=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            centre=coordinator.centre,
            person=woman,
            bed=bed,
            facility=facility,
            emergency=True,
            check_in=TODAY,
            placed_by=coordinator,
        )


def test_a_taken_bed_is_refused_as_a_conflict(coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre, beds=1)
    bed = facility.beds.get()
    place(actor=coordinator, person=man, bed=bed, check_in=TODAY)
    with pytest.raises(ConflictError):
        place(actor=coordinator, person=woman, bed=bed, check_in=TODAY)
    assert Placement.objects.count() == 1


def test_a_full_facility_is_a_conflict(coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre, beds=1)
    services.placement_create(
        actor=coordinator, person=man, facility=facility, check_in=TODAY, emergency=True
    )
    with pytest.raises(ConflictError):
        services.placement_create(
            actor=coordinator, person=woman, facility=facility, check_in=TODAY, emergency=True
        )


# --- Beds that do not fit --------------------------------------------------------------------


def test_a_bed_out_of_use_is_refused_and_never_chosen(coordinator, man):
    facility = make_facility(centre=coordinator.centre)
    broken = make_bed(facility=facility, out_of_use=True, out_of_use_reason="złamana rama")
    with pytest.raises(ValidationError) as exc:
        place(actor=coordinator, person=man, bed=broken, check_in=TODAY)
    assert "out of use" in exc.value.message_dict["bed"][0]
    with pytest.raises(ConflictError):
        services.placement_create(
            actor=coordinator, person=man, facility=facility, check_in=TODAY, emergency=True
        )


def test_a_bed_taken_out_of_use_needs_a_reason_and_no_sleeper(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    bed = facility.beds.get()
    with pytest.raises(ValidationError):
        services.bed_out_of_use_set(actor=coordinator, bed=bed, out_of_use=True)
    place(actor=coordinator, person=man, bed=bed, check_in=TODAY)
    with pytest.raises(ValidationError):
        services.bed_out_of_use_set(actor=coordinator, bed=bed, out_of_use=True, reason="pluskwy")


def test_a_seasonal_bed_is_used_only_within_its_season(coordinator, man):
    facility = make_facility(centre=coordinator.centre)
    summer = make_bed(
        facility=facility, label="L", season_from=date(2025, 6, 1), season_until=date(2025, 8, 31)
    )
    with pytest.raises(ValidationError) as exc:
        place(actor=coordinator, person=man, bed=summer, check_in=TODAY)
    assert "seasonal" in exc.value.message_dict["bed"][0]
    winter = make_bed(
        facility=facility, label="Z", season_from=date(2025, 11, 1), season_until=date(2026, 3, 31)
    )
    placement = services.placement_create(
        actor=coordinator, person=man, facility=facility, check_in=TODAY, emergency=True
    )
    assert placement.bed == winter


def test_a_bed_for_women_is_refused_to_a_man(coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre)
    bed = make_bed(facility=facility, sex=Admits.FEMALE)
    with pytest.raises(ValidationError) as exc:
        place(actor=coordinator, person=man, bed=bed, check_in=TODAY)
    assert "other sex" in exc.value.message_dict["bed"][0]
    with pytest.raises(ConflictError):
        services.placement_create(
            actor=coordinator, person=man, facility=facility, check_in=TODAY, emergency=True
        )
    assert place(actor=coordinator, person=woman, bed=bed, check_in=TODAY).bed == bed


def test_a_facility_for_men_is_refused_to_a_woman(coordinator, woman):
    facility = make_facility(centre=coordinator.centre, beds=1, admits=Admits.MALE)
    with pytest.raises(ValidationError):
        place(actor=coordinator, person=woman, bed=facility.beds.get(), check_in=TODAY)
    with pytest.raises(ConflictError):
        services.placement_create(
            actor=coordinator, person=woman, facility=facility, check_in=TODAY, emergency=True
        )


def test_a_wheelchair_user_gets_an_accessible_bed(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=2)
    with pytest.raises(ValidationError):
        place(
            actor=coordinator,
            person=man,
            bed=facility.beds.first(),
            check_in=TODAY,
            wheelchair=True,
        )
    accessible = make_bed(facility=facility, room="0", label="W", wheelchair_access=True)
    placement = services.placement_create(
        actor=coordinator,
        person=man,
        facility=facility,
        check_in=TODAY,
        emergency=True,
        wheelchair=True,
    )
    assert placement.bed == accessible


# --- Check-out -------------------------------------------------------------------------------


def test_check_out_before_check_in_is_refused(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    placement = place(
        actor=coordinator, person=man, bed=facility.beds.get(), check_in=date(2025, 12, 5)
    )
    with pytest.raises(ValidationError) as exc:
        services.placement_checkout(
            actor=coordinator, placement=placement, on=date(2025, 12, 4), reason="left"
        )
    assert "on" in exc.value.message_dict
    placement.refresh_from_db()
    assert placement.check_out is None


def test_check_out_needs_a_known_reason(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    placement = place(actor=coordinator, person=man, bed=facility.beds.get(), check_in=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.placement_checkout(actor=coordinator, placement=placement, on=TODAY, reason="?")
    assert "reason" in exc.value.message_dict


def test_check_out_frees_the_bed_and_the_person(coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre, beds=1)
    bed = facility.beds.get()
    placement = place(actor=coordinator, person=man, bed=bed, check_in=date(2025, 12, 1))
    services.placement_checkout(
        actor=coordinator, placement=placement, on=TODAY, reason=CheckoutReason.HOUSING
    )
    placement.refresh_from_db()
    assert (placement.check_out, placement.checkout_reason) == (TODAY, "housing")
    assert place(actor=coordinator, person=woman, bed=bed, check_in=TODAY).bed == bed
    with pytest.raises(ValidationError):
        services.placement_checkout(actor=coordinator, placement=placement, on=TODAY, reason="left")


def test_a_person_checked_out_can_be_placed_again(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    first = place(
        actor=coordinator, person=man, bed=facility.beds.get(), check_in=date(2025, 12, 1)
    )
    services.placement_checkout(
        actor=coordinator, placement=first, on=date(2025, 12, 3), reason="left"
    )
    again = services.placement_create(
        actor=coordinator, person=man, facility=facility, check_in=TODAY, emergency=True
    )
    assert again.pk != first.pk


# --- The night count -------------------------------------------------------------------------


def test_the_night_count_records_each_stay_and_can_be_recorded_again(coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre, beds=2)
    beds = list(facility.beds.all())
    night = date(2025, 12, 9)
    first = place(actor=coordinator, person=man, bed=beds[0], check_in=date(2025, 12, 1))
    second = place(actor=coordinator, person=woman, bed=beds[1], check_in=date(2025, 12, 1))
    present = services.night_count_record(
        actor=coordinator, facility=facility, night=night, present_placement_ids={first.pk}
    )
    assert present == 1
    assert NightRecord.objects.filter(night=night).count() == 2
    present = services.night_count_record(
        actor=coordinator,
        facility=facility,
        night=night,
        present_placement_ids={first.pk, second.pk},
    )
    assert present == 2
    records = NightRecord.objects.filter(night=night)
    assert records.count() == 2
    assert all(r.present for r in records)


def test_a_night_not_yet_come_is_not_counted(coordinator):
    facility = make_facility(centre=coordinator.centre, beds=1)
    with pytest.raises(ValidationError):
        services.night_count_record(
            actor=coordinator,
            facility=facility,
            night=date(2025, 12, 11),
            present_placement_ids=set(),
        )


def test_a_person_not_seen_for_three_nights_is_flagged(coordinator, man, woman):
    facility = make_facility(centre=coordinator.centre, beds=2)
    beds = list(facility.beds.all())
    absent = place(actor=coordinator, person=man, bed=beds[0], check_in=date(2025, 12, 1))
    seen = place(actor=coordinator, person=woman, bed=beds[1], check_in=date(2025, 12, 1))
    for day in (7, 8, 9):
        services.night_count_record(
            actor=coordinator,
            facility=facility,
            night=date(2025, 12, day),
            present_placement_ids={seen.pk},
        )
    flagged = selectors.not_seen(user=coordinator, today=TODAY)
    assert list(flagged) == [absent]


def test_a_person_placed_yesterday_is_not_yet_flagged(coordinator, man):
    facility = make_facility(centre=coordinator.centre, beds=1)
    place(actor=coordinator, person=man, bed=facility.beds.get(), check_in=date(2025, 12, 9))
    assert not selectors.not_seen(user=coordinator, today=TODAY).exists()


# --- The board -------------------------------------------------------------------------------


def test_the_board_counts_beds_occupied_and_free_for_a_night(coordinator, man, woman):
    centre = coordinator.centre
    night_shelter = make_facility(centre=centre, beds=3)
    make_bed(facility=night_shelter, room="2", label="X", out_of_use=True, out_of_use_reason="x")
    make_bed(
        facility=night_shelter,
        room="2",
        label="Z",
        season_from=date(2025, 11, 1),
        season_until=date(2026, 3, 31),
    )
    warming = make_facility(centre=centre, name="Ogrzewalnia", kind=FacilityKind.WARMING_CENTRE)
    make_bed(facility=warming, label="1", sex=Admits.FEMALE)
    make_facility(centre=centre, name="Zamknięta", beds=2, active=False)
    beds = list(night_shelter.beds.filter(out_of_use=False, season_from__isnull=True))
    place(actor=coordinator, person=man, bed=beds[0], check_in=date(2025, 12, 1))
    left = place(actor=coordinator, person=woman, bed=beds[1], check_in=date(2025, 12, 1))
    services.placement_checkout(actor=coordinator, placement=left, on=TODAY, reason="left")

    rows = {row.facility.name: row for row in selectors.board(user=coordinator, night=TODAY)}
    assert set(rows) == {"Noclegownia przy ul. Zimowej", "Ogrzewalnia"}
    row = rows["Noclegownia przy ul. Zimowej"]
    assert (row.beds, row.occupied, row.free_count) == (4, 1, 3)
    assert (rows["Ogrzewalnia"].beds, rows["Ogrzewalnia"].free_count) == (1, 1)

    # The night before, the woman still slept there.
    yesterday = {
        r.facility.name: r for r in selectors.board(user=coordinator, night=date(2025, 12, 9))
    }
    assert yesterday["Noclegownia przy ul. Zimowej"].occupied == 2

    # In summer the winter bed is not there.
    summer = selectors.board(user=coordinator, night=date(2025, 7, 1))
    assert {r.facility.name: r.beds for r in summer}["Noclegownia przy ul. Zimowej"] == 3

    men = {r.facility.name: r for r in selectors.board(user=coordinator, night=TODAY, sex="M")}
    assert men["Ogrzewalnia"].free_count == 0
    assert men["Noclegownia przy ul. Zimowej"].free_count == 3
    only_warming = selectors.board(user=coordinator, night=TODAY, kind=FacilityKind.WARMING_CENTRE)
    assert [r.facility.name for r in only_warming] == ["Ogrzewalnia"]


def test_the_board_is_empty_for_staff_without_shelter_access(finance, centre):
    make_facility(centre=centre, beds=2)
    assert selectors.board(user=finance, night=TODAY) == []


# --- The way out of homelessness -------------------------------------------------------------


def test_an_exit_plan_is_agreed_and_reviewed(coordinator, man):
    plan = services.exit_plan_create(
        actor=coordinator,
        person=man,
        agreed_on=TODAY,
        goals="Mieszkanie treningowe do wiosny; dowód osobisty.",
        steps=[
            ("documents", "Wyrobić dowód osobisty", date(2025, 12, 31)),
            ("housing", "Wniosek o mieszkanie treningowe", date(2026, 2, 1)),
        ],
    )
    assert plan.status == ExitPlanStatus.ACTIVE
    assert plan.steps.count() == 2
    documents = plan.steps.get(area="documents")
    review = services.exit_plan_review(
        actor=coordinator,
        plan=plan,
        reviewed_on=date(2025, 12, 10),
        notes="Dowód wyrobiony.",
        done_step_ids={documents.pk},
    )
    assert review.reviewer == coordinator
    documents.refresh_from_db()
    assert documents.done_on == date(2025, 12, 10)
    assert plan.steps.get(area="housing").done_on is None


def test_an_exit_plan_needs_goals_and_valid_steps(coordinator, man):
    with pytest.raises(ValidationError):
        services.exit_plan_create(
            actor=coordinator, person=man, agreed_on=TODAY, goals=" ", steps=[]
        )
    with pytest.raises(ValidationError):
        services.exit_plan_create(
            actor=coordinator,
            person=man,
            agreed_on=TODAY,
            goals="Praca",
            steps=[("astrology", "?", TODAY)],
        )
    assert not man.exit_plans.exists()


def test_a_placement_from_a_decision_takes_the_fee_the_decision_set(worker_a, head):
    """Odpłatność za schronienie comes from the decision (u.p.s. art. 97)."""
    from datetime import date
    from decimal import Decimal

    import time_machine

    from gops.benefits import services as benefit_services
    from gops.cases.tests.factories import make_application, record_interview
    from gops.shelter import services as shelter_services
    from gops.shelter.tests.factories import make_bed, make_shelter

    with time_machine.travel(date(2025, 6, 20)):
        application = make_application(actor=worker_a, benefits_requested=["shelter"])
        record_interview(actor=worker_a, application=application, conducted_on=date(2025, 6, 10))
        decision = benefit_services.decision_draft(
            actor=worker_a,
            application=application,
            benefit="shelter",
            period_from=date(2025, 6, 21),
            quantity="miejsce w schronisku",
            shelter_fee_per_night=Decimal("12.50"),
        )
        assert "z odpłatnością 12,50 zł za dobę" in decision.ruling
        decision = benefit_services.decision_issue(actor=head, decision=decision)
        facility = make_shelter(centre=head.centre)
        make_bed(facility=facility)
        placement = shelter_services.placement_create(
            actor=head,
            person=application.applicant,
            facility=facility,
            check_in=date(2025, 6, 20),
            decision=decision,
        )
    assert placement.fee_per_night == Decimal("12.50")


def test_a_programme_ends_with_its_outcome_once(head):
    from datetime import date

    from django.core.exceptions import ValidationError

    from gops.people.tests.factories import make_person
    from gops.shelter import services as shelter_services

    person = make_person(actor=head, homeless=True, district=head.centre.districts.first())
    plan = shelter_services.exit_plan_create(
        actor=head,
        person=person,
        agreed_on=date(2025, 1, 10),
        goals="Mieszkanie treningowe.",
        steps=[("documents", "Wyrobić dowód osobisty", date(2025, 2, 1))],
    )
    with pytest.raises(ValidationError):
        shelter_services.exit_plan_close(actor=head, plan=plan, status="completed", outcome=" ")
    shelter_services.exit_plan_close(
        actor=head, plan=plan, status="completed", outcome="Zamieszkał w mieszkaniu treningowym."
    )
    plan.refresh_from_db()
    assert plan.status == "completed"
    with pytest.raises(ValidationError):
        shelter_services.exit_plan_close(actor=head, plan=plan, status="broken_off", outcome="x")
